"""The PostgreSQL back end against the index folder on the sample corpus and the dev set,
and its dense search with filters (exact and HNSW), on a real server."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from conftest import REPO, FakeEmbedder, PgDatabase, new_database
from pg_server import LocalServer

from assistant.answer.compose import answer_question
from assistant.evaluation.questions import ResolvedQuestion, load_questions
from assistant.evaluation.run import run_evaluation
from assistant.indexing import build_index
from assistant.models import Filters
from assistant.search.retriever import Retriever
from assistant.settings import Settings
from assistant.store.pg_reader import PgIndex

CORPUS = REPO / "corpus"


@dataclass
class Pair:
    folder: Retriever
    pg: Retriever
    questions: list[ResolvedQuestion]
    db: PgDatabase


@pytest.fixture(scope="module")
def pair(pg: LocalServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pair]:
    db = new_database(pg)
    root = tmp_path_factory.mktemp("parity")
    embedder = FakeEmbedder()
    folder_settings = Settings(corpus=CORPUS, index=root / "index")
    build_index(folder_settings, embedder=embedder)
    pg_settings = Settings(corpus=CORPUS, index=root / "unused", database_url=db.writer)
    build_index(pg_settings, embedder=embedder)
    folder = Retriever.open(embedder=embedder, settings=folder_settings)
    reader = Settings(corpus=CORPUS, index=root / "unused", database_url=db.reader)
    pg_retriever = Retriever.open(embedder=embedder, settings=reader)
    texts = {d.doc: d.text for d in folder.documents.values()}
    questions = load_questions(REPO / "eval" / "questions.jsonl", texts)
    yield Pair(folder, pg_retriever, questions, db)
    assert isinstance(pg_retriever.index, PgIndex)
    pg_retriever.index.close()


def _ids(hits: list) -> list[tuple[str, float]]:
    return [(h.chunk.id, h.score) for h in hits]


def test_same_documents_chunks_and_metadata(pair: Pair) -> None:
    assert list(pair.pg.documents) == list(pair.folder.documents)
    for name, doc in pair.folder.documents.items():
        assert pair.pg.document(name) == doc
    assert pair.pg.municipalities == pair.folder.municipalities
    assert pair.pg.years == pair.folder.years
    assert pair.pg.doc_types == pair.folder.doc_types
    assert pair.pg.n_chunks == pair.folder.n_chunks
    rows = range(pair.folder.n_chunks)
    assert pair.pg.index.chunks(rows) == pair.folder.index.chunks(rows)
    assert pair.pg.index.template_keys() == pair.folder.index.template_keys()
    assert pair.pg.findings and pair.pg.findings == pair.folder.findings
    assert pair.pg.manifest.findings_version == pair.folder.manifest.findings_version > 0
    for word in ("digitalisering", "kommunstyrelsen", "avesta", "zzzfinnsinte"):
        assert pair.pg.knows(word) == pair.folder.knows(word)


def test_bm25_top10_is_identical_for_every_dev_question(pair: Pair) -> None:
    for q in pair.questions:
        text = q.question.question
        # Same rows, same scores to the last bit, same tie order.
        assert _ids(pair.pg.search(text, 10, retriever="bm25")) == _ids(
            pair.folder.search(text, 10, retriever="bm25")
        ), text


def test_keyword_scores_are_bit_identical_with_filters(pair: Pair) -> None:
    filters = [Filters(), Filters(municipality=["Huddinge"]), Filters(year=[2018, 2023])]
    for q in pair.questions:
        for f in filters:
            assert _same_ranking(
                pair.pg.index.keyword(q.question.question, 50, f),
                pair.folder.index.keyword(q.question.question, 50, f),
            )


def test_fused_top5_agrees_on_at_least_95_percent(pair: Pair) -> None:
    same = sum(
        [h.chunk.id for h in pair.pg.search(q.question.question, 5)]
        == [h.chunk.id for h in pair.folder.search(q.question.question, 5)]
        for q in pair.questions
    )
    assert same / len(pair.questions) >= 0.95, f"{same} of {len(pair.questions)}"


def test_evaluation_figures_within_001(pair: Pair) -> None:
    def evaluate(r: Retriever) -> dict[str, dict[str, float]]:
        result = run_evaluation(
            pair.questions,
            r,
            ["bm25", "dense", "hybrid"],
            k=10,
            answerer=lambda q: answer_question(r, q, settings=r.settings),
        )
        return {name: result.retriever(name).overall for name in ("bm25", "dense", "hybrid")}  # type: ignore[union-attr]

    folder, pg = evaluate(pair.folder), evaluate(pair.pg)
    for name, figures in folder.items():
        for metric, value in figures.items():
            if isinstance(value, float):
                assert abs(pg[name][metric] - value) <= 0.01, (name, metric)


@pytest.mark.parametrize("hnsw", [False, True], ids=["exact", "hnsw"])
def test_filtered_dense_search_fills_k(pg: LocalServer, tmp_path: Path, hnsw: bool) -> None:
    db = new_database(pg)
    embedder = FakeEmbedder()
    settings = Settings(
        corpus=CORPUS, index=tmp_path / "i", database_url=db.writer, exact_max=0 if hnsw else 10**6
    )
    build_index(settings, embedder=embedder)
    index = PgIndex.open(db.reader, settings.model_copy(update={"pg_ef_search": 10}))
    folder = Settings(corpus=CORPUS, index=tmp_path / "f")
    build_index(folder, embedder=embedder)
    exact = Retriever.open(embedder=embedder, settings=folder).index
    try:
        assert index.manifest.vector_kind == ("hnsw" if hnsw else "flat")
        q = embedder.embed_query("handlingsplan för digitalisering och informationssäkerhet")
        for f in (Filters(municipality=["Avesta"]), Filters(year=[2018]), Filters(doc_type=["x"])):
            mask = exact.mask(f)
            assert mask is not None
            allowed = int(mask.sum())
            got = index.dense(q, 40, f)
            assert len(got) == min(40, allowed)
            chunks = index.chunks(r for r, _ in got)
            assert all(f.accepts(chunks[r]) for r, _ in got)
            # The same rows as an exact scan (HNSW falls back to one when it comes up short).
            want = exact.dense(q, 40, f)
            assert [r for r, _ in got] == [r for r, _ in want]
            assert np.allclose([s for _, s in got], [s for _, s in want], atol=1e-5)
    finally:
        index.close()


@pytest.mark.parametrize("pilot", [1, 50, 400])
def test_pruned_keyword_search_equals_scoring_every_row(
    pair: Pair, monkeypatch: pytest.MonkeyPatch, pilot: int
) -> None:
    from assistant.store import pg_bm25

    index = pair.pg.index
    assert isinstance(index, PgIndex)
    texts = [q.question.question for q in pair.questions]
    every_row = {(t, k): index.keyword(t, k, Filters()) for t in texts for k in (5, 50)}
    monkeypatch.setattr(pg_bm25, "PRUNE_ABOVE", 0)
    monkeypatch.setattr(pg_bm25, "PILOT_POSTINGS", pilot)
    calls: list[tuple[int, int]] = []  # (query terms, terms whose rows were scored)
    score = index._score

    def spy(terms: list, candidates: list, k: int, filters: Filters) -> list:
        calls.append((len(terms), len(candidates)))
        return score(terms, candidates, k, filters)

    monkeypatch.setattr(index, "_score", spy)
    pruned = 0
    for (text, k), want in every_row.items():
        calls.clear()
        assert index.keyword(text, k, Filters()) == want, (text, k)
        pruned += bool(calls) and calls[-1][1] < calls[-1][0]
        assert _same_ranking(want, pair.folder.index.keyword(text, k, Filters()))
    assert pruned > 0  # the bound did skip terms, and the results stayed the same


def _same_ranking(a: list[tuple[int, float]], b: list[tuple[int, float]]) -> bool:
    """Equal rows and scores, except which of several rows tied at the cut-off made it
    (``BM25Index`` takes them as numpy's argpartition leaves them, not by row)."""
    if [s for _, s in a] != [s for _, s in b]:
        return False
    last = a[-1][1] if a else None
    return [r for r, s in a if s != last] == [r for r, s in b if s != last]


def test_essential_terms_keep_every_term_that_can_reach_the_bound() -> None:
    from assistant.store.pg_bm25 import QueryTerm, essential_terms, pilot_terms

    terms = [QueryTerm("a", 0, 0.5, 900), QueryTerm("b", 1, 1.0, 400), QueryTerm("c", 2, 6.0, 3)]
    assert [t.term for t in pilot_terms(terms, budget=10)] == ["c"]
    assert [t.term for t in pilot_terms(terms, budget=500)] == ["c", "b"]
    # Rows holding only a and b score below 1.5: with a bound of 2, they cannot qualify.
    assert [t.term for t in essential_terms(terms, 2.0)] == ["c"]
    assert [t.term for t in essential_terms(terms, 1.2)] == ["b", "c"]
    # At the margin a term is kept: rounding must never drop a qualifying row.
    assert [t.term for t in essential_terms(terms, 1.5)] == ["b", "c"]
    assert [t.term for t in essential_terms(terms, 0.0)] == ["a", "b", "c"]

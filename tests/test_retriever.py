"""Hybrid search on a small index built with the fake embedder: exact rankings."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FakeEmbedder, write_corpus

from assistant.indexing import build_index
from assistant.models import Filters
from assistant.search.retriever import Retriever, _interleave
from assistant.settings import Settings

SHARED = "Kommunstyrelsen ansvarar för att samordna digitaliseringen i hela kommunen."
DOCS = {
    "alfa.txt": f"Alfa kommun\n\nSammanfattning\n\nSocialnämnden saknar en handlingsplan för "
    f"digitalisering.\n\nBakgrund\n\n{SHARED}\n\nMetod\n\nIntervjuer har genomförts.\n",
    "beta.txt": "Beta kommun\n\nSammanfattning\n\nUtbildningsnämnden har en handlingsplan för "
    "digitalisering sedan 2020.\n\nMetod\n\nDokumentstudier har genomförts.\n",
    "gamma.txt": f"Gamma kommun\n\nSammanfattning\n\nKommunen har ingen handlingsplan för "
    f"digitaliseringen.\n\nBakgrund\n\n{SHARED}\n\nBedömning\n\nIT-säkerheten brister.\n",
}


@pytest.fixture(scope="module")
def retriever(tmp_path_factory: pytest.TempPathFactory) -> Retriever:
    root = tmp_path_factory.mktemp("retriever")
    corpus = write_corpus(root / "corpus", DOCS)
    (corpus / "metadata.toml").write_text(
        "".join(
            f'["{n}"]\nmunicipality = "{n[:-4].title()}"\nyear = {2020 + i}\n'
            for i, n in enumerate(DOCS)
        ),
        encoding="utf-8",
    )
    settings = Settings(corpus=corpus, index=root / "index")
    embedder = FakeEmbedder()
    build_index(settings, embedder=embedder)
    return Retriever.open(settings.index, embedder=embedder, settings=settings)


def test_metadata_lists(retriever: Retriever) -> None:
    assert retriever.municipalities == ["Alfa", "Beta", "Gamma"]
    assert retriever.years == [2020, 2021, 2022]


def test_municipality_in_question_filters(retriever: Retriever) -> None:
    hits = retriever.search("handlingsplan för digitalisering i Beta", k=5)
    assert hits and {h.chunk.municipality for h in hits} == {"Beta"}


def test_explicit_filter_wins(retriever: Retriever) -> None:
    hits = retriever.search("handlingsplan i Beta", k=5, filters=Filters(municipality=["Gamma"]))
    assert {h.chunk.municipality for h in hits} == {"Gamma"}
    assert retriever.search("handlingsplan", k=5, filters=Filters(year=[1999])) == []


def test_question_across_municipalities_gets_one_of_each_first(retriever: Retriever) -> None:
    hits = retriever.search("Vilka kommuner har en handlingsplan för digitalisering?", k=3)
    assert sorted(h.chunk.municipality for h in hits) == ["Alfa", "Beta", "Gamma"]
    assert all("handlingsplan" in h.chunk.text for h in hits)


def test_near_duplicates_collapse_into_one_hit_with_copies(retriever: Retriever) -> None:
    hits = retriever.search("samordna digitaliseringen i hela kommunen", k=5, retriever="bm25")
    shared = [h for h in hits if SHARED in h.chunk.text]
    assert len(shared) == 1
    (copy,) = shared[0].copies
    assert copy.doc != shared[0].chunk.doc and SHARED in DOCS[copy.doc][copy.start : copy.end]


def test_english_question_reaches_swedish_keywords(retriever: Retriever) -> None:
    hits = retriever.search("Which board lacks an action plan?", k=1, retriever="bm25")
    assert hits and "handlingsplan" in hits[0].chunk.text


def test_english_question_embeds_with_its_swedish_terms(retriever: Retriever) -> None:
    seen: list[str] = []
    inner = retriever.embedder

    class Recording:
        def __getattr__(self, name: str) -> object:
            return getattr(inner, name)

        def embed_query(self, text: str) -> object:
            seen.append(text)
            return inner.embed_query(text)

    retriever.embedder = Recording()  # type: ignore[assignment]
    try:
        retriever._qvecs.clear()
        retriever.search("Which board lacks an action plan?", k=1, retriever="dense")
        retriever.search("Vilken nämnd saknar en handlingsplan?", k=1, retriever="dense")
    finally:
        retriever.embedder = inner
    assert seen[0].startswith("Which board lacks an action plan") and "handlingsplan" in seen[0]
    swedish = retriever.analyze("Vilken nämnd saknar en handlingsplan?")
    assert seen[1] == (swedish.search_text.strip() or swedish.text)


def test_hits_carry_scores_and_retrievers(retriever: Retriever) -> None:
    (hit,) = retriever.search("IT-säkerheten brister", k=1)
    assert hit.chunk.doc == "gamma.txt" and hit.rank == 1
    assert set(hit.retrievers) == {"bm25", "dense"} == set(hit.scores)


@pytest.mark.parametrize("query", ["", "   ", "och att det", "?!?", "x" * 100_000])
def test_degenerate_queries(retriever: Retriever, query: str) -> None:
    assert isinstance(retriever.search(query, k=3), list)


def test_interleave_is_round_robin_by_score() -> None:
    a = [(1, 0.9), (2, 0.5)]
    b = [(3, 0.8), (4, 0.7), (5, 0.1)]
    assert _interleave([a, b]) == [(1, 0.9), (3, 0.8), (4, 0.7), (2, 0.5), (5, 0.1)]


def test_document_lookup(retriever: Retriever, tmp_path: Path) -> None:
    assert retriever.document("alfa.txt").text == DOCS["alfa.txt"]

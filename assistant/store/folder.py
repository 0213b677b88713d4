"""The index folder on disk: versioned builds, an atomic ``CURRENT`` pointer, a lock, a manifest.

Layout of the index folder::

    index/
      CURRENT             name of the live build folder (replaced atomically)
      .lock               held by a running build (fcntl lock)
      cache/              embedding cache, keyed by (model, text hash)
      b-<timestamp>/      one complete build:
        manifest.json     schema, model, settings, per-document hashes
        documents.jsonl   Document per line (the text the viewer shows)
        chunks.jsonl      Chunk per line, in vector-row order
        findings.jsonl    Finding per line (recommendations, assessments, responses)
        vectors/          FAISS native index + JSON
        bm25/             BM25 arrays (.npy) + JSON

A build writes a new ``b-*`` folder and then replaces ``CURRENT``; readers resolve
``CURRENT`` once and load everything into memory, so a reader never sees a half-written
index and ``kill -9`` at any moment leaves the previous build loadable. Nothing is pickled.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from assistant.errors import IndexFolderError
from assistant.models import Chunk, Document, Finding

SCHEMA_VERSION = 1
CURRENT = "CURRENT"
LOCK = ".lock"
BUILD_PREFIX = "b-"


class DocEntry(BaseModel):
    sha256: str
    size: int
    mtime_ns: int
    chunks: int


class SkippedEntry(BaseModel):
    """A corpus file that could not be indexed, remembered so that an unchanged broken
    file does not make the index look stale (and trigger a rebuild) forever."""

    sha256: str
    size: int
    mtime_ns: int
    reason: str


class Manifest(BaseModel):
    schema_version: int = SCHEMA_VERSION
    model_id: str
    dim: int
    normalized: bool
    chunk_words: int
    meta_hash: str = ""
    vector_kind: str = "flat"
    built_at: datetime
    documents: dict[str, DocEntry] = {}
    n_chunks: int = 0
    findings_version: int = Field(0, description="0: built before findings existed.")
    ingest_version: int = Field(1, description="How documents were read and chunked.")
    skipped: dict[str, SkippedEntry] = {}  # optional: manifests before it read as {}


def current_build(root: Path) -> Path | None:
    """The live build folder, or ``None`` when the index has never been built."""
    pointer = root / CURRENT
    try:
        name = pointer.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    except OSError as e:
        raise IndexFolderError(f"{pointer}: cannot read ({e.strerror}); rebuild the index") from e
    folder = root / name
    if not name.startswith(BUILD_PREFIX) or "/" in name or not folder.is_dir():
        raise IndexFolderError(
            f"{pointer}: points at a missing build '{name}'; run 'granska index' to rebuild"
        )
    return folder


def new_build_folder(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    folder = root / f"{BUILD_PREFIX}{stamp}-{os.getpid()}"
    folder.mkdir()
    return folder


def publish(root: Path, build: Path) -> None:
    """Make ``build`` the live index atomically, then remove older builds."""
    _fsync_tree(build)
    tmp = root / f"{CURRENT}.tmp-{os.getpid()}"
    tmp.write_text(build.name + "\n", encoding="utf-8")
    with open(tmp, "rb") as f:
        os.fsync(f.fileno())
    os.replace(tmp, root / CURRENT)
    _fsync_dir(root)
    remove_stale_builds(root, keep=build.name)


def remove_stale_builds(root: Path, keep: str | None) -> None:
    """Delete build folders other than ``keep`` (call only while holding the lock)."""
    for child in root.iterdir():
        if child.name.startswith(BUILD_PREFIX) and child.name != keep and child.is_dir():
            shutil.rmtree(child, ignore_errors=True)
        elif child.name.startswith(f"{CURRENT}.tmp-"):
            child.unlink(missing_ok=True)


@contextlib.contextmanager
def build_lock(root: Path) -> Iterator[None]:
    """Hold the index lock; a second build at the same time is a clear error."""
    root.mkdir(parents=True, exist_ok=True)
    with open(root / LOCK, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as e:
            raise IndexFolderError(
                f"{root}: another build is running; wait for it to finish and try again"
            ) from e
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def write_manifest(build: Path, manifest: Manifest) -> None:
    (build / "manifest.json").write_text(manifest.model_dump_json(indent=2), encoding="utf-8")


def read_manifest(build: Path) -> Manifest:
    path = build / "manifest.json"
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as e:
        raise IndexFolderError(f"{path}: missing; run 'granska index' to rebuild") from e
    except (OSError, ValueError) as e:
        raise IndexFolderError(f"{path}: unreadable or corrupt; run 'granska index'") from e
    version = raw.get("schema_version") if isinstance(raw, dict) else None
    if isinstance(version, int) and version > SCHEMA_VERSION:
        raise IndexFolderError(
            f"{path}: built by a newer Granska (schema {version}, this one reads "
            f"{SCHEMA_VERSION}); upgrade Granska or rebuild with 'granska index --full'"
        )
    try:
        return Manifest.model_validate(raw)
    except ValidationError as e:
        raise IndexFolderError(f"{path}: invalid manifest; run 'granska index --full'") from e


def write_jsonl(path: Path, rows: list[Document] | list[Chunk] | list[Finding]) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(row.model_dump_json())
            f.write("\n")


def read_documents(build: Path) -> list[Document]:
    return [Document.model_validate_json(line) for line in _lines(build / "documents.jsonl")]


def read_chunks(build: Path) -> list[Chunk]:
    return [Chunk.model_validate_json(line) for line in _lines(build / "chunks.jsonl")]


def read_findings(build: Path) -> list[Finding]:
    """The build's findings; an index built before findings existed has none."""
    if not (build / "findings.jsonl").exists():
        return []
    return [Finding.model_validate_json(line) for line in _lines(build / "findings.jsonl")]


def _lines(path: Path) -> Iterator[str]:
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    yield line
    except FileNotFoundError as e:
        raise IndexFolderError(f"{path}: missing; run 'granska index --full'") from e


def _fsync_tree(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            with open(path, "rb") as f:
                os.fsync(f.fileno())
    for path in [folder, *[p for p in folder.rglob("*") if p.is_dir()]]:
        _fsync_dir(path)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)

"""The index folder on disk: versioned builds, an atomic ``CURRENT`` pointer, a lock, a manifest.

Layout of the index folder::

    index/
      CURRENT             name of the live build folder (replaced atomically)
      .lock               held by a running build (fcntl lock)
      cache/              embedding cache, keyed by (model, text hash)
      b-<timestamp>/      one complete build:
        manifest.json     schema, model, settings, per-document hashes, per-file checksums
        documents.jsonl   Document per line (the text the viewer shows)
        chunks.jsonl      Chunk per line, in vector-row order
        findings.jsonl    Finding per line (recommendations, assessments, responses)
        vectors/          FAISS native index + JSON
        bm25/             BM25 arrays (.npy) + JSON

A build writes a new ``b-*`` folder and then replaces ``CURRENT``; readers resolve
``CURRENT`` once and load everything into memory, so a reader never sees a half-written
index and ``kill -9`` at any moment leaves the previous build loadable. Nothing is pickled.

Index folders get copied between colleagues and damaged, so nothing in them is trusted:

- ``CURRENT`` must be a plain file naming a ``b-*`` folder beside it; it is never followed
  as a link and its content is never echoed. No file of a build is read through a link,
  and only regular files are read (a link to ``/dev/zero`` is damage, not data).
- The manifest (schema 2) holds the size and SHA-256 of every other file of the build,
  and its own checksum.
  Opening a build checks them (small files fully, large ones by size and a sample of
  blocks); ``granska index`` checks them fully and rebuilds what is damaged.
- A reader holds a shared ``flock`` on the build folder while it loads it, and a build
  removes old builds only when it can take that lock exclusively; a reader that still
  loses the race (the folder vanished before it was locked) retries on the new ``CURRENT``.
- Nothing outside the index folder is ever read, written or deleted.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
import re
import shutil
import stat
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from assistant.errors import IndexFolderError
from assistant.models import Chunk, Document, Finding

SCHEMA_VERSION = 2
# Schema 1 (no checksums) is still read; 'granska index' rewrites it as schema 2.
OLDEST_SCHEMA = 1
CURRENT = "CURRENT"
LOCK = ".lock"
BUILD_PREFIX = "b-"
MANIFEST = "manifest.json"
DOCUMENTS = "documents.jsonl"
CHUNKS = "chunks.jsonl"
FINDINGS = "findings.jsonl"
REBUILD = "run 'granska index' to rebuild"
_BUILD_NAME = re.compile(r"b-[A-Za-z0-9_-]{1,120}")
# Files up to this size are hashed in full whenever a build is opened; larger ones by
# size and SAMPLE_BLOCKS blocks spread over the file ('granska index' hashes everything).
FULL_CHECK_BYTES = 32 * 2**20
SAMPLE_BLOCKS = 64
SAMPLE_BLOCK = 4096
MAX_MANIFEST_BYTES = 256 * 2**20
_READ_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC


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


class FileSum(BaseModel):
    """Size and SHA-256 of one file of a build; ``sample`` hashes SAMPLE_BLOCKS blocks."""

    size: int
    sha256: str
    sample: str


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
    files: dict[str, FileSum] = {}
    checksum: str = ""  # SHA-256 of the manifest itself (see ``manifest_checksum``)


def manifest_checksum(manifest: Manifest) -> str:
    """SHA-256 of the manifest's content without its own checksum field."""
    return hashlib.sha256(manifest.model_dump_json(exclude={"checksum"}).encode()).hexdigest()


# ---------------------------------------------------------------- CURRENT and builds


# How often CURRENT is read again when the build it named is gone (rebuilds in a row).
_REREADS = 5


def current_build(root: Path) -> Path | None:
    """The live build folder, or ``None`` when the index has never been built.

    Raises:
        IndexFolderError: ``CURRENT`` is damaged or names a build that is not there. The
            message never contains what ``CURRENT`` holds.
    """
    name = current_name(root)
    if name is None:
        return None
    folder = root / name
    for _ in range(_REREADS):
        try:
            info = os.lstat(folder)
            break
        except FileNotFoundError:
            # A rebuild may have moved CURRENT on and removed the build it named between
            # the two reads: read CURRENT again. Only one that still names a missing
            # build is damaged.
            again = current_name(root)
            if again is None or again == name:
                raise IndexFolderError(
                    f"{root / CURRENT}: points at a missing build '{name}'; {REBUILD}"
                ) from None
            name, folder = again, root / again
        except OSError as e:
            raise IndexFolderError(f"{folder}: cannot be read ({e.strerror}); {REBUILD}") from e
    else:
        raise IndexFolderError(f"{root / CURRENT}: keeps changing while read; try again")
    if not stat.S_ISDIR(info.st_mode):
        raise IndexFolderError(f"{folder}: not a folder (a link or a file); {REBUILD}")
    return folder


def current_name(root: Path) -> str | None:
    """The build name that ``CURRENT`` holds (``None`` without ``CURRENT``)."""
    pointer = root / CURRENT
    try:
        raw = _read_regular(pointer, 256)
    except FileNotFoundError:
        return None
    except IndexFolderError:
        raise
    except OSError as e:
        raise IndexFolderError(f"{pointer}: cannot be read ({e.strerror}); {REBUILD}") from e
    name = raw.decode("ascii", errors="replace").strip()
    if not _BUILD_NAME.fullmatch(name):
        raise IndexFolderError(f"{pointer}: damaged (it names no build); {REBUILD}")
    return name


def new_build_folder(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    folder = root / f"{BUILD_PREFIX}{stamp}-{os.getpid()}"
    folder.mkdir()
    return folder


def publish(root: Path, build: Path) -> None:
    """Make ``build`` the live index atomically, then remove older builds no reader holds."""
    _fsync_tree(build)
    tmp = root / f"{CURRENT}.tmp-{os.getpid()}"
    remove_entry(root, tmp)
    with open(tmp, "x", encoding="utf-8") as f:
        f.write(build.name + "\n")
        f.flush()
        os.fsync(f.fileno())
    target = root / CURRENT
    try:
        os.replace(tmp, target)
    except OSError as e:  # CURRENT is a folder (damage): clear it away, then replace
        if e.errno not in (errno.EISDIR, errno.ENOTEMPTY, errno.EEXIST):
            raise
        remove_entry(root, target)
        os.replace(tmp, target)
    _fsync_dir(root)
    remove_stale_builds(root, keep=build.name)


def remove_stale_builds(root: Path, keep: str | None) -> list[str]:
    """Delete build folders other than ``keep`` that no reader is loading (call only while
    holding the build lock); return the names of those kept because a reader held them."""
    busy: list[str] = []
    try:
        children = list(root.iterdir())
    except OSError:
        return busy
    for child in children:
        name = child.name
        try:
            if name.startswith(f"{CURRENT}.tmp-"):
                remove_entry(root, child)
            elif (
                name.startswith(BUILD_PREFIX)
                and name != keep
                and not _remove_unread_build(root, child)
            ):
                busy.append(name)
        except OSError:  # clean-up is best effort: never fail a published build
            continue
    return busy


def _remove_unread_build(root: Path, child: Path) -> bool:
    """Delete the build ``child`` unless a reader holds it; False when one does."""
    if child.is_symlink() or not child.is_dir():
        remove_entry(root, child)
        return True
    fd = os.open(child, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:  # a reader is loading it: a later build removes it
            return False
        except OSError:  # no flock here: fall back to deleting it
            pass
        shutil.rmtree(child, ignore_errors=True)
        return True
    finally:
        os.close(fd)


def remove_entry(root: Path, path: Path) -> None:
    """Remove ``path``, a direct child of ``root``, whatever it is: a link is unlinked (its
    target is never touched), a real folder is deleted with its content."""
    if path.parent != root:
        raise ValueError(f"{path} is not directly inside {root}")
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISDIR(info.st_mode):
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


@contextlib.contextmanager
def reading(build: Path) -> Iterator[None]:
    """Hold a shared lock on ``build`` while it is loaded, so no build deletes it meanwhile.

    Raises:
        IndexFolderError: The build folder is gone (a newer build removed it).
    """
    try:
        fd = os.open(build, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except FileNotFoundError:
        raise IndexFolderError(f"{build}: missing; {REBUILD}") from None
    except OSError as e:
        raise IndexFolderError(f"{build}: cannot be read ({e.strerror}); {REBUILD}") from e
    try:
        with contextlib.suppress(OSError):  # no flock on this file system: read anyway
            fcntl.flock(fd, fcntl.LOCK_SH)
        yield
    finally:
        os.close(fd)


@contextlib.contextmanager
def build_lock(root: Path) -> Iterator[None]:
    """Hold the index lock; a second build at the same time is a clear error.

    A ``.lock`` that is not a plain file (a folder, a link, a pipe) is damage and is
    replaced; a read-only folder is a clear error.
    """
    try:
        if root.exists() and not root.is_dir():
            raise IndexFolderError(f"{root}: not a folder; pass --index with a folder")
        root.mkdir(parents=True, exist_ok=True)
        fd = _open_lock(root)
    except OSError as e:
        raise write_error(root, e) from e
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as e:
            raise IndexFolderError(
                f"{root}: another build is running; wait for it to finish and try again"
            ) from e
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _open_lock(root: Path) -> int:
    path = root / LOCK
    for _ in range(3):
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK, 0o644)
        except OSError as e:
            if e.errno in (errno.ELOOP, errno.EISDIR, errno.ENXIO):
                remove_entry(root, path)
                continue
            raise
        if stat.S_ISREG(os.fstat(fd).st_mode):
            return fd
        os.close(fd)
        remove_entry(root, path)
    raise IndexFolderError(f"{path}: cannot be made a lock file; remove it and try again")


def write_error(root: Path, error: OSError) -> IndexFolderError:
    """A one-line message for a failed write into the index folder."""
    if error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return IndexFolderError(
            f"{root}: the index folder is read-only ({error.strerror}); copy it to a folder "
            "you can write to, or pass --index with another folder"
        )
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        free = shutil.disk_usage(root).free if root.is_dir() else 0
        return IndexFolderError(
            f"{root}: the disk is full ({free / 2**20:.0f} MB free); free some space and "
            "run 'granska index' again (the previous index is still in use)"
        )
    return IndexFolderError(f"{root}: cannot write the index ({error.strerror or error})")


# ---------------------------------------------------------------- manifest and checksums


def write_manifest(build: Path, manifest: Manifest) -> None:
    """Write the manifest with the checksums of every other file of ``build``."""
    manifest = manifest.model_copy(update={"files": file_sums(build)})
    manifest = manifest.model_copy(update={"checksum": manifest_checksum(manifest)})
    (build / MANIFEST).write_text(manifest.model_dump_json(indent=2), encoding="utf-8")


def read_manifest(build: Path) -> Manifest:
    path = build / MANIFEST
    try:
        raw = json.loads(_read_regular(path, MAX_MANIFEST_BYTES))
    except FileNotFoundError as e:
        raise IndexFolderError(f"{path}: missing; {REBUILD}") from e
    except IndexFolderError:
        raise
    except (OSError, ValueError) as e:
        raise IndexFolderError(f"{path}: unreadable or corrupt; {REBUILD}") from e
    version = raw.get("schema_version") if isinstance(raw, dict) else None
    if isinstance(version, int) and version > SCHEMA_VERSION:
        raise IndexFolderError(
            f"{path}: built by a newer Granska (schema {version}, this one reads "
            f"{SCHEMA_VERSION}); upgrade Granska or rebuild with 'granska index --full'"
        )
    try:
        manifest = Manifest.model_validate(raw)
    except ValidationError as e:
        raise IndexFolderError(f"{path}: invalid manifest; {REBUILD}") from e
    if manifest.schema_version < OLDEST_SCHEMA or (
        manifest.schema_version >= 2 and not manifest.files
    ):
        raise IndexFolderError(f"{path}: invalid manifest; {REBUILD}")
    if manifest.schema_version >= 2 and manifest.checksum != manifest_checksum(manifest):
        raise IndexFolderError(f"{path}: damaged (checksum mismatch); {REBUILD}")
    return manifest


def file_sums(build: Path) -> dict[str, FileSum]:
    """Checksums of every file of ``build`` but the manifest, by path inside the build."""
    sums: dict[str, FileSum] = {}
    for path in sorted(build.rglob("*")):
        rel = path.relative_to(build).as_posix()
        if rel != MANIFEST and path.is_file():
            sums[rel] = _file_sum(path)
    return sums


def damaged_files(build: Path, manifest: Manifest, thorough: bool) -> dict[str, str]:
    """The files of ``build`` that do not match the manifest, with what is wrong.

    With ``thorough`` every file is hashed in full; otherwise files above
    ``FULL_CHECK_BYTES`` are checked by size and a sample of blocks, and the two JSONL files
    JSONL files are left to ``read_documents`` & co., which hash them as they read them.
    A schema-1 manifest has no checksums: then only the kind of each file is checked.
    """
    damage: dict[str, str] = {}
    if not manifest.files:
        for path in build.rglob("*"):
            rel = path.relative_to(build).as_posix()
            info = os.lstat(path)
            if not (stat.S_ISREG(info.st_mode) or stat.S_ISDIR(info.st_mode)):
                damage[rel] = "not a regular file"
        return damage
    for rel, expected in manifest.files.items():
        path = build / rel
        if not thorough and rel in (DOCUMENTS, CHUNKS, FINDINGS):
            problem = _kind_and_size(path, expected)
        else:
            problem = _check_file(path, expected, full=thorough)
        if problem:
            damage[rel] = problem
    return damage


def require_intact(build: Path, manifest: Manifest) -> None:
    """Raise a one-line IndexFolderError naming the first damaged file of ``build``."""
    damage = damaged_files(build, manifest, thorough=False)
    if damage:
        rel, problem = next(iter(damage.items()))
        more = f" and {len(damage) - 1} more file(s)" if len(damage) > 1 else ""
        raise IndexFolderError(f"{build / rel}: damaged ({problem}){more}; {REBUILD}")


def _check_file(path: Path, expected: FileSum, full: bool) -> str | None:
    problem = _kind_and_size(path, expected)
    if problem:
        return problem
    try:
        if full or expected.size <= FULL_CHECK_BYTES:
            return None if _sha256(path) == expected.sha256 else "checksum mismatch"
        return None if _sample(path, expected.size) == expected.sample else "checksum mismatch"
    except OSError as e:
        return f"cannot be read ({e.strerror})"


def _kind_and_size(path: Path, expected: FileSum) -> str | None:
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return "missing"
    except OSError as e:
        return f"cannot be read ({e.strerror})"
    if not stat.S_ISREG(info.st_mode):
        return "not a regular file (a link, a folder or a device)"
    if info.st_size != expected.size:
        return f"size {info.st_size} bytes, expected {expected.size}"
    return None


def _file_sum(path: Path) -> FileSum:
    size = os.lstat(path).st_size
    return FileSum(size=size, sha256=_sha256(path), sample=_sample(path, size))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    fd = os.open(path, _READ_FLAGS)
    with open(fd, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _sample(path: Path, size: int) -> str:
    """SHA-256 over SAMPLE_BLOCKS blocks spread evenly over the file (and its size)."""
    digest = hashlib.sha256(str(size).encode())
    fd = os.open(path, _READ_FLAGS)
    with open(fd, "rb") as f:
        step = max(size // SAMPLE_BLOCKS, 1)
        for offset in range(0, size, step)[:SAMPLE_BLOCKS]:
            f.seek(offset)
            digest.update(f.read(SAMPLE_BLOCK))
        f.seek(max(size - SAMPLE_BLOCK, 0))
        digest.update(f.read(SAMPLE_BLOCK))
    return digest.hexdigest()


# ---------------------------------------------------------------- documents and chunks


def write_jsonl(path: Path, rows: list[Document] | list[Chunk] | list[Finding]) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(row.model_dump_json())
            f.write("\n")


def read_documents(build: Path, expected: FileSum | None = None) -> list[Document]:
    """The documents of ``build``; with ``expected``, the file must match its checksum."""
    return [Document.model_validate_json(line) for line in _lines(build / DOCUMENTS, expected)]


def read_chunks(build: Path, expected: FileSum | None = None) -> list[Chunk]:
    """The chunks of ``build``; with ``expected``, the file must match its checksum."""
    return [Chunk.model_validate_json(line) for line in _lines(build / CHUNKS, expected)]


def read_findings(build: Path, expected: FileSum | None = None) -> list[Finding]:
    """The build's findings; an index built before findings existed has none."""
    try:
        os.lstat(build / FINDINGS)
    except FileNotFoundError:
        if expected is not None:
            raise IndexFolderError(f"{build / FINDINGS}: missing; {REBUILD}") from None
        return []
    return [Finding.model_validate_json(line) for line in _lines(build / FINDINGS, expected)]


def _lines(path: Path, expected: FileSum | None) -> Iterator[bytes]:
    """Non-blank lines of ``path``, hashed as they are read: a file that differs from
    ``expected`` raises after the last line (before anything is used)."""
    try:
        fd = os.open(path, _READ_FLAGS)
    except FileNotFoundError as e:
        raise IndexFolderError(f"{path}: missing; {REBUILD}") from e
    except OSError as e:
        raise IndexFolderError(f"{path}: not a regular file or unreadable; {REBUILD}") from e
    digest = hashlib.sha256()
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode) or (expected is not None and info.st_size != expected.size):
        os.close(fd)
        raise IndexFolderError(f"{path}: damaged (not the file that was written); {REBUILD}")
    with open(fd, "rb") as f:
        for line in f:
            digest.update(line)
            if line.strip():
                yield line
    if expected is not None and digest.hexdigest() != expected.sha256:
        raise IndexFolderError(f"{path}: damaged (checksum mismatch); {REBUILD}")


# ---------------------------------------------------------------- small helpers


def _read_regular(path: Path, limit: int) -> bytes:
    """The bytes of ``path`` if it is a regular file (not a link) of at most ``limit``."""
    try:
        fd = os.open(path, _READ_FLAGS)
    except OSError as e:
        if e.errno == errno.ELOOP:
            raise IndexFolderError(f"{path}: is a symbolic link, not a file; {REBUILD}") from e
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise IndexFolderError(f"{path}: not a regular file; {REBUILD}")
        if info.st_size > limit:
            raise IndexFolderError(f"{path}: too large to be what it should be; {REBUILD}")
        with open(fd, "rb", closefd=False) as f:
            return f.read(limit + 1)
    finally:
        os.close(fd)


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

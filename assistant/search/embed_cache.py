"""A persistent embedding cache keyed by (model, text hash): unchanged text is embedded once.

Layout, one subfolder per model (``<folder>/<model slug>/``)::

    meta.json     {"model_id": ..., "dim": ...}
    vectors.f32   raw little-endian float32 rows, appended
    keys.jsonl    one {"h": <sha256 of the text>, "c": <crc32 of h and the row>} per row,
                  appended after its vector

A row counts only when both its vector and its key line are complete, so a crash in the
middle of a write leaves a torn tail that is cut off on the next open; a read is never
corrupt. A row whose check value does not match its vector (swapped or damaged lines),
or that holds NaN, is ignored and its text embedded again: a damaged cache costs time,
never a wrong vector. Rows written before check values existed are trusted when finite.
Anything in the cache folder that is not a plain file or folder (a link, a pipe) is
damage and the model's cache is started afresh. No pickle anywhere.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import stat
import threading
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Protocol

import numpy as np

from assistant.errors import ConfigError
from assistant.search.embedders import Embedder

_HEX64 = re.compile(r"[0-9a-f]{64}")
_DTYPE = np.dtype("<f4")


def text_hash(text: str) -> str:
    """SHA-256 hex digest of the exact text that is embedded."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def model_slug(model_id: str) -> str:
    """A folder name for ``model_id``: readable part plus a short hash (no collisions)."""
    readable = re.sub(r"[^A-Za-z0-9._-]+", "-", model_id).strip("-.")[-60:]
    return f"{readable}-{hashlib.sha256(model_id.encode()).hexdigest()[:10]}"


class EmbeddingCache:
    """Vectors of one model, by text hash, stored under ``folder/<model slug>/``.

    ``put`` buffers in memory; ``save`` appends the buffer to disk (vectors first, then keys,
    each flushed to stable storage). ``get`` sees saved and buffered rows alike.
    """

    def __init__(self, folder: Path, model_id: str, dim: int) -> None:
        if dim < 1:
            raise ConfigError(f"embedding cache: model '{model_id}' has invalid dimension {dim}")
        self.folder = Path(folder) / model_slug(model_id)
        self.model_id = model_id
        self.dim = dim
        self._lock = threading.Lock()
        self._rows: dict[str, tuple[int, int]] = {}  # hash -> (block, row in block)
        self._blocks: list[np.ndarray] = []
        self._pending_keys: list[str] = []
        self._pending: list[np.ndarray] = []  # blocks not yet on disk
        self.dropped = 0  # damaged rows found on open (their texts are embedded again)
        self._open()

    @property
    def _meta(self) -> Path:
        return self.folder / "meta.json"

    @property
    def _keys(self) -> Path:
        return self.folder / "keys.jsonl"

    @property
    def _vecs(self) -> Path:
        return self.folder / "vectors.f32"

    def __len__(self) -> int:
        return len(self._rows)

    def _open(self) -> None:
        _make_folder(self.folder.parent)
        if not self._meta_matches():
            _remove(self.folder)
            self.folder.mkdir(parents=True, exist_ok=True)
            self._vecs.touch()
            self._keys.touch()
            _write_atomic(self._meta, json.dumps({"model_id": self.model_id, "dim": self.dim}))
            return
        keys, checks, key_bytes = _read_keys(self._keys)
        row_bytes = self.dim * _DTYPE.itemsize
        n = min(len(keys), self._vecs.stat().st_size // row_bytes)
        keys = keys[:n]
        # Cut torn tails so that the next append lines up row for row.
        if key_bytes[n] != self._keys.stat().st_size:
            os.truncate(self._keys, key_bytes[n])
        if self._vecs.stat().st_size != n * row_bytes:
            os.truncate(self._vecs, n * row_bytes)
        saved = np.fromfile(self._vecs, dtype=_DTYPE, count=n * self.dim)
        block = saved.astype(np.float32, copy=False).reshape(n, self.dim)
        self._blocks.append(block)
        finite = np.asarray(np.isfinite(block).all(axis=1), dtype=bool)
        for row, key in enumerate(keys):
            check = checks[row]
            if not finite[row] or (check is not None and check != row_check(key, block[row])):
                self.dropped += 1
                continue
            self._rows.setdefault(key, (0, row))

    def _meta_matches(self) -> bool:
        for path in (self.folder, self._meta, self._keys, self._vecs):
            try:
                mode = os.lstat(path).st_mode
            except OSError:
                return False
            if not (stat.S_ISDIR(mode) if path == self.folder else stat.S_ISREG(mode)):
                return False
        try:
            meta = json.loads(self._meta.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        return (
            isinstance(meta, dict)
            and meta.get("model_id") == self.model_id
            and meta.get("dim") == self.dim
        )

    def _row(self, h: str) -> np.ndarray:
        block, row = self._rows[h]
        return self._blocks[block][row]

    def get(self, hashes: Sequence[str]) -> dict[str, np.ndarray]:
        """The cached vectors among ``hashes`` (missing ones are simply absent)."""
        with self._lock:
            found = {h: self._rows[h] for h in hashes if h in self._rows}
            return {h: self._blocks[b][r] for h, (b, r) in found.items()}

    def put(self, hashes: Sequence[str], vectors: np.ndarray) -> None:
        """Remember ``vectors[i]`` for ``hashes[i]``; already known hashes are skipped."""
        vecs = np.asarray(vectors, dtype=np.float32)
        if vecs.ndim != 2 or vecs.shape != (len(hashes), self.dim):
            raise ConfigError(
                f"embedding cache for '{self.model_id}': expected {len(hashes)} vectors of "
                f"size {self.dim}, got shape {vecs.shape}"
            )
        if not np.isfinite(vecs).all():
            raise ConfigError(f"embedder '{self.model_id}' returned non-finite vectors")
        for h in hashes:
            if not _HEX64.fullmatch(h):
                raise ValueError(f"not a sha256 hex digest: {h!r}")
        with self._lock:
            new: dict[str, int] = {}
            for i, h in enumerate(hashes):
                if h not in self._rows and h not in new:
                    new[h] = i
            if not new:
                return
            block = vecs[list(new.values())].copy()
            b = len(self._blocks)
            self._blocks.append(block)
            self._pending.append(block)
            for r, h in enumerate(new):
                self._rows[h] = (b, r)
            self._pending_keys.extend(new)

    def save(self) -> None:
        """Append buffered rows to disk: vectors first, then their keys."""
        with self._lock:
            if not self._pending_keys:
                return
            with open(self._vecs, "ab") as f:
                for block in self._pending:
                    f.write(block.astype(_DTYPE, copy=False).tobytes())
                _sync(f)
            lines = "".join(
                json.dumps({"h": h, "c": row_check(h, self._row(h))}) + "\n"
                for h in self._pending_keys
            )
            with open(self._keys, "a", encoding="utf-8") as f:
                f.write(lines)
                _sync(f)
            self._pending_keys.clear()
            self._pending.clear()


class VectorCache(Protocol):
    """What ``embed_with_cache`` needs of a cache (this folder cache, or the database's)."""

    model_id: str
    dim: int

    def get(self, hashes: Sequence[str]) -> dict[str, np.ndarray]: ...

    def put(self, hashes: Sequence[str], vectors: np.ndarray) -> None: ...

    def save(self) -> None: ...


def embed_with_cache(
    embedder: Embedder,
    texts: Sequence[str],
    cache: VectorCache,
    batch_size: int = 16,
    progress: Callable[[int], None] | None = None,
) -> np.ndarray:
    """Vectors for ``texts`` in order; only texts missing from ``cache`` are embedded.

    Missing texts (each distinct text once) go to ``embedder.embed_passages`` in batches of
    ``batch_size``; every batch is saved to the cache before ``progress(n_done)`` is called,
    so an exception raised by ``progress`` (e.g. a cancel) keeps the work done so far.
    ``n_done`` counts texts of ``texts`` that have a vector.
    """
    if embedder.model_id != cache.model_id or embedder.dim != cache.dim:
        raise ConfigError(
            f"embedding cache is for '{cache.model_id}' ({cache.dim}), "
            f"not '{embedder.model_id}' ({embedder.dim})"
        )
    hashes = [text_hash(t) for t in texts]
    found = cache.get(hashes)
    first: dict[str, str] = {}
    for h, t in zip(hashes, texts, strict=True):
        if h not in found and h not in first:
            first[h] = t
    missing = list(first.items())
    counts: dict[str, int] = {}
    for h in hashes:
        counts[h] = counts.get(h, 0) + 1
    done = len(texts) - sum(counts[h] for h, _ in missing)
    size = max(1, batch_size)
    for start in range(0, len(missing), size):
        batch = missing[start : start + size]
        vecs = embedder.embed_passages([t for _, t in batch])
        keys = [h for h, _ in batch]
        cache.put(keys, vecs)
        cache.save()
        found.update(cache.get(keys))
        done += sum(counts[h] for h in keys)
        if progress is not None:
            progress(done)
    if not missing and progress is not None:
        progress(done)
    out = np.empty((len(texts), cache.dim), dtype=np.float32)
    for i, h in enumerate(hashes):
        out[i] = found[h]
    return out


def row_check(key: str, vector: np.ndarray) -> str:
    """The check value of a cache row: CRC-32 of its key and its vector's bytes, so a key
    line that moved to another row, or a changed vector, no longer matches."""
    crc = zlib.crc32(np.asarray(vector, dtype=_DTYPE).tobytes(), zlib.crc32(key.encode()))
    return f"{crc:08x}"


def _read_keys(path: Path) -> tuple[list[str], list[str | None], list[int]]:
    """Valid leading key lines, their check values (None in rows written before check
    values existed) and the byte offset after each (``offsets[0] == 0``)."""
    keys: list[str] = []
    checks: list[str | None] = []
    offsets = [0]
    with open(path, "rb") as f:
        for raw in f:
            if not raw.endswith(b"\n"):
                break
            try:
                line = json.loads(raw)
                key, check = line.get("h"), line.get("c")
            except (ValueError, AttributeError):
                break
            if not isinstance(key, str) or not _HEX64.fullmatch(key):
                break
            keys.append(key)
            checks.append(check if isinstance(check, str) else None)
            offsets.append(offsets[-1] + len(raw))
    return keys, checks, offsets


def _remove(path: Path) -> None:
    """Remove ``path`` whatever it is; a link is unlinked, never followed."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    if stat.S_ISDIR(mode):
        shutil.rmtree(path)
    else:
        path.unlink()


def _make_folder(path: Path) -> None:
    """``path`` as a real folder: anything else in its place (a file, a link) is removed."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        mode = None
    if mode is not None and not stat.S_ISDIR(mode):
        _remove(path)
    path.mkdir(parents=True, exist_ok=True)


def _sync(f: IO[bytes] | IO[str]) -> None:
    f.flush()
    os.fsync(f.fileno())


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
        _sync(f)
    os.replace(tmp, path)

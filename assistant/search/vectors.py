"""Dense vector search over unit vectors (inner product = cosine) with FAISS.

Up to ``exact_max`` rows the index is exact (``IndexFlatIP``); above it, approximate
(``IndexHNSWFlat``). A boolean row mask restricts a search (metadata filters) and still
returns up to ``k`` allowed rows: the exact index filters inside FAISS, the HNSW index
filters during graph search and falls back to an exact scan of the allowed rows when the
mask is small or the graph search comes back short.

On disk (``folder/``): ``vectors.faiss`` (FAISS native format) and ``vectors.json``.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import threading
from pathlib import Path
from typing import Any, Literal

import faiss as _faiss
import numpy as np

from assistant.errors import IndexFolderError

# The type stubs shipped with faiss lag behind its 1.15 API (SearchParametersHNSW, sel=...).
faiss: Any = _faiss

Kind = Literal["flat", "hnsw"]
INDEX_FILE = "vectors.faiss"
META_FILE = "vectors.json"
FORMAT = 1
# Filtered HNSW search scans the allowed rows exactly when there are at most this many.
SCAN_MAX = 20_000

_threads_lock = threading.Lock()
_threads_set = False


def configure_threads(n: int | None = None) -> int:
    """Set FAISS's OpenMP threads once (default: all cores, at most 8) and return the count."""
    global _threads_set
    with _threads_lock:
        if n is not None or not _threads_set:
            count = n if n is not None else min(os.cpu_count() or 1, 8)
            faiss.omp_set_num_threads(max(1, count))
            _threads_set = True
        return int(faiss.omp_get_max_threads())


class VectorIndex:
    """Rows are numbered in build order; ``search`` returns ``(row, inner product)`` pairs."""

    def __init__(self, index: Any, kind: Kind, hnsw_m: int = 32, ef_search: int = 128) -> None:
        self.index = index
        self.kind: Kind = kind
        self.hnsw_m = hnsw_m
        self.ef_search = ef_search
        self._lock = threading.Lock()
        flat = index if kind == "flat" else faiss.downcast_index(index.storage)
        n, d = index.ntotal, index.d
        # A zero-copy view of the stored vectors, for exact scans of small allowed subsets.
        self._xb = (
            faiss.rev_swig_ptr(flat.get_xb(), n * d).reshape(n, d)
            if n
            else np.zeros((0, d), dtype=np.float32)
        )

    @property
    def ntotal(self) -> int:
        return int(self.index.ntotal)

    @property
    def dim(self) -> int:
        return int(self.index.d)

    def all_finite(self) -> bool:
        """Whether every stored vector is finite (a NaN row would rank at random)."""
        return bool(np.isfinite(self._xb).all())

    @classmethod
    def build(
        cls,
        vectors: np.ndarray,
        exact_max: int = 50_000,
        hnsw_m: int = 32,
        ef_search: int = 128,
        ef_construction: int = 200,
    ) -> VectorIndex:
        """Index ``vectors`` (n, dim), expected L2-normalised: exact up to ``exact_max`` rows."""
        x = np.ascontiguousarray(vectors, dtype=np.float32)
        if x.ndim != 2 or x.shape[1] < 1:
            raise ValueError(f"vectors must be a 2-d array (n, dim), got shape {x.shape}")
        if not np.isfinite(x).all():
            raise ValueError("vectors contain NaN or infinite values")
        configure_threads()
        n, d = x.shape
        if n <= exact_max:
            index: Any = faiss.IndexFlatIP(d)
            kind: Kind = "flat"
        else:
            index = faiss.IndexHNSWFlat(d, hnsw_m, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = ef_construction
            index.hnsw.efSearch = ef_search
            kind = "hnsw"
        if n:
            index.add(x)
        return cls(index, kind, hnsw_m, ef_search)

    def search(
        self, query_vec: np.ndarray, k: int, allowed: np.ndarray | None = None
    ) -> list[tuple[int, float]]:
        """The ``k`` best rows for ``query_vec``, best first; only rows where ``allowed``."""
        q = np.ascontiguousarray(query_vec, dtype=np.float32).reshape(1, -1)
        if q.shape[1] != self.dim:
            raise IndexFolderError(
                f"query vector has size {q.shape[1]} but the index has {self.dim}; "
                "rebuild the index with the current embedder (granska index --full)"
            )
        if allowed is not None:
            mask = np.asarray(allowed, dtype=bool)
            if mask.shape != (self.ntotal,):
                raise ValueError(f"allowed mask has shape {mask.shape}, expected ({self.ntotal},)")
            n_allowed = int(mask.sum())
        else:
            mask, n_allowed = None, self.ntotal
        k = min(k, n_allowed)
        if k <= 0:
            return []
        if mask is None:
            return self._faiss_search(q, k, None)
        if self.kind == "hnsw" and n_allowed <= SCAN_MAX:
            return self._scan(q[0], k, np.flatnonzero(mask))
        found = self._faiss_search(q, k, mask)
        if len(found) < k:  # HNSW graph search could not reach enough allowed rows
            return self._scan(q[0], k, np.flatnonzero(mask))
        return found

    def _faiss_search(
        self, q: np.ndarray, k: int, mask: np.ndarray | None
    ) -> list[tuple[int, float]]:
        params = None
        bitmap = None
        if mask is not None:
            bitmap = np.packbits(mask, bitorder="little")
            sel = faiss.IDSelectorBitmap(len(mask), faiss.swig_ptr(bitmap))
            if self.kind == "hnsw":
                params = faiss.SearchParametersHNSW(sel=sel, efSearch=max(self.ef_search, k))
            else:
                params = faiss.SearchParameters(sel=sel)
        elif self.kind == "hnsw":
            params = faiss.SearchParametersHNSW(efSearch=max(self.ef_search, k))
        scores, ids = self.index.search(q, k, params=params)
        del bitmap  # kept alive until FAISS is done with it
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]

    def _scan(self, q: np.ndarray, k: int, rows: np.ndarray) -> list[tuple[int, float]]:
        scores = self._xb[rows] @ q
        top = np.argpartition(-scores, k - 1)[:k] if k < len(rows) else np.arange(len(rows))
        top = top[np.lexsort((rows[top], -scores[top]))]
        return [(int(rows[i]), float(scores[i])) for i in top]

    def save(self, folder: Path) -> None:
        """Write ``vectors.faiss`` and ``vectors.json`` into ``folder`` (created if needed)."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / (INDEX_FILE + ".tmp")
        with self._lock:
            try:
                faiss.write_index(self.index, str(tmp))
            except RuntimeError as exc:  # FAISS reports a failed write (disk full) so
                code = errno.ENOSPC if _disk_full(folder) else errno.EIO
                raise OSError(code, f"{os.strerror(code)} (FAISS: write error)", str(tmp)) from exc
        os.replace(tmp, folder / INDEX_FILE)
        meta = {
            "format": FORMAT,
            "kind": self.kind,
            "ntotal": self.ntotal,
            "dim": self.dim,
            "hnsw_m": self.hnsw_m,
            "ef_search": self.ef_search,
        }
        tmp_meta = folder / (META_FILE + ".tmp")
        tmp_meta.write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
        os.replace(tmp_meta, folder / META_FILE)

    @classmethod
    def load(cls, folder: Path) -> VectorIndex:
        """Read an index written by ``save``; a missing or damaged one is an IndexFolderError."""
        folder = Path(folder)
        meta_path, index_path = folder / META_FILE, folder / INDEX_FILE
        fix = "run 'granska index' to rebuild"
        for path in (meta_path, index_path):
            if not path.is_file():
                raise IndexFolderError(f"{path} is missing; {fix}")
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            kind, ntotal, dim = meta["kind"], int(meta["ntotal"]), int(meta["dim"])
            hnsw_m, ef_search = int(meta["hnsw_m"]), int(meta["ef_search"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise IndexFolderError(f"{meta_path} is unreadable or damaged; {fix}") from exc
        if meta.get("format") != FORMAT or kind not in ("flat", "hnsw"):
            raise IndexFolderError(f"{meta_path} has an unknown format; {fix}")
        configure_threads()
        try:
            index = faiss.read_index(str(index_path))
        except (RuntimeError, MemoryError, ValueError) as exc:
            raise IndexFolderError(f"{index_path} is damaged; {fix}") from exc
        expected = faiss.IndexFlatIP if kind == "flat" else faiss.IndexHNSWFlat
        if (
            not isinstance(index, expected)
            or index.ntotal != ntotal
            or index.d != dim
            or index.metric_type != faiss.METRIC_INNER_PRODUCT
        ):
            raise IndexFolderError(f"{index_path} does not match {meta_path.name}; {fix}")
        if kind == "hnsw":
            index.hnsw.efSearch = ef_search
        return cls(index, kind, hnsw_m, ef_search)


def _disk_full(folder: Path) -> bool:
    """Whether the file system of ``folder`` has (next to) no space left."""
    try:
        return shutil.disk_usage(folder).free < 1 << 20
    except OSError:
        return False

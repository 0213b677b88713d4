"""The index folder behind the storage interface: the live build, read into memory once."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import cached_property
from pathlib import Path

import numpy as np
from pydantic import ValidationError

from assistant.errors import IndexFolderError
from assistant.ingest.templates import template_keys
from assistant.models import Chunk, Document, Filters, Finding
from assistant.search.bm25 import BM25Index
from assistant.search.vectors import VectorIndex
from assistant.store import folder as store


class FolderIndex:
    """One build folder: documents, chunks, FAISS vectors and the BM25 arrays in memory."""

    def __init__(
        self,
        build: Path,
        manifest: store.Manifest,
        documents: list[Document],
        chunks: list[Chunk],
        vectors: VectorIndex,
        bm25: BM25Index,
        findings: list[Finding] | None = None,
    ) -> None:
        self.build = build
        self._findings = findings or []
        self._manifest = manifest
        self._documents = {d.doc: d for d in documents}
        self.chunk_list = chunks
        self.vectors = vectors
        self.bm25 = bm25
        self._columns = {
            "municipality": np.array([(c.municipality or "").casefold() for c in chunks]),
            "year": np.array([c.year or 0 for c in chunks]),
            "doc_type": np.array([(c.doc_type or "").casefold() for c in chunks]),
        }
        self._groups: dict[str, list[int]] = {}
        for row, c in enumerate(chunks):
            if c.group:
                self._groups.setdefault(c.group, []).append(row)

    @classmethod
    def open(cls, root: Path) -> FolderIndex:
        """Load the live build of ``root``.

        Raises:
            IndexFolderError: No index, or a corrupt one.
        """
        build = store.current_build(root) if root.is_dir() else None
        if build is None:
            raise IndexFolderError(f"{root}: no index here yet; run 'granska index' to build it")
        manifest = store.read_manifest(build)
        try:
            documents = store.read_documents(build)
            chunks = store.read_chunks(build)
            findings = store.read_findings(build)
        except (ValidationError, ValueError) as e:
            raise IndexFolderError(
                f"{build}: corrupt index data; run 'granska index --full'"
            ) from e
        vectors = VectorIndex.load(build / "vectors")
        bm25 = BM25Index.load(build / "bm25")
        if not (len(chunks) == vectors.ntotal == manifest.n_chunks):
            raise IndexFolderError(f"{build}: index parts disagree; run 'granska index --full'")
        return cls(build, manifest, documents, chunks, vectors, bm25, findings)

    @property
    def location(self) -> str:
        return str(self.build.parent)

    @property
    def manifest(self) -> store.Manifest:
        return self._manifest

    @property
    def documents(self) -> Mapping[str, Document]:
        return self._documents

    def facets(self) -> tuple[list[str], list[int], list[str]]:
        metas = [d.meta for d in self._documents.values()]
        return (
            sorted({m.municipality for m in metas if m.municipality}),
            sorted({m.year for m in metas if m.year}),
            sorted({m.doc_type for m in metas if m.doc_type}),
        )

    def chunks(self, rows: Iterable[int]) -> dict[int, Chunk]:
        return {row: self.chunk_list[row] for row in rows}

    def group_rows(self, groups: Sequence[str]) -> dict[str, list[int]]:
        return {g: self._groups.get(g, []) for g in groups}

    def dense(self, qvec: np.ndarray, k: int, filters: Filters) -> list[tuple[int, float]]:
        allowed = self.mask(filters)
        if allowed is not None and not allowed.any():
            return []
        return self.vectors.search(qvec, k, allowed)

    def keyword(self, query: str, k: int, filters: Filters) -> list[tuple[int, float]]:
        allowed = self.mask(filters)
        if allowed is not None and not allowed.any():
            return []
        return self.bm25.search(query, k, allowed)

    def knows(self, word: str) -> bool:
        return word.casefold() in self.bm25.analyzer.vocabulary

    @cached_property
    def _template_keys(self) -> frozenset[str]:
        return template_keys(self._documents.values())

    def template_keys(self) -> frozenset[str]:
        return self._template_keys

    def findings(self) -> list[Finding]:
        return self._findings

    def mask(self, filters: Filters) -> np.ndarray | None:
        """The rows that pass ``filters`` (``None``: all)."""
        if filters.is_empty():
            return None
        mask = np.ones(len(self.chunk_list), dtype=bool)
        if filters.municipality:
            wanted = [m.casefold() for m in filters.municipality]
            mask &= np.isin(self._columns["municipality"], wanted)
        if filters.year:
            mask &= np.isin(self._columns["year"], filters.year)
        if filters.doc_type:
            wanted = [t.casefold() for t in filters.doc_type]
            mask &= np.isin(self._columns["doc_type"], wanted)
        return mask

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

# How often ``FolderIndex.open`` moves on to a newer build that replaced the one it read.
OPEN_ATTEMPTS = 5


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
        """Load the live build of ``root``, checked against its manifest's checksums (small
        files fully, large ones by size and a sample) and for consistency (every chunk is a
        slice of its document, counts agree, vectors are finite).

        The build is held with a shared lock while it is read, so no build deletes it
        meanwhile; a build that a newer one replaced before it could be locked is not an
        error: the new one is read.

        Raises:
            IndexFolderError: No index, or a damaged one.
        """
        for attempt in range(OPEN_ATTEMPTS):
            build = store.current_build(root) if root.is_dir() else None
            if build is None:
                raise IndexFolderError(
                    f"{root}: no index here yet; run 'granska index' to build it"
                )
            try:
                with store.reading(build):
                    manifest = store.read_manifest(build)
                    parts = _load_parts(build, manifest)
                return cls(build, manifest, *parts)
            except IndexFolderError:
                if attempt + 1 < OPEN_ATTEMPTS and _moved_on(root, build):
                    continue  # a new build replaced this one while we read it
                raise
        raise AssertionError("unreachable")  # pragma: no cover

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


def _moved_on(root: Path, build: Path) -> bool:
    """Whether ``CURRENT`` now names another build than ``build``."""
    try:
        return store.current_name(root) != build.name
    except IndexFolderError:
        return False


def _load_parts(
    build: Path, manifest: store.Manifest
) -> tuple[list[Document], list[Chunk], VectorIndex, BM25Index, list[Finding]]:
    """Read and check every part of ``build``; any damage is an IndexFolderError."""
    store.require_intact(build, manifest)
    try:
        documents = store.read_documents(build, manifest.files.get(store.DOCUMENTS))
        chunks = store.read_chunks(build, manifest.files.get(store.CHUNKS))
        findings = store.read_findings(build, manifest.files.get(store.FINDINGS))
    except (ValidationError, ValueError) as e:
        raise IndexFolderError(f"{build}: corrupt index data; {store.REBUILD}") from e
    vectors = VectorIndex.load(build / "vectors")
    bm25 = BM25Index.load(build / "bm25")
    mismatch = _inconsistency(manifest, documents, chunks, vectors, bm25)
    if mismatch:
        raise IndexFolderError(f"{build}: damaged ({mismatch}); {store.REBUILD}")
    return documents, chunks, vectors, bm25, findings


def _inconsistency(
    manifest: store.Manifest,
    documents: list[Document],
    chunks: list[Chunk],
    vectors: VectorIndex,
    bm25: BM25Index,
) -> str | None:
    """What does not fit together in a loaded build (checks that also protect builds
    written before checksums, schema 1), or None."""
    n = manifest.n_chunks
    if not len(chunks) == vectors.ntotal == bm25.n_docs == n:
        return (
            f"{len(chunks)} chunks, {vectors.ntotal} vectors and {bm25.n_docs} keyword rows "
            f"where the manifest says {n}"
        )
    if vectors.dim != manifest.dim:
        return f"vectors of size {vectors.dim}, the manifest says {manifest.dim}"
    if not vectors.all_finite():
        return "vectors with NaN or infinite values"
    texts = {d.doc: d.text for d in documents}
    if len(texts) != len(documents) or set(texts) != set(manifest.documents):
        return "the documents do not match the manifest"
    per_doc: dict[str, int] = {}
    for c in chunks:
        text = texts.get(c.doc)
        if text is None or text[c.start : c.end] != c.text:
            return f"a passage of {c.doc} does not match the document text"
        per_doc[c.doc] = per_doc.get(c.doc, 0) + 1
    if any(per_doc.get(name, 0) != e.chunks for name, e in manifest.documents.items()):
        return "chunk counts do not match the manifest"
    return None

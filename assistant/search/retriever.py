"""Open a built index and search it: dense, BM25 or both fused, with filters.

``Retriever.search`` recognises municipality names in the question and uses them as a
filter, collapses near-duplicate groups into one hit that lists its copies, and spreads
the results of set and comparison questions across documents.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import cached_property
from pathlib import Path

import numpy as np
from pydantic import ValidationError

from assistant.errors import ConfigError, IndexFolderError
from assistant.ingest.templates import sentence_key, template_keys
from assistant.models import Chunk, CopyRef, Document, Filters, Finding, Hit
from assistant.search.bm25 import BM25Index
from assistant.search.embedders import Embedder, make_embedder
from assistant.search.fusion import reciprocal_rank_fusion
from assistant.search.glossary import swedish_terms
from assistant.search.query import QueryInfo, analyze_query
from assistant.search.rerank import Reranker, make_reranker
from assistant.search.vectors import VectorIndex
from assistant.settings import Settings, get_settings
from assistant.store import folder as store

RETRIEVERS = ("bm25", "dense", "hybrid")
DIVERSITY_PENALTY = 0.5


class Retriever:
    """A loaded index. Everything is read into memory once; searches are read-only."""

    def __init__(
        self,
        build: Path,
        manifest: store.Manifest,
        documents: list[Document],
        chunks: list[Chunk],
        vectors: VectorIndex,
        bm25: BM25Index,
        embedder: Embedder,
        settings: Settings,
        findings: list[Finding] | None = None,
    ) -> None:
        self.build = build
        self.manifest = manifest
        self.documents = {d.doc: d for d in documents}
        self.chunks = chunks
        self.vectors = vectors
        self.bm25 = bm25
        self.embedder = embedder
        self.settings = settings
        self.findings: list[Finding] = findings or []
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
    def open(
        cls,
        index_dir: Path | None = None,
        embedder: Embedder | None = None,
        settings: Settings | None = None,
    ) -> Retriever:
        """Load the live build of ``index_dir`` (default: ``settings.index``).

        Raises:
            IndexFolderError: No index, a corrupt one, or one built with another model.
        """
        settings = settings or get_settings()
        root = index_dir or settings.index
        build = store.current_build(root) if root.is_dir() else None
        if build is None:
            raise IndexFolderError(f"{root}: no index here yet; run 'granska index' to build it")
        manifest = store.read_manifest(build)
        emb = embedder or make_embedder(settings.embedder, settings.embed_batch)
        if emb.model_id != manifest.model_id:
            raise IndexFolderError(
                f"{root}: built with model '{manifest.model_id}' but the current model is "
                f"'{emb.model_id}'; rebuild with 'granska index --full'"
            )
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
        return cls(build, manifest, documents, chunks, vectors, bm25, emb, settings, findings)

    @property
    def model_id(self) -> str:
        return self.manifest.model_id

    @property
    def built_at(self) -> datetime:
        return self.manifest.built_at

    @property
    def n_chunks(self) -> int:
        return len(self.chunks)

    @property
    def municipalities(self) -> list[str]:
        return sorted({d.meta.municipality for d in self.documents.values() if d.meta.municipality})

    @property
    def years(self) -> list[int]:
        return sorted({d.meta.year for d in self.documents.values() if d.meta.year})

    @property
    def doc_types(self) -> list[str]:
        return sorted({d.meta.doc_type for d in self.documents.values() if d.meta.doc_type})

    def document(self, doc: str) -> Document:
        try:
            return self.documents[doc]
        except KeyError:
            raise IndexFolderError(
                f"'{doc}' is not in the index; rebuild with 'granska index'"
            ) from None

    def knows(self, word: str) -> bool:
        """Whether ``word`` occurs in the indexed text (case-insensitive)."""
        return word.casefold() in self.bm25.analyzer.vocabulary

    @cached_property
    def _template_keys(self) -> frozenset[str]:
        return template_keys(self.documents.values())

    def is_template(self, sentence: str) -> bool:
        """Whether ``sentence`` recurs verbatim in reports of several municipalities
        (see ``templates.py``). The first call reads every document once."""
        return sentence_key(sentence) in self._template_keys

    @cached_property
    def reranker(self) -> Reranker:
        return make_reranker(self.settings.reranker, self.findings)

    def rerank(self, query: str, hits: list[Hit], intent: str | None = None) -> list[Hit]:
        """``hits`` in the order of the configured reranker (``Settings.reranker``)."""
        return self.reranker.rerank(query, hits, intent)

    def analyze(self, query: str) -> QueryInfo:
        return analyze_query(query, self.municipalities)

    def search(
        self,
        query: str,
        k: int = 10,
        filters: Filters | None = None,
        retriever: str = "hybrid",
    ) -> list[Hit]:
        """The ``k`` best passages for ``query``, best first.

        Args:
            query: The question as the user wrote it (any length; trimmed).
            k: How many hits to return.
            filters: Explicit filters. Municipalities named in the question apply when
                ``filters`` sets none.
            retriever: ``"hybrid"`` (RRF of dense and BM25), ``"dense"`` or ``"bm25"``.
        """
        if retriever not in RETRIEVERS:
            raise ConfigError(
                f"unknown retriever '{retriever}'; use one of {', '.join(RETRIEVERS)}"
            )
        if k < 1:
            return []
        info = self.analyze(query)
        text = info.search_text.strip() or info.text.strip()
        if not text:
            return []
        active = self.effective_filters(info, filters)
        allowed = self._mask(active)
        if allowed is not None and not allowed.any():
            return []
        keywords = text
        if info.lang == "en":
            keywords = f"{text} {swedish_terms(text)}"
        qvec = self.embedder.embed_query(text) if retriever != "bm25" else None
        depth = max(50, 5 * k)
        places = self.municipalities if info.across_places and not active.municipality else []
        if len(places) > 1:
            per_place = [
                self._rank(
                    qvec,
                    keywords,
                    self._mask(active.merged(Filters(municipality=[m]))),
                    retriever,
                    depth,
                )
                for m in places
            ]
            raw: dict[str, dict[int, float]] = {}
            ordered = _interleave([o for o, _ in per_place])
            for _, r in per_place:
                for name, by_row in r.items():
                    raw.setdefault(name, {}).update(by_row)
        else:
            ordered, raw = self._rank(qvec, keywords, allowed, retriever, depth)
            if info.wants_set:
                ordered = _diversify(ordered, [self.chunks[row].doc for row, _ in ordered])
        hits = []
        for rank, (row, score) in enumerate(ordered[:k], start=1):
            scores = {name: raw[name][row] for name in raw if row in raw[name]}
            hits.append(
                Hit(
                    chunk=self.chunks[row],
                    score=score,
                    rank=rank,
                    retrievers=sorted(scores),
                    copies=self._copies(row),
                    scores=scores,
                )
            )
        return hits

    def _rank(
        self,
        qvec: np.ndarray | None,
        keywords: str,
        allowed: np.ndarray | None,
        retriever: str,
        depth: int,
    ) -> tuple[list[tuple[int, float]], dict[str, dict[int, float]]]:
        """Fused, collapsed ranking of rows, and the raw score of each row per retriever."""
        rankings: dict[str, list[int]] = {}
        raw: dict[str, dict[int, float]] = {}
        if allowed is not None and not allowed.any():
            return [], raw
        if qvec is not None:
            found = self.vectors.search(qvec, depth, allowed)
            rankings["dense"] = [row for row, _ in found]
            raw["dense"] = dict(found)
        if retriever in ("bm25", "hybrid"):
            found = self.bm25.search(keywords, depth, allowed)
            rankings["bm25"] = [row for row, _ in found]
            raw["bm25"] = dict(found)
        weights = {"dense": self.settings.weight_dense, "bm25": self.settings.weight_bm25}
        fused = reciprocal_rank_fusion(rankings, k=self.settings.rrf_k, weights=weights)
        return self._collapse([(f.item, f.score) for f in fused]), raw

    def effective_filters(self, info: QueryInfo, filters: Filters | None) -> Filters:
        active = filters or Filters()
        if not active.municipality and info.municipalities:
            active = active.merged(Filters(municipality=list(info.municipalities)))
        return active

    def _mask(self, filters: Filters) -> np.ndarray | None:
        if filters.is_empty():
            return None
        mask = np.ones(len(self.chunks), dtype=bool)
        if filters.municipality:
            wanted = [m.casefold() for m in filters.municipality]
            mask &= np.isin(self._columns["municipality"], wanted)
        if filters.year:
            mask &= np.isin(self._columns["year"], filters.year)
        if filters.doc_type:
            wanted = [t.casefold() for t in filters.doc_type]
            mask &= np.isin(self._columns["doc_type"], wanted)
        return mask

    def _collapse(self, ordered: list[tuple[int, float]]) -> list[tuple[int, float]]:
        seen: set[str] = set()
        out = []
        for row, score in ordered:
            group = self.chunks[row].group
            if group:
                if group in seen:
                    continue
                seen.add(group)
            out.append((row, score))
        return out

    def _copies(self, row: int) -> list[CopyRef]:
        group = self.chunks[row].group
        if not group:
            return []
        return [
            CopyRef(doc=c.doc, start=c.start, end=c.end, page=c.page, section=c.section_path)
            for c in (self.chunks[r] for r in self._groups[group] if r != row)
        ]


def _interleave(rankings: list[list[tuple[int, float]]]) -> list[tuple[int, float]]:
    """Round-robin over per-place rankings: every place's best first (by score), then
    every place's second best, and so on."""
    out: list[tuple[int, float]] = []
    seen: set[int] = set()
    for level in range(max((len(r) for r in rankings), default=0)):
        tier = sorted((r[level] for r in rankings if len(r) > level), key=lambda x: -x[1])
        for row, score in tier:
            if row not in seen:
                seen.add(row)
                out.append((row, score))
    return out


def _diversify(
    ordered: list[tuple[int, float]], docs: Sequence[str], penalty: float = DIVERSITY_PENALTY
) -> list[tuple[int, float]]:
    """Greedy re-ranking that divides a score by ``1 + penalty * (hits already from its doc)``.

    Keeps each document's own order and the original scores; only the order changes.
    """
    remaining = list(range(len(ordered)))
    taken: dict[str, int] = {}
    out: list[tuple[int, float]] = []
    while remaining:
        best = max(
            remaining,
            key=lambda i: ordered[i][1] / (1 + penalty * taken.get(docs[i], 0)),
        )
        remaining.remove(best)
        taken[docs[best]] = taken.get(docs[best], 0) + 1
        out.append(ordered[best])
    return out

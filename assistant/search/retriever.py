"""Open a built index and search it: dense, BM25 or both fused, with filters.

``Retriever.search`` recognises municipality names in the question and uses them as a
filter, collapses near-duplicate groups into one hit that lists its copies, and spreads
the results of set and comparison questions across documents.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from functools import cached_property
from pathlib import Path

import numpy as np

from assistant.errors import ConfigError, IndexFolderError
from assistant.ingest.templates import sentence_key
from assistant.models import Chunk, CopyRef, Document, Filters, Finding, Hit
from assistant.search.embedders import Embedder, make_embedder
from assistant.search.fusion import reciprocal_rank_fusion
from assistant.search.glossary import swedish_terms
from assistant.search.query import QueryInfo, analyze_query
from assistant.search.rerank import Reranker, make_reranker
from assistant.settings import Settings, get_settings
from assistant.store.backend import IndexReader, open_reader

RETRIEVERS = ("bm25", "dense", "hybrid")
DIVERSITY_PENALTY = 0.5


class Retriever:
    """A built index behind the storage interface (index folder or PostgreSQL); the
    ranking logic (fusion, collapsing, spreading) is the same for both."""

    def __init__(self, index: IndexReader, embedder: Embedder, settings: Settings) -> None:
        self.index = index
        self.manifest = index.manifest
        self.embedder = embedder
        self.settings = settings
        self._facets = index.facets()
        self._qvecs: dict[str, np.ndarray] = {}

    @classmethod
    def open(
        cls,
        index_dir: Path | None = None,
        embedder: Embedder | None = None,
        settings: Settings | None = None,
    ) -> Retriever:
        """Open the live index: the folder ``index_dir`` (default: ``settings.index``), or
        the database when ``settings.database_url`` is set.

        An index folder's build is checked against its manifest's checksums and for
        consistency, and one that a newer build replaced while it was read is not an
        error: the new one is read (see ``FolderIndex.open``).

        Raises:
            IndexFolderError: No index, a corrupt one, or one built with another model.
            DatabaseError: The database cannot be used (the message says why).
        """
        settings = settings or get_settings()
        if index_dir is not None:
            settings = settings.model_copy(update={"index": index_dir})
        index = open_reader(settings)
        manifest = index.manifest
        emb = embedder or make_embedder(settings.embedder, settings.embed_batch)
        if emb.model_id != manifest.model_id:
            raise IndexFolderError(
                f"{index.location}: built with model '{manifest.model_id}' but the current "
                f"model is '{emb.model_id}'; rebuild with 'granska index --full'"
            )
        return cls(index, emb, settings)

    @property
    def documents(self) -> Mapping[str, Document]:
        return self.index.documents

    @property
    def findings(self) -> list[Finding]:
        """The findings of the indexed documents (read once, when first asked for)."""
        return self.index.findings()

    @property
    def model_id(self) -> str:
        return self.manifest.model_id

    @property
    def built_at(self) -> datetime:
        return self.manifest.built_at

    @property
    def n_chunks(self) -> int:
        return self.manifest.n_chunks

    @property
    def municipalities(self) -> list[str]:
        return self._facets[0]

    @property
    def years(self) -> list[int]:
        return self._facets[1]

    @property
    def doc_types(self) -> list[str]:
        return self._facets[2]

    def document(self, doc: str) -> Document:
        try:
            return self.index.documents[doc]
        except KeyError:
            raise IndexFolderError(
                f"'{doc}' is not in the index; rebuild with 'granska index'"
            ) from None

    def knows(self, word: str) -> bool:
        """Whether ``word`` occurs in the indexed text (case-insensitive)."""
        return self.index.knows(word)

    def is_template(self, sentence: str) -> bool:
        """Whether ``sentence`` recurs verbatim in reports of several municipalities
        (see ``templates.py``). The first call reads every document once."""
        return sentence_key(sentence) in self.index.template_keys()

    def _query_vector(self, text: str) -> np.ndarray:
        """The query's embedding; an answer searching the same question once per
        municipality embeds it once."""
        cache = self._qvecs
        if text not in cache:
            if len(cache) >= 64:
                cache.pop(next(iter(cache)))
            cache[text] = self.embedder.embed_query(text)
        return cache[text]

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
        keywords = text
        if info.lang == "en":
            # The glossary's Swedish terms go to both retrievers: BM25 cannot match an
            # English word in a Swedish report at all, and the multilingual embedder finds
            # the Swedish passages more often when the query carries the reports' own words
            # (dev set, English questions: hit@1 0.472 -> 0.528; held-out test split
            # 0.528 -> 0.583).
            keywords = f"{text} {swedish_terms(text)}".strip()
        qvec = self._query_vector(keywords) if retriever != "bm25" else None
        depth = max(50, 5 * k)
        places = self.municipalities if info.across_places and not active.municipality else []
        if len(places) > 1:
            per_place = [
                self._rank(
                    qvec,
                    keywords,
                    active.merged(Filters(municipality=[m])),
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
            ordered, raw = self._rank(qvec, keywords, active, retriever, depth)
            if info.wants_set:
                docs = self.index.chunks(row for row, _ in ordered)
                ordered = _diversify(ordered, [docs[row].doc for row, _ in ordered])
        hits = []
        top = self.index.chunks(row for row, _ in ordered[:k])
        copies = self._copies(top)
        for rank, (row, score) in enumerate(ordered[:k], start=1):
            scores = {name: raw[name][row] for name in raw if row in raw[name]}
            hits.append(
                Hit(
                    chunk=top[row],
                    score=score,
                    rank=rank,
                    retrievers=sorted(scores),
                    copies=copies.get(row, []),
                    scores=scores,
                )
            )
        return hits

    def _rank(
        self,
        qvec: np.ndarray | None,
        keywords: str,
        filters: Filters,
        retriever: str,
        depth: int,
    ) -> tuple[list[tuple[int, float]], dict[str, dict[int, float]]]:
        """Fused, collapsed ranking of rows, and the raw score of each row per retriever."""
        rankings: dict[str, list[int]] = {}
        raw: dict[str, dict[int, float]] = {}
        if qvec is not None:
            found = self.index.dense(qvec, depth, filters)
            rankings["dense"] = [row for row, _ in found]
            raw["dense"] = dict(found)
        if retriever in ("bm25", "hybrid"):
            found = self.index.keyword(keywords, depth, filters)
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

    def _collapse(self, ordered: list[tuple[int, float]]) -> list[tuple[int, float]]:
        chunks = self.index.chunks(row for row, _ in ordered)
        seen: set[str] = set()
        out = []
        for row, score in ordered:
            group = chunks[row].group
            if group:
                if group in seen:
                    continue
                seen.add(group)
            out.append((row, score))
        return out

    def _copies(self, top: dict[int, Chunk]) -> dict[int, list[CopyRef]]:
        """Where else each hit's near-duplicate group stands (one look-up for all hits)."""
        groups = self.index.group_rows(sorted({c.group for c in top.values() if c.group}))
        others = self.index.chunks(r for rows in groups.values() for r in rows)
        out: dict[int, list[CopyRef]] = {}
        for row, chunk in top.items():
            if chunk.group:
                out[row] = [
                    CopyRef(
                        doc=c.doc, start=c.start, end=c.end, page=c.page, section=c.section_path
                    )
                    for c in (others[r] for r in groups.get(chunk.group, []) if r != row)
                ]
        return out


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

"""The PostgreSQL back end behind the storage interface: one generation, read on demand.

A reader resolves ``granska.current`` once, when it opens, and answers from that
generation until it is opened again; a build that switches the pointer meanwhile keeps
the previous generation's tables, so an open reader is never cut off by one rebuild.
Only the analyzer's word list and the document facets are held in memory; chunks,
vectors, keyword statistics and document texts stay in the database.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence, ValuesView
from typing import TYPE_CHECKING, Any

import numpy as np

from assistant.models import Chunk, Document, Filters, Finding
from assistant.search.bm25 import MAX_QUERY_TOKENS, KeywordOptions, SwedishAnalyzer
from assistant.settings import Settings
from assistant.store import pg_bm25
from assistant.store.folder import Manifest
from assistant.store.postgres import (
    DatabaseError,
    NoIndexYet,
    Where,
    check_schema,
    connect,
    guarded,
    live_generation,
    table,
    where,
)

if TYPE_CHECKING:
    import psycopg

CHUNK_CACHE = 20_000
# Exact search ranks as FAISS's IndexFlatIP does: by inner product, ties by the higher row.
_EXACT = (
    "SELECT c.row, -(c.embedding <#> %(q)s) FROM {} c WHERE {} "
    "ORDER BY c.embedding <#> %(q)s, c.row DESC LIMIT %(k)s"
)
# Approximate search walks the HNSW graph (cosine; iterative scans keep going until k rows
# pass the filter, up to hnsw.max_scan_tuples).
_HNSW = (
    "SELECT c.row, 1 - (c.embedding <=> %(q)s) FROM {} c WHERE {} "
    "ORDER BY c.embedding <=> %(q)s LIMIT %(k)s"
)


class PgIndex:
    """One live generation of the shared index."""

    def __init__(
        self,
        conn: psycopg.Connection,
        target: Where,
        generation: int,
        manifest: Manifest,
        stats: dict[str, Any],
        settings: Settings,
    ) -> None:
        self.conn = conn
        self.target = target
        self.generation = generation
        self._manifest = manifest
        self.stats = stats
        self.settings = settings
        self._lock = threading.RLock()
        self._chunks: dict[int, Chunk] = {}
        self._templates: frozenset[str] | None = None
        self._findings: list[Finding] | None = None
        self._chunks_table = table(generation, "chunks")
        with self._guard():
            words = conn.execute(
                _sql("SELECT word FROM {}").format(table(generation, "words"))
            ).fetchall()
            # Queries are analysed with the keyword options the generation was built with.
            options = KeywordOptions.from_signature(stats.get("keywords"))
            self.analyzer = SwedishAnalyzer((w for (w,) in words), options)
            rows = conn.execute(
                _sql("SELECT doc, municipality, year, doc_type FROM {} ORDER BY pos").format(
                    table(generation, "documents")
                )
            ).fetchall()
            conn.execute(
                "SELECT set_config('hnsw.ef_search', %s, false)", (str(settings.pg_ef_search),)
            )
            conn.execute("SELECT set_config('hnsw.iterative_scan', 'strict_order', false)")
            # Plan every search for its own terms and filter: a generic plan cannot see
            # how rare a term is and scans the whole table.
            conn.execute("SELECT set_config('plan_cache_mode', 'force_custom_plan', false)")
        self._documents = _Documents(self, [r[0] for r in rows])
        self._facets = (
            sorted({r[1] for r in rows if r[1]}),
            sorted({r[2] for r in rows if r[2]}),
            sorted({r[3] for r in rows if r[3]}),
        )

    @classmethod
    def open(cls, url: str, settings: Settings) -> PgIndex:
        """Connect and bind to the live generation.

        Raises:
            DatabaseError: Unreachable, no schema, nothing built yet, or a newer schema.
        """
        target = where(url)
        conn = connect(url)
        try:
            check_schema(conn, target)
            live = live_generation(conn, target)
            if live is None or live.manifest is None:
                raise NoIndexYet(
                    f"{target}: no index built yet; run 'granska index' with this "
                    "database as the writer role"
                )
            manifest = Manifest.model_validate(live.manifest)
            return cls(conn, target, live.id, manifest, live.stats or {}, settings)
        except BaseException:
            conn.close()
            raise

    def close(self) -> None:
        self.conn.close()

    def _guard(self) -> Any:
        return guarded(self.target)

    @property
    def location(self) -> str:
        return f"{self.target} (generation {self.generation})"

    @property
    def manifest(self) -> Manifest:
        return self._manifest

    @property
    def documents(self) -> Mapping[str, Document]:
        return self._documents

    def facets(self) -> tuple[list[str], list[int], list[str]]:
        return self._facets

    def _query(self, query: Any, params: Any = None) -> list[tuple[Any, ...]]:
        with self._lock, self._guard():
            return self.conn.execute(query, params).fetchall()

    def chunks(self, rows: Iterable[int]) -> dict[int, Chunk]:
        wanted = list(dict.fromkeys(rows))
        with self._lock:
            missing = [r for r in wanted if r not in self._chunks]
            if missing:
                found = self._query(
                    _sql("SELECT row, chunk FROM {} WHERE row = ANY(%s)").format(
                        table(self.generation, "texts")
                    ),
                    (missing,),
                )
                if len(self._chunks) + len(found) > CHUNK_CACHE:
                    # Make room, but keep the rows asked for now: clearing them too lost
                    # chunks of this very call (a KeyError in a search at 1M chunks).
                    self._chunks = {r: self._chunks[r] for r in wanted if r in self._chunks}
                for row, data in found:
                    self._chunks[row] = Chunk.model_validate(data)
            return {r: self._chunks[r] for r in wanted if r in self._chunks}

    def group_rows(self, groups: Sequence[str]) -> dict[str, list[int]]:
        if not groups:
            return {}
        out: dict[str, list[int]] = {g: [] for g in groups}
        for group, row in self._query(
            _sql('SELECT "group", row FROM {} WHERE "group" = ANY(%s) ORDER BY row').format(
                self._chunks_table
            ),
            (list(groups),),
        ):
            out[group].append(row)
        return out

    def dense(self, qvec: np.ndarray, k: int, filters: Filters) -> list[tuple[int, float]]:
        q = np.ascontiguousarray(qvec, dtype=np.float32).reshape(-1)
        if q.shape[0] != self._manifest.dim:
            raise DatabaseError(
                f"{self.target}: query vector has size {q.shape[0]} but the index has "
                f"{self._manifest.dim}; rebuild with the current embedder (granska index --full)"
            )
        if k < 1:
            return []
        cond, params = filter_sql(filters)
        params.update({"q": q, "k": k})
        if self.hnsw:
            found = self._rows(_HNSW, cond, params)
            if len(found) >= k or filters.is_empty():
                return found
            # The graph search gave up before k rows passed the filter: scan them exactly.
            count = self._query(
                _sql("SELECT count(*) FROM {} c WHERE {}").format(self._chunks_table, cond),
                params,
            )[0][0]
            if count <= len(found):
                return found
            with self._lock, self._guard(), self.conn.transaction():
                self.conn.execute("SET LOCAL enable_indexscan = off")
                return self._rows(_EXACT, cond, params)
        return self._rows(_EXACT, cond, params)

    def _rows(self, query: str, cond: Any, params: dict[str, Any]) -> list[tuple[int, float]]:
        rows = self._query(_sql(query).format(self._chunks_table, cond), params)
        return [(int(r), float(s)) for r, s in rows]

    @property
    def hnsw(self) -> bool:
        return self._manifest.vector_kind == "hnsw"

    def keyword(self, query: str, k: int, filters: Filters) -> list[tuple[int, float]]:
        """BM25 over every row that holds a query term, ranked exactly as ``BM25Index``.

        With many postings the rarest terms are scored first; their k-th score bounds what
        a row must reach, and rows that hold none of the terms able to reach it are skipped
        (they score below the bound, so the result is the same as scoring every row).
        """
        terms = pg_bm25.query_terms(self.analyzer, query)
        if not terms or k < 1 or not self._manifest.n_chunks:
            return []
        found = {
            term: pg_bm25.QueryTerm(term, int(i), float(np.float32(idf)), int(df))
            for term, i, idf, df in self._query(
                _sql("SELECT term, id, idf, df FROM {} WHERE term = ANY(%s)").format(
                    table(self.generation, "terms")
                ),
                (terms,),
            )
        }
        known = [found[t] for t in terms if t in found][:MAX_QUERY_TOKENS]
        if not known:
            return []
        if len(known) == 1 or sum(t.df for t in known) <= pg_bm25.PRUNE_ABOVE:
            return self._score(known, known, k, filters)
        pilot = pg_bm25.pilot_terms(known)
        first = self._score(known, pilot, k, filters)
        if len(first) < k:
            return self._score(known, known, k, filters)
        essential = pg_bm25.essential_terms(known, first[-1][1])
        if {t.id for t in essential} <= {t.id for t in pilot}:
            return first
        return self._score(known, essential, k, filters)

    def _score(
        self,
        terms: list[pg_bm25.QueryTerm],
        candidates: list[pg_bm25.QueryTerm],
        k: int,
        filters: Filters,
    ) -> list[tuple[int, float]]:
        """The top ``k`` rows holding a ``candidates`` term, scored on all ``terms``."""
        dim = int(self.stats["dim"])
        cond, params = filter_sql(filters)
        params.update(
            {"avgdl": float(self.stats["avgdl"]), "k1": pg_bm25.K1, "b": pg_bm25.B, "k": k}
        )
        params["ids"] = [t.id for t in candidates]
        for j, t in enumerate(terms):
            params[f"one{j}"] = pg_bm25.one_hot(t.id, dim)
            params[f"idf{j}"] = t.idf
        sql = pg_bm25.keyword_sql(self._chunks_table, cond, len(terms))
        # A real arrives as its shortest decimal text: back to the exact single-precision value.
        return [(int(r), float(np.float32(s))) for r, s in self._query(sql, params)]

    def knows(self, word: str) -> bool:
        return word.casefold() in self.analyzer.vocabulary

    def template_keys(self) -> frozenset[str]:
        if self._templates is None:
            rows = self._query(
                _sql("SELECT key FROM {}").format(table(self.generation, "templates"))
            )
            self._templates = frozenset(k for (k,) in rows)
        return self._templates

    def findings(self) -> list[Finding]:
        if self._findings is None:
            rows = self._query(
                _sql("SELECT finding FROM {} ORDER BY pos, ord").format(
                    table(self.generation, "findings")
                )
            )
            self._findings = [Finding.model_validate(f) for (f,) in rows]
        return self._findings

    def fetch_documents(self, names: list[str] | None) -> dict[str, Document]:
        base = "SELECT doc, document FROM {}"
        if names is None:
            rows = self._query(
                _sql(base + " ORDER BY pos").format(table(self.generation, "documents"))
            )
        else:
            rows = self._query(
                _sql(base + " WHERE doc = ANY(%s) ORDER BY pos").format(
                    table(self.generation, "documents")
                ),
                (names,),
            )
        return {doc: Document.model_validate(data) for doc, data in rows}


class _Documents(Mapping[str, Document]):
    """Document names in build order; texts are fetched when first asked for."""

    def __init__(self, index: PgIndex, names: list[str]) -> None:
        self._index = index
        self._names = names
        self._known = set(names)
        self._loaded: dict[str, Document] = {}

    def __getitem__(self, name: str) -> Document:
        if name not in self._known:
            raise KeyError(name)
        if name not in self._loaded:
            self._loaded.update(self._index.fetch_documents([name]))
        return self._loaded[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    def __contains__(self, name: object) -> bool:
        return name in self._known

    def values(self) -> ValuesView[Document]:
        if len(self._loaded) < len(self._names):
            self._loaded = self._index.fetch_documents(None)
        return {n: self._loaded[n] for n in self._names}.values()


def filter_sql(filters: Filters) -> tuple[Any, dict[str, Any]]:
    """A condition on chunk alias ``c`` and its parameters; ``TRUE`` for no filter."""
    from psycopg import sql

    parts: list[Any] = []
    params: dict[str, Any] = {}
    if filters.municipality:
        parts.append(sql.SQL("c.municipality_key = ANY(%(f_m)s)"))
        params["f_m"] = [m.casefold() for m in filters.municipality]
    if filters.year:
        parts.append(sql.SQL("c.year = ANY(%(f_y)s)"))
        params["f_y"] = list(filters.year)
    if filters.doc_type:
        parts.append(sql.SQL("c.doc_type_key = ANY(%(f_t)s)"))
        params["f_t"] = [t.casefold() for t in filters.doc_type]
    if not parts:
        return sql.SQL("TRUE"), params
    return sql.SQL(" AND ").join(parts), params


def _sql(text: str) -> Any:
    from psycopg import sql

    return sql.SQL(text)

"""Writing a generation of the shared index: its tables, indexes and the pointer switch.

``write_tables`` fills generation N's tables (documents, chunks with their vectors from the
embedding cache, chunk texts, keyword statistics, sentence keys and templates, findings)
and builds their indexes; nothing of it is visible to readers until ``publish`` marks N
live and points ``granska.current`` at it, in one transaction. ``abandon`` removes an
unfinished generation. ``pg_indexing`` decides what goes in; this module only writes.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import numpy as np

from assistant.findings.extract import FINDINGS_VERSION
from assistant.indexing import (
    BuildReport,
    _check,
    _CountingEmbedder,
    _vector_kind,
    keyword_options,
)
from assistant.ingest.corpus import INGEST_VERSION
from assistant.ingest.templates import document_place
from assistant.models import Chunk, Document, Finding
from assistant.search.embed_cache import embed_with_cache, text_hash
from assistant.search.embedders import Embedder
from assistant.settings import Settings
from assistant.store import folder as store
from assistant.store.pg_bm25 import analyze_texts, sparse_literal
from assistant.store.postgres import (
    KEEP_PREVIOUS,
    SCHEMA,
    DatabaseError,
    drop_generation_tables,
    ident,
    table,
)

if TYPE_CHECKING:
    import psycopg

HNSW_M = 16
HNSW_EF_CONSTRUCTION = 64
# Builds that are open (not live, retired, dropped or failed).
OPEN_STATES = ("planning", "embedding", "writing")


class PgEmbeddingCache:
    """The embedding cache in ``granska.embeddings``, shared by every worker.

    Rows are written in autocommit, so embeddings survive a worker that dies mid-document.
    """

    def __init__(self, conn: psycopg.Connection, model_id: str, dim: int) -> None:
        self.conn = conn
        self.model_id = model_id
        self.dim = dim
        self._pending: dict[str, np.ndarray] = {}

    def get(self, hashes: list[str] | Any) -> dict[str, np.ndarray]:
        wanted = list(dict.fromkeys(hashes))
        found = {h: self._pending[h] for h in wanted if h in self._pending}
        rows = self.conn.execute(
            f"SELECT hash, embedding FROM {SCHEMA}.embeddings "
            "WHERE model_id = %s AND hash = ANY(%s)",
            (self.model_id, wanted),
        ).fetchall()
        for h, vec in rows:
            found[h] = np.asarray(vec.to_numpy(), dtype=np.float32)
        return found

    def put(self, hashes: list[str] | Any, vectors: np.ndarray) -> None:
        vecs = np.asarray(vectors, dtype=np.float32)
        if vecs.shape != (len(hashes), self.dim) or not np.isfinite(vecs).all():
            raise DatabaseError(
                f"embedder '{self.model_id}' returned vectors of shape {vecs.shape} "
                f"(expected ({len(hashes)}, {self.dim}), finite)"
            )
        for h, v in zip(hashes, vecs, strict=True):
            self._pending.setdefault(h, v)

    def save(self) -> None:
        if not self._pending:
            return
        with self.conn.cursor() as cur:
            cur.executemany(
                f"INSERT INTO {SCHEMA}.embeddings (model_id, hash, embedding) "
                "VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
                [(self.model_id, h, v) for h, v in self._pending.items()],
            )
        self._pending.clear()


@dataclass
class NewDocument:
    """A document read in this build, at position ``pos``, with what it yields besides
    chunks: its sentence keys (templates) and its findings."""

    pos: int
    document: Document
    sentences: list[str]
    findings: list[Finding]


@dataclass
class Job:
    """The fixed set-up of one build, shared with the workers through its generation."""

    generation: int
    model_id: str
    dim: int
    chunk_words: int
    meta_hash: str


def write_tables(
    conn: psycopg.Connection,
    settings: Settings,
    emb: Embedder,
    job: Job,
    chunks: list[Chunk],
    new_docs: list[NewDocument],
    kept: list[tuple[str, int]],
    entries: dict[str, store.DocEntry],
    previous: int | None,
    report: BuildReport,
    cancel: threading.Event | None = None,
) -> tuple[store.Manifest, dict[str, Any]]:
    """Write generation ``job.generation``: new documents (with their sentence keys),
    documents kept from ``previous``, every chunk with its vector from the embedding
    cache, and the keyword statistics; then the indexes. Returns the manifest and the
    keyword statistics that ``publish`` records."""
    n = job.generation
    options = keyword_options(settings)
    keywords = analyze_texts([c.index_text for c in chunks], options)
    kind = _vector_kind(len(chunks), settings)
    _create_tables(conn, n, job.dim)
    sql = _psycopg_sql()
    with conn.transaction():
        with conn.cursor().copy(
            sql_text(
                "COPY {} (pos, doc, sha256, size, mtime_ns, n_chunks, municipality, year, "
                "doc_type, document) FROM STDIN"
            ).format(table(n, "documents"))
        ) as copy:
            for new in new_docs:
                pos, doc = new.pos, new.document
                e = entries[doc.doc]
                m = doc.meta
                copy.write_row(
                    (
                        pos,
                        doc.doc,
                        e.sha256,
                        e.size,
                        e.mtime_ns,
                        e.chunks,
                        m.municipality,
                        m.year,
                        m.doc_type,
                        doc.model_dump_json(),
                    )
                )
        if kept and previous is not None:
            names = [k for k, _ in kept]
            conn.execute(
                sql_text(
                    "INSERT INTO {} (pos, doc, sha256, size, mtime_ns, n_chunks, municipality, "
                    "year, doc_type, document) SELECT m.pos, p.doc, p.sha256, m.size, m.mtime, "
                    "p.n_chunks, p.municipality, p.year, p.doc_type, p.document FROM {} p "
                    "JOIN unnest(%s::text[], %s::int[], %s::bigint[], %s::bigint[]) "
                    "AS m(doc, pos, size, mtime) ON m.doc = p.doc"
                ).format(table(n, "documents"), table(previous, "documents")),
                (
                    names,
                    [p for _, p in kept],
                    [entries[k].size for k in names],
                    [entries[k].mtime_ns for k in names],
                ),
            )
            conn.execute(
                sql_text(
                    "INSERT INTO {} (key, place, doc) SELECT key, place, doc FROM {} s "
                    "WHERE s.doc = ANY(%s)"
                ).format(table(n, "sentences_all"), table(previous, "sentences_all")),
                (names,),
            )
            conn.execute(
                sql_text(
                    "INSERT INTO {} (pos, ord, finding) SELECT m.pos, f.ord, f.finding "
                    "FROM {} f JOIN {} d ON d.pos = f.pos "
                    "JOIN unnest(%s::text[], %s::int[]) AS m(doc, pos) ON m.doc = d.doc"
                ).format(
                    table(n, "findings"), table(previous, "findings"), table(previous, "documents")
                ),
                (names, [p for _, p in kept]),
            )
        with conn.cursor().copy(
            sql_text("COPY {} (key, place, doc) FROM STDIN").format(table(n, "sentences_all"))
        ) as copy:
            for new in new_docs:
                place = document_place(new.document)
                for key in dict.fromkeys(new.sentences):
                    copy.write_row((key, place, new.document.doc))
        with conn.cursor().copy(
            sql_text("COPY {} (pos, ord, finding) FROM STDIN").format(table(n, "findings"))
        ) as copy:
            for new in new_docs:
                for i, f in enumerate(new.findings):
                    copy.write_row((new.pos, i, f.model_dump_json()))
        conn.execute(
            sql_text(
                "INSERT INTO {} (key) SELECT key FROM {} GROUP BY key "
                "HAVING count(DISTINCT place) > 1"
            ).format(table(n, "templates"), table(n, "sentences_all"))
        )
        counted = conn.execute(
            sql_text("SELECT count(*) FROM {}").format(table(n, "findings"))
        ).fetchone()
        report.findings = int(counted[0]) if counted else 0
    _check(cancel)
    with conn.transaction():
        conn.execute(
            sql_text(
                'CREATE TEMP TABLE stage (row int, id text, doc text, "group" text, '
                "municipality_key text, year int, doc_type_key text, hash text, chunk jsonb, "
                "terms sparsevec, term_ids int4[], doc_len int) ON COMMIT DROP"
            )
        )
        with conn.cursor().copy(
            'COPY stage (row, id, doc, "group", municipality_key, year, doc_type_key, hash, '
            "chunk, terms, term_ids, doc_len) FROM STDIN"
        ) as copy:
            for row, c in enumerate(chunks):
                tf = keywords.tf[row]
                copy.write_row(
                    (
                        row,
                        c.id,
                        c.doc,
                        c.group,
                        (c.municipality or "").casefold(),
                        c.year or 0,
                        (c.doc_type or "").casefold(),
                        text_hash(c.index_text),
                        c.model_dump_json(),
                        sparse_literal(tf, keywords.dim),
                        sorted(tf),
                        keywords.doc_len[row],
                    )
                )
        missing = conn.execute(
            f"SELECT DISTINCT s.hash FROM stage s LEFT JOIN {SCHEMA}.embeddings e "
            "ON e.model_id = %s AND e.hash = s.hash WHERE e.hash IS NULL",
            (job.model_id,),
        ).fetchall()
        if missing:
            # Cached vectors gone (the cache table was pruned): embed those texts again.
            lost = {h for (h,) in missing}
            texts = [c.index_text for c in chunks if text_hash(c.index_text) in lost]
            counting = _CountingEmbedder(emb)
            embed_with_cache(counting, texts, PgEmbeddingCache(conn, job.model_id, job.dim))
            report.embedded += counting.count
        conn.execute(
            sql_text(
                'INSERT INTO {} SELECT s.row, s.id, s.doc, s."group", s.municipality_key, '
                "s.year, s.doc_type_key, s.hash, e.embedding::vector({}), s.terms, "
                "s.term_ids, s.doc_len FROM stage s JOIN {}.embeddings e "
                "ON e.model_id = %s AND e.hash = s.hash ORDER BY s.row"
            ).format(table(n, "chunks"), sql.Literal(job.dim), ident(SCHEMA)),
            (job.model_id,),
        )
        conn.execute(
            sql_text("INSERT INTO {} SELECT row, chunk FROM stage ORDER BY row").format(
                table(n, "texts")
            )
        )
        with conn.cursor().copy(
            sql_text("COPY {} (term, id, df, idf) FROM STDIN").format(table(n, "terms"))
        ) as copy:
            for i, term in enumerate(keywords.terms):
                copy.write_row((term, i, keywords.df[i], float(keywords.idf[i])))
        with conn.cursor().copy(
            sql_text("COPY {} (word) FROM STDIN").format(table(n, "words"))
        ) as copy:
            for word in sorted(keywords.vocabulary):
                copy.write_row((word,))
    _check(cancel)
    _index_tables(conn, n, kind)
    manifest = store.Manifest(
        model_id=job.model_id,
        dim=job.dim,
        normalized=emb.normalized,
        chunk_words=job.chunk_words,
        meta_hash=job.meta_hash,
        vector_kind=kind,
        built_at=datetime.now(UTC),
        documents=entries,
        n_chunks=len(chunks),
        findings_version=FINDINGS_VERSION,
        ingest_version=INGEST_VERSION,
    )
    stats = {
        "dim": keywords.dim,
        "avgdl": keywords.avgdl,
        "n_terms": len(keywords.terms),
        "keywords": options.signature(),
    }
    return manifest, stats


def _create_tables(conn: psycopg.Connection, n: int, dim: int) -> None:
    sql = _psycopg_sql()
    statements = [
        "CREATE TABLE {documents} (pos int PRIMARY KEY, doc text NOT NULL UNIQUE, "
        "sha256 text NOT NULL, size bigint NOT NULL, mtime_ns bigint NOT NULL, "
        "n_chunks int NOT NULL, municipality text, year int, doc_type text, "
        "document jsonb NOT NULL)",
        # What searches read, kept inline (no TOAST look-ups in a scan); the chunks
        # themselves, fetched only for the hits, live in {texts}.
        "CREATE TABLE {chunks} (row int PRIMARY KEY, id text NOT NULL, doc text NOT NULL, "
        '"group" text, municipality_key text NOT NULL, year int NOT NULL, '
        "doc_type_key text NOT NULL, hash text NOT NULL, "
        "embedding vector({dim}) STORAGE PLAIN NOT NULL, terms sparsevec STORAGE MAIN NOT NULL, "
        "term_ids int4[] STORAGE MAIN NOT NULL, doc_len int NOT NULL) "
        "WITH (toast_tuple_target = 8160)",
        "CREATE TABLE {texts} (row int PRIMARY KEY, chunk jsonb NOT NULL)",
        "CREATE TABLE {terms} (term text PRIMARY KEY, id int NOT NULL, df int NOT NULL, "
        "idf real NOT NULL)",
        "CREATE TABLE {words} (word text PRIMARY KEY)",
        "CREATE TABLE {sentences_all} (key text NOT NULL, place text NOT NULL, doc text NOT NULL)",
        "CREATE TABLE {templates} (key text PRIMARY KEY)",
        "CREATE TABLE {findings} (pos int NOT NULL, ord int NOT NULL, finding jsonb NOT NULL, "
        "PRIMARY KEY (pos, ord))",
    ]
    parts = {
        p: table(n, p)
        for p in (
            "documents",
            "chunks",
            "texts",
            "terms",
            "words",
            "sentences_all",
            "templates",
            "findings",
        )
    }
    with conn.transaction():
        for stmt in statements:
            conn.execute(sql_text(stmt).format(dim=sql.Literal(dim), **parts))


def _index_tables(conn: psycopg.Connection, n: int, kind: str) -> None:
    chunks = table(n, "chunks")
    for stmt in (
        "CREATE INDEX ON {} USING gin (term_ids)",
        'CREATE INDEX ON {} ("group") WHERE "group" IS NOT NULL',
        "CREATE INDEX ON {} (municipality_key)",
        "CREATE INDEX ON {} (year)",
        "CREATE INDEX ON {} (doc_type_key)",
        "CREATE INDEX ON {} (doc)",
    ):
        conn.execute(sql_text(stmt).format(chunks))
    if kind == "hnsw":
        # HNSW builds far faster when the graph fits in memory (unless the server has more).
        conn.execute(
            "SELECT set_config('maintenance_work_mem', '1GB', false) WHERE "
            "pg_size_bytes(current_setting('maintenance_work_mem')) < pg_size_bytes('1GB')"
        )
        conn.execute(
            sql_text(
                "CREATE INDEX ON {} USING hnsw (embedding vector_cosine_ops) "
                "WITH (m = {}, ef_construction = {})"
            ).format(
                chunks, _psycopg_sql().Literal(HNSW_M), _psycopg_sql().Literal(HNSW_EF_CONSTRUCTION)
            )
        )
        conn.execute("RESET maintenance_work_mem")
    conn.execute(sql_text("CREATE INDEX ON {} (doc)").format(table(n, "sentences_all")))
    for part in ("documents", "chunks", "texts", "terms", "words", "templates"):
        conn.execute(sql_text("ANALYZE {}").format(table(n, part)))


def publish(
    conn: psycopg.Connection, n: int, manifest: store.Manifest, stats: dict[str, Any]
) -> None:
    """Mark N live and point ``current`` at it in one transaction; then drop the tables of
    generations older than the one it replaces."""
    with conn.transaction():
        conn.execute(f"UPDATE {SCHEMA}.generations SET state = 'retired' WHERE state = 'live'")
        conn.execute(
            f"UPDATE {SCHEMA}.generations SET state = 'live', manifest = %s, stats = %s, "
            "finished_at = now() WHERE id = %s",
            (manifest.model_dump_json(), json.dumps(stats), n),
        )
        conn.execute(
            f"INSERT INTO {SCHEMA}.current (one, generation) VALUES (true, %s) "
            "ON CONFLICT (one) DO UPDATE SET generation = excluded.generation",
            (n,),
        )
        conn.execute(f"DELETE FROM {SCHEMA}.work WHERE generation = %s", (n,))
    old = conn.execute(
        f"SELECT id FROM {SCHEMA}.generations WHERE state = 'retired' ORDER BY id DESC OFFSET %s",
        (KEEP_PREVIOUS,),
    ).fetchall()
    for (gid,) in old:
        with conn.transaction():
            drop_generation_tables(conn, gid)
            conn.execute(f"UPDATE {SCHEMA}.generations SET state = 'dropped' WHERE id = %s", (gid,))


def abandon(conn: psycopg.Connection, n: int) -> None:
    """Undo an unfinished generation (cancel, error); the live one stays as it was."""
    if conn.closed:
        return
    from psycopg.pq import TransactionStatus

    if conn.info.transaction_status != TransactionStatus.IDLE:  # roll back what was half done
        conn.rollback()
    with conn.transaction():
        drop_generation_tables(conn, n)
        conn.execute(f"DELETE FROM {SCHEMA}.work WHERE generation = %s", (n,))
        conn.execute(
            f"UPDATE {SCHEMA}.generations SET state = 'failed', finished_at = now() WHERE id = %s",
            (n,),
        )


def clear_dead_builds(conn: psycopg.Connection) -> None:
    """Generations left open by a build that died (we hold the lock, so none is running)."""
    for (gid,) in conn.execute(
        f"SELECT id FROM {SCHEMA}.generations WHERE state = ANY(%s)", (list(OPEN_STATES),)
    ).fetchall():
        abandon(conn, gid)


def sql_text(text: str) -> Any:
    from psycopg import sql

    return sql.SQL(text)


def _psycopg_sql() -> Any:
    from psycopg import sql

    return sql

"""Build the shared index in PostgreSQL: incremental, shared by several workers, atomic.

The first ``granska index`` takes the build lock (a session advisory lock, released by
the server even when the process is killed), plans like the index folder (new, changed,
removed documents by size, mtime and hash), and puts the documents that need reading,
chunking and embedding in a work queue. Every ``granska index`` pointed at the same
database while the queue is open joins as a worker: each claims one document at a time
with ``FOR UPDATE SKIP LOCKED``, holds the row lock while it works (a worker that dies
hands its document back), embeds only text the embedding cache (``granska.embeddings``)
lacks, and stores the chunks in the queue row. When the queue is empty, the lock holder
writes generation N's tables and switches ``granska.current`` to N in one transaction.
Readers never see generation N before that commit; a build killed at any moment leaves
the live generation as it was, and the next build clears what the dead one left.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from assistant.errors import DocumentError, IndexFolderError
from assistant.findings.extract import FINDINGS_VERSION, extract_findings
from assistant.indexing import (
    BuildProgress,
    BuildReport,
    IndexStatus,
    ProgressFn,
    _check,
    _CountingEmbedder,
    _forget,
    _meta_hash,
    _plan,
    keyword_options,
)
from assistant.ingest.chunking import chunk_document
from assistant.ingest.corpus import INGEST_VERSION, read_document
from assistant.ingest.dedup import assign_groups
from assistant.ingest.metadata import load_metadata
from assistant.ingest.templates import sentence_keys
from assistant.models import Chunk, DocMeta, Document, Finding
from assistant.search.bm25 import keywords_record
from assistant.search.embed_cache import embed_with_cache
from assistant.search.embedders import Embedder, make_embedder
from assistant.settings import Settings
from assistant.store import folder as store
from assistant.store.pg_writer import (
    OPEN_STATES,
    Job,
    NewDocument,
    PgEmbeddingCache,
    abandon,
    clear_dead_builds,
    publish,
    write_tables,
)
from assistant.store.postgres import (
    SCHEMA,
    DatabaseError,
    SchemaInfo,
    Where,
    can_write,
    check_schema,
    connect,
    guarded,
    ident,
    live_generation,
    table,
    try_build_lock,
    where,
)

if TYPE_CHECKING:
    import psycopg

POLL = 0.2


@dataclass
class DatabaseBuildReport(BuildReport):
    """A build in the database: its generation and the documents this process embedded."""

    generation: int = 0
    processed: list[str] = field(default_factory=list)


@dataclass
class WorkerReport(DatabaseBuildReport):
    """What a process that joined another's build did."""

    def summary(self) -> str:
        return (
            f"Joined build {self.generation} as a worker: {len(self.processed)} documents, "
            f"{self.embedded} chunks embedded, {self.reused} from cache in {self.seconds:.1f} s"
        )


def build_database(
    settings: Settings,
    embedder: Embedder | None = None,
    progress: ProgressFn | None = None,
    cancel: threading.Event | None = None,
    full: bool = False,
) -> BuildReport:
    """Build or update the shared index at ``settings.database_url``, or join the build
    that is running there as a worker.

    Raises:
        DatabaseError: Unreachable, no schema, a read-only role, or another build that
            cannot be joined.
        IndexFolderError: The corpus folder is missing or holds nothing readable.
        BuildCancelled: ``cancel`` was set; the live generation is untouched.
    """
    assert settings.database_url is not None
    started = time.perf_counter()
    notify = progress or (lambda _p: None)
    if not settings.corpus.is_dir():
        raise IndexFolderError(
            f"{settings.corpus}: corpus folder not found; create it or pass --corpus DIR"
        )
    url = settings.database_url
    target = where(url)
    conn = connect(url, application="granska index")
    try:
        info = check_schema(conn, target)
        _become_writer(conn, target, info)
        deadline = time.monotonic() + settings.pg_join_wait
        while True:
            _check(cancel)
            with guarded(target):
                if try_build_lock(conn):
                    return _coordinate(
                        conn, target, info, settings, embedder, notify, cancel, full, started
                    )
                open_build = conn.execute(
                    f"SELECT id, state, stats FROM {SCHEMA}.generations "
                    "WHERE state = ANY(%s) ORDER BY id DESC LIMIT 1",
                    (list(OPEN_STATES),),
                ).fetchone()
            if open_build and open_build[1] == "embedding":
                return _join(
                    conn, target, info, settings, embedder, notify, cancel, open_build, started
                )
            if time.monotonic() >= deadline or (open_build and open_build[1] == "writing"):
                what = f"generation {open_build[0]}, {open_build[1]}" if open_build else "starting"
                raise DatabaseError(
                    f"{target}: another build is running ({what}) and cannot be joined now; "
                    "wait for it to finish and run 'granska index' again"
                )
            time.sleep(POLL)
    finally:
        conn.close()


def _become_writer(conn: psycopg.Connection, target: Where, info: SchemaInfo) -> None:
    """Act as the writer role (so that every table belongs to it), or explain why not."""
    with guarded(target):
        standby = conn.execute("SELECT pg_is_in_recovery()").fetchone()
        if standby and standby[0]:
            raise DatabaseError(
                f"{target}: this server is a read-only replica; build against the primary"
            )
        member = conn.execute("SELECT pg_has_role(%s, 'MEMBER')", (info.writer,)).fetchone()
        if member and member[0]:
            conn.execute(_sql("SET ROLE {}").format(ident(info.writer)))
        if not can_write(conn):
            user = conn.execute("SELECT session_user").fetchone()
            raise DatabaseError(
                f"{target}: role '{user[0] if user else target.user}' may only read the index; "
                f"build as the writer role '{info.writer}' (see 'granska db init')"
            )


def _coordinate(
    conn: psycopg.Connection,
    target: Where,
    info: SchemaInfo,
    settings: Settings,
    embedder: Embedder | None,
    notify: ProgressFn,
    cancel: threading.Event | None,
    full: bool,
    started: float,
) -> BuildReport:
    with guarded(target):
        clear_dead_builds(conn)
        live = live_generation(conn, target)
    old_manifest = store.Manifest.model_validate(live.manifest) if live and live.manifest else None
    meta = load_metadata(settings.corpus)
    meta_hash = _meta_hash(meta)
    emb = embedder or make_embedder(settings.embedder, settings.embed_batch)
    same_setup = old_manifest is not None and (
        old_manifest.model_id == emb.model_id
        and old_manifest.chunk_words == settings.chunk_words
        and old_manifest.meta_hash == meta_hash
        and old_manifest.ingest_version == INGEST_VERSION
    )
    plan = _plan(settings.corpus, old_manifest if same_setup and not full else None)
    report = DatabaseBuildReport(added=plan.added, changed=plan.changed, removed=plan.removed)
    unchanged = not (plan.added or plan.changed or plan.removed)
    # Findings are extracted with their document: when the extractor changed, every
    # document goes through the queue again (its text embeds nothing new).
    findings_current = (
        old_manifest is not None and old_manifest.findings_version == FINDINGS_VERSION
    )
    # The keyword statistics are written whole by each build: other options, a new build.
    keywords_current = (
        live is not None
        and keywords_record(live.stats or {}) == keyword_options(settings).signature()
    )
    current = findings_current and keywords_current
    if live and old_manifest and same_setup and not full and unchanged and current:
        report.noop = True
        report.documents = len(old_manifest.documents)
        report.chunks = old_manifest.n_chunks
        report.seconds = time.perf_counter() - started
        notify(BuildProgress("done", 1, 1, message=report.summary()))
        return report
    reuse = set(plan.unchanged) if same_setup and live and findings_current else set()
    todo = [n for n in sorted(plan.files) if n not in reuse]
    job = Job(0, emb.model_id, emb.dim, settings.chunk_words, meta_hash)
    with guarded(target):
        row = conn.execute(
            f"INSERT INTO {SCHEMA}.generations (state, coordinator, stats) "
            "VALUES ('planning', %s, %s) RETURNING id",
            (_worker_name(), json.dumps(job.__dict__)),
        ).fetchone()
        assert row is not None
        job.generation = report.generation = int(row[0])
    try:
        with guarded(target), conn.transaction():
            with conn.cursor().copy(
                f"COPY {SCHEMA}.work (generation, doc, sha256, state) FROM STDIN"
            ) as copy:
                for name in todo:
                    copy.write_row((job.generation, name, "", "pending"))
            conn.execute(
                f"UPDATE {SCHEMA}.generations SET stats = %s, state = 'embedding' WHERE id = %s",
                (json.dumps(job.__dict__), job.generation),
            )
        processed, embedded, reused = _work(
            conn, target, settings, emb, meta, job, notify, cancel, True
        )
        report.processed = processed
        report.embedded, report.reused = embedded, reused
        _check(cancel)
        notify(BuildProgress("write", 0, 1, message="writing index"))
        with guarded(target):
            conn.execute(
                f"UPDATE {SCHEMA}.generations SET state = 'writing' WHERE id = %s",
                (job.generation,),
            )
            manifest, stats = _write_generation(
                conn, settings, emb, job, plan, reuse, live.id if live else None, report, cancel
            )
            _check(cancel)
            publish(conn, job.generation, manifest, stats)
    except BaseException:
        with contextlib.suppress(Exception):  # the next build clears it in any case
            abandon(conn, job.generation)
        raise
    report.documents = len(manifest.documents)
    report.chunks = manifest.n_chunks
    report.seconds = time.perf_counter() - started
    notify(BuildProgress("done", 1, 1, message=report.summary()))
    return report


def _join(
    conn: psycopg.Connection,
    target: Where,
    info: SchemaInfo,
    settings: Settings,
    embedder: Embedder | None,
    notify: ProgressFn,
    cancel: threading.Event | None,
    open_build: tuple[Any, ...],
    started: float,
) -> WorkerReport:
    stats = open_build[2] or {}
    job = Job(
        int(open_build[0]),
        str(stats["model_id"]),
        int(stats["dim"]),
        int(stats["chunk_words"]),
        str(stats["meta_hash"]),
    )
    meta = load_metadata(settings.corpus)
    emb = embedder or make_embedder(settings.embedder, settings.embed_batch)
    if emb.model_id != job.model_id:
        raise DatabaseError(
            f"{target}: build {job.generation} embeds with '{job.model_id}' but this process "
            f"has '{emb.model_id}'; start the worker with the same --embedder"
        )
    if _meta_hash(meta) != job.meta_hash or settings.chunk_words != job.chunk_words:
        raise DatabaseError(
            f"{target}: build {job.generation} uses other corpus metadata or chunk size than "
            f"{settings.corpus}; point the worker at the same corpus and settings"
        )
    processed, embedded, reused = _work(
        conn, target, settings, emb, meta, job, notify, cancel, False
    )
    report = WorkerReport(generation=job.generation, processed=processed)
    report.embedded, report.reused = embedded, reused
    report.seconds = time.perf_counter() - started
    notify(BuildProgress("done", 1, 1, message=report.summary()))
    return report


def _work(
    conn: psycopg.Connection,
    target: Where,
    settings: Settings,
    emb: Embedder,
    meta: dict[str, DocMeta],
    job: Job,
    notify: ProgressFn,
    cancel: threading.Event | None,
    wait: bool,
) -> tuple[list[str], int, int]:
    """Claim and process documents until the queue is empty; with ``wait``, also until
    the documents other workers hold are done (or handed back by a dead worker)."""
    assert settings.database_url is not None
    cache_conn = connect(settings.database_url, application="granska index cache")
    me = _worker_name()
    processed: list[str] = []
    embedded = reused = 0
    try:
        with guarded(target):
            cache_conn.execute(_sql("SET ROLE {}").format(ident(_role(conn))))
            cache = PgEmbeddingCache(cache_conn, job.model_id, job.dim)
            while True:
                _check(cancel)
                with conn.transaction():
                    row = conn.execute(
                        f"SELECT doc FROM {SCHEMA}.work WHERE generation = %s "
                        "AND state = 'pending' ORDER BY doc LIMIT 1 FOR UPDATE SKIP LOCKED",
                        (job.generation,),
                    ).fetchone()
                    if row is not None:
                        name = str(row[0])
                        counting = _CountingEmbedder(emb)
                        result = _process(settings, meta, name, counting, cache, cancel)
                        conn.execute(
                            f"UPDATE {SCHEMA}.work SET state = %s, worker = %s, embedded = %s, "
                            "reason = %s, document = %s, chunks = %s, sentences = %s, "
                            "sha256 = %s, findings = %s WHERE generation = %s AND doc = %s",
                            (*result.columns(me, counting.count), job.generation, name),
                        )
                        processed.append(name)
                        embedded += counting.count
                        reused += result.n_chunks - counting.count
                if row is not None:
                    done = conn.execute(
                        f"SELECT count(*) FILTER (WHERE state <> 'pending'), count(*) "
                        f"FROM {SCHEMA}.work WHERE generation = %s",
                        (job.generation,),
                    ).fetchone()
                    assert done is not None
                    notify(BuildProgress("embed", int(done[0]), int(done[1]), doc=name))
                    continue
                if not wait:
                    break
                left = conn.execute(
                    f"SELECT count(*) FROM {SCHEMA}.work WHERE generation = %s "
                    "AND state = 'pending'",
                    (job.generation,),
                ).fetchone()
                if not left or left[0] == 0:
                    break
                time.sleep(POLL)
    finally:
        cache_conn.close()
    return processed, embedded, reused


def _role(conn: psycopg.Connection) -> str:
    row = conn.execute("SELECT current_user").fetchone()
    assert row is not None
    return str(row[0])


@dataclass
class _Result:
    document: Document | None
    chunks: list[Chunk]
    sentences: list[str]
    reason: str | None
    sha256: str
    findings: list[Finding] = field(default_factory=list)

    @property
    def n_chunks(self) -> int:
        return len(self.chunks)

    def columns(self, worker: str, embedded: int) -> tuple[Any, ...]:
        return (
            "done" if self.document is not None else "failed",
            worker,
            embedded,
            self.reason,
            self.document.model_dump_json() if self.document is not None else None,
            json.dumps([c.model_dump(mode="json") for c in self.chunks], ensure_ascii=False),
            self.sentences,
            self.sha256,
            json.dumps([f.model_dump(mode="json") for f in self.findings], ensure_ascii=False),
        )


def _process(
    settings: Settings,
    meta: dict[str, DocMeta],
    name: str,
    emb: _CountingEmbedder,
    cache: PgEmbeddingCache,
    cancel: threading.Event | None,
) -> _Result:
    """Read, chunk and embed one document (a broken document is a failed row, not an
    error: the rest of the corpus is still built)."""
    path = settings.corpus / name
    try:
        doc = read_document(
            path, settings.corpus, meta, max_bytes=int(settings.max_document_mb * 2**20)
        )
        chunks = chunk_document(doc, settings.chunk_words, settings.max_chunk_chars)
    except DocumentError as e:
        return _Result(None, [], [], e.reason, "")
    if not chunks:
        return _Result(None, [], [], "no text to index", doc.sha256)

    def on_embed(_done: int) -> None:
        _check(cancel)

    embed_with_cache(emb, [c.index_text for c in chunks], cache, settings.embed_batch, on_embed)
    return _Result(doc, chunks, sentence_keys(doc), None, doc.sha256, extract_findings(doc))


def _write_generation(
    conn: psycopg.Connection,
    settings: Settings,
    emb: Embedder,
    job: Job,
    plan: Any,
    reuse: set[str],
    previous: int | None,
    report: BuildReport,
    cancel: threading.Event | None,
) -> tuple[store.Manifest, dict[str, Any]]:
    """Create and fill generation N's tables from the previous generation (unchanged
    documents) and the work queue (the others). Nothing here is visible to readers."""
    n = job.generation
    work = {
        doc: (state, reason, document, chunks, sentences, sha, found)
        for doc, state, reason, document, chunks, sentences, sha, found in conn.execute(
            f"SELECT doc, state, reason, document, chunks, sentences, sha256, findings "
            f"FROM {SCHEMA}.work WHERE generation = %s",
            (n,),
        ).fetchall()
    }
    old_chunks: dict[str, list[Chunk]] = {}
    old_docs: dict[str, tuple[str, int]] = {}
    if reuse and previous is not None:
        for doc, data in conn.execute(
            _sql(
                "SELECT c.doc, t.chunk FROM {} c JOIN {} t USING (row) WHERE c.doc = ANY(%s) "
                "ORDER BY row"
            ).format(table(previous, "chunks"), table(previous, "texts")),
            (sorted(reuse),),
        ).fetchall():
            old_chunks.setdefault(doc, []).append(Chunk.model_validate(data))
        for doc, sha, count in conn.execute(
            _sql("SELECT doc, sha256, n_chunks FROM {} WHERE doc = ANY(%s)").format(
                table(previous, "documents")
            ),
            (sorted(reuse),),
        ).fetchall():
            old_docs[doc] = (sha, count)
    chunks: list[Chunk] = []
    entries: dict[str, store.DocEntry] = {}
    new_docs: list[NewDocument] = []
    kept: list[tuple[str, int]] = []
    for name in sorted(plan.files):
        size, mtime = plan.stats[name]
        if name in reuse and name in old_docs:
            sha, count = old_docs[name]
            doc_chunks = old_chunks.get(name, [])
            kept.append((name, len(entries)))
        else:
            state, reason, document, chunk_rows, sentences, sha, found = work[name]
            if state != "done":
                report.failed.append((name, str(reason)))
                _forget(report, name)
                continue
            doc = Document.model_validate(document)
            doc_chunks = [Chunk.model_validate(c) for c in chunk_rows]
            findings = [Finding.model_validate(f) for f in found or []]
            new_docs.append(NewDocument(len(entries), doc, list(sentences or []), findings))
            sha, count = doc.sha256, len(doc_chunks)
        entries[name] = store.DocEntry(sha256=sha, size=size, mtime_ns=mtime, chunks=count)
        chunks.extend(doc_chunks)
    if not chunks:
        raise IndexFolderError(
            f"{settings.corpus}: no readable documents (.txt, .md, .pdf, .docx) to index"
        )
    _check(cancel)
    chunks = assign_groups([c.model_copy(update={"group": None}) for c in chunks])
    return write_tables(
        conn, settings, emb, job, chunks, new_docs, kept, entries, previous, report, cancel
    )


def index_status_database(settings: Settings) -> IndexStatus:
    """What the live generation holds and which corpus files are new, changed or gone."""
    assert settings.database_url is not None
    target = where(settings.database_url)
    conn = connect(settings.database_url)
    try:
        check_schema(conn, target)
        live = live_generation(conn, target)
    finally:
        conn.close()
    folder = settings.index
    if live is None or live.manifest is None:
        return IndexStatus(exists=False, folder=folder, location=str(target))
    manifest = store.Manifest.model_validate(live.manifest)
    status = IndexStatus(
        exists=True,
        folder=folder,
        location=f"{target} (generation {live.id})",
        documents=len(manifest.documents),
        chunks=manifest.n_chunks,
        model_id=manifest.model_id,
        built_at=manifest.built_at,
    )
    status.keywords_changed = (
        keywords_record(live.stats or {}) != keyword_options(settings).signature()
    )
    if settings.corpus.is_dir():
        plan = _plan(settings.corpus, manifest)
        status.added, status.changed, status.removed = plan.added, plan.changed, plan.removed
    return status


def _worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


def _sql(text: str) -> Any:
    from psycopg import sql

    return sql.SQL(text)


def _psycopg_sql() -> Any:
    from psycopg import sql

    return sql

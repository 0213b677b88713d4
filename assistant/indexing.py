"""Build or update the index folder from the corpus folder, incrementally and safely.

Only new or changed documents are read and chunked (size and mtime first, then the
content hash); removed documents disappear; every chunk's vector comes from the embedding
cache when its text was embedded before, so unchanged text is never embedded twice. The
result is written to a fresh build folder and published atomically (see ``store.folder``).

The live build is checked in full against its manifest's checksums first: a damaged one
is rebuilt (documents are read again only when their text or chunks were damaged), so
``granska index`` repairs whatever state the index folder is in, and ``--full`` never
needs to read the previous build at all.
"""

from __future__ import annotations

import errno
import hashlib
import shutil
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import numpy as np

from assistant.errors import DocumentError, GranskaError, IndexFolderError
from assistant.findings.extract import FINDINGS_VERSION, extract_findings
from assistant.ingest.chunking import chunk_document
from assistant.ingest.corpus import INGEST_VERSION, corpus_files, read_document
from assistant.ingest.dedup import assign_groups
from assistant.ingest.metadata import load_metadata
from assistant.ingest.ocr import OcrOptions
from assistant.models import Chunk, DocMeta, Document, Finding
from assistant.search.bm25 import BM25Index, KeywordOptions, stored_keywords
from assistant.search.embed_cache import EmbeddingCache, embed_with_cache
from assistant.search.embedders import Embedder, make_embedder
from assistant.search.vectors import VectorIndex
from assistant.settings import Settings
from assistant.store import folder as store

Phase = Literal["scan", "ocr", "embed", "write", "done"]


@dataclass(frozen=True)
class BuildProgress:
    phase: Phase
    done: int
    total: int
    doc: str | None = None
    message: str = ""


ProgressFn = Callable[[BuildProgress], None]


class BuildCancelled(GranskaError):
    """The build was cancelled; the previous index is untouched."""


@dataclass
class BuildReport:
    documents: int = 0
    chunks: int = 0
    embedded: int = 0
    reused: int = 0
    findings: int = 0
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    repaired: str | None = None
    seconds: float = 0.0
    noop: bool = False
    rebuilt: str | None = None

    def summary(self) -> str:
        """One line: what the build did.

        ``rebuilt`` says why every document was read again ("full rebuild", "model
        changed", ...); the counts of new, changed and removed documents are always
        relative to the previous build, so a full rebuild of an unchanged corpus says
        "0 documents changed" rather than "+5 new".
        """
        if self.noop:
            head = f"Index up to date: {self.documents} documents, {self.chunks} chunks"
        else:
            changes = (
                f"+{len(self.added)} new, ~{len(self.changed)} changed, "
                f"-{len(self.removed)} removed"
                if self.added or self.changed or self.removed
                else "0 documents changed"
            )
            verb, why = ("Rebuilt", f"{self.rebuilt}; ") if self.rebuilt else ("Indexed", "")
            head = (
                f"{verb} {self.documents} documents, {self.chunks} chunks "
                f"({why}{changes}; {self.embedded} embedded, {self.reused} from cache)"
            )
        if self.repaired:
            head = f"Repaired the index ({self.repaired}). {head}"
        n = len(self.failed)
        tail = f"; {n} file{'s' if n != 1 else ''} skipped" if n else ""
        return f"{head}{tail} in {self.seconds:.1f} s"


@dataclass
class IndexStatus:
    exists: bool
    folder: Path
    location: str = ""  # where a database index lives (user@host:port/db), else ""
    documents: int = 0
    chunks: int = 0
    model_id: str | None = None
    built_at: datetime | None = None
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    keywords_changed: bool = False

    @property
    def stale(self) -> list[str]:
        return [*self.added, *self.changed, *self.removed]


@dataclass
class _Plan:
    files: dict[str, Path]
    stats: dict[str, tuple[int, int]]
    added: list[str]
    changed: list[str]
    removed: list[str]
    unchanged: list[str]
    hashes: dict[str, str]
    skipped: list[str] = field(default_factory=list)


class _CountingEmbedder:
    """Passes through to an embedder and counts the texts it was asked to embed."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.model_id = inner.model_id
        self.dim = inner.dim
        self.normalized = inner.normalized
        self.count = 0

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        self.count += len(texts)
        return self.inner.embed_passages(texts)

    def embed_query(self, text: str) -> np.ndarray:
        return self.inner.embed_query(text)


def cache_folder(settings: Settings) -> Path:
    return settings.index / "cache"


def ocr_options(
    settings: Settings, progress: Callable[[int, int], None] | None = None
) -> OcrOptions:
    """OCR of scanned pages, cached by file hash next to the embedding cache."""
    return OcrOptions(cache=cache_folder(settings) / "ocr", progress=progress)


def _ocr_options(
    settings: Settings, name: str, notify: ProgressFn, cancel: threading.Event | None
) -> OcrOptions:
    def progress(done: int, total: int) -> None:
        _check(cancel)
        notify(BuildProgress("ocr", done, total, doc=name, message=f"OCR {name}"))

    return ocr_options(settings, progress)


def build_index(
    settings: Settings,
    embedder: Embedder | None = None,
    progress: ProgressFn | None = None,
    cancel: threading.Event | None = None,
    full: bool = False,
) -> BuildReport:
    """Build or update ``settings.index`` from ``settings.corpus``.

    Args:
        settings: Corpus and index folders, chunk size, embedder spec, HNSW threshold.
        embedder: Use this embedder instead of ``make_embedder(settings.embedder)``.
        progress: Called (from this thread) as documents are scanned and chunks embedded.
        cancel: When set, the build stops at the next step; the old index stays live.
        full: Re-read and re-chunk every document (embeddings still come from the cache).

    Raises:
        IndexFolderError: Another build holds the lock, or the corpus folder is missing.
        BuildCancelled: ``cancel`` was set.
    """
    if settings.database_url:
        from assistant.pg_indexing import build_database

        return build_database(settings, embedder, progress, cancel, full)
    started = time.perf_counter()
    notify = progress or (lambda _p: None)
    root = settings.index
    if not settings.corpus.is_dir():
        raise IndexFolderError(
            f"{settings.corpus}: corpus folder not found; create it or pass --corpus DIR"
        )
    with store.build_lock(root):
        live = _live_build(root, full)
        previous, old_manifest = live.build, live.manifest
        meta = load_metadata(settings.corpus)
        meta_hash = _meta_hash(meta)
        emb = embedder or make_embedder(settings.embedder, settings.embed_batch)
        rebuilt = "full rebuild" if full else _setup_change(old_manifest, emb, settings, meta_hash)
        same_setup = old_manifest is not None and rebuilt is None
        # Changes are always counted against the previous build, so that a full rebuild
        # of an unchanged corpus reports "0 documents changed", not every file as new.
        unlisted: list[DocumentError] = []
        plan = _plan(settings.corpus, old_manifest, unlisted)
        report = BuildReport(
            added=plan.added, changed=plan.changed, removed=plan.removed, rebuilt=rebuilt
        )
        # A new way of reading documents may read a file that failed before: try again.
        retry = full or (old_manifest is not None and old_manifest.ingest_version != INGEST_VERSION)
        remembered = old_manifest.skipped if old_manifest and not retry else {}
        report.failed = [(n, remembered[n].reason) for n in plan.skipped if n in remembered]
        report.failed.extend((e.path, e.reason) for e in unlisted)
        report.repaired = live.damage
        # Damaged document texts are never reused: every document is read again.
        reread = full or not live.texts_ok
        unchanged = not (plan.added or plan.changed or plan.removed)
        findings_current = (
            old_manifest is not None and old_manifest.findings_version == FINDINGS_VERSION
        )
        # The BM25 vocabulary is stored in the build: other keyword options mean a new one.
        keywords_current = (
            previous is not None
            and stored_keywords(previous / "bm25") == keyword_options(settings).signature()
        )
        current = findings_current and keywords_current
        if (
            previous
            and old_manifest
            and same_setup
            and not reread
            and unchanged
            and live.ok
            and current
        ):
            store.remove_stale_builds(root, keep=previous.name)  # ones readers held before
            report.noop = True
            report.documents = len(old_manifest.documents)
            report.chunks = old_manifest.n_chunks
            report.seconds = time.perf_counter() - started
            notify(BuildProgress("done", 1, 1, message=report.summary()))
            return report

        keep_docs, keep_chunks = (
            _reusable(previous, old_manifest, plan.unchanged)
            if same_setup and not reread
            else ({}, {})
        )
        keep_findings = (
            _reusable_findings(previous, old_manifest, keep_docs) if findings_current else {}
        )
        documents: list[Document] = []
        chunks: list[Chunk] = []
        findings: list[Finding] = []
        entries: dict[str, store.DocEntry] = {}
        skipped: dict[str, store.SkippedEntry] = {}
        names = sorted(plan.files)
        for i, name in enumerate(names):
            _check(cancel)
            notify(BuildProgress("scan", i, len(names), doc=name))
            size, mtime = plan.stats[name]
            reason = ""
            if name in remembered and name in plan.skipped:
                skipped[name] = remembered[name]  # unchanged and still unreadable
                continue
            if name in keep_docs:
                doc, doc_chunks = keep_docs[name], keep_chunks[name]
            else:
                notes: list[DocumentError] = []
                cut: list[str] = []
                try:
                    doc = read_document(
                        plan.files[name],
                        settings.corpus,
                        meta,
                        _ocr_options(settings, name, notify, cancel),
                        _max_bytes(settings),
                        notes,
                    )
                    doc_chunks = chunk_document(
                        doc, settings.chunk_words, settings.max_chunk_chars, cut
                    )
                    reason = "" if doc_chunks else "no text to index"
                except DocumentError as e:
                    reason = e.reason
                if not reason and name in plan.skipped:
                    report.added.append(name)  # unreadable before, read now (new loaders)
                if reason:
                    report.failed.append((name, reason))
                    _forget(report, name)
                    skipped[name] = store.SkippedEntry(
                        sha256=plan.hashes.get(name) or _file_hash(plan.files[name]),
                        size=size,
                        mtime_ns=mtime,
                        reason=reason,
                    )
                    continue
                report.warnings.extend((n.path, n.reason) for n in notes)
                report.warnings.extend((name, w) for w in cut)
            # Findings are read from the document text, not embedded: cheap to redo when the
            # extractor changed, and reused with their document otherwise.
            doc_findings = keep_findings.get(name)
            if doc_findings is None:
                doc_findings = extract_findings(doc)
            findings.extend(doc_findings)
            entries[name] = store.DocEntry(
                sha256=doc.sha256, size=size, mtime_ns=mtime, chunks=len(doc_chunks)
            )
            documents.append(doc)
            chunks.extend(doc_chunks)
        notify(BuildProgress("scan", len(names), len(names)))
        if not chunks:
            raise IndexFolderError(
                f"{settings.corpus}: no readable documents (.txt, .md, .pdf, .docx) to index"
            )
        chunks = assign_groups([c.model_copy(update={"group": None}) for c in chunks])
        texts = [c.index_text for c in chunks]
        need = _estimate_bytes(documents, chunks, emb.dim)
        try:
            cache = EmbeddingCache(cache_folder(settings), emb.model_id, emb.dim)
        except OSError as e:
            raise _write_failure(root, e, need) from e
        if cache.dropped:
            report.warnings.append(
                (
                    "cache",
                    f"{cache.dropped} damaged cached embedding(s) ignored; their texts are "
                    "embedded again",
                )
            )

        def on_embed(done: int) -> None:
            _check(cancel)
            notify(BuildProgress("embed", done, len(texts), message="embedding"))

        counting = _CountingEmbedder(emb)
        try:
            vectors = embed_with_cache(counting, texts, cache, settings.embed_batch, on_embed)
        except OSError as e:
            raise _write_failure(root, e, need) from e
        report.embedded = counting.count
        report.reused = len(texts) - counting.count

        _check(cancel)
        notify(BuildProgress("write", 0, 1, message="writing index"))
        try:
            build = store.new_build_folder(root)
        except OSError as e:
            raise _write_failure(root, e, need) from e
        try:
            _write(build, documents, chunks, vectors, settings)
            store.write_jsonl(build / "findings.jsonl", findings)
            manifest = store.Manifest(
                model_id=emb.model_id,
                dim=emb.dim,
                normalized=emb.normalized,
                chunk_words=settings.chunk_words,
                meta_hash=meta_hash,
                vector_kind=_vector_kind(len(chunks), settings),
                built_at=datetime.now(UTC),
                documents=entries,
                n_chunks=len(chunks),
                findings_version=FINDINGS_VERSION,
                ingest_version=INGEST_VERSION,
                skipped=skipped,
            )
            store.write_manifest(build, manifest)
            _check(cancel)
            store.publish(root, build)
        except OSError as e:
            _discard(root, build)
            raise _write_failure(root, e, need) from e
        except BaseException:
            _discard(root, build)
            raise
        report.documents = len(documents)
        report.chunks = len(chunks)
        report.findings = len(findings)
        report.seconds = time.perf_counter() - started
        notify(BuildProgress("done", 1, 1, message=report.summary()))
        return report


def index_status(settings: Settings) -> IndexStatus:
    """What the index holds and which corpus files are new, changed or gone since."""
    if settings.database_url:
        from assistant.pg_indexing import index_status_database

        return index_status_database(settings)
    root = settings.index
    build = store.current_build(root) if root.is_dir() else None
    if build is None:
        return IndexStatus(exists=False, folder=root)
    manifest = store.read_manifest(build)
    status = IndexStatus(
        exists=True,
        folder=root,
        documents=len(manifest.documents),
        chunks=manifest.n_chunks,
        model_id=manifest.model_id,
        built_at=manifest.built_at,
    )
    status.keywords_changed = (
        stored_keywords(build / "bm25") != keyword_options(settings).signature()
    )
    if settings.corpus.is_dir():
        plan = _plan(settings.corpus, manifest)
        status.added, status.changed, status.removed = plan.added, plan.changed, plan.removed
        status.skipped = [(n, manifest.skipped[n].reason) for n in plan.skipped]
    return status


def _setup_change(
    old: store.Manifest | None, emb: Embedder, settings: Settings, meta_hash: str
) -> str | None:
    """Why the previous build cannot be reused, or None when it can (or there is none)."""
    if old is None:
        return None
    if old.model_id != emb.model_id:
        return "embedding model changed"
    if old.chunk_words != settings.chunk_words:
        return "chunk size changed"
    if old.meta_hash != meta_hash:
        return "metadata.toml changed"
    if old.ingest_version != INGEST_VERSION:
        return "document reading improved"
    return None


def _plan(
    corpus: Path, manifest: store.Manifest | None, unlisted: list[DocumentError] | None = None
) -> _Plan:
    """Sort the corpus files into new, changed, unchanged and removed against ``manifest``.

    A file that was skipped before (unreadable) and has not changed since goes to
    ``skipped`` instead of ``added``, so it does not count as a change. Entries that are
    not indexed at all (links out of the corpus, loops, FIFOs) go to ``unlisted``.
    """
    known = manifest.documents if manifest else {}
    bad = manifest.skipped if manifest else {}
    files = {p.relative_to(corpus).as_posix(): p for p in corpus_files(corpus, unlisted)}
    plan = _Plan(files, {}, [], [], sorted(set(known) - set(files)), [], {})
    for name, path in sorted(files.items()):
        st = path.stat()
        plan.stats[name] = (st.st_size, st.st_mtime_ns)
        entry = known.get(name) or bad.get(name)
        if entry is None:
            plan.added.append(name)
            continue
        same = (entry.size, entry.mtime_ns) == plan.stats[name]
        if not same:
            plan.hashes[name] = _file_hash(path)
            same = plan.hashes[name] == entry.sha256
        if name not in known:
            (plan.skipped if same else plan.added).append(name)
        elif same:
            plan.unchanged.append(name)
        else:
            plan.changed.append(name)
    return plan


def _reusable(
    previous: Path | None, manifest: store.Manifest | None, names: list[str]
) -> tuple[dict[str, Document], dict[str, list[Chunk]]]:
    if previous is None or manifest is None or not names:
        return {}, {}
    wanted = set(names)
    files = manifest.files
    docs = {
        d.doc: d
        for d in store.read_documents(previous, files.get(store.DOCUMENTS))
        if d.doc in wanted
    }
    chunks: dict[str, list[Chunk]] = {name: [] for name in docs}
    for c in store.read_chunks(previous, files.get(store.CHUNKS)):
        if c.doc in chunks:
            chunks[c.doc].append(c)
    return docs, chunks


def _reusable_findings(
    previous: Path | None, manifest: store.Manifest | None, keep_docs: dict[str, Document]
) -> dict[str, list[Finding]]:
    """The previous build's findings of the documents that are reused as they were."""
    if previous is None or manifest is None or not keep_docs:
        return {}
    out: dict[str, list[Finding]] = {name: [] for name in keep_docs}
    for f in store.read_findings(previous, manifest.files.get(store.FINDINGS)):
        if f.doc in out:
            out[f.doc].append(f)
    return out


@dataclass
class _Live:
    """The live build as found before a build: usable, partly damaged or absent."""

    build: Path | None = None
    manifest: store.Manifest | None = None
    damage: str | None = None  # what is wrong, for the report
    texts_ok: bool = True  # documents, chunks and findings (JSONL) can be reused

    @property
    def ok(self) -> bool:
        return self.damage is None


def _live_build(root: Path, full: bool) -> _Live:
    """The live build checked in full; damage is reported, never raised (it is rebuilt).

    With ``full`` only its manifest is read (changes are reported against it); nothing else
    of it is reused, so it is not checked either, and a damaged one is simply replaced.
    """
    if not root.is_dir():
        return _Live()
    try:
        build = store.current_build(root)
        if build is None:
            return _Live()
        manifest = store.read_manifest(build)
    except IndexFolderError as e:
        return _Live(damage=str(e).removesuffix(f"; {store.REBUILD}"), texts_ok=False)
    if full:
        return _Live(build, manifest, texts_ok=False)
    if manifest.schema_version < store.SCHEMA_VERSION:
        return _Live(
            build, manifest, damage="built by an older Granska, without checksums", texts_ok=False
        )
    damaged = store.damaged_files(build, manifest, thorough=True)
    if not damaged:
        return _Live(build, manifest)
    rel, problem = next(iter(damaged.items()))
    more = f" and {len(damaged) - 1} more file(s)" if len(damaged) > 1 else ""
    texts_ok = not ({store.DOCUMENTS, store.CHUNKS, store.FINDINGS} & set(damaged))
    return _Live(build, manifest, damage=f"{rel}: {problem}{more}", texts_ok=texts_ok)


def _discard(root: Path, build: Path) -> None:
    """Remove an unfinished build folder, unless it was already published."""
    try:
        live = store.current_name(root)
    except IndexFolderError:
        live = None
    if live != build.name:
        shutil.rmtree(build, ignore_errors=True)


def _max_bytes(settings: Settings) -> int:
    return int(settings.max_document_mb * 2**20)


def _estimate_bytes(documents: list[Document], chunks: list[Chunk], dim: int) -> int:
    """About how much disk a build of these documents and chunks takes (with its cache
    rows): JSON text, one float32 vector per chunk and the keyword postings."""
    text = sum(len(d.text) for d in documents) + sum(
        len(c.text) + len(c.index_text) for c in chunks
    )
    return int(1.3 * text) + len(chunks) * (2 * 4 * dim + 600) + (1 << 20)


def _write_failure(root: Path, error: OSError, need: int) -> IndexFolderError:
    """The one-line message for a failed write: read-only folder, full disk, other."""
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        try:
            free = shutil.disk_usage(root).free
        except OSError:
            free = 0
        return IndexFolderError(
            f"{root}: the disk is full ({free / 2**20:.0f} MB free, this build needs about "
            f"{need / 2**20:.0f} MB); free some space and run 'granska index' again "
            "(the previous index is still in use)"
        )
    return store.write_error(root, error)


def _write(
    build: Path,
    documents: list[Document],
    chunks: list[Chunk],
    vectors: np.ndarray,
    settings: Settings,
) -> None:
    store.write_jsonl(build / "documents.jsonl", documents)
    store.write_jsonl(build / "chunks.jsonl", chunks)
    VectorIndex.build(vectors, exact_max=settings.exact_max).save(build / "vectors")
    BM25Index.build([c.index_text for c in chunks], keyword_options(settings)).save(build / "bm25")


def keyword_options(settings: Settings) -> KeywordOptions:
    """The keyword analyzer options a build uses (settings ``keyword_*``)."""
    return KeywordOptions(lemmas=settings.keyword_lemmas, compounds=settings.keyword_compounds)


def _vector_kind(n: int, settings: Settings) -> str:
    return "flat" if n <= settings.exact_max else "hnsw"


def _forget(report: BuildReport, name: str) -> None:
    for names in (report.added, report.changed):
        if name in names:
            names.remove(name)


def _check(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise BuildCancelled("Rebuild cancelled; the previous index is still in use")


def _file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _meta_hash(meta: dict[str, DocMeta]) -> str:
    blob = "\n".join(f"{k}={v.model_dump_json()}" for k, v in sorted(meta.items()))
    return hashlib.sha256(blob.encode()).hexdigest()[:16]

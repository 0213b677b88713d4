"""The corpus folder: which files are documents, reading them, and a full scan."""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from assistant.errors import DocumentError
from assistant.ingest.chunking import MAX_CHUNK_CHARS, chunk_document
from assistant.ingest.loaders import MAX_DOCUMENT_BYTES, load_file
from assistant.ingest.metadata import METADATA_FILE, infer_meta, load_metadata, merge
from assistant.ingest.ocr import OcrOptions
from assistant.models import Chunk, DocMeta, Document

IGNORED = {METADATA_FILE, "README", "README.md", "README.txt"}
# Bump when loading, cleaning or chunking changes what a document becomes: builds then
# read every document again (unchanged chunk texts still come from the embedding cache).
INGEST_VERSION = 3  # 3: bad bytes, UTF-16 and long passages (issue 14)


@dataclass
class CorpusScan:
    documents: list[Document] = field(default_factory=list)
    chunks: list[Chunk] = field(default_factory=list)
    warnings: list[DocumentError] = field(default_factory=list)


def corpus_files(folder: Path, warnings: list[DocumentError] | None = None) -> list[Path]:
    """Every regular, non-hidden file below ``folder`` except the metadata file, sorted.

    Unsupported types are listed too, so that they are reported rather than ignored.
    Symbolic links are followed only to a regular file inside ``folder``: a link that
    leaves the folder (``ln -s /etc/passwd x.txt``) is never read. Such links, link loops,
    dangling links, linked folders, FIFOs, sockets, devices and file names that are not
    UTF-8 are skipped, each with a warning appended to ``warnings``.
    """
    root = folder.resolve()
    found: list[Path] = []
    skipped: list[DocumentError] = []

    def skip(path: Path, reason: str) -> None:
        skipped.append(DocumentError(path.relative_to(folder).as_posix(), reason))

    for dirpath, dirnames, filenames in os.walk(folder):
        base = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in list(dirnames):
            if (base / name).is_symlink():
                dirnames.remove(name)
                skip(base / name, "is a link to a folder; not followed (copy the files instead)")
        for name in filenames:
            path = base / name
            rel = path.relative_to(folder).as_posix()
            if name.startswith(".") or rel in IGNORED:
                continue
            reason = _not_a_document(path, root)
            if reason is None and _has_bad_bytes(rel):
                reason = "the file name is not valid UTF-8; rename the file"
            if reason is not None:
                skip(path, reason)
                continue
            found.append(path)
    if warnings is not None:
        warnings.extend(sorted(skipped, key=lambda e: e.path))
    return sorted(found, key=lambda p: p.relative_to(folder).as_posix())


def _not_a_document(path: Path, root: Path) -> str | None:
    """Why ``path`` must not be read as a document, or None for a regular file."""
    try:
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode):
            try:
                target = path.resolve(strict=True)
            except RuntimeError:
                return "is a symbolic link loop; remove it"
            except OSError as e:
                if e.errno == errno.ELOOP:
                    return "is a symbolic link loop; remove it"
                missing = os.readlink(path)
                return f"is a symbolic link to a missing file ({missing}); fix or remove it"
            if not target.is_relative_to(root):
                return (
                    f"is a symbolic link to {target}, outside the corpus folder; not followed "
                    "(copy the file into the corpus folder instead)"
                )
            info = os.stat(path)
    except OSError as e:
        return f"cannot be read ({e.strerror or e})"
    if stat.S_ISREG(info.st_mode):
        return None
    kind = (
        "a named pipe (FIFO)"
        if stat.S_ISFIFO(info.st_mode)
        else "a socket"
        if stat.S_ISSOCK(info.st_mode)
        else "a device"
        if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode)
        else "not a regular file"
    )
    return f"is {kind}, not a document; skipped"


def _has_bad_bytes(name: str) -> bool:
    """Whether a file name held bytes that are not UTF-8 (Python keeps them as surrogates)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def read_document(
    path: Path,
    corpus: Path,
    meta: dict[str, DocMeta],
    ocr: OcrOptions | None = None,
    max_bytes: int = MAX_DOCUMENT_BYTES,
    warnings: list[DocumentError] | None = None,
) -> Document:
    """Load one file as a ``Document`` with its metadata (``ocr``: cache and progress for
    scanned pages).

    Problems that did not stop the reading (bad bytes, say) are appended to ``warnings``.

    Raises:
        DocumentError: The file cannot be read as a document (the reason says why).
    """
    loaded = load_file(path, ocr, max_bytes=max_bytes)
    name = path.relative_to(corpus).as_posix()
    if warnings is not None:
        warnings.extend(DocumentError(name, w) for w in loaded.warnings)
    return Document(
        doc=name,
        sha256=loaded.raw_sha256,
        meta=merge(meta.get(name), infer_meta(name, loaded.text)),
        text=loaded.text,
        pages=loaded.pages,
        headings=loaded.headings,
        ocr_pages=loaded.ocr_pages,
    )


def scan_corpus(
    folder: Path,
    chunk_words: int = 180,
    ocr: OcrOptions | None = None,
    max_chars: int = MAX_CHUNK_CHARS,
    max_bytes: int = MAX_DOCUMENT_BYTES,
) -> CorpusScan:
    """Read and chunk every document; a broken one becomes a warning, not a failure."""
    if not folder.is_dir():
        raise DocumentError(str(folder), "corpus folder not found; create it or pass --corpus")
    meta = load_metadata(folder)
    scan = CorpusScan()
    for path in corpus_files(folder, scan.warnings):
        try:
            doc = read_document(path, folder, meta, ocr, max_bytes, scan.warnings)
        except DocumentError as e:
            scan.warnings.append(e)
            continue
        scan.documents.append(doc)
        cut: list[str] = []
        scan.chunks.extend(chunk_document(doc, chunk_words, max_chars, cut))
        scan.warnings.extend(DocumentError(doc.doc, w) for w in cut)
    return scan

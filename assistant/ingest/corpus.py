"""The corpus folder: which files are documents, reading them, and a full scan."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from assistant.errors import DocumentError
from assistant.ingest.chunking import chunk_document
from assistant.ingest.loaders import load_file
from assistant.ingest.metadata import METADATA_FILE, infer_meta, load_metadata, merge
from assistant.ingest.ocr import OcrOptions
from assistant.models import Chunk, DocMeta, Document

IGNORED = {METADATA_FILE, "README", "README.md", "README.txt"}
# Bump when loading, cleaning or chunking changes what a document becomes: builds then
# read every document again (unchanged chunk texts still come from the embedding cache).
INGEST_VERSION = 2


@dataclass
class CorpusScan:
    documents: list[Document] = field(default_factory=list)
    chunks: list[Chunk] = field(default_factory=list)
    warnings: list[DocumentError] = field(default_factory=list)


def corpus_files(folder: Path) -> list[Path]:
    """Every regular, non-hidden file below ``folder`` except the metadata file, sorted.

    Unsupported types are listed too, so that they are reported rather than ignored.
    """
    out = []
    for path in folder.rglob("*"):
        rel = path.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts) or rel.as_posix() in IGNORED:
            continue
        if path.is_file():
            out.append(path)
    return sorted(out, key=lambda p: p.relative_to(folder).as_posix())


def read_document(
    path: Path, corpus: Path, meta: dict[str, DocMeta], ocr: OcrOptions | None = None
) -> Document:
    """Load one file as a ``Document`` with its metadata (``ocr``: cache and progress for
    scanned pages).

    Raises:
        DocumentError: The file cannot be read as a document (the reason says why).
    """
    loaded = load_file(path, ocr)
    name = path.relative_to(corpus).as_posix()
    return Document(
        doc=name,
        sha256=loaded.raw_sha256,
        meta=merge(meta.get(name), infer_meta(name, loaded.text)),
        text=loaded.text,
        pages=loaded.pages,
        headings=loaded.headings,
        ocr_pages=loaded.ocr_pages,
    )


def scan_corpus(folder: Path, chunk_words: int = 180, ocr: OcrOptions | None = None) -> CorpusScan:
    """Read and chunk every document; a broken one becomes a warning, not a failure."""
    if not folder.is_dir():
        raise DocumentError(str(folder), "corpus folder not found; create it or pass --corpus")
    meta = load_metadata(folder)
    scan = CorpusScan()
    for path in corpus_files(folder):
        try:
            doc = read_document(path, folder, meta, ocr)
        except DocumentError as e:
            scan.warnings.append(e)
            continue
        scan.documents.append(doc)
        scan.chunks.extend(chunk_document(doc, chunk_words))
    return scan

"""Read .txt/.md, .pdf and .docx files into document text with a page map.

Each loader returns the text the user will see and, for PDFs, where each page begins.
A file that cannot be read raises ``DocumentError`` with the reason and what to do.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from assistant.errors import DocumentError
from assistant.ingest.ocr import OcrOptions
from assistant.models import HeadingSpan, PageStart

SUPPORTED_SUFFIXES: frozenset[str] = frozenset({".txt", ".md", ".pdf", ".docx"})
_NEWLINES = re.compile(r"\r\n?")
_BAD = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ufffd]")


@dataclass(frozen=True)
class LoadedText:
    """A file's text as the user reads and cites it, with the structure the file gave.

    ``headings`` are section headings from the file's structure (Word heading styles,
    PDF bookmarks); ``ocr_pages`` are the pages read by OCR.
    """

    text: str
    pages: list[PageStart] = field(default_factory=list)
    raw_sha256: str = ""
    headings: list[HeadingSpan] = field(default_factory=list)
    ocr_pages: list[int] = field(default_factory=list)


def load_file(path: Path, ocr: OcrOptions | None = None) -> LoadedText:
    """Load one document; ``ocr`` says where scanned pages' OCR is cached.

    Raises:
        DocumentError: Unsupported type, unreadable, empty, binary, damaged, encrypted or
            scanned without OCR installed.
    """
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise DocumentError(
            str(path),
            f"unsupported file type '{suffix or path.name}'; use .txt, .md, .pdf or .docx",
        )
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise DocumentError(str(path), f"cannot read the file ({e.strerror or e})") from e
    digest = hashlib.sha256(raw).hexdigest()
    if not raw.strip():
        raise DocumentError(str(path), "empty file; add text or remove it")
    if suffix == ".pdf":
        loaded = _pdf(path, raw, digest, ocr)
    elif suffix == ".docx":
        loaded = _docx(path, raw, digest)
    else:
        loaded = LoadedText(_plain(path, raw), [], digest)
    if not loaded.text.strip():
        raise DocumentError(str(path), "no text in the file; add text or remove it")
    return loaded


def _plain(path: Path, raw: bytes) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = _decode_legacy(path, raw)
    text = _NEWLINES.sub("\n", text)
    sample = text[:20_000]
    if sample and len(_BAD.findall(sample)) > 0.01 * len(sample):
        raise DocumentError(
            str(path), "not a text file (binary content); save it as UTF-8 text or remove it"
        )
    return text.replace("\x00", "")


def _decode_legacy(path: Path, raw: bytes) -> str:
    sample = raw[:20_000]
    if sample.count(b"\x00") > len(sample) // 100:
        raise DocumentError(
            str(path), "not a text file (binary content); save it as UTF-8 text or remove it"
        )
    from charset_normalizer import from_bytes

    best = from_bytes(sample, cp_isolation=["cp1252", "latin_1", "utf_16", "cp850"]).best()
    encoding = best.encoding if best is not None else "cp1252"
    try:
        return raw.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return raw.decode("latin-1")


def _pdf(path: Path, raw: bytes, digest: str, ocr: OcrOptions | None) -> LoadedText:
    from assistant.ingest.pdf import read_pdf

    got = read_pdf(path, raw, ocr)
    return LoadedText(got.text, got.pages, digest, got.headings, got.ocr_pages)


def _docx(path: Path, raw: bytes, digest: str) -> LoadedText:
    from assistant.ingest.docx import read_docx

    text, headings = read_docx(path, raw)
    return LoadedText(text, [], digest, headings)

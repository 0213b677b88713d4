"""Read .txt/.md, .pdf and .docx files into document text with a page map.

Each loader returns the text the user will see and, for PDFs, where each page begins.
A file that cannot be read raises ``DocumentError`` with the reason and what to do.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from assistant.errors import DocumentError
from assistant.models import PageStart

SUPPORTED_SUFFIXES: frozenset[str] = frozenset({".txt", ".md", ".pdf", ".docx"})
_NEWLINES = re.compile(r"\r\n?")
_BAD = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ufffd]")


@dataclass(frozen=True)
class LoadedText:
    text: str
    pages: list[PageStart] = field(default_factory=list)
    raw_sha256: str = ""


def load_file(path: Path) -> LoadedText:
    """Load one document.

    Raises:
        DocumentError: Unsupported type, unreadable, empty, binary, damaged, encrypted or
            scanned (no text layer).
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
        text, pages = _pdf(path, raw)
    elif suffix == ".docx":
        text, pages = _docx(path, raw), []
    else:
        text, pages = _plain(path, raw), []
    if not text.strip():
        raise DocumentError(str(path), "no text in the file; add text or remove it")
    return LoadedText(text=text, pages=pages, raw_sha256=digest)


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


def _pdf(path: Path, raw: bytes) -> tuple[str, list[PageStart]]:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(raw)
    except pdfium.PdfiumError as e:
        message = str(e).lower()
        if "password" in message:
            raise DocumentError(
                str(path), "is password-protected; remove the password and try again"
            ) from e
        raise DocumentError(
            str(path), "cannot be opened as a PDF (damaged or truncated); re-export it"
        ) from e
    parts: list[str] = []
    pages: list[PageStart] = []
    offset = 0
    try:
        for number in range(len(pdf)):
            page = pdf[number]
            textpage = page.get_textpage()
            try:
                text = _NEWLINES.sub("\n", textpage.get_text_range()).strip("\n")
            finally:
                textpage.close()
                page.close()
            if parts:
                offset += 2
            pages.append(PageStart(start=offset, page=number + 1))
            parts.append(text)
            offset += len(text)
    except pdfium.PdfiumError as e:
        raise DocumentError(
            str(path), "cannot be read as a PDF (damaged or truncated); re-export it"
        ) from e
    finally:
        pdf.close()
    text = "\n\n".join(parts)
    if not text.strip():
        raise DocumentError(str(path), "has no text layer (scanned?); run OCR on it first")
    return text, pages


def _docx(path: Path, raw: bytes) -> str:
    import io

    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(raw))
    except (zipfile.BadZipFile, KeyError, ValueError) as e:
        raise DocumentError(
            str(path), "is not a valid Word document (.docx); re-save it from Word"
        ) from e
    except Exception as e:  # python-docx raises several types for foreign packages
        raise DocumentError(
            str(path), f"is not a valid Word document (.docx) ({type(e).__name__}); re-save it"
        ) from e
    blocks: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            para = Paragraph(child, document)
            text = para.text.strip()
            if text:
                blocks.append(text)
        elif tag == "tbl":
            rows = []
            for row in Table(child, document).rows:
                cells: list[str] = []
                seen: set[int] = set()
                for cell in row.cells:
                    if id(cell._tc) in seen:
                        continue
                    seen.add(id(cell._tc))
                    cells.append(" ".join(cell.text.split()))
                rows.append("\t".join(cells))
            if rows:
                blocks.append("\n".join(rows))
    return "\n\n".join(blocks) + "\n"

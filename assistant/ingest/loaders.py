"""Read .txt/.md, .pdf and .docx files into document text with a page map.

Each loader returns the text the user will see and, for PDFs, where each page begins.
A file that cannot be read raises ``DocumentError`` with the reason and what to do.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from assistant.errors import DocumentError
from assistant.ingest.ocr import OcrOptions
from assistant.models import HeadingSpan, PageStart

SUPPORTED_SUFFIXES: frozenset[str] = frozenset({".txt", ".md", ".pdf", ".docx"})
_NEWLINES = re.compile(r"\r\n?")
_BAD = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ufffd]")
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_ASCII = bytes(range(128))
# Default of Settings.max_document_mb, in bytes.
MAX_DOCUMENT_BYTES = 100 * 2**20


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
    warnings: tuple[str, ...] = ()  # the file was read, but not cleanly (bad bytes ...)


def load_file(
    path: Path, ocr: OcrOptions | None = None, max_bytes: int = MAX_DOCUMENT_BYTES
) -> LoadedText:
    """Load one document; ``ocr`` says where scanned pages' OCR is cached.

    Args:
        path: The file.
        max_bytes: Largest file, and largest unpacked .docx, that is read.

    Raises:
        DocumentError: Unsupported type, unreadable, empty, too large, binary, damaged,
            encrypted or scanned without OCR installed.
    """
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise DocumentError(
            str(path),
            f"unsupported file type '{suffix or path.name}'; use .txt, .md, .pdf or .docx",
        )
    raw = _read_regular(path, max_bytes)
    digest = hashlib.sha256(raw).hexdigest()
    if not raw.strip():
        raise DocumentError(str(path), "empty file; add text or remove it")
    warnings: list[str] = []
    if suffix == ".pdf":
        loaded = _pdf(path, raw, digest, ocr)
    elif suffix == ".docx":
        _check_unpacked_size(path, raw, max_bytes)
        loaded = _docx(path, raw, digest)
    else:
        loaded = LoadedText(_plain(path, raw, warnings), [], digest, warnings=tuple(warnings))
    if not loaded.text.strip():
        raise DocumentError(str(path), "no text in the file; add text or remove it")
    return loaded


def _read_regular(path: Path, max_bytes: int) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``max_bytes``.

    Opened without blocking and checked after opening, so a FIFO or a device (``/dev/zero``)
    that takes a file's place is refused instead of hanging or filling the memory.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as e:
        raise DocumentError(str(path), f"cannot read the file ({e.strerror or e})") from e
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise DocumentError(str(path), "cannot read the file (it is a folder)")
        if not stat.S_ISREG(info.st_mode):
            raise DocumentError(str(path), "is not a regular file (a pipe or a device); skipped")
        if info.st_size > max_bytes:
            raise DocumentError(str(path), _too_large("is", info.st_size, max_bytes))
        with open(fd, "rb", closefd=False) as f:
            raw = f.read(max_bytes + 1)
    except OSError as e:
        raise DocumentError(str(path), f"cannot read the file ({e.strerror or e})") from e
    finally:
        os.close(fd)
    if len(raw) > max_bytes:  # grew while we read it
        raise DocumentError(str(path), _too_large("is over", len(raw), max_bytes))
    return raw


def _too_large(verb: str, size: int, limit: int) -> str:
    return (
        f"{verb} {size / 2**20:.1f} MB, more than the {limit / 2**20:.0f} MB limit; split it "
        "or raise GRANSKA_MAX_DOCUMENT_MB"
    )


def _check_unpacked_size(path: Path, raw: bytes, max_bytes: int) -> None:
    """Refuse a .docx whose parts unpack to more than ``max_bytes`` (a "zip bomb"), from the
    sizes the zip declares, before anything is unpacked. The zip reader never returns
    more than a part's declared size, so the declared sizes are a true bound."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as package:
            unpacked = sum(info.file_size for info in package.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return  # not a zip: _docx says so
    if unpacked > max_bytes:
        raise DocumentError(str(path), _too_large("unpacks to", unpacked, max_bytes))


def _plain(path: Path, raw: bytes, warnings: list[str]) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    wide = _utf16_encoding(raw)
    noise = _BAD
    if wide is not None:
        text = raw.decode(wide, errors="replace").removeprefix("\ufeff")
        bad = text.count("\ufffd")
        if bad:
            warnings.append(
                f"{bad} damaged character(s) in this {wide.upper()} file, shown as \ufffd; "
                "save it as UTF-8"
            )
    else:
        text, mostly_utf8 = _decode_8bit(path, raw, warnings)
        if mostly_utf8:  # its U+FFFD are the few bad bytes, already warned about
            noise = _CONTROLS
    text = _NEWLINES.sub("\n", text)
    sample = text[:20_000]
    if sample and len(noise.findall(sample)) > 0.01 * len(sample):
        raise DocumentError(
            str(path), "not a text file (binary content); save it as UTF-8 text or remove it"
        )
    return text.replace("\x00", "")


def _utf16_encoding(raw: bytes) -> str | None:
    """The UTF-16/UTF-32 codec of ``raw`` from its byte-order mark, or for UTF-16 without
    one from its zero bytes: text in the Latin range has a zero in every other byte."""
    for bom, codec in (
        (b"\xff\xfe\x00\x00", "utf-32-le"),
        (b"\x00\x00\xfe\xff", "utf-32-be"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
    ):
        if raw.startswith(bom):
            return codec
    sample = raw[:8192]
    half = len(sample) // 2
    if half < 2:
        return None
    even, odd = sample[0::2], sample[1::2]
    zeros_even, zeros_odd = even.count(0), odd.count(0)
    if zeros_odd >= 0.4 * half and zeros_even <= 0.05 * half:
        return "utf-16-le"
    if zeros_even >= 0.4 * half and zeros_odd <= 0.05 * half:
        return "utf-16-be"
    return None


def _decode_8bit(path: Path, raw: bytes, warnings: list[str]) -> tuple[str, bool]:
    """UTF-8 when the file is mostly UTF-8, even with a few bad bytes; else a legacy code page.

    A cp1252 or Latin-1 file has practically no valid UTF-8 multi-byte sequence, while a
    UTF-8 report with one stray byte has thousands: so the file is UTF-8 when its valid
    non-ASCII characters outnumber its bad bytes. The bad bytes become U+FFFD and a
    warning gives their count and the first one's position (nothing is silently changed).
    Returns the text and whether it was read as UTF-8.
    """
    try:
        return raw.decode("utf-8"), True
    except UnicodeDecodeError as e:
        first = e.start
    text = raw.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - raw.count("\ufffd".encode())
    ascii_chars = len(raw) - len(raw.translate(None, _ASCII))
    good = len(text) - ascii_chars - bad - raw.count("\ufffd".encode())
    if good >= bad:
        warnings.append(
            f"{bad} byte(s) that are not UTF-8, the first at byte {first}; they are shown "
            "as \ufffd: save the file as UTF-8"
        )
        return text, True
    legacy = _decode_legacy(path, raw)
    if good:
        warnings.append(
            f"mixes UTF-8 ({good} character(s)) with another encoding (the first non-UTF-8 "
            f"byte at {first}); read as a legacy code page: save the file as UTF-8"
        )
    return legacy, False


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

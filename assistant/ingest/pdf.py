"""PDF files: positioned words from pdfium's text layer (or OCR), laid out as text.

pypdfium2 (BSD/Apache) gives every character with its box, baseline, size and font;
this module groups them into words (a raised, smaller digit becomes a superscript
footnote mark, a soft hyphen is kept as a mark for ``layout``), collects ruling lines for
tables and the bookmarks for headings, and sends pages without a text layer to OCR.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass, field
from pathlib import Path

from assistant.errors import DocumentError
from assistant.ingest import ocr
from assistant.ingest.layout import lay_out
from assistant.ingest.page_words import Bookmark, PageInput, Rule, Word
from assistant.models import HeadingSpan, PageStart

_SPACE = frozenset({0x20, 0x09, 0x0A, 0x0D, 0xA0, 0x2002, 0x2003, 0x2009, 0x202F})
_SOFT = frozenset({0x02, 0xAD, 0xFFFE})
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


@dataclass
class PdfText:
    text: str
    pages: list[PageStart]
    headings: list[HeadingSpan] = field(default_factory=list)
    ocr_pages: list[int] = field(default_factory=list)


def read_pdf(path: Path, raw: bytes, options: ocr.OcrOptions | None = None) -> PdfText:
    """The text of a PDF with page starts and headings; scanned pages are read by OCR.

    Raises:
        DocumentError: Damaged, encrypted, or without text that can be read (no text
            layer, and OCR not installed or finding nothing).
    """
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(raw)
    except pdfium.PdfiumError as e:
        if "password" in str(e).lower():
            raise DocumentError(
                str(path), "is password-protected; remove the password and try again"
            ) from e
        raise DocumentError(
            str(path), "cannot be opened as a PDF (damaged or truncated); re-export it"
        ) from e
    try:
        pages: list[PageInput] = []
        scanned: list[int] = []
        for number in range(1, len(pdf) + 1):
            page = pdf[number - 1]
            try:
                read = _page_input(page, number)
                if not read.words and _has_marks(page):
                    scanned.append(number)
                pages.append(read)
            finally:
                page.close()
        bookmarks = _bookmarks(pdf, pages)
        ocr_pages: list[int] = []
        if scanned:
            if not ocr.available():
                if not any(p.words for p in pages):
                    raise DocumentError(str(path), ocr.MISSING)
            else:
                try:
                    words = ocr.read_pages(pdf, scanned, raw, options or ocr.OcrOptions())
                except DocumentError as e:
                    raise DocumentError(str(path), e.reason) from e
                for number, page_words in words.items():
                    i = number - 1
                    pages[i] = PageInput(
                        number, pages[i].width, pages[i].height, page_words, [], ocr=True
                    )
                ocr_pages = sorted(n for n, w in words.items() if w)
    except pdfium.PdfiumError as e:
        raise DocumentError(
            str(path), "cannot be read as a PDF (damaged or truncated); re-export it"
        ) from e
    finally:
        pdf.close()
    if not any(p.words for p in pages):
        if scanned:
            raise DocumentError(
                str(path), "is scanned and OCR found no text on its pages; check the scan"
            )
        raise DocumentError(str(path), "has no text (blank pages); re-export it with its text")
    laid = lay_out(pages, bookmarks)
    return PdfText(laid.text, laid.pages, laid.headings, ocr_pages)


def _has_marks(page: object) -> bool:
    """Something is drawn on the page: a scan's image, or text set as outlines."""
    import pypdfium2.raw as pdfium_c

    kinds = [pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_PATH]
    return any(True for _ in page.get_objects(filter=kinds, max_depth=3))  # type: ignore[attr-defined]


def _page_input(page: object, number: int) -> PageInput:
    import pypdfium2.raw as pdfium_c

    width, height = page.get_size()  # type: ignore[attr-defined]
    textpage = page.get_textpage()  # type: ignore[attr-defined]
    try:
        words = _words(textpage.raw, pdfium_c, height)
    finally:
        textpage.close()
    rules: list[Rule] = []
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=3):  # type: ignore[attr-defined]
        left, bottom, right, top = obj.get_bounds()
        w, h = right - left, top - bottom
        if min(w, h) <= 2.5 and max(w, h) >= 4:
            rules.append(Rule(left, right, height - top, height - bottom))
    return PageInput(number, width, height, words, rules)


class _Fonts:
    """Bold or not, and the scale from text space to the page, by text object.

    pdfium reports font sizes in text space; a page drawn under a scaling matrix (as
    WeasyPrint's are, at 0.75) needs the scale to compare sizes and gaps in points.
    """

    def __init__(self, tp: object, c: object) -> None:
        self.tp, self.c = tp, c
        self.cache: dict[int | None, tuple[bool, float]] = {}
        self.buf = ctypes.create_string_buffer(128)
        self.flags = ctypes.c_int()
        self.matrix = c.FS_MATRIX()  # type: ignore[attr-defined]

    def style(self, i: int) -> tuple[bool, float]:
        c = self.c
        obj = c.FPDFText_GetTextObject(self.tp, i)  # type: ignore[attr-defined]
        key = ctypes.cast(obj, ctypes.c_void_p).value
        if key not in self.cache:
            c.FPDFText_GetFontInfo(self.tp, i, self.buf, 128, ctypes.byref(self.flags))  # type: ignore[attr-defined]
            name = self.buf.value.decode("latin-1").lower()
            weight = c.FPDFText_GetFontWeight(self.tp, i)  # type: ignore[attr-defined]
            bold = "bold" in name or "black" in name or weight >= 600
            scale = 1.0
            if c.FPDFText_GetMatrix(self.tp, i, ctypes.byref(self.matrix)):  # type: ignore[attr-defined]
                m = self.matrix
                scale = abs(m.a * m.d - m.b * m.c) ** 0.5 or 1.0
            self.cache[key] = (bold, scale)
        return self.cache[key]


def _words(tp: object, c: object, height: float) -> list[Word]:
    """Characters grouped into words, in pdfium's order."""
    n = c.FPDFText_CountChars(tp)  # type: ignore[attr-defined]
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    ox, oy = ctypes.c_double(), ctypes.c_double()
    fonts = _Fonts(tp, c)
    words: list[Word] = []
    chars: list[str] = []
    cur: dict[str, float] = {}

    def close() -> None:
        if chars and "".join(chars).strip():
            words.append(
                Word(
                    "".join(chars),
                    cur["x0"],
                    cur["x1"],
                    height - cur["top"],
                    height - cur["bottom"],
                    height - cur["base"],
                    cur["size"],
                    bool(cur["bold"]),
                )
            )
        chars.clear()
        cur.clear()

    for i in range(n):
        u = c.FPDFText_GetUnicode(tp, i)  # type: ignore[attr-defined]
        if u in _SPACE or (c.FPDFText_IsGenerated(tp, i) and u < 0x21):  # type: ignore[attr-defined]
            close()
            continue
        c.FPDFText_GetCharBox(tp, i, *(ctypes.byref(v) for v in (left, right, bottom, top)))  # type: ignore[attr-defined]
        c.FPDFText_GetCharOrigin(tp, i, ctypes.byref(ox), ctypes.byref(oy))  # type: ignore[attr-defined]
        bold, scale = fonts.style(i)
        size = c.FPDFText_GetFontSize(tp, i) * scale  # type: ignore[attr-defined]
        soft = u in _SOFT or bool(c.FPDFText_IsHyphen(tp, i))  # type: ignore[attr-defined]
        ch = "\u00ad" if soft else chr(u)
        if u < 0x20 and not soft:
            close()
            continue
        x0, x1, b, t = left.value, right.value, bottom.value, top.value
        if soft:  # pdfium's box for the mark can be empty; keep it on the baseline
            b, t = oy.value, oy.value + 0.5 * size
        if cur:
            same_line = abs(oy.value - cur["base"]) <= 0.5 * cur["size"]
            raised = (
                size < 0.85 * cur["size"]
                and oy.value > cur["base"] + 0.2 * cur["size"]
                and ch.isdigit()
            )
            gap = x0 - cur["x1"]
            if raised and gap < 0.4 * cur["size"]:
                chars.append(ch.translate(_SUPERSCRIPT))
                cur["x1"] = max(cur["x1"], x1)
                continue
            if not same_line or gap > 0.3 * cur["size"] or gap < -0.6 * cur["size"]:
                close()
        if not cur:
            cur.update(
                x0=x0,
                x1=x1,
                top=t,
                bottom=b,
                base=oy.value,
                size=size,
                bold=float(bold),
            )
        else:
            cur["x1"] = max(cur["x1"], x1)
            cur["top"] = max(cur["top"], t)
            cur["bottom"] = min(cur["bottom"], b)
        chars.append(ch)
    close()
    return words


def _bookmarks(pdf: object, pages: list[PageInput]) -> list[Bookmark]:
    out: list[Bookmark] = []
    try:
        toc = list(pdf.get_toc(max_depth=6))  # type: ignore[attr-defined]
    except Exception:  # a damaged outline only costs the headings
        return out
    for item in toc:
        dest = item.get_dest()
        index = dest.get_index() if dest is not None else None
        if index is None or not 0 <= index < len(pages):
            continue
        top: float | None = None
        view = dest.get_view() if dest is not None else None
        if view and len(view[1]) >= 2 and view[1][1]:
            top = pages[index].height - float(view[1][1])
        title = item.get_title() or ""
        if title.strip():
            out.append(Bookmark(title, item.level, index + 1, top))
    return out

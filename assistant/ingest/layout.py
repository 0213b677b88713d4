"""Page geometry to document text: reading order, tables, running headers, paragraphs.

Both PDF text layers and OCR give positioned words; this module turns the words of all
pages into the text the user reads and cites. It removes running headers and footers
(lines repeated at the top or bottom of many pages, with or without page numbers), keeps
the reading order of two-column pages (left column, then right, between the elements
that span both), places ruled tables (``pdf_tables``) in the flow, reflows each
paragraph onto one line, joins words broken at a line end (``hyphenation``), turns
bullets into "- " items and tables of contents into "title<TAB>page" lines, and puts
footnotes after the paragraph that cites them. Headings known from the document's structure
(PDF bookmarks) come back as spans with levels.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

from assistant.ingest.hyphenation import (
    HARD_MARK,
    MARK_END,
    SOFT_MARKS,
    Vocabulary,
    clean_word,
    join_lone_hyphen,
    join_marked,
)
from assistant.ingest.page_words import SUPERSCRIPT, Bookmark, Line, PageInput, Word, segments
from assistant.ingest.pdf_tables import Table, continue_table, find_tables
from assistant.models import HeadingSpan, PageStart

BULLETS = frozenset("•◦▪●■□‣⁃∙·–-*\uf0b7\uf0a7")
_TOC = re.compile(r"^(.*?\S)\s*(?:[.…·_]\s*){4,}\s*(\d{1,3})$")
_NUMBERED_ITEM = re.compile(r"^(?:\d{1,2}|[a-zA-Z])[.)]$")
_FOOTER_TEXT = re.compile(r"^(?:sid(?:a|an)?|page|s\.)?\s*#+(?:\s*(?:av|of|/|\()\s*#+\)?)?$")
_SPACES = re.compile(r"\s+")
_SENTENCE_END = (".", "!", "?", ":", "…", ";")


@dataclass
class LaidOut:
    text: str
    pages: list[PageStart]
    headings: list[HeadingSpan]


# --- running headers and footers ----------------------------------------------------


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", _SPACES.sub(" ", text).strip().casefold())


def find_furniture(
    pages: Sequence[tuple[PageInput, list[Line]]], bookmarks: Sequence[Bookmark] = ()
) -> set[int]:
    """``id()`` of the lines that are running headers or footers.

    A line qualifies when it lies in the top or bottom eighth of its page and the same
    text (digits ignored) stands at about the same height on at least 30 % of the pages
    (two pages at least). Scanned pages also match a known header with small OCR slips.
    A line that a bookmark names is a heading, wherever it stands.
    """
    band: list[tuple[PageInput, Line, str, int]] = []
    titled = {(b.page, _norm(b.title)) for b in bookmarks}
    for page, lines in pages:
        for line in lines:
            if (page.number, _norm(line.text)) in titled:
                continue  # a heading at the top of every page is still a heading
            if line.top < page.height * 0.125 or line.bottom > page.height * 0.875:
                zone = 0 if line.top < page.height / 2 else 1
                band.append((page, line, _furniture_key(line.text), zone))
    pages_with_text = sum(1 for _, lines in pages if lines)
    need = max(2, math.ceil(0.3 * pages_with_text))
    seen: dict[tuple[str, int], set[int]] = defaultdict(set)
    for page, _line, key, zone in band:
        seen[(key, zone)].add(page.number)
    keys = {k for k, numbers in seen.items() if len(numbers) >= need}
    found: set[int] = set()
    for page, line, key, zone in band:
        repeated = (key, zone) in keys or (pages_with_text >= 2 and _FOOTER_TEXT.match(key))
        if repeated or (
            page.ocr
            and any(z == zone and SequenceMatcher(None, key, k).ratio() >= 0.75 for k, z in keys)
        ):
            found.add(id(line))
    return found


def document_vocabulary(words: Iterable[Word]) -> Vocabulary:
    vocab = Vocabulary()
    for w in words:
        text = w.text
        if text.endswith(MARK_END):
            continue
        vocab.add(clean_word(text, last=False))
    return vocab


# --- reading order ------------------------------------------------------------------


@dataclass
class _Item:
    x0: float
    x1: float
    top: float
    bottom: float
    line: Line | None = None
    table: Table | None = None


def _gutter(lines: Sequence[Line]) -> tuple[float, float] | None:
    """The gap between two text columns, if the page is set in two columns."""
    if len(lines) < 6:
        return None
    left = min(ln.x0 for ln in lines)
    right = max(ln.x1 for ln in lines)
    width = right - left
    if width < 200:
        return None
    lo, hi = int(left + 0.3 * width), int(left + 0.7 * width)
    cover = [0] * (hi - lo + 1)
    for ln in lines:
        a, b = max(lo, math.floor(ln.x0)), min(hi, math.ceil(ln.x1))
        for x in range(a, b + 1):
            cover[x - lo] += 1
    best: tuple[int, int] | None = None
    limit = max(1, int(0.15 * len(lines)))
    start = None
    for i, c in enumerate([*cover, limit + 1]):
        if c <= limit and start is None:
            start = i
        elif c > limit and start is not None:
            if best is None or i - start > best[1] - best[0]:
                best = (start, i)
            start = None
    if best is None or best[1] - best[0] < 6:
        return None
    g0, g1 = lo + best[0], lo + best[1]
    n_left = sum(1 for ln in lines if ln.x1 <= g0 + 1)
    n_right = sum(1 for ln in lines if ln.x0 >= g1 - 1)
    if n_left < 0.2 * len(lines) or n_right < 0.2 * len(lines):
        return None
    return float(g0), float(g1)


def _reading_order(lines: list[Line], tables: list[Table], foot: list[Line]) -> list[_Item]:
    items = [_Item(ln.x0, ln.x1, ln.top, ln.bottom, line=ln) for ln in lines]
    items += [_Item(t.x0, t.x1, t.top, t.bottom, table=t) for t in tables]
    gutter = _gutter(lines)
    ordered: list[_Item] = []
    if gutter is None:
        right = max((it.x1 for it in items), default=0.0)
        left = min((it.x0 for it in items), default=0.0)
        for it in items:
            if it.line is not None:
                it.line.col_left, it.line.col_right, it.line.flow = left, right, 0
        ordered = _by_rows(items)
    else:
        g0, g1 = gutter
        spanning = sorted(
            (it for it in items if it.x0 < g0 - 1 and it.x1 > g1 + 1), key=lambda it: it.top
        )
        span_ids = {id(it) for it in spanning}
        bands: list[list[_Item]] = [[] for _ in range(len(spanning) + 1)]
        for it in items:
            if id(it) in span_ids:
                continue
            k = sum(1 for s in spanning if s.top < it.top)
            bands[k].append(it)
        left_edge = min(it.x0 for it in items)
        right_edge = max(it.x1 for it in items)
        flow = 0
        mid = (g0 + g1) / 2
        for k, band in enumerate(bands):
            for a, b, column in (
                (left_edge, g0, [it for it in band if it.x0 < mid]),
                (g1, right_edge, [it for it in band if it.x0 >= mid]),
            ):
                for it in column:
                    if it.line is not None:
                        it.line.col_left, it.line.col_right, it.line.flow = a, b, flow
                ordered += _by_rows(column)
                flow += 1
            if k < len(spanning):
                s = spanning[k]
                if s.line is not None:
                    s.line.col_left, s.line.col_right, s.line.flow = left_edge, right_edge, flow
                    flow += 1
                ordered.append(s)
    ordered += _by_rows([_Item(ln.x0, ln.x1, ln.top, ln.bottom, line=ln) for ln in foot])
    return ordered


def _by_rows(items: list[_Item]) -> list[_Item]:
    """Top to bottom; pieces of one text line (same baseline) merged left to right."""
    out: list[_Item] = []
    for it in sorted(items, key=lambda it: (it.top, it.x0)):
        last = out[-1] if out else None
        if (
            it.line is not None
            and last is not None
            and last.line is not None
            and abs(last.line.baseline - it.line.baseline) <= 0.35 * it.line.size
        ):
            last.line.words = sorted([*last.line.words, *it.line.words], key=lambda w: w.x0)
            last.x0, last.x1 = min(last.x0, it.x0), max(last.x1, it.x1)
            continue
        out.append(it)
    return out


def _footnotes(lines: list[Line], body_size: float) -> tuple[list[Line], list[Line]]:
    """Split off the small-type lines below all body text of the page (its footnotes)."""
    body = [ln for ln in lines if ln.size >= 0.92 * body_size]
    if not body:
        return lines, []
    lowest = max(ln.bottom for ln in body)
    foot = [ln for ln in lines if ln.size < 0.92 * body_size and ln.top > lowest]
    if not foot:
        return lines, []
    ids = {id(ln) for ln in foot}
    for ln in foot:
        ln.foot = True
    return [ln for ln in lines if id(ln) not in ids], sorted(foot, key=lambda ln: ln.top)


# --- headings from bookmarks ----------------------------------------------------------


def _norm(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold())


def _mark_headings(lines: list[Line], bookmarks: Sequence[Bookmark], page: int) -> None:
    for bm in bookmarks:
        if bm.page != page:
            continue
        want = _norm(bm.title)
        if not want:
            continue
        best: tuple[float, list[Line]] | None = None
        for i, line in enumerate(lines):
            if line.heading is not None or _TOC.match(line.text):
                continue
            acc = ""
            for j in range(i, min(i + 4, len(lines))):
                acc += _norm(_clean_joined(lines[j].text))
                if acc == want:
                    distance = abs(line.top - bm.top) if bm.top is not None else float(i)
                    if best is None or distance < best[0]:
                        best = (distance, lines[i : j + 1])
                    break
                if not want.startswith(acc):
                    break
        if best is not None:
            for line in best[1]:
                line.heading = bm.level + 1


def _clean_joined(text: str) -> str:
    for m in (*SOFT_MARKS, HARD_MARK):
        text = text.replace(m, "")
    return text


# --- lines to blocks ----------------------------------------------------------------


_DASHES = frozenset("–-—")


def _starts_item(line: Line, prev: Line | None = None) -> bool:
    """A bulleted or numbered list item; a dash opens one only after a finished line
    (a dash inside a sentence can wrap to the start of a line)."""
    first = line.words[0].text
    if len(line.words) < 2:
        return False
    if first in _DASHES and prev is not None and not prev.foot and prev.heading is None:
        last = prev.words[-1].text
        if not last.endswith((*_SENTENCE_END, ":")) and not _starts_item(prev):
            return False
    return first in BULLETS or bool(_NUMBERED_ITEM.match(first) and line.words[0].x1 < line.x0 + 25)


def _ends_sentence(line: Line) -> bool:
    return line.words[-1].text.rstrip("\"”')»").endswith(_SENTENCE_END)


def _pitch_table(lines: Sequence[Line]) -> dict[float, float]:
    """The usual distance between baselines for each type size."""
    pitches: dict[float, list[float]] = defaultdict(list)
    for a, b in itertools.pairwise(lines):
        if a.page == b.page and a.flow == b.flow and abs(a.size - b.size) < 0.5:
            p = b.baseline - a.baseline
            if 0.9 * a.size < p < 2.2 * a.size:
                pitches[a.size].append(p)
    return {s: sorted(ps)[len(ps) // 2] for s, ps in pitches.items()}


def _breaks(prev: Line, line: Line, pitch: dict[float, float]) -> bool:
    """Whether ``line`` starts a new paragraph after ``prev``."""
    if prev.heading is not None or line.heading is not None:
        return prev.heading is None or line.heading is None or prev.heading != line.heading
    if prev.foot != line.foot or prev.cell_starts() or line.cell_starts():
        return True
    if _starts_item(line, prev) or _TOC.match(line.text) or _TOC.match(prev.text):
        return True
    if prev.words[-1].text.endswith(MARK_END) and len(prev.words[-1].text) > 1:
        return False
    same_flow = prev.page == line.page and prev.flow == line.flow
    if not same_flow or line.baseline <= prev.baseline:
        first = line.words[0].text
        return _ends_sentence(prev) or not first[:1].islower()
    if abs(prev.size - line.size) > 0.1 * max(prev.size, line.size):
        return True
    usual = pitch.get(prev.size, 1.25 * prev.size)
    if line.baseline - prev.baseline > usual * 1.3 + 0.5:
        return True
    width = prev.col_right - prev.col_left
    short = prev.x1 < prev.col_right - 0.12 * width
    if short and _ends_sentence(prev):
        return True
    return bool(prev.foot and line.words[0].text.rstrip(".").isdigit())


@dataclass
class _Para:
    kind: Literal["para", "item", "heading", "toc", "foot", "row"]
    lines: list[Line]
    level: int | None = None


def _paragraphs(lines: list[Line], pitch: dict[float, float]) -> list[_Para]:
    """Lines joined into paragraphs. A page's footnotes wait until the paragraph that
    runs on over the page break has ended, so that a word broken there is joined."""
    paras: list[_Para] = []
    feet: list[_Para] = []
    for line in lines:
        if line.foot:
            if feet and not _breaks(feet[-1].lines[-1], line, pitch):
                feet[-1].lines.append(line)
            else:
                feet.append(_Para("foot", [line]))
            continue
        last = paras[-1] if paras else None
        joins = last is not None and last.kind != "toc" and not _breaks(last.lines[-1], line, pitch)
        ends_item = (
            joins
            and last is not None
            and last.kind == "item"
            and line.x0 <= last.lines[0].words[1].x0 - 3  # not indented under the item text
            and line.page == last.lines[-1].page
            and line.flow == last.lines[-1].flow
        )
        if joins and not ends_item and last is not None:
            last.lines.append(line)
            continue
        paras += feet
        feet = []
        if ends_item:
            paras.append(_Para("para", [line]))
        elif line.heading is not None:
            paras.append(_Para("heading", [line], line.heading))
        elif _TOC.match(line.text):
            paras.append(_Para("toc", [line]))
        elif line.cell_starts():
            paras.append(_Para("row", [line]))
        elif _starts_item(line, paras[-1].lines[-1] if paras else None):
            paras.append(_Para("item", [line]))
        else:
            paras.append(_Para("para", [line]))
    return _notes_after_their_paragraph(paras + feet)


_SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_PLAIN = str.maketrans(_SUPERSCRIPT_DIGITS, "0123456789")


def _note_number(para: _Para) -> str | None:
    """The number of a footnote paragraph, as superscript digits ("¹²")."""
    head = para.lines[0].words[0].text.rstrip(".")
    if head and all(ch.isdigit() or ch in _SUPERSCRIPT_DIGITS for ch in head):
        return head.translate(SUPERSCRIPT)
    return None


def _cite(para: _Para, number: str) -> bool:
    """Whether a word of ``para`` carries the note mark ``number`` (superscript digits).
    A mark set in body type ("digitisering10") becomes a superscript."""
    plain = number.translate(_PLAIN)
    for line in para.lines:
        for w in line.words:
            core = w.text.rstrip('.,;:)!?"”')
            if core.endswith(number):
                return True
            head = core[: -len(plain)]
            if core.endswith(plain) and len(head) >= 2 and head[-1].isalpha():
                w.text = head + number + w.text[len(core) :]
                return True
    return False


def _notes_after_their_paragraph(paras: list[_Para]) -> list[_Para]:
    """Move each footnote from the foot of its page to just after the paragraph that
    cites it (its mark ends a word there), when that paragraph ends on the same page."""
    out = list(paras)
    for note in [p for p in paras if p.kind == "foot"]:
        number = _note_number(note)
        page = note.lines[0].page
        if number is None:
            continue
        i = out.index(note)
        for j in range(i - 1, max(-1, i - 40), -1):
            cand = out[j]
            if cand.kind == "foot":
                continue
            if cand.lines[-1].page > page:  # runs on over the page: the note waited for it
                continue
            if cand.lines[-1].page < page:
                break
            if _cite(cand, number):
                out.pop(i)
                k = j + 1
                while k < len(out) and out[k].kind == "foot" and k != i:
                    k += 1
                out.insert(k, note)
                break
    return out


# --- rendering ------------------------------------------------------------------------


class _Writer:
    """Accumulates the document text with page starts and heading spans."""

    def __init__(self, vocab: Vocabulary, n_pages: int) -> None:
        self.parts: list[str] = []
        self.pos = 0
        self.vocab = vocab
        self.page_start: dict[int, int] = {}
        self.headings: list[HeadingSpan] = []
        self.n_pages = n_pages
        self.last_kind: str | None = None

    def _emit(self, text: str) -> None:
        self.parts.append(text)
        self.pos += len(text)

    def _separator(self, kind: str) -> None:
        if not self.parts:
            return
        tight = kind == self.last_kind and kind in ("item", "toc", "foot", "row")
        self._emit("\n" if tight else "\n\n")

    def _note_page(self, page: int) -> None:
        if page not in self.page_start:
            self.page_start[page] = self.pos

    def paragraph(self, para: _Para) -> None:
        tokens: list[tuple[str, int]] = []  # (text, page)
        tabs: set[int] = set()  # tokens after a cell gap
        for n, line in enumerate(para.lines):
            words = line.words
            cells = line.cell_starts()
            for k, w in enumerate(words):
                last = k == len(words) - 1 and n < len(para.lines) - 1
                text = clean_word(w.text, last=last)
                if k == 0 and n == 0 and para.kind == "item" and text in BULLETS:
                    text = "-"
                if tokens and k == 0 and tokens[-1][0].endswith(MARK_END) and n > 0:
                    prev, page = tokens[-1]
                    if len(prev) == 1 and len(tokens) > 1:  # "digitalise -|ring"
                        before, page = tokens[-2]
                        joined = join_lone_hyphen(before, text, self.vocab)
                        if joined is not None:
                            tokens[-2:] = [(joined, page)]
                            continue
                        tokens.append((text, line.page))
                        continue
                    tokens[-1] = (join_marked(prev, text, self.vocab), page)
                    continue
                if k in cells:
                    tabs.add(len(tokens))
                tokens.append((text, line.page))
        if para.kind == "foot" and tokens:
            head = tokens[0][0].rstrip(".")
            if head.isdigit():
                tokens[0] = (head.translate(SUPERSCRIPT), tokens[0][1])
        if para.kind == "toc":
            text = " ".join(t for t, _ in tokens)
            m = _TOC.match(text)
            if m:
                tokens = [(f"{m.group(1)}\t{m.group(2)}", tokens[0][1])]
        self._separator(para.kind)
        start = self.pos
        for i, (text, page) in enumerate(tokens):
            if i:
                self._emit("\t" if i in tabs else " ")
            self._note_page(page)
            self._emit(text)
        if para.kind == "heading" and para.level is not None:
            self.headings.append(HeadingSpan(start=start, end=self.pos, level=para.level))
        self.last_kind = para.kind

    def table(self, table: Table) -> None:
        self._separator("table")
        pages = table.row_pages or [table.page] * len(table.rows)
        for i, (row, page) in enumerate(zip(table.rows, pages, strict=True)):
            if i:
                self._emit("\n")
            self._note_page(page)
            self._emit("\t".join(clean_word(c, last=False) for c in row))
        self.last_kind = "table"

    def result(self) -> LaidOut:
        text = "".join(self.parts)
        pages: list[PageStart] = []
        for number in range(1, self.n_pages + 1):
            later = [s for p, s in self.page_start.items() if p >= number]
            start = self.page_start.get(number, min(later) if later else len(text))
            if pages and start < pages[-1].start:
                start = pages[-1].start
            pages.append(PageStart(start=start, page=number))
        return LaidOut(text=text, pages=pages, headings=self.headings)


def lay_out(pages: Sequence[PageInput], bookmarks: Sequence[Bookmark] = ()) -> LaidOut:
    """The text of a whole document from its pages' words, rules and bookmarks."""
    segmented: list[tuple[PageInput, list[Line]]] = []
    all_words = [w for p in pages for w in p.words]
    vocab = document_vocabulary(all_words)
    sizes = Counter(round(w.size, 1) for w in all_words if len(w.text) > 1)
    body_size = sizes.most_common(1)[0][0] if sizes else 10.0
    tables_of: dict[int, list[Table]] = {}
    for page in pages:
        tables, rest = find_tables(page.words, page.rules, vocab)
        for t in tables:
            t.page = page.number
            t.row_pages = [page.number] * len(t.rows)
        tables_of[page.number] = tables
        lines = segments(rest)
        for line in lines:
            line.page = page.number
        segmented.append((page, lines))
    furniture = find_furniture(segmented, bookmarks)
    stream: list[Line | Table] = []
    for page, lines in segmented:
        body = [ln for ln in lines if id(ln) not in furniture]
        body, foot = _footnotes(body, body_size)
        for item in _reading_order(body, tables_of[page.number], foot):
            if item.table is not None:
                stream.append(item.table)
            elif item.line is not None:
                item.line.page = page.number
                stream.append(item.line)
        page_lines = [x for x in stream if isinstance(x, Line) and x.page == page.number]
        _mark_headings(page_lines, bookmarks, page.number)
    writer = _Writer(vocab, len(pages))
    pitch = _pitch_table([x for x in stream if isinstance(x, Line)])
    run: list[Line] = []

    def flush() -> None:
        for para in _paragraphs(run, pitch):
            writer.paragraph(para)
        run.clear()

    merged: list[Line | Table] = []
    for x in stream:
        previous = merged[-1] if merged else None
        if (
            isinstance(x, Table)
            and isinstance(previous, Table)
            and continue_table(previous, x, vocab)
        ):
            continue
        merged.append(x)
    for x in merged:
        if isinstance(x, Table):
            flush()
            writer.table(x)
        else:
            run.append(x)
    flush()
    return writer.result()

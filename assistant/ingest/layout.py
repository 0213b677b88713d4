"""Page geometry to document text: reading order, tables, running headers, paragraphs.

Both PDF text layers and OCR give positioned words; this module turns the words of all
pages into the text the user reads and cites. It removes running headers and footers
(lines repeated at the top or bottom of many pages, with or without page numbers), keeps
the reading order of two-column pages (left column, then right, between the elements
that span both), rebuilds ruled tables row by row as tab-separated cells, reflows each
paragraph onto one line, joins words broken at a line end (``hyphenation``), turns
bullets into "- " items and tables of contents into "title<TAB>page" lines, and puts
footnotes after the text of their page. Headings known from the document's structure
(PDF bookmarks) come back as spans with levels.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Literal

from assistant.ingest.hyphenation import (
    HARD_MARK,
    SOFT_MARKS,
    Vocabulary,
    join_hyphenated,
    joins_unhyphenated,
)
from assistant.models import HeadingSpan, PageStart

BULLETS = frozenset("•◦▪●■□‣⁃∙·–-*\uf0b7\uf0a7")
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_TOC = re.compile(r"^(.*?\S)\s*(?:[.…·_]\s*){4,}\s*(\d{1,3})$")
_NUMBERED_ITEM = re.compile(r"^(?:\d{1,2}|[a-zA-Z])[.)]$")
_FOOTER_TEXT = re.compile(r"^(?:sid(?:a|an)?|page|s\.)?\s*#+(?:\s*(?:av|of|/|\()\s*#+\)?)?$")
_SPACES = re.compile(r"\s+")
_SENTENCE_END = (".", "!", "?", ":", "…", ";")


@dataclass
class Word:
    """One word with its box in points, ``top`` < ``bottom`` (y grows downwards)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    baseline: float
    size: float
    bold: bool = False
    line: int | None = None  # OCR: the engine's line number

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(frozen=True)
class Rule:
    """A ruling line (table border) on a page."""

    x0: float
    x1: float
    top: float
    bottom: float

    @property
    def horizontal(self) -> bool:
        return (self.x1 - self.x0) >= (self.bottom - self.top)


@dataclass
class PageInput:
    number: int
    width: float
    height: float
    words: list[Word]
    rules: list[Rule] = field(default_factory=list)
    ocr: bool = False


@dataclass(frozen=True)
class Bookmark:
    """An outline entry: ``level`` 0 is a top-level heading; ``top`` may be unknown."""

    title: str
    level: int
    page: int
    top: float | None = None


@dataclass
class Line:
    words: list[Word]
    page: int = 0
    col_right: float = 0.0
    col_left: float = 0.0
    flow: int = 0
    heading: int | None = None
    foot: bool = False

    @property
    def x0(self) -> float:
        return min(w.x0 for w in self.words)

    @property
    def x1(self) -> float:
        return max(w.x1 for w in self.words)

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def baseline(self) -> float:
        return Counter(round(w.baseline, 1) for w in self.words).most_common(1)[0][0]

    @property
    def size(self) -> float:
        sizes = Counter(round(w.size, 1) for w in self.words if w.text.strip())
        return sizes.most_common(1)[0][0] if sizes else self.words[0].size

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    def cell_starts(self) -> set[int]:
        """Indices of words after a gap as wide as a table's cell gap (an unruled table
        row, "Justerandes sign … Utdragsbestyrkande")."""
        out: set[int] = set()
        for k in range(1, len(self.words)):
            a, b = self.words[k - 1], self.words[k]
            if b.x0 - a.x1 > max(2.5 * max(a.size, b.size), 15.0):
                out.add(k)
        return out


@dataclass
class Table:
    rows: list[list[str]]
    x0: float
    x1: float
    top: float
    bottom: float
    page: int = 0
    row_pages: list[int] = field(default_factory=list)  # when continued over pages


@dataclass
class Block:
    kind: Literal["para", "item", "heading", "toc", "table", "foot"]
    page: int
    text: str = ""
    level: int | None = None
    first_page_offsets: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class LaidOut:
    text: str
    pages: list[PageStart]
    headings: list[HeadingSpan]


# --- words to lines -----------------------------------------------------------------


def _segments(words: Sequence[Word]) -> list[Line]:
    """Words on one baseline, split where the gap is wider than a column gutter."""
    lines: list[Line] = []
    if not words:
        return lines
    if all(w.line is not None for w in words):
        groups: dict[int, list[Word]] = defaultdict(list)
        for w in words:
            groups[w.line or 0].append(w)
        clusters = list(groups.values())
    else:
        clusters = []
        for w in sorted(words, key=lambda w: (w.baseline, w.x0)):
            if clusters:
                last = clusters[-1]
                tol = 0.35 * max(w.size, last[0].size)
                if abs(w.baseline - last[0].baseline) <= tol:
                    last.append(w)
                    continue
            clusters.append([w])
    for cluster in clusters:
        cluster.sort(key=lambda w: w.x0)
        current = [cluster[0]]
        for w in cluster[1:]:
            gap = w.x0 - current[-1].x1
            if gap > max(1.3 * max(w.size, current[-1].size), 9.0):
                lines.append(Line(current))
                current = [w]
            else:
                current.append(w)
        lines.append(Line(current))
    return _attach_marks(lines)


def _attach_marks(lines: list[Line]) -> list[Line]:
    """A footnote number set raised on its own ("1" before "Ledningsgrupp …") joins the
    text it stands before, as a superscript."""
    marks = [
        ln
        for ln in lines
        if len(ln.words) == 1 and ln.words[0].text.isdigit() and len(ln.words[0].text) <= 2
    ]
    if not marks:
        return lines
    gone: set[int] = set()
    for mark in marks:
        for other in lines:
            if other is mark or id(other) in gone:
                continue
            dx = other.x0 - mark.x1
            dy = other.baseline - mark.baseline
            if -1 <= dx <= 4 and 0 < dy < 0.7 * other.size and mark.size < other.size * 1.01:
                w = mark.words[0]
                w.text = w.text.translate(_SUPERSCRIPT)
                other.words.insert(0, w)
                gone.add(id(mark))
                break
    return [ln for ln in lines if id(ln) not in gone]


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


# --- tables -------------------------------------------------------------------------


def _merge_positions(values: Iterable[float], tol: float = 2.5) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= tol:
            continue
        out.append(v)
    return out


def _covered(intervals: list[tuple[float, float]], a: float, b: float) -> bool:
    """Whether the union of ``intervals`` covers 80 % of ``[a, b]``."""
    total, pos = 0.0, a
    for s, e in sorted(intervals):
        s, e = max(s, pos), min(e, b)
        if e > s:
            total += e - s
            pos = e
    return total >= 0.8 * (b - a)


def _rule_groups(rules: Sequence[Rule]) -> list[list[Rule]]:
    parent = list(range(len(rules)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    tol = 2.5
    for i, a in enumerate(rules):
        for j in range(i + 1, len(rules)):
            b = rules[j]
            if (
                a.x0 - tol <= b.x1
                and b.x0 - tol <= a.x1
                and a.top - tol <= b.bottom
                and b.top - tol <= a.bottom
            ):
                parent[find(i)] = find(j)
    groups: dict[int, list[Rule]] = defaultdict(list)
    for i, r in enumerate(rules):
        groups[find(i)].append(r)
    return list(groups.values())


def find_tables(
    words: list[Word], rules: Sequence[Rule], vocab: Vocabulary
) -> tuple[list[Table], list[Word]]:
    """Ruled tables rebuilt as rows of cells, and the words that are not in a table.

    Cells merged across rows (no rule between them) keep their text in the first row and
    leave the cell empty in the rows below, as a continuation row; cells merged across
    columns are one cell.
    """
    tables: list[Table] = []
    used: set[int] = set()
    for group in _rule_groups(rules):
        hs = [r for r in group if r.horizontal]
        vs = [r for r in group if not r.horizontal]
        xs = _merge_positions((r.x0 + r.x1) / 2 for r in vs)
        # A row split by a page break has no rule below it: the columns' rules end lower.
        ys = _merge_positions(
            [(r.top + r.bottom) / 2 for r in hs]
            + [min(r.top for r in vs), max(r.bottom for r in vs)]
            if vs
            else [(r.top + r.bottom) / 2 for r in hs]
        )
        if len(xs) < 2 or len(ys) < 2 or xs[-1] - xs[0] < 40 or ys[-1] - ys[0] < 10:
            continue
        inside = [
            w
            for w in words
            if id(w) not in used and xs[0] <= w.cx <= xs[-1] and ys[0] <= w.cy <= ys[-1]
        ]
        if not inside:
            continue
        nrows, ncols = len(ys) - 1, len(xs) - 1
        grid = _Grid(nrows, ncols)
        find, union = grid.find, grid.union

        for i in range(nrows):
            for j in range(1, ncols):
                at = [(r.top, r.bottom) for r in vs if abs((r.x0 + r.x1) / 2 - xs[j]) <= 2.5]
                if not _covered(at, ys[i], ys[i + 1]):
                    union((i, j - 1), (i, j))
        for i in range(1, nrows):
            for j in range(ncols):
                at = [(r.x0, r.x1) for r in hs if abs((r.top + r.bottom) / 2 - ys[i]) <= 2.5]
                if not _covered(at, xs[j], xs[j + 1]):
                    union((i - 1, j), (i, j))
        cells: dict[tuple[int, int], list[Word]] = defaultdict(list)
        for w in inside:
            i = max(0, min(nrows - 1, _index(ys, w.cy)))
            j = max(0, min(ncols - 1, _index(xs, w.cx)))
            cells[find((i, j))].append(w)
            used.add(id(w))
        rows: list[list[str]] = []
        for i in range(nrows):
            row: list[str] = []
            seen: set[tuple[int, int]] = set()
            for j in range(ncols):
                anchor = find((i, j))
                if anchor in seen:
                    continue
                seen.add(anchor)
                row.append(_cell_text(cells.get(anchor, []), vocab) if anchor[0] == i else "")
            if any(row):
                rows.append(row)
        if rows:
            tables.append(Table(rows, xs[0], xs[-1], ys[0], ys[-1]))
    rest = [w for w in words if id(w) not in used]
    return tables, rest


class _Grid:
    """Union-find over the cells of a ruled grid: merged cells share one anchor, the
    top-left one."""

    def __init__(self, nrows: int, ncols: int) -> None:
        self.parent = {(i, j): (i, j) for i in range(nrows) for j in range(ncols)}

    def find(self, c: tuple[int, int]) -> tuple[int, int]:
        while self.parent[c] != c:
            c = self.parent[c]
        return c

    def union(self, a: tuple[int, int], b: tuple[int, int]) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _index(bounds: list[float], value: float) -> int:
    for k in range(len(bounds) - 1):
        if value < bounds[k + 1]:
            return k
    return len(bounds) - 2


def _cell_text(words: list[Word], vocab: Vocabulary) -> str:
    lines = _segments_in_order(words)
    tokens: list[str] = []
    for _n, line in enumerate(lines):
        for k, w in enumerate(line.words):
            text = _clean_word(w.text, last=k == len(line.words) - 1)
            if tokens and k == 0:
                prev = tokens[-1]
                if prev.endswith(_MARK_END):
                    tokens[-1] = _join_marked(prev, text, vocab)
                    continue
                if joins_unhyphenated(prev.split(" ")[-1], text, vocab):
                    tokens[-1] = prev + text
                    continue
            tokens.append(text)
    return " ".join(tokens)


def _segments_in_order(words: list[Word]) -> list[Line]:
    lines = _segments(words)
    merged: list[Line] = []
    for line in sorted(lines, key=lambda ln: (ln.baseline, ln.x0)):
        if merged and abs(merged[-1].baseline - line.baseline) <= 0.35 * line.size:
            merged[-1].words.extend(line.words)
            merged[-1].words.sort(key=lambda w: w.x0)
        else:
            merged.append(line)
    return merged


# --- words and hyphens --------------------------------------------------------------

_MARK_END = (*SOFT_MARKS, HARD_MARK)


def _clean_word(text: str, last: bool) -> str:
    """A word's text for output: soft-hyphen marks inside a word vanish, U+2010 becomes
    "-", and a mark at the end of a line is kept for ``_join_marked``."""
    if last and text.endswith(_MARK_END) and len(text) > 1:
        body, mark = text[:-1], text[-1]
    else:
        body, mark = text, ""
    body = body.replace("\u2010", "-").replace("\u2011", "-")
    for m in "\u00ad\ufffe\x02":
        body = body.replace(m, "")
    return body + mark


def _join_marked(left: str, right: str, vocab: Vocabulary) -> str:
    """``left`` ends in a hyphen mark: join it with ``right`` as the document spells it."""
    mark = left[-1]
    head, _, fragment = left[:-1].rpartition(" ")
    kind: Literal["soft", "hard"] = "hard" if mark == HARD_MARK else "soft"
    if not fragment:  # "digitalise -" : a hyphen standing alone after a space
        before = head.rpartition(" ")[2]
        if before and right[:1].isalpha() and vocab[before + right] > 0:
            return f"{head.rpartition(' ')[0]} {before}{right}".lstrip()
        return f"{left} {right}"
    joined = join_hyphenated(fragment, right, kind, vocab)
    return f"{head} {joined}" if head else joined


def _join_lone_hyphen(before: str, after: str, vocab: Vocabulary) -> str | None:
    """A hyphen set apart at a line end ("digitalise -|ring", "2018 -|2021"): the joined
    text when it breaks a word, ``None`` when it is a dash between words."""
    if not (before[-1:].isalpha() and after[:1].isalpha() and after[:1].islower()):
        return None
    return join_hyphenated(before, after, "soft", vocab)


def document_vocabulary(words: Iterable[Word]) -> Vocabulary:
    vocab = Vocabulary()
    for w in words:
        text = w.text
        if text.endswith(_MARK_END):
            continue
        vocab.add(_clean_word(text, last=False))
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
    if prev.words[-1].text.endswith(_MARK_END) and len(prev.words[-1].text) > 1:
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
        return head.translate(_SUPERSCRIPT)
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
                text = _clean_word(w.text, last=last)
                if k == 0 and n == 0 and para.kind == "item" and text in BULLETS:
                    text = "-"
                if tokens and k == 0 and tokens[-1][0].endswith(_MARK_END) and n > 0:
                    prev, page = tokens[-1]
                    if len(prev) == 1 and len(tokens) > 1:  # "digitalise -|ring"
                        before, page = tokens[-2]
                        joined = _join_lone_hyphen(before, text, self.vocab)
                        if joined is not None:
                            tokens[-2:] = [(joined, page)]
                            continue
                        tokens.append((text, line.page))
                        continue
                    tokens[-1] = (_join_marked(prev, text, self.vocab), page)
                    continue
                if k in cells:
                    tabs.add(len(tokens))
                tokens.append((text, line.page))
        if para.kind == "foot" and tokens:
            head = tokens[0][0].rstrip(".")
            if head.isdigit():
                tokens[0] = (head.translate(_SUPERSCRIPT), tokens[0][1])
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
            self._emit("\t".join(_clean_word(c, last=False) for c in row))
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
        lines = _segments(rest)
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
            and _continue_table(previous, x, vocab)
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


def _continue_table(before: Table, table: Table, vocab: Vocabulary) -> bool:
    """Append ``table`` to ``before`` when it continues it on the next page (same header
    row repeated); a row split by the page break is joined again. Returns whether merged.
    """
    if table.page <= before.page or not before.rows or not table.rows:
        return False
    if len(table.rows[0]) != len(before.rows[0]) or table.rows[0] != before.rows[0]:
        return False
    rows = table.rows[1:]
    last = before.rows[-1]
    if rows and len(rows[0]) == len(last) and _splits_row(last, rows[0]):
        merged = []
        for a, b in zip(last, rows[0], strict=True):
            if a and b:
                if a.endswith(_MARK_END):
                    merged.append(_join_marked(a, b, vocab))
                elif joins_unhyphenated(a.rpartition(" ")[2], b.partition(" ")[0], vocab):
                    merged.append(a + b)
                else:
                    merged.append(f"{a} {b}")
            else:
                merged.append(a or b)
        before.rows[-1] = merged
        rows = rows[1:]
    before.rows.extend(rows)
    before.row_pages.extend([table.page] * len(rows))
    before.bottom = table.bottom
    return True


def _splits_row(last: list[str], first: list[str]) -> bool:
    """The first row on the new page is the rest of the last one (a lower-case start, or
    a cell that ended in a hyphen)."""
    lower = any(c[:1].islower() for c in first if c)
    marked = any(c.endswith(_MARK_END) for c in last if c)
    return lower or marked

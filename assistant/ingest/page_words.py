"""Positioned words of a page (from a PDF's text layer or from OCR) and their lines.

``segments`` groups words that share a baseline into lines, split where the gap is as
wide as a column gutter, and puts a raised footnote number back before its text.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


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


def segments(words: Sequence[Word]) -> list[Line]:
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
    return attach_marks(lines)


def attach_marks(lines: list[Line]) -> list[Line]:
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
                w.text = w.text.translate(SUPERSCRIPT)
                other.words.insert(0, w)
                gone.add(id(mark))
                break
    return [ln for ln in lines if id(ln) not in gone]

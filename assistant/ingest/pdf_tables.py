"""Ruled tables on PDF pages rebuilt as rows of tab-separated cells.

The ruling lines of a table (thin path objects) give its grid; words are put in the cell
under their centre, cells merged across rows or columns (no rule between them) are one
cell, words broken in narrow cells are mended from the document's vocabulary, and a table
continued on the next page (its header row repeated) is joined to the first, with the row
that the page break split made whole again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from assistant.ingest.hyphenation import (
    MARK_END,
    Vocabulary,
    clean_word,
    join_marked,
    joins_unhyphenated,
)
from assistant.ingest.page_words import Line, Rule, Word, segments


@dataclass
class Table:
    rows: list[list[str]]
    x0: float
    x1: float
    top: float
    bottom: float
    page: int = 0
    row_pages: list[int] = field(default_factory=list)  # when continued over pages


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
            text = clean_word(w.text, last=k == len(line.words) - 1)
            if tokens and k == 0:
                prev = tokens[-1]
                if prev.endswith(MARK_END):
                    tokens[-1] = join_marked(prev, text, vocab)
                    continue
                if joins_unhyphenated(prev.split(" ")[-1], text, vocab):
                    tokens[-1] = prev + text
                    continue
            tokens.append(text)
    return " ".join(tokens)


def _segments_in_order(words: list[Word]) -> list[Line]:
    lines = segments(words)
    merged: list[Line] = []
    for line in sorted(lines, key=lambda ln: (ln.baseline, ln.x0)):
        if merged and abs(merged[-1].baseline - line.baseline) <= 0.35 * line.size:
            merged[-1].words.extend(line.words)
            merged[-1].words.sort(key=lambda w: w.x0)
        else:
            merged.append(line)
    return merged


def continue_table(before: Table, table: Table, vocab: Vocabulary) -> bool:
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
                if a.endswith(MARK_END):
                    merged.append(join_marked(a, b, vocab))
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
    marked = any(c.endswith(MARK_END) for c in last if c)
    return lower or marked

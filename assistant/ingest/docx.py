"""Word documents (.docx): body text with heading styles, list items, tables and footnotes.

The body is read in order from the XML: paragraphs in a heading style ("Heading 1-9",
"Rubrik 1-9", or any style with an outline level) become section headings with their
level; numbered and bulleted paragraphs become "- " (or "1. ") items; tables become one
line per row with tab-separated cells (a cell merged down from the row above is empty);
a footnote reference becomes a superscript number and the note follows its paragraph.
Running headers and footers live in other parts of the package and are not read.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from assistant.errors import DocumentError
from assistant.models import HeadingSpan

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEADING_STYLE = re.compile(r"^(?:heading|rubrik|überschrift|titre)\s*(\d)$", re.IGNORECASE)
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_ROMAN = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc")]
_ROMAN += [(50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]


def read_docx(path: object, raw: bytes) -> tuple[str, list[HeadingSpan]]:
    """The document text and its heading spans.

    Raises:
        DocumentError: The file is not a Word document.
    """
    import docx

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
    reader = _Reader(document)
    reader.body(document.element.body)
    return reader.text(), reader.headings


@dataclass
class _Out:
    kind: str  # "para", "item", "table", "heading", "note"
    text: str
    level: int | None = None


@dataclass
class _Reader:
    document: Any
    blocks: list[_Out] = field(default_factory=list)
    headings: list[HeadingSpan] = field(default_factory=list)
    notes: dict[str, str] = field(default_factory=dict)
    note_numbers: dict[str, int] = field(default_factory=dict)
    counters: dict[tuple[str, int], int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.styles = _Styles(self.document)
        self.numbering = _Numbering(self.document)
        self.notes = _footnotes(self.document)

    # --- body --------------------------------------------------------------------

    def body(self, element: Any) -> None:
        for child in element.iterchildren():
            if child.tag == f"{W}p":
                self.paragraph(child)
            elif child.tag == f"{W}tbl":
                self.table(child)
            elif child.tag == f"{W}sdt":  # content control (a TOC is often one)
                content = child.find(f"{W}sdtContent")
                if content is not None:
                    self.body(content)

    def paragraph(self, p: Any) -> None:
        pending: list[str] = []
        text = self.runs(p, pending).strip()
        style = self.styles.of(p)
        level = self.styles.heading_level(p, style)
        if text:
            if level is not None:
                self.blocks.append(_Out("heading", " ".join(text.split()), level))
            else:
                marker = self.numbering.marker(p, style, self.counters)
                if marker is not None:
                    self.blocks.append(_Out("item", f"{marker} {text}"))
                else:
                    self.blocks.append(_Out("para", text))
        for note in pending:
            self.blocks.append(_Out("note", note))

    def runs(self, p: Any, pending: list[str]) -> str:
        parts: list[str] = []
        for el in p.iter():
            tag = el.tag
            if tag == f"{W}t" and not _inside(el, p, f"{W}del"):
                parts.append(el.text or "")
            elif tag in (f"{W}tab", f"{W}ptab") and el.getparent().tag == f"{W}r":
                parts.append("\t")
            elif tag in (f"{W}br", f"{W}cr"):
                if el.get(f"{W}type") not in ("page", "column"):
                    parts.append("\n")
            elif tag == f"{W}noBreakHyphen":
                parts.append("-")
            elif tag == f"{W}footnoteReference":
                ref = el.get(f"{W}id") or ""
                number = self.note_numbers.setdefault(ref, len(self.note_numbers) + 1)
                mark = str(number).translate(_SUPERSCRIPT)
                parts.append(mark)
                if ref in self.notes:
                    pending.append(f"{mark} {self.notes[ref]}")
        return "".join(parts).replace("\u00ad", "")

    def table(self, tbl: Any) -> None:
        rows: list[str] = []
        for tr in tbl.iterchildren(f"{W}tr"):
            cells: list[str] = []
            for tc in tr.iterchildren(f"{W}tc"):
                merge = tc.find(f"{W}tcPr/{W}vMerge")
                if merge is not None and merge.get(f"{W}val") in (None, "continue"):
                    cells.append("")
                    continue
                paras = [self.cell_paragraph(p) for p in tc.iter(f"{W}p")]
                cells.append(" ".join(" ".join(paras).split()))
            if any(cells):
                rows.append("\t".join(cells))
        if rows:
            self.blocks.append(_Out("table", "\n".join(rows)))

    def cell_paragraph(self, p: Any) -> str:
        text = self.runs(p, []).strip()
        marker = self.numbering.marker(p, self.styles.of(p), self.counters) if text else None
        return f"{marker} {text}" if marker else text

    # --- output ------------------------------------------------------------------

    def text(self) -> str:
        parts: list[str] = []
        pos = 0
        last: str | None = None
        for block in self.blocks:
            if parts:
                sep = "\n" if block.kind == last and block.kind in ("item", "note") else "\n\n"
                parts.append(sep)
                pos += len(sep)
            if block.kind == "heading" and block.level is not None:
                self.headings.append(
                    HeadingSpan(start=pos, end=pos + len(block.text), level=block.level)
                )
            parts.append(block.text)
            pos += len(block.text)
            last = block.kind
        return "".join(parts) + "\n"


def _inside(el: Any, stop: Any, tag: str) -> bool:
    parent = el.getparent()
    while parent is not None and parent is not stop:
        if parent.tag == tag:
            return True
        parent = parent.getparent()
    return False


class _Styles:
    """Paragraph styles by id: name, outline level, numbering and parent style."""

    def __init__(self, document: Any) -> None:
        self.by_id: dict[str, Any] = {}
        try:
            root = document.styles.element
        except Exception:
            return
        for st in root.iterchildren(f"{W}style"):
            sid = st.get(f"{W}styleId")
            if sid:
                self.by_id[sid] = st

    def of(self, p: Any) -> str | None:
        ps = p.find(f"{W}pPr/{W}pStyle")
        return ps.get(f"{W}val") if ps is not None else None

    def chain(self, sid: str | None) -> Iterator[Any]:
        seen: set[str] = set()
        while sid and sid not in seen and sid in self.by_id:
            seen.add(sid)
            st = self.by_id[sid]
            yield st
            based = st.find(f"{W}basedOn")
            sid = based.get(f"{W}val") if based is not None else None

    def heading_level(self, p: Any, sid: str | None) -> int | None:
        direct = p.find(f"{W}pPr/{W}outlineLvl")
        if direct is not None:
            return _outline(direct)
        for st in self.chain(sid):
            name = st.find(f"{W}name")
            label = name.get(f"{W}val") if name is not None else ""
            m = _HEADING_STYLE.match(label or "") or _HEADING_STYLE.match(st.get(f"{W}styleId"))
            if m:
                return int(m.group(1)) if int(m.group(1)) >= 1 else None
            if (label or "").casefold().startswith("toc"):
                return None
            lvl = st.find(f"{W}pPr/{W}outlineLvl")
            if lvl is not None:
                return _outline(lvl)
        return None

    def numbering(self, sid: str | None) -> Any:
        for st in self.chain(sid):
            num = st.find(f"{W}pPr/{W}numPr")
            if num is not None:
                return num
        return None


def _outline(el: Any) -> int | None:
    try:
        value = int(el.get(f"{W}val") or "9")
    except ValueError:
        return None
    return value + 1 if 0 <= value < 9 else None


class _Numbering:
    """List markers from numbering.xml: "-" for bullets, "1." / "a)" for numbers."""

    def __init__(self, document: Any) -> None:
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}
        try:
            root = document.part.numbering_part.element
        except Exception:
            return
        abstract: dict[str, Any] = {
            a.get(f"{W}abstractNumId"): a for a in root.iterchildren(f"{W}abstractNum")
        }
        for num in root.iterchildren(f"{W}num"):
            num_id = num.get(f"{W}numId")
            ref = num.find(f"{W}abstractNumId")
            definition = abstract.get(ref.get(f"{W}val")) if ref is not None else None
            if num_id is None or definition is None:
                continue
            for lvl in definition.iterchildren(f"{W}lvl"):
                ilvl = int(lvl.get(f"{W}ilvl") or 0)
                fmt = lvl.find(f"{W}numFmt")
                text = lvl.find(f"{W}lvlText")
                start = lvl.find(f"{W}start")
                self.levels[(num_id, ilvl)] = (
                    fmt.get(f"{W}val") if fmt is not None else "bullet",
                    text.get(f"{W}val") if text is not None else "",
                    int(start.get(f"{W}val") or 1) if start is not None else 1,
                )

    def marker(self, p: Any, style: str | None, counters: dict[tuple[str, int], int]) -> str | None:
        num = p.find(f"{W}pPr/{W}numPr")
        if num is None:
            return None
        num_id_el = num.find(f"{W}numId")
        ilvl_el = num.find(f"{W}ilvl")
        num_id = num_id_el.get(f"{W}val") if num_id_el is not None else None
        ilvl = int(ilvl_el.get(f"{W}val") or 0) if ilvl_el is not None else 0
        if not num_id or num_id == "0":
            return None
        fmt, text, start = self.levels.get((num_id, ilvl), ("bullet", "", 1))
        if fmt in ("bullet", "none", ""):
            return "-"
        key = (num_id, ilvl)
        counters[key] = counters.get(key, start - 1) + 1
        for deeper in [k for k in counters if k[0] == num_id and k[1] > ilvl]:
            del counters[deeper]
        values = {
            lvl: counters.get((num_id, lvl), self.levels.get((num_id, lvl), ("", "", 1))[2])
            for lvl in range(ilvl + 1)
        }
        label = text or f"%{ilvl + 1}."
        for lvl, value in values.items():
            lvl_fmt = self.levels.get((num_id, lvl), (fmt, "", 1))[0]
            label = label.replace(f"%{lvl + 1}", _format(value, lvl_fmt))
        return label.strip() or "-"


def _format(value: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (value - 1) % 26)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        out, n = "", value
        for v, s in _ROMAN:
            while n >= v:
                out, n = out + s, n - v
        return out.upper() if fmt == "upperRoman" else out
    return str(value)


def _footnotes(document: Any) -> dict[str, str]:
    """Footnote id -> its text (separator and continuation notes left out)."""
    from lxml import etree

    notes: dict[str, str] = {}
    try:
        rels = document.part.rels.values()
    except Exception:
        return notes
    for rel in rels:
        if not str(rel.reltype).endswith("/footnotes") or rel.is_external:
            continue
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        try:
            root = etree.fromstring(rel.target_part.blob, parser)
        except etree.XMLSyntaxError:
            return notes
        for note in root.iterchildren(f"{W}footnote"):
            if note.get(f"{W}type") in ("separator", "continuationSeparator"):
                continue
            text = " ".join(
                "".join(t.text or "" for t in p.iter(f"{W}t")) for p in note.iter(f"{W}p")
            )
            if text.strip():
                notes[note.get(f"{W}id") or ""] = " ".join(text.split())
    return notes

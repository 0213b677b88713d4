"""Citable chunks that follow the document: sections, paragraphs, sentences and tables.

Every chunk is a contiguous span of the document text (``text == doc.text[start:end]``).
Chunks never cross a section heading, never cut inside a sentence, and join a sentence
that a blank line split in two. Table chunks repeat the header row (``table_header`` and
the index text), and a continuation row (empty first cell) keeps its row's label.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from assistant.ingest.cleaning import clean_for_index, fix_ocr, is_furniture, running_headers
from assistant.ingest.sentences import split_sentences
from assistant.models import Chunk, Document

# Longest passage in characters (Settings.max_chunk_chars); see ``_Chunker._emit_cut``.
MAX_CHUNK_CHARS = 10_000
_BLOCK = re.compile(r"(?:[^\n]*\S[^\n]*(?:\n|$))+")
_LINE = re.compile(r"[^\n]*")
_NUMBERED = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,4})\.?\s+([A-ZÅÄÖ].{1,110})$")
# Markdown emphasis around a heading's title: "4.3. *Business case*", "**Bedömning**".
_EMPHASIS = re.compile(r"(?<![\w*_])([*_]{1,2})(?=\S)(.+?)(?<=\S)\1(?![\w*_])")
MAX_HEADING_WORDS = 14
_TOC_LINE = re.compile(r"^(.+?)\t+\s*(\d{1,3})\s*$")
_OPEN_END = re.compile(r"[^.!?:;…”\")\]]\s*$")
_LOWER_START = re.compile(r"^\s*[a-zåäö]")
_FOOTNOTE_START = re.compile(r"^\s*[⁰¹²³⁴⁵⁶⁷⁸⁹]")
# A part of a compiled document: one board's statement, the auditors' letter.
_PART = re.compile(
    r"^(?:svar på\b.*granskning|revisorernas granskning\b|anmälan av\b.*granskning|"
    r"\S.*(?:nämndens|styrelsens)\s+(?:yttrande|svar)\b)",
    re.IGNORECASE,
)
TOP = {
    "sammanfattning",
    "inledning",
    "inledning/bakgrund",
    "iakttagelser och bedömningar",
    "revisionell bedömning",
    "rekommendationer",
    "bilaga",
    "bilagor",
    "slutsats",
    "slutsatser",
    "slutsats och rekommendationer",
    "resultat av granskningen",
    "ärendebeskrivning",
    "förslag till beslut",
    "beslut",
    "yttrande",
    "beslutsunderlag",
    "sammanfattande bedömning",
    "bedömningar och rekommendationer",
    "källförteckning",
    "granskningsresultat",
    "svar på granskningen",
    "innehållsförteckning",
}
INTRO = {
    "bakgrund",
    "syfte",
    "syfte och revisionsfrågor",
    "revisionsfrågor",
    "revisionskriterier",
    "avgränsning",
    "metod",
    "syfte, revisionsfråga och avgränsning",
    "genomförande",
}
SUB = {"iakttagelser", "iakttagelse", "bedömning", "kommentar", "kommentarer"}


@dataclass(frozen=True)
class Heading:
    """A section heading found in a document: ``text[start:end]`` is its line."""

    start: int
    end: int
    level: int
    title: str
    path: tuple[str, ...]


@dataclass
class _Para:
    start: int
    end: int
    parts: list[str] = field(default_factory=list)
    words: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def open(self) -> bool:
        """The last sentence has not ended (a footnote in between does not end it)."""
        return bool(self.parts) and bool(_OPEN_END.search(self.parts[-1]))

    @property
    def body(self) -> list[str]:
        return [*self.parts, *self.notes]


@dataclass
class _Table:
    header: str
    header_clean: str
    label: str = ""
    rows: list[tuple[int, int, str]] = field(default_factory=list)
    words: int = 0


class _Chunker:
    def __init__(self, doc: Document, chunk_words: int, max_chars: int = MAX_CHUNK_CHARS) -> None:
        self.doc = doc
        self.text = doc.text
        self.limit = chunk_words
        self.max_chars = max_chars
        self.cut = 0  # passages longer than max_chars that were cut
        self.chunks: list[Chunk] = []
        self.section: list[tuple[int, str]] = []
        self.paras: list[_Para] = []
        self.words = 0
        self.table: _Table | None = None
        self.last_header: str | None = None
        self.toc: set[str] = set()
        # Headings from the file's structure replace guessing them from the text.
        self.given = {h.start: h.level for h in doc.headings} if doc.headings else None
        self.seen_ids: dict[str, int] = {}
        self.headings: list[Heading] = []
        self.last_number: tuple[int, ...] | None = None
        short = (m.group(0) for m in _LINE.finditer(self.text) if 0 < len(m.group(0)) <= 80)
        self.headers = running_headers(short)
        meta = doc.meta
        place = f"{meta.municipality} kommun" if meta.municipality else None
        title = meta.title or doc.doc.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        self.prefix_parts = [p for p in (place, title) if p]

    # --- driving ---------------------------------------------------------------------

    def run(self) -> list[Chunk]:
        for m in _BLOCK.finditer(self.text):
            self._block(m.start(), m.end())
        self._flush()
        return self.chunks

    def _lines(self, start: int, end: int) -> Iterator[tuple[int, int, str]]:
        pos = start
        for line in self.text[start:end].split("\n"):
            if line.strip():
                yield pos, pos + len(line.rstrip()), line
            pos += len(line) + 1

    def _block(self, start: int, end: int) -> None:
        lines = [
            (s, e, ln)
            for s, e, ln in self._lines(start, end)
            if not is_furniture(ln) and " ".join(ln.split()) not in self.headers
        ]
        if not lines:
            return
        if self._is_toc(lines):
            self.toc.update(
                " ".join(m.group(1).split()).casefold()
                for _, _, ln in lines
                if (m := _TOC_LINE.match(ln))
            )
            return
        first = lines[0][2]
        if self.given is not None:
            heading = self._given_heading(lines[0][0], first)
        else:
            heading = self._heading(first) if len(lines) == 1 or "\t" not in first else None
        if heading is not None:
            self._flush()
            self._set_section(*heading)
            s, e, _ = lines[0]
            path = tuple(name for _, name in self.section)
            self.headings.append(Heading(s, e, heading[0], heading[1], path))
            lines = lines[1:]
            if not lines:
                return
        tabbed = sum("\t" in ln for _, _, ln in lines)
        if tabbed * 2 >= len(lines) and tabbed:
            self._table_rows(lines)
        else:
            self._paragraph(lines[0][0], lines[-1][1])

    # --- structure -------------------------------------------------------------------

    def _given_heading(self, start: int, line: str) -> tuple[int, str] | None:
        """A heading named by the file's structure (Word style, PDF bookmark) at ``start``.
        The parts of a compiled document (a board's statement, the auditors' report) are
        found from their text as without structure, and rank above its chapters."""
        assert self.given is not None
        level = self.given.get(start)
        guess = self._heading(line)
        if guess is not None and guess[0] == 0:  # a part, even where styled Heading 1
            return guess
        return None if level is None else (level, " ".join(line.split()))

    @staticmethod
    def _is_toc(lines: list[tuple[int, int, str]]) -> bool:
        matches = [m for _, _, ln in lines if (m := _TOC_LINE.match(ln.rstrip()))]
        if len(lines) < 3 or len(matches) < 0.8 * len(lines):
            return False
        pages = [int(m.group(2)) for m in matches]
        return pages == sorted(pages)

    def _heading(self, line: str) -> tuple[int, str] | None:
        raw = " ".join(fix_ocr(line).split())
        if not raw or len(raw) > 150 or raw.startswith(("-", "•", "* ", "–")):
            return None
        flat = " ".join(_EMPHASIS.sub(r"\2", raw).replace("**", "").split())
        folded = flat.casefold().rstrip(":")
        if _PART.match(flat) and not flat.endswith((".", ":")):
            self.last_number = None  # a new part of a compiled document numbers anew
            return 0, flat
        m = _NUMBERED.match(flat)
        if m and self._numbered_heading(flat, m.group(1)):
            self.last_number = tuple(int(n) for n in m.group(1).split("."))
            return m.group(1).count(".") + 1, flat
        if folded in TOP or folded.startswith("bilaga "):
            return 1, flat.rstrip(":")
        if folded in SUB:
            return (3 if self._under_question() else 2), flat
        if folded in INTRO:
            under_intro = bool(self.section) and self.section[0][1].casefold().startswith(
                "inledning"
            )
            return (2 if under_intro else 1), flat
        if flat.endswith("?") and 12 <= len(flat) <= 150 and flat[0].isupper():
            return 2, flat
        if folded in self.toc and len(flat) <= 120:
            return 1, flat
        return None

    def _numbered_heading(self, flat: str, number: str) -> bool:
        """A numbered line is a heading, not a numbered list item ("1. Utifrån den
        genomförda granskningen rekommenderar vi kommunstyrelsen att:"), when it is short,
        does not end like a sentence or a lead-in, and continues the document's numbering:
        "1." after "4.2" starts a list."""
        if flat.endswith((".", ",", ";", ":")) or len(flat.split()) > MAX_HEADING_WORDS:
            return False
        parts = tuple(int(n) for n in number.split("."))
        if parts[0] > 20 or any(n == 0 for n in parts[1:]):
            return False
        return self.last_number is None or parts > self.last_number

    def _under_question(self) -> bool:
        return any(name.endswith("?") for _, name in self.section)

    def _set_section(self, level: int, name: str) -> None:
        while self.section and self.section[-1][0] >= level:
            self.section.pop()
        self.section.append((level, name))
        self.last_header = None

    # --- text ------------------------------------------------------------------------

    def _paragraph(self, start: int, end: int) -> None:
        self._end_table()
        raw = self.text[start:end]
        clean = clean_for_index(raw)
        if not clean.strip():
            return
        last = self.paras[-1] if self.paras else None
        joins = (
            last is not None
            and last.open
            and (_LOWER_START.match(raw) is not None or _FOOTNOTE_START.match(raw) is not None)
        )
        words = len(clean.split())
        if joins and last is not None:
            last.end = end
            if _FOOTNOTE_START.match(raw):
                last.notes.append(clean)
            else:
                last.parts.append(clean)
            last.words += words
            self.words += words
            if self.words > self.limit * 1.5:
                self._flush_text()
            return
        if words > self.limit:
            self._flush_text()
            for s, e in self._sentence_groups(start, end):
                piece = clean_for_index(self.text[s:e])
                if piece.strip():
                    self.paras.append(_Para(s, e, [piece], len(piece.split())))
                    self.words = len(piece.split())
                    self._flush_text()
            return
        if self.paras and self.words + words > self.limit:
            self._flush_text()
        self.paras.append(_Para(start, end, [clean], words))
        self.words += words

    def _sentence_groups(self, start: int, end: int) -> Iterator[tuple[int, int]]:
        group_start, words = None, 0
        group_end = start
        for span in split_sentences(self.text[start:end]):
            s, e = start + span.start, start + span.end
            n = len(self.text[s:e].split())
            if group_start is not None and words + n > self.limit:
                yield group_start, group_end
                group_start, words = None, 0
            if group_start is None:
                group_start = s
            group_end, words = e, words + n
        if group_start is not None:
            yield group_start, group_end

    def _flush_text(self) -> None:
        if not self.paras:
            return
        start, end = self.paras[0].start, self.paras[-1].end
        body = "\n".join(part for p in self.paras for part in p.body)
        self._emit(start, end, body, "text", None)
        self.paras, self.words = [], 0

    # --- tables ----------------------------------------------------------------------

    def _table_rows(self, lines: list[tuple[int, int, str]]) -> None:
        self._flush_text()
        for s, e, line in lines:
            row = line.rstrip("\n")
            flat = "\t".join(c.strip() for c in row.split("\t"))
            if self.table is None:
                if self.last_header == flat:  # the header again after a page break
                    self.table = _Table(flat, clean_for_index(row))
                    continue
                self.table = _Table(flat, clean_for_index(row))
                self.last_header = flat
                self.table.rows.append((s, e, ""))  # the header row opens the span
                continue
            if flat == self.table.header:
                continue
            cells = row.split("\t")
            label = cells[0].strip()
            cleaned = clean_for_index(row)
            if label:
                self.table.label = clean_for_index(label)
            elif self.table.label:
                cleaned = f"{self.table.label} (forts.) | {cleaned}"
            words = len(cleaned.split())
            if self.table.words and self.table.words + words > self.limit:
                self._flush_table()
            self.table.rows.append((s, e, cleaned))
            self.table.words += words

    def _flush_table(self) -> None:
        t = self.table
        if t is None or not any(text for _, _, text in t.rows):
            return
        body = "\n".join(text for _, _, text in t.rows if text)
        self._emit(t.rows[0][0], t.rows[-1][1], f"{t.header_clean}\n{body}", "table", t.header)
        t.rows, t.words = [], 0

    def _end_table(self) -> None:
        if self.table is not None:
            self._flush_table()
            self.table = None

    def _flush(self) -> None:
        self._flush_text()
        self._end_table()

    # --- output ----------------------------------------------------------------------

    def _emit(self, start: int, end: int, body: str, kind: str, header: str | None) -> None:
        if end - start > self.max_chars:
            self._emit_cut(start, end, kind, header)
            return
        text = self.text[start:end]
        section = [name for _, name in self.section]
        prefix = " · ".join(
            [*self.prefix_parts, " › ".join(section)] if section else self.prefix_parts
        )
        digest = hashlib.sha1(f"{self.doc.doc}\0{' '.join(text.split())}".encode()).hexdigest()[:16]
        n = self.seen_ids.get(digest, 0)
        self.seen_ids[digest] = n + 1
        meta = self.doc.meta
        self.chunks.append(
            Chunk(
                id=digest if n == 0 else f"{digest}-{n}",
                doc=self.doc.doc,
                ordinal=len(self.chunks),
                kind="table" if kind == "table" else "text",
                section=section,
                page=self.doc.page_at(start),
                start=start,
                end=end,
                text=text,
                index_text=f"{prefix}\n{body}",
                table_header=header,
                ocr=self._from_ocr(start, end),
                municipality=meta.municipality,
                year=meta.year,
                doc_type=meta.doc_type,
            )
        )

    def _from_ocr(self, start: int, end: int) -> bool:
        if not self.doc.ocr_pages:
            return False
        first, last = self.doc.page_at(start) or 0, self.doc.page_at(max(start, end - 1)) or 0
        return any(first <= p <= last for p in self.doc.ocr_pages)

    def _emit_cut(self, start: int, end: int, kind: str, header: str | None) -> None:
        """A passage longer than ``max_chars`` (a sentence that never ends, a giant cell):
        pieces of at most ``max_chars``, cut at the last space of each (or inside a word
        that is longer than that), so no passage grows without bound."""
        self.cut += 1
        text = self.text
        head = f"{clean_for_index(header)}\n" if kind == "table" and header else ""
        pos = start
        while pos < end:
            while pos < end and text[pos].isspace():
                pos += 1
            if pos >= end:
                break
            stop = min(end, pos + self.max_chars)
            if stop < end:
                space = max(text.rfind(c, pos, stop + 1) for c in " \n\t")
                if space > pos + self.max_chars // 2:
                    stop = space
            piece_end = stop
            while piece_end > pos and text[piece_end - 1].isspace():
                piece_end -= 1
            piece = text[pos:piece_end]
            body = clean_for_index(piece) or " ".join(piece.split())
            self._emit(pos, piece_end, head + body, kind, header)
            pos = stop


def chunk_document(
    doc: Document,
    chunk_words: int = 180,
    max_chars: int = MAX_CHUNK_CHARS,
    warnings: list[str] | None = None,
) -> list[Chunk]:
    """Split a document into citable chunks of about ``chunk_words`` words.

    No chunk is longer than ``max_chars`` characters; when a passage had to be cut, a
    sentence saying so is appended to ``warnings`` (when given).
    """
    chunker = _Chunker(doc, chunk_words, max_chars)
    chunks = chunker.run()
    if chunker.cut and warnings is not None:
        warnings.append(
            f"{chunker.cut} passage(s) longer than {max_chars} characters (no sentence end) "
            "were cut into pieces (at spaces where there are any); check that the file is a "
            "real report"
        )
    return chunks


def outline(doc: Document) -> list[Heading]:
    """The section headings of ``doc`` in order, with the path each one opens: the same
    sections the chunks are labelled with."""
    chunker = _Chunker(doc, 10**9)
    chunker.run()
    return chunker.headings

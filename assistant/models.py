"""Validated data models with a JSON round trip: documents, chunks and citations."""

from __future__ import annotations

import bisect
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, model_validator


class PageStart(BaseModel):
    """Page ``page`` begins at character offset ``start`` of the document text."""

    model_config = ConfigDict(frozen=True)
    start: int = Field(ge=0)
    page: int = Field(ge=1)


class HeadingSpan(BaseModel):
    """A section heading that the file's structure names (a Word heading style, a PDF
    bookmark): ``text[start:end]`` is the heading line and ``level`` 1 the top level."""

    model_config = ConfigDict(frozen=True)
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    level: int = Field(ge=1, le=9)


class DocMeta(BaseModel):
    municipality: str | None = None
    year: int | None = Field(None, ge=1900, le=2100)
    auditor: str | None = None
    doc_type: str | None = None
    title: str | None = None


class Document(BaseModel):
    """A loaded, cleaned document. ``text`` is what the user sees in the source viewer."""

    doc: str = Field(min_length=1, description="File name relative to the corpus folder.")
    sha256: str = Field(description="Hash of the raw file bytes.")
    meta: DocMeta = DocMeta()
    text: str
    pages: list[PageStart] = []
    headings: list[HeadingSpan] = Field(
        default=[], description="Headings from the file's structure; empty: guess from text."
    )
    ocr_pages: list[int] = Field(default=[], description="Pages whose text was read by OCR.")

    @model_validator(mode="after")
    def _pages_sorted(self) -> Document:
        starts = [p.start for p in self.pages]
        if starts != sorted(starts) or any(s > len(self.text) for s in starts):
            raise ValueError("page starts must be sorted offsets inside the text")
        if any(h.end > len(self.text) or h.end <= h.start for h in self.headings):
            raise ValueError("headings must be non-empty spans inside the text")
        return self

    def page_at(self, offset: int) -> int | None:
        if not self.pages:
            return None
        i = bisect.bisect_right([p.start for p in self.pages], offset) - 1
        return self.pages[max(i, 0)].page


class Chunk(BaseModel):
    """A citable passage: ``document.text[start:end] == text``."""

    id: str = Field(description="Stable across rebuilds while doc and text are unchanged.")
    doc: str
    ordinal: int = Field(ge=0, description="Position of the chunk in its document.")
    kind: Literal["text", "table"] = "text"
    section: list[str] = []
    page: int | None = None
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str = Field(description="Exact display text, a slice of the document text.")
    index_text: str = Field(description="Cleaned text to embed and index, with a context prefix.")
    table_header: str | None = Field(None, description="Header row shown above table rows.")
    group: str | None = Field(None, description="Near-duplicate group id shared by copies.")
    ocr: bool = Field(False, description="The text was read from a scanned page by OCR.")
    municipality: str | None = None
    year: int | None = None
    doc_type: str | None = None

    @model_validator(mode="after")
    def _span(self) -> Chunk:
        if self.end <= self.start:
            raise ValueError(f"chunk {self.id}: end {self.end} must exceed start {self.start}")
        if self.end - self.start != len(self.text):
            raise ValueError(f"chunk {self.id}: span length differs from text length")
        return self

    @property
    def section_path(self) -> str:
        return " › ".join(self.section)


class Citation(BaseModel):
    """One numbered source of an answer."""

    n: int = Field(ge=1)
    doc: str
    municipality: str | None = None
    section: str = ""
    page: int | None = None
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str
    score: float = 0.0


class Filters(BaseModel):
    """Restrict a search to some municipalities, years or document types (empty = all)."""

    municipality: list[str] = []
    year: list[int] = []
    doc_type: list[str] = []

    def is_empty(self) -> bool:
        return not (self.municipality or self.year or self.doc_type)

    def merged(self, other: Filters) -> Filters:
        """``other``'s non-empty fields win over this one's."""
        return Filters(
            municipality=other.municipality or self.municipality,
            year=other.year or self.year,
            doc_type=other.doc_type or self.doc_type,
        )

    def accepts(self, chunk: Chunk) -> bool:
        if self.municipality and (chunk.municipality or "").casefold() not in {
            m.casefold() for m in self.municipality
        }:
            return False
        if self.year and chunk.year not in self.year:
            return False
        return not (
            self.doc_type
            and (chunk.doc_type or "").casefold() not in {t.casefold() for t in self.doc_type}
        )


class CopyRef(BaseModel):
    """Where else a near-duplicate passage stands."""

    doc: str
    start: int
    end: int
    page: int | None = None
    section: str = ""


FindingKind = Literal[
    "recommendation", "assessment", "observation", "response", "audit_question", "scope", "method"
]
FINDING_KINDS: tuple[FindingKind, ...] = get_args(FindingKind)
Polarity = Literal["positive", "negative", "partial"]


class FindingSpan(BaseModel):
    """One place a finding stands: ``document.text[start:end]`` is its own text (the
    sentence, or the recommendation's item), ``lead_start``/``lead_end`` its lead-in
    ("Vi rekommenderar kommunstyrelsen att:") when it has one."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    lead_start: int | None = None
    lead_end: int | None = None
    section: list[str] = []
    page: int | None = None
    boards: list[str] = Field(default=[], description="Addressees named at this place.")

    @property
    def section_path(self) -> str:
        return " › ".join(self.section)

    @property
    def block(self) -> tuple[int, int]:
        """The span to cite: the lead-in through the item when there is a lead-in."""
        start = self.lead_start if self.lead_start is not None else self.start
        return min(start, self.start), self.end


class Finding(BaseModel):
    """What an audit report concludes, extracted once at index time (``findings/``).

    ``recommendation``: an action the auditors recommend, with its addressees (``boards``),
    its lead-in and item. ``assessment``: a judgement by the auditors, with the boards it is
    about, its ``verdict`` ("delvis uppfyllt") and ``polarity``; ``overall`` for the summary
    judgement of the whole audit. ``observation``: a statement of fact about named boards
    (what they have or lack). ``response``: a board's answer to the audit.
    ``audit_question``: one of the questions (or control objectives) the audit set out to
    answer, as its report lists them. ``scope``: the boards the audit covers, from the
    sentence that says so ("Granskningen avser kommunstyrelsen, …"). ``method``: how the audit
    was done, a sentence or list item of its method section (the documents studied, who was
    interviewed), with its lead-in. Copies of the
    same finding (cover letter, summary, conclusions) are one finding with several spans,
    the primary one first.
    """

    id: str
    kind: FindingKind
    doc: str
    municipality: str | None = None
    year: int | None = None
    doc_type: str | None = None
    boards: list[str] = Field(default=[], description="Addressees, subjects or responder.")
    text: str = Field(description="The finding's own text, whitespace normalised.")
    lead_in: str | None = None
    verdict: str | None = None
    polarity: Polarity | None = None
    overall: bool = False
    topic: str = Field("", description="The audit question or section it belongs to.")
    from_heading: bool = Field(
        False,
        description="The boards come from the sub-heading above the sentence "
        "('Stadsbyggnadsförvaltningen') or the sentence before it ('Vidare anges att …'), "
        "not from the sentence itself.",
    )
    table_header: str | None = Field(
        None,
        description="For a table's row: the table's first row, which names its columns "
        "('Styrelse/nämnd\\tMål/mått\\tMål 2019 …'), tab-separated as in the document.",
    )
    spans: list[FindingSpan] = Field(min_length=1)
    reasons: list[FindingSpan] = Field(
        default=[],
        description="An assessment's grounds or consequence: the sentences right after it in "
        "its paragraph that go on from it ('Den saknar tydliga mål …', 'Detta då …').",
    )

    @property
    def primary(self) -> FindingSpan:
        return self.spans[0]

    @property
    def full_text(self) -> str:
        """Lead-in and item together, as an auditor reads the recommendation."""
        return f"{self.lead_in} {self.text}" if self.lead_in else self.text


Retriever = Literal["bm25", "dense", "hybrid"]


class Hit(BaseModel):
    """One ranked search result."""

    chunk: Chunk
    score: float
    rank: int = Field(ge=1)
    retrievers: list[str] = Field(default=[], description="Which retrievers found it.")
    copies: list[CopyRef] = Field(default=[], description="Near-duplicates collapsed into it.")
    scores: dict[str, float] = Field(
        default={}, description="Raw score per retriever (dense: cosine, bm25: BM25)."
    )

    def citation(self, n: int) -> Citation:
        c = self.chunk
        return Citation(
            n=n,
            doc=c.doc,
            municipality=c.municipality,
            section=c.section_path,
            page=c.page,
            start=c.start,
            end=c.end,
            text=c.text,
            score=self.score,
        )

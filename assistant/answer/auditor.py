"""Which firm carried out an audit ("Vilket revisionsbolag genomförde granskningen?").

Every report names its firm (PwC, KPMG, EY, Deloitte …), usually in the summary ("PwC har
på uppdrag av Botkyrka kommuns revisorer genomfört en granskning …"), and the corpus
metadata records it per document. The question's words ("revisionsbolag", "audit firm")
are rarely in the report, so the passages alone would make the answer abstain; the answer
names the firm from the metadata and quotes the report's own sentence that names it, so it
stays evidence.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from assistant.answer.cited import Cited
from assistant.answer.phrases import phrase
from assistant.ingest.chunking import outline
from assistant.ingest.sentences import split_lines, split_sentences
from assistant.models import Document

MIN_WORDS = 6  # a sentence, not the signature block ("KPMG AB") or a running header


@dataclass(frozen=True)
class Composed:
    """Paragraphs of the answer; ``empty`` when no document names its firm."""

    paragraphs: list[str]
    empty: bool = False
    places: tuple[str, ...] = ()


def firm_sentence(doc: Document, firm: str) -> tuple[int, int] | None:
    """``(start, end)`` of the first sentence of ``doc`` with at least ``MIN_WORDS``
    words that names ``firm`` as a word (case as written or upper case)."""
    pattern = re.compile(rf"(?<![^\W_]){re.escape(firm)}(?![^\W_])", re.IGNORECASE)
    for span in split_sentences(doc.text):
        if len(span.text.split()) >= MIN_WORDS and pattern.search(span.text):
            return span.start, span.end
    return None


# Headings per document version: the outline runs the chunker over the whole text, which
# an answer should not repeat on every question.
_HEADINGS: dict[tuple[str, str], list[tuple[int, str]]] = {}


def _section_at(doc: Document, offset: int) -> str:
    """The section path at ``offset``, as the chunks are labelled."""
    key = (doc.doc, doc.sha256)
    if key not in _HEADINGS:
        if len(_HEADINGS) > 256:
            _HEADINGS.clear()
        _HEADINGS[key] = [(h.start, " › ".join(h.path)) for h in outline(doc)]
    section = ""
    for start, path in _HEADINGS[key]:
        if start > offset:
            break
        section = path
    return section


def reports_of(documents: Mapping[str, Document], places: Sequence[str]) -> list[Document]:
    """The reports of the asked municipalities (all when none is named), by municipality,
    year and name."""
    folded = {p.casefold() for p in places}
    return sorted(
        (
            d
            for d in documents.values()
            if not folded or (d.meta.municipality or "").casefold() in folded
        ),
        key=lambda d: (d.meta.municipality or d.doc, d.meta.year or 0, d.doc),
    )


def report_place(lang: str, doc: Document) -> str:
    """ "Botkyrka kommun (2020)": the municipality and year of a report."""
    place = phrase(lang, "municipality", name=doc.meta.municipality or doc.doc)
    return f"{place} ({doc.meta.year})" if doc.meta.year else place


def quote_block(cited: Cited, doc: Document, start: int, end: int) -> str:
    """``doc[start:end]`` cited as a source of its own (with its section and page) and
    quoted."""
    n = cited.cite_span(
        doc.doc,
        start,
        end,
        municipality=doc.meta.municipality,
        section=_section_at(doc, start),
        page=doc.page_at(start),
    )
    return cited.quote_span(n, doc.doc, start, end)


def _firm_line(cited: Cited, doc: Document, firm: str) -> str | None:
    """ "The audit in X was carried out by FIRM: <the report's sentence naming it>", or
    None when the report names no such firm."""
    found = firm_sentence(doc, firm) if firm else None
    if found is None:
        return None
    head = phrase(cited.lang, "auditor_line", place=report_place(cited.lang, doc), firm=firm)
    return f"{head} {quote_block(cited, doc, *found)}"


def answer_auditor(
    documents: Mapping[str, Document], places: Sequence[str], cited: Cited
) -> Composed:
    """One line per report of the asked municipalities (all when none is named): the
    firm, then the report's sentence that names it, cited."""
    lines = [
        line
        for d in reports_of(documents, places)
        if (line := _firm_line(cited, d, d.meta.auditor or "")) is not None
    ]
    if not lines:
        return Composed([], empty=True)
    return Composed(lines)


# "Which municipality's report is the oldest?", "Vilken granskning är den senaste?": the
# reports ordered by their year, which the metadata records.
# "senast" alone is "at the latest" ("yttra sig senast 2023-12-15"): only "senaste".
_OLD = r"oldest|earliest|äldst\w*|tidigaste"
_NEW = r"newest|latest|most\s+recent(?:ly)?|nyast\w*|senaste"
_REPORT = r"reports?|audits?|rapport\w*|gransk\w*"
_AGE = re.compile(rf"\b(?:(?P<old>{_OLD})|{_NEW})\b", re.IGNORECASE)
_REPORT_WORD = re.compile(rf"\b(?:{_REPORT})\b", re.IGNORECASE)
_WHICH = re.compile(r"\W*(?:(?:i|in)\s+)?(?:vilken|vilket|vilka|which|what)\b", re.IGNORECASE)
_ASKS_CONTENT = re.compile(
    r"\b(?:rekommend\w*|recommend\w*|bedöm\w*|assess\w*|say|says|said|säger|sade|skriver|"
    r"writes?|conclu\w*|slutsats\w*)",
    re.IGNORECASE,
)
# The opening of a report (its cover letter and title page): this part of it, at most.
OPENING_PART = 5
_DATE_LINE = re.compile(r"(\d{4})-\d{2}-\d{2}")


def asked_age(question: str) -> str | None:
    """ "oldest" or "newest" when the question asks which report is, with a word of age and
    a word for the reports in one question: "Which report is the oldest?", not "What did
    the latest audit in Huddinge recommend?"."""
    if not _WHICH.match(question) or _ASKS_CONTENT.search(question):
        return None
    for asked in question.split("?"):
        m = _AGE.search(asked)
        if m is not None and _REPORT_WORD.search(asked):
            return "oldest" if m.group("old") else "newest"
    return None


def _dated_at(doc: Document) -> tuple[int, int] | None:
    """``(start, end)`` of the report's first line that is a date of its own year, in its
    opening (the cover letter's "2018-12-13", not a date in an appendix), or None."""
    for line in split_lines(doc.text[: len(doc.text) // OPENING_PART]):
        m = _DATE_LINE.fullmatch(line.text)
        if m is not None and int(m.group(1)) == doc.meta.year:
            return line.start, line.end
    return None


def answer_report_age(
    documents: Mapping[str, Document], places: Sequence[str], cited: Cited, age: str
) -> Composed:
    """The oldest (newest) report first, then every report of the asked municipalities
    (all when none is named) by year, each with its dating line quoted when it has one
    (the year is the corpus metadata's). Empty when no report has a year."""
    lang = cited.lang
    dated = [d for d in reports_of(documents, places) if d.meta.year is not None]
    if not dated:
        return Composed([], empty=True)
    dated.sort(key=lambda d: (d.meta.year or 0, d.meta.municipality or d.doc))
    end = dated[0] if age == "oldest" else dated[-1]
    same = [d for d in dated if d.meta.year == end.meta.year]
    head = phrase(
        lang,
        f"report_{age}",
        names=", ".join(report_place(lang, d) for d in same),
    )
    lines = []
    for d in dated:
        found = _dated_at(d)
        dating = f" {quote_block(cited, d, *found)}" if found else ""
        lines.append(f"- {report_place(lang, d)}{dating}")
    return Composed([head, "\n".join(lines)], places=tuple(d.meta.municipality or "" for d in same))


# The firms that write Swedish municipal audit reports, beside those of the corpus.
AUDIT_FIRMS = ("PwC", "KPMG", "EY", "Ernst & Young", "Deloitte", "Grant Thornton", "BDO")


def firms_named(question: str, documents: Mapping[str, Document]) -> list[str]:
    """The audit firms (the corpus's, from its metadata, and ``AUDIT_FIRMS``) that
    ``question`` names as words ("Vilka granskningar gjorde KPMG?"), in the order of
    first mention."""
    firms = {d.meta.auditor for d in documents.values() if d.meta.auditor}
    known = {f.casefold() for f in firms}
    firms |= {f for f in AUDIT_FIRMS if f.casefold() not in known}
    found = []
    for firm in firms:
        m = re.search(rf"(?<![^\W_]){re.escape(firm)}(?![^\W_])", question, re.IGNORECASE)
        if m is not None:
            found.append((m.start(), firm))
    return [firm for _, firm in sorted(found)]


def answer_by_firm(
    documents: Mapping[str, Document], firms: Sequence[str], cited: Cited
) -> Composed:
    """ "Vilka granskningar har gjorts av KPMG och vilka av PwC?": per firm asked, the
    municipalities whose report it wrote (from the metadata), then each report's sentence
    that names the firm, cited."""
    paragraphs: list[str] = []
    places: list[str] = []
    for firm in firms:
        mine = [d for d in reports_of(documents, []) if (d.meta.auditor or "") == firm]
        lines = []
        for d in mine:
            if (line := _firm_line(cited, d, firm)) is not None:
                lines.append(f"- {line}")
                places.append(d.meta.municipality or d.doc)
        if not lines:
            paragraphs.append(phrase(cited.lang, "audits_by_none", firm=firm))
            continue
        names = ", ".join(report_place(cited.lang, d) for d in mine)
        paragraphs.append(phrase(cited.lang, "audits_by", firm=firm, places=names))
        paragraphs.append("\n".join(lines))
    if not places:
        # "Which audits did Deloitte carry out?": none; which firms wrote them instead.
        others = sorted({d.meta.auditor for d in documents.values() if d.meta.auditor})
        if not others:
            return Composed([], empty=True)
        paragraphs += answer_by_firm(documents, others, cited).paragraphs
        return Composed(paragraphs)
    return Composed(paragraphs, places=tuple(dict.fromkeys(places)))

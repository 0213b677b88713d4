"""Findings of one document, extracted once at index time: recommendations, assessments,
observations about named boards, and boards' responses.

``extract_findings(document)`` reads the document text with its section outline (the same
headings the chunks are labelled with) and returns typed findings with exact spans. Copies
of the same finding (cover letter, summary, conclusions, a board's restatement) become one
finding whose first span is the primary copy: the one under a "Rekommendationer" or
"Bedömning" heading when there is one.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from assistant.findings.polarity import (
    clauses,
    is_assessment,
    is_overall,
    polarity,
    subject_boards,
    unframed,
    verdict,
    verdict_polarity,
)
from assistant.findings.recommendations import action_text, bullet_item, extract_recommendations
from assistant.findings.text import Line, content_stems, copy_similarity, lines_of, shown
from assistant.ingest.chunking import Heading, outline
from assistant.ingest.sentences import (
    VERDICT_CELL,
    Span,
    across_page_break,
    find_boards,
    split_sentences,
)
from assistant.models import Document, Finding, FindingKind, FindingSpan, Polarity

# Bump when extraction changes: builds re-extract findings (no re-embedding) on a change.
FINDINGS_VERSION = 28

GENERIC_HEADINGS = frozenset(
    {
        "bedömning",
        "bedömningar",
        "iakttagelser",
        "iakttagelse",
        "kommentar",
        "kommentarer",
        "slutsats",
        "slutsatser",
        "iakttagelser och bedömningar",
        "iakttagelser och bedömning",
        "resultat av granskningen",
        "granskningsresultat",
    }
)
# Under these headings every sentence is the auditors' judgement.
_JUDGEMENT_SECTION = re.compile(r"bedömning|slutsats|revisionell", re.IGNORECASE)
# Under these, framed judgements ("Vi bedömer …") are, descriptions are not.
_ASSESSMENT_SECTION = re.compile(r"bedömning|slutsats|sammanfattning|revisionell", re.IGNORECASE)
_NUMBER_PREFIX = re.compile(r"^\d{1,2}(?:\.\d{1,2}){0,4}\.?\s+")
_RESPONSE_PART = re.compile(
    r"(?:nämndens|styrelsens)\s+(?:yttrande|svar)\b|^svar\s+på\b.*granskning",
    re.IGNORECASE,
)
_RESPONSE_SECTION = re.compile(r"yttrande|svar|ärendebeskrivning", re.IGNORECASE)
# The part of a bundle of replies that is the audit itself: the auditors' letter and report
# ("Revisorernas granskning av kommunens digitaliseringsarbete", "Revisionsrapport: …").
_AUDIT_PART = re.compile(
    r"^(?:revisorernas|kommunrevisionens|revisionens)\s+granskning\b|^revisionsrapport\b"
    r"|^granskning\s+av\b",
    re.IGNORECASE,
)
_RESTATEMENT = re.compile(
    r"^(?:kommunrevisionen|revisionen|syftet|granskningen|granskningens|revisionens|"
    r"utifrån\s+granskning|synpunkter\s+och\s+kommentarer|barn-\s+och\s+utbildnings"
    r"förvaltningen\s+och\s+dess\s+nämnder\s+har\s+fått|utöver\s+ovan|stycket\s+nedan|"
    r"eskilstuna\s+kommuns\s+revisorer|beslutet\s+skickas)|.*\byrkar\s+bifall\b|.*\brekommender"
    # The auditors' request restated ("Kommunstyrelsen och revisorerna önskar synpunkter …").
    r"|.*\bönskar\s+synpunkter\b",
    re.IGNORECASE,
)
_RESPONDER = re.compile(r"\bsom\s+(\S+(?:\s+och\s+\S+)?)\s+svar\b", re.IGNORECASE)
# A sentence that reports a board's answer to the audit ("Socialnämnden uppger i sitt svar
# att …", "Kultur- och fritidsnämnden ger … medhåll").
_REPORTS_ANSWER = re.compile(
    r"\b(?:i\s+sitt\s+(?:svar|yttrande)|ställer\s+sig\s+(?:\w+\s+){0,2}?(?:positiva?|bakom)|"
    r"instämmer|medhåll|(?:yttrande|svar)\s+(?:\w+\s+){0,4}?(?:visar|redovisar))",
    re.IGNORECASE,
)
_PURPOSE_START = re.compile(
    r"^(?:syftet|granskningen\s+har\s+syftat|granskningens\s+syfte|revisionsfråga)",
    re.IGNORECASE,
)
MIN_WORDS = 5
# A bullet sharing this much of its content with a recommendation repeats it.
RESTATED_SHARE = 0.6


# How the audit was done: the documents read and the people met ("Dokument som ingått i
# granskningen är: …", "Intervjuer har genomförts med …").
_METHOD_START = re.compile(
    r"^(?:dokument\s+som\s+ingått|granskningen\s+har\s+genomförts\s+(?:genom|via|med)|"
    r"(?:under\s+granskningen\s+har\s+intervjuer|intervjuer\s+har)\s+(?:genomförts|gjorts|hållits)|"
    r"vi\s+har\s+(?:tagit\s+del\s+av|intervjuat))"
    # The method as a list item ("- Dokumentstudier av Digitaliseringsstrategi …").
    r"|^(?:[-•*–]\s*)?dokumentstudier\b",
    re.IGNORECASE,
)


# Who was commissioned ("KPMG har av … revisorer fått i uppdrag att granska …", "På
# uppdrag av de förtroendevalda revisorerna har PwC granskat …"): what was examined.
_COMMISSION = re.compile(
    r"^(?:KPMG|PwC|EY|Deloitte|Ernst\s*&\s*Young|Vi)\s+har\s+(?:av\s+[^.]{0,100}?\s+)?"
    r"fått\s+i\s+uppdrag\b"
    r"|^på\s+uppdrag\s+av\b",
    re.IGNORECASE,
)


def describes_the_audit(sentence: str) -> bool:
    """Whether a sentence states the audit's purpose, question or method ("Syftet med
    granskningen har varit att bedöma om …", "Dokument som ingått i granskningen är: …"):
    what was examined and how, not what was found."""
    flat = " ".join(sentence.split())
    return bool(_PURPOSE_START.match(flat) or _METHOD_START.match(flat) or _COMMISSION.match(flat))


RESPONSE_MIN_WORDS = 8
COPY_SIMILARITY = 0.6
SENTENCE_COPY_SIMILARITY = 0.85


@dataclass
class _Draft:
    kind: FindingKind
    span: FindingSpan
    text: str
    key: frozenset[str]
    boards: list[str] = field(default_factory=list)
    # An assessment's content without its frame ("Vi bedömer att …"): the summary's
    # "Strukturen … är inte ändamålsenlig" copies the assessment section's framed one.
    core: frozenset[str] | None = None
    lead_in: str | None = None
    verdict: str | None = None
    polarity: Polarity | None = None
    overall: bool = False
    topic: str = ""
    primary_rank: int = 1
    from_heading: bool = False
    table_header: str | None = None


def section_topic(section: Sequence[str]) -> str:
    """The nearest heading of a section path that names a subject, without its number
    ("3.6 Kostnads- och nyttoanalyser och uppföljning › 3.6.1 Bedömning" → "Kostnads- och
    nyttoanalyser och uppföljning"); "" when none does."""
    for name in reversed(section):
        bare = _NUMBER_PREFIX.sub("", name).strip()
        if bare.casefold() not in GENERIC_HEADINGS:
            return bare
    return ""


class _Outline:
    """Section path and part of any offset of a document."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.headings: list[Heading] = outline(doc)
        self.starts = [h.start for h in self.headings]

    def at(self, offset: int) -> list[str]:
        i = bisect.bisect_right(self.starts, offset) - 1
        return list(self.headings[i].path) if i >= 0 else []

    def topic(self, offset: int) -> str:
        """The nearest heading that names a subject (not "Bedömning" or "Iakttagelser")."""
        return section_topic(self.at(offset))

    def span(
        self, start: int, end: int, lead: Span | None = None, boards: Iterable[str] = ()
    ) -> FindingSpan:
        return FindingSpan(
            start=start,
            end=end,
            lead_start=lead.start if lead else None,
            lead_end=lead.end if lead else None,
            section=self.at(start),
            page=self.doc.page_at(start),
            boards=list(boards),
        )

    def parts(self) -> list[tuple[int, int, Heading]]:
        """``(start, end, heading)`` of each part of a compiled document (level 0)."""
        tops = [h for h in self.headings if h.level == 0]
        out = []
        for i, h in enumerate(tops):
            end = tops[i + 1].start if i + 1 < len(tops) else len(self.doc.text)
            out.append((h.start, end, h))
        return out


def extract_findings(doc: Document) -> list[Finding]:
    """Every finding of ``doc``, copies merged, in document order of their primary span."""
    where = _Outline(doc)
    drafts: list[_Draft] = []
    responses = _response_parts(where)
    in_response = _inside_any([(s, e) for s, e, _ in responses])
    drafts.extend(_recommendations(doc, where, [(s, e) for s, e, _ in responses]))
    taken = [(d.span.start, d.span.end) for d in drafts]
    taken += [(d.span.lead_start, d.span.lead_end) for d in drafts if d.span.lead_start is not None]  # type: ignore[misc]
    drafts.extend(_audit_questions(doc, where, in_response))
    taken += [(d.span.start, d.span.end) for d in drafts if d.kind == "audit_question"]
    drafts.extend(_scope(doc, where, in_response))
    taken += [(d.span.start, d.span.end) for d in drafts if d.kind == "scope"]
    sentences = _whole_sentences(doc.text)
    drafts.extend(_method(doc, where, sentences, _inside_any(taken), in_response))
    taken += [(d.span.start, d.span.end) for d in drafts if d.kind == "method"]
    drafts.extend(_verdict_rows(doc, where, in_response))
    taken += [(d.span.start, d.span.end) for d in drafts if d.kind == "assessment"]
    drafts.extend(_sentences(doc, where, sentences, _inside_any(taken), in_response))
    drafts.extend(_board_rows(doc, where, _inside_any(taken), in_response))
    restated = [d.key for d in drafts if d.kind == "recommendation"]
    drafts.extend(_responses(doc, where, responses, restated))
    findings = _merge(doc, drafts)
    for f in findings:
        if f.kind == "assessment":
            f.reasons = next((r for s in f.spans if (r := _reasons(doc, where, s))), [])
    return findings


# A sentence that goes on from the judgement before it: its grounds, consequence or
# example ("Den saknar tydliga mål …", "Detta då styrning … inte är samstämmiga", "Mot
# bakgrund av detta ser vi en risk …"). "Det finns …" starts a statement of its own.
# "Den"/"De"/"Dessa" only as the subject ("De har …"), not as an article ("De
# handlingsplaner som finns …").
_GOES_ON = re.compile(
    r"^(?:(?:Den|De|Dessa)\s+(?:har|hade|är|var|saknar|saknas|kan|ska|skulle|bör|behöver|"
    r"utgör|innebär|omfattar|bedöms|anses|gäller|visar|uppfyller|når|leder|tar|ger)\b|"
    r"(?:Detta|Därmed|Därför|Mot\s+bakgrund\s+av|Vilket|Exempelvis|Bland\s+annat|"
    r"Orsaken|Skälet|Anledningen)\b)"
)
MAX_REASONS = 2
_RECOMMENDS = re.compile(r"\brekommender", re.IGNORECASE)


def _reasons(doc: Document, where: _Outline, span: FindingSpan) -> list[FindingSpan]:
    """The sentences after ``span`` in its paragraph that go on from it (at most two).
    Under a "Bedömning" heading the paragraph that opens with a verdict goes on with its
    grounds, whatever their first word ("Det krävs olika inloggningar …"), up to a
    recommendation."""
    line_start = doc.text.rfind("\n", 0, span.start) + 1
    line_end = doc.text.find("\n", span.end)
    if "\t" in doc.text[line_start : len(doc.text) if line_end < 0 else line_end]:
        return []  # a table's cell: the row, quoted whole, holds its comment
    end = doc.text.find("\n\n", span.end)
    end = len(doc.text) if end < 0 else end
    section = where.at(span.start)
    grounds = bool(section) and "bedömning" in section[-1].casefold()
    out: list[FindingSpan] = []
    for sentence in split_sentences(doc.text[span.end : end]):
        text = sentence.text.strip()
        if len(out) == MAX_REASONS or _RECOMMENDS.search(text):
            break
        if grounds and ("\t" in text or text.endswith("?") or len(text.split()) < MIN_WORDS):
            break  # a table's next row ("Är uppföljningen tillräcklig? | Uppfyllt")
        if not grounds and not _GOES_ON.match(text):
            break
        out.append(where.span(span.end + sentence.start, span.end + sentence.end))
    return out


def _recommendations(doc: Document, where: _Outline, quoted: list[tuple[int, int]]) -> list[_Draft]:
    heads = [(h.start, h.title) for h in where.headings]
    out = []
    for raw in extract_recommendations(doc.text, heads, quoted=quoted):
        item = raw.item
        section = where.at(item.start)
        in_recs = any("rekommendation" in s.casefold() for s in section[-1:])
        out.append(
            _Draft(
                kind="recommendation",
                span=where.span(item.start, item.end, raw.lead, raw.addressees),
                text=shown(item.text),
                key=content_stems(action_text(item.text)),
                boards=list(raw.addressees),
                lead_in=shown(raw.lead.text) if raw.lead else None,
                topic=where.topic(item.start),
                primary_rank=0 if in_recs else (1 if raw.lead else 2),
            )
        )
    return out


# The lead-in of the audit's own questions or control objectives: "Granskningen avser att
# besvara följande revisionsfrågor:", "De revisionsfrågor som ska besvaras av granskningen
# är:", "Inom ramen för denna granskning ska följande kontrollmål besvaras:".
_AUDIT_QUESTIONS_LEAD = re.compile(r"\b(?:revisionsfrågor|kontrollmål)\b[^.?!:]*:\s*$", re.I)


def _audit_questions(
    doc: Document, where: _Outline, in_response: Callable[[int], bool]
) -> list[_Draft]:
    """The audit's questions (revisionsfrågor) or control objectives (kontrollmål): the
    items listed after their lead-in, one finding per item (an item asking two things,
    "Finns det strukturerade arbetssätt …? Följer styrelsen upp …?", stays one). Blank
    lines between items do not end the list; any other line does."""
    out = []
    lines = lines_of(doc.text)
    for i, line in enumerate(lines):
        if in_response(line.start) or not _AUDIT_QUESTIONS_LEAD.search(line.text):
            continue
        for line_after in lines[i + 1 :]:
            item = bullet_item(line_after)
            if item is None:
                break
            start, end = item.start, item.end
            text = shown(item.text)
            out.append(
                _Draft(
                    kind="audit_question",
                    span=where.span(start, end),
                    text=text,
                    key=content_stems(text),
                    topic=where.topic(start),
                )
            )
    return out


# What the audit covers, said of the audit ("Granskningen avser kommunstyrelsen, …",
# "Granskningen omfattar den övergripande styrningen … och avser kommunstyrelsen, …",
# "Granskningen avgränsas till att gälla kommunstyrelsens styrning …", "Granskningen
# avgränsar sig till att avse kommunstyrelsen"), not what it sets out to do ("Granskningen
# avser att besvara …").
_SCOPE = re.compile(
    r"^(?:Granskningen|Revisionen)\s+(?:omfattar\b[^.]*?\b(?=avser\b))?"
    r"(?:avser|omfattar|(?:har\s+)?avgränsa(?:s|ts|r\s+sig)\s+till(?:\s+att\s+(?:gälla|avse))?)"
    r"\s+(?!att\b)"
)


def _scope(doc: Document, where: _Outline, in_response: Callable[[int], bool]) -> list[_Draft]:
    """The boards the audit covers, from the sentence that says so (its boards are those
    named after the verb)."""
    out = []
    for span in split_sentences(doc.text):
        if in_response(span.start):
            continue
        m = _SCOPE.match(span.text)
        boards = find_boards(span.text[m.end() :]) if m else []
        if not boards:
            continue
        out.append(
            _Draft(
                kind="scope",
                span=where.span(span.start, span.end),
                text=shown(span.text),
                key=content_stems(span.text),
                boards=boards,
                topic=where.topic(span.start),
            )
        )
    return out


# The section on how the audit was done: "2.3 Metod", "2.5. Metod och avgränsning".
_METHOD_HEADING = re.compile(r"^\W*metod\b", re.IGNORECASE)


def _method(
    doc: Document,
    where: _Outline,
    sentences: Sequence[tuple[Span, str]],
    taken: Callable[[int], bool],
    in_response: Callable[[int], bool],
) -> list[_Draft]:
    """How the audit was done, from its method section: each sentence ("Granskningen har
    genomförts genom dokumentstudier och intervjuer.", "Rapporten är faktakontrollerad
    …") and each item after a lead-in ("Intervjuer har genomförts med följande
    funktioner:" / "- IT-direktör"), with its lead-in. The scope said there is a scope.
    ``sentences`` are the document's whole sentences (``_whole_sentences``)."""
    out: list[_Draft] = []
    starts = [span.start for span, _ in sentences]
    for i, heading in enumerate(where.headings):
        title = _NUMBER_PREFIX.sub("", heading.title.strip())
        if not _METHOD_HEADING.match(title) or in_response(heading.start):
            continue
        end = where.headings[i + 1].start if i + 1 < len(where.headings) else len(doc.text)
        lead: Span | None = None
        first = bisect.bisect_left(starts, heading.end)
        last = bisect.bisect_left(starts, end)
        for span, said in sentences[first:last]:
            line_start = doc.text.rfind("\n", 0, span.start) + 1
            line_end = doc.text.find("\n", span.start)
            line_end = len(doc.text) if line_end < 0 else line_end
            item = bullet_item(Line(line_start, line_end, doc.text[line_start:line_end]))
            if item is None:
                lead = None  # a paragraph ends the list before it
            if taken(span.start):
                continue
            if item is None and said.rstrip().endswith(":"):
                lead = span
                continue
            out.append(
                _Draft(
                    kind="method",
                    span=where.span(span.start, span.end, lead if item else None),
                    text=shown(said),
                    key=content_stems(said),
                    lead_in=shown(lead.text) if item and lead else None,
                    topic=title,
                )
            )
    return out


def _verdict_rows(
    doc: Document, where: _Outline, in_response: Callable[[int], bool]
) -> list[_Draft]:
    """Verdicts given per audit question or control objective: a table row whose cell
    starts with "Delvis uppfyllt", or a line that is only the verdict under its question."""
    out = []
    lines = lines_of(doc.text)
    for i, line in enumerate(lines):
        if in_response(line.start):
            continue
        cells = [c.strip() for c in line.text.split("\t")]
        if len(cells) >= 2 and (not cells[0] or _board_label(cells[0])):
            # A continuation row, or a board's row (see _board_rows); a control objective
            # naming a board ("Det finns en av kommunstyrelsen … fastställda mål …") is not.
            continue
        if len(cells) >= 2 and any(VERDICT_CELL.match(c) for c in cells[1:]):
            cell = next(c for c in cells[1:] if VERDICT_CELL.match(c))
            m = VERDICT_CELL.match(cell)
            assert m is not None
            out.append(_verdict_draft(where, line, cells[0], m.group("v"), line.start, line.end))
            continue
        m = VERDICT_CELL.match(line.text.strip())
        if m and len(line.text.split()) <= 3 and i > 0:
            question = lines[i - 1]
            if question.text.rstrip().endswith((".", "?")) and len(question.text.split()) <= 40:
                out.append(
                    _verdict_draft(
                        where, line, question.text.strip(), m.group("v"), question.start, line.end
                    )
                )
    return out


def _verdict_draft(
    where: _Outline, line: Line, question: str, value: str, start: int, end: int
) -> _Draft:
    value = " ".join(value.casefold().replace("nästan/delvis", "delvis").split())
    value = value.replace("uppfylld", "uppfyllt").replace("ej ", "inte ")
    topic = shown(question)
    judged = bool(_ASSESSMENT_SECTION.search(" ".join(where.at(start)[-1:])))
    return _Draft(
        # The auditors' verdict per question under a Bedömning heading (or in the summary);
        # elsewhere a verdict row reports a board's own goal ("Socialnämnden — Delvis
        # uppfyllt" in a table of goals), which is an observation.
        kind="assessment" if judged else "observation",
        span=where.span(start, end),
        text=f"{topic} — {value.capitalize()}",
        key=content_stems(f"{topic} {value}"),
        boards=subject_boards(topic),
        verdict=value,
        polarity=verdict_polarity(value),
        topic=topic,
        primary_rank=0 if judged else 1,
    )


# A sentence that goes on about the previous one's subject.
# A reported "att"-clause without a verb of saying goes on with what was said: "… lämnar
# några förtydliganden och medskick. Bland annat att arbetet … förväntas ge …".
_CONTINUES = re.compile(
    r"^(?:vidare|dessutom|därutöver|därtill|(?:bland\s+annat|samt|även|och)\s+att)\b",
    re.IGNORECASE,
)
# "Vård- och omsorgsnämndens plan … Utifrån nämndens ansvarsområden är det främst …": the
# board the previous sentence was about, when it was one board.
_ANAPHOR = re.compile(r"\b(?:nämnden|nämndens|styrelsen|styrelsens)\b", re.IGNORECASE)


def _whole_sentences(text: str) -> list[tuple[Span, str]]:
    """The sentences of ``text`` and what each says, a sentence a page break split made
    whole ("… samtliga nämnder ännu inte" / "har beslutat om mål- och handlingsplaner …";
    the page's running header between left out of what it says): its second part is no
    sentence of its own."""
    out: list[tuple[Span, str]] = []
    for span in split_sentences(text):
        if out and span.start < out[-1][0].end:
            continue  # the rest of a sentence made whole
        pieces = across_page_break(text, span.start, span.end)
        start, end = pieces[0][0], max(pieces[-1][1], span.end)
        if (start, end) == (span.start, span.end):
            out.append((span, span.text))
        else:
            said = " ".join(text[a:b] for a, b in pieces)
            out.append((Span(start, end, text[start:end]), said))
    return out


def _sentences(
    doc: Document,
    where: _Outline,
    sentences: Sequence[tuple[Span, str]],
    taken: Callable[[int], bool],
    in_response: Callable[[int], bool],
) -> list[_Draft]:
    """Assessments (judgements, with verdict and the boards they are about) and
    observations (facts about named boards) among the document's sentences."""
    out = []
    subject_at = _subject_headings(doc, where)
    last_end = 0
    last_about: list[str] = []
    last_kind: str | None = None
    for span, said in sentences:
        # The boards the previous sentence of the same paragraph was about: "Vidare anges
        # att …" goes on about them.
        same_paragraph = "\n\n" not in doc.text[last_end : span.start]
        before = last_about if same_paragraph else []
        before_kind = last_kind if same_paragraph else None
        last_end, last_about, last_kind = span.end, [], None
        if taken(span.start) or "\t" in span.text:
            continue
        flat = " ".join(said.split())
        if len(flat.split()) < MIN_WORDS or _PURPOSE_START.match(flat):
            continue
        if flat.endswith("?"):
            continue  # an audit question: the topic of findings, not one itself
        section = where.at(span.start)
        in_assessment = bool(section) and bool(_ASSESSMENT_SECTION.search(section[-1]))
        parts = clauses(flat)
        about = _unique(b for c in parts for b in c.subjects)
        from_heading = False
        if not about and (
            (before and _CONTINUES.match(flat)) or (len(before) == 1 and _ANAPHOR.search(flat))
        ):
            # "Av utbildningsnämndens verksamhetsberättelse framgår … Vidare anges att
            # framtagandet av en handlingsplan … har påbörjats": still that board; weighed
            # as a remark whose board is not named in the sentence itself.
            about, from_heading = list(before), True
        continued_reply = from_heading and before_kind == "response"
        last_about = about
        if not about and not in_response(span.start):
            # Under a sub-heading that names an administration ("Stadsbyggnadsförvaltningen")
            # a sentence without a subject of its own ("Intervjupersoner framför att de inte
            # arbetar med några modeller …") is about that administration's board.
            about = subject_at(span.start, section)
            from_heading = bool(about)
        judgement = bool(section) and bool(_JUDGEMENT_SECTION.search(section[-1]))
        if (judgement and not in_response(span.start)) or is_assessment(flat, in_assessment):
            kind: FindingKind = "assessment"
        elif about and (_REPORTS_ANSWER.search(flat) or continued_reply):
            # "Socialnämnden uppger i sitt svar att … Nämnden anser att …": still the reply.
            kind = "response"
        elif about and not in_response(span.start) and flat.endswith((".", "!")):
            kind = "observation"
        else:
            continue
        last_kind = kind
        value = verdict(flat) if kind == "assessment" else None
        pol = verdict_polarity(value) if value else polarity(flat)
        out.append(
            _Draft(
                kind=kind,
                span=where.span(span.start, span.end),
                text=shown(said),
                key=content_stems(flat),
                core=content_stems(unframed(flat)) if kind == "assessment" else None,
                boards=about,
                verdict=value,
                polarity=pol,
                overall=kind == "assessment" and is_overall(flat),
                topic=where.topic(span.start),
                primary_rank=(0 if in_assessment else 1) + (2 if in_response(span.start) else 0),
                from_heading=from_heading,
            )
        )
    return out


# A paragraph that is only the name of an administration, office or board: the sub-heading
# of the part of a section about it ("Stadsbyggnadsförvaltningen", "Kommunledningskontoret").
# A one-word name or a shared-head pair: "Social", "Vård- och omsorgs".
_NAME_STEM = r"(?:[^\W\d_]+-\s+(?:och|samt)\s+)?[^\W\d_]+"
_SUBJECT_HEADING = re.compile(
    rf"^(?P<name>{_NAME_STEM}(?P<kind>förvaltningen|kontoret|nämnden|styrelsen))$",
    re.IGNORECASE,
)


# A sub-heading naming one board's document: "Kommunstyrelsens plan för digital
# transformation 2022–2023", "[Vård- och omsorgsnämndens plan 2022](#)".
_BOARD_DOCUMENT_HEADING = re.compile(
    rf"^(?P<name>{_NAME_STEM}(?:nämnden|styrelsen))s\s+"
    r"(?:plan|planer|verksamhetsplan|handlingsplan|strategi|digitaliseringsplan|"
    r"digitaliseringsstrategi)\b[^.:]{0,60}$",
    re.IGNORECASE,
)
_LINK = re.compile(r"^\[(?P<text>[^\]]+)\]\([^)]*\)$")


def subject_heading(line: str, boards: Iterable[str]) -> str | None:
    """The board a sub-heading line names: a board itself, or the board of an
    administration when the document names it ("Socialförvaltningen" → "Socialnämnden"
    when the report speaks of socialnämnden), else the administration ("Kommunledningskontoret");
    or the board whose plan or strategy it names ("Stadsbyggnadsnämndens plan 2022")."""
    flat = " ".join(line.split())
    link = _LINK.match(flat)
    flat = link.group("text").strip() if link else flat
    document = _BOARD_DOCUMENT_HEADING.match(flat)
    if document is not None:
        name = document.group("name")
        return name[:1].upper() + name[1:]
    m = _SUBJECT_HEADING.match(flat)
    if m is None:
        return None
    name, kind = m.group("name"), m.group("kind").casefold()
    if kind in ("nämnden", "styrelsen"):
        return name[:1].upper() + name[1:]
    stem = name[: -len(kind)].casefold()
    if kind == "förvaltningen":
        for board in boards:
            if board.casefold() == stem + "nämnden":
                return board
    return name[:1].upper() + name[1:]


def _board_label(cell: str) -> str | None:
    """The board a table row is about when its first cell is a short label naming it (as
    ``_board_rows`` reads it), else None."""
    first = shown(cell)
    boards = find_boards(first) if first and len(first.split()) <= MAX_LABEL_WORDS else []
    return boards[0] if boards else None


# A row's first cell of at most this many words labels the row with its board.
MAX_LABEL_WORDS = 6


def _only_a_board(text: str) -> bool:
    """Whether a line is nothing but one board's name."""
    found = find_boards(text)
    return len(found) == 1 and len(text.split()) <= len(found[0].split()) + 1


def _subject_headings(doc: Document, where: _Outline) -> Callable[[int, list[str]], list[str]]:
    """Which board the sub-heading above an offset names, within the same section."""
    boards = find_boards(doc.text)
    # Each non-empty line with the board its name gives, if any.
    named: list[tuple[int, int, str | None, bool]] = []
    for line in lines_of(doc.text):
        text = line.text.strip()
        if not text:
            continue
        short = len(text) <= 80
        board = subject_heading(text, boards) if short else None
        # A line that is only a board's name, of any form ("V-Dala miljö- och byggnadsnämnd").
        bare = short and (board is not None or _only_a_board(text))
        named.append((line.start, line.end, board, bare))
    marks: list[tuple[int, list[str], str]] = []
    for i, (start, end, board, _) in enumerate(named):
        # A run of board names, one per line, is an address list (the cover letter's
        # "Kommunstyrelsen / Bildningsstyrelsen / Omsorgsstyrelsen"), not a sub-heading.
        listed = (i > 0 and named[i - 1][3]) or (i + 1 < len(named) and named[i + 1][3])
        if board is not None and not listed:
            marks.append((end, where.at(start), board))
    starts = [m[0] for m in marks]

    def at(offset: int, section: list[str]) -> list[str]:
        i = bisect.bisect_right(starts, offset) - 1
        if i < 0 or marks[i][1] != section:
            return []
        return [marks[i][2]]

    return at


def _board_rows(
    doc: Document,
    where: _Outline,
    taken: Callable[[int], bool],
    in_response: Callable[[int], bool],
) -> list[_Draft]:
    """Table rows about one board each ("Socialnämnden | Andelen e-ansökningar … | 49 %",
    "Kultur- och fritidsnämnden | Utdrag ur verksamhetsplanen …"): observations of that
    board. A continuation row (empty first cell) belongs to the board above it."""
    out = []
    label: str | None = None
    header: str | None = None
    for line in lines_of(doc.text):
        if "\t" not in line.text:
            label = header = None
            continue
        if header is None:
            header = line.text  # a table's first row names its columns
        if taken(line.start) or in_response(line.start):
            continue
        cells = line.text.split("\t")
        first = shown(cells[0])
        named = _board_label(cells[0])
        if first:
            label = named
        board = named or (label if not first else None)
        rest = " ".join(shown(c) for c in cells[1:] if c.strip())
        if board is None or len(rest.split()) < 3:
            continue
        text = shown(line.text)
        value = verdict(rest)
        out.append(
            _Draft(
                kind="observation",
                span=where.span(line.start, line.end),
                text=text,
                key=content_stems(text),
                boards=[board],
                verdict=value,
                polarity=verdict_polarity(value) if value else polarity(rest),
                topic=where.topic(line.start),
                primary_rank=1,
                table_header=header,
            )
        )
    return out


def _response_parts(where: _Outline) -> list[tuple[int, int, str]]:
    """``(start, end, board)`` of each part of a compiled document that is a board's
    answer to the audit."""
    out = []
    for start, end, heading in where.parts():
        if not _RESPONSE_PART.search(heading.title):
            continue
        boards = find_boards(heading.title)
        if not boards:
            m = _RESPONDER.search(where.doc.text[start:end])
            boards = find_boards(m.group(1)) if m else []
        if boards:
            out.extend(_by_decision(where, start, end, boards[0]))
    return out


def is_audit_part(section: Sequence[str]) -> bool:
    """Whether a passage under ``section`` belongs to the audit report itself: its part (the
    first heading) is the auditors' letter or report, as in a municipality's bundle of replies
    that includes the report they answer."""
    return bool(section) and bool(_AUDIT_PART.search(section[0].strip()))


_DECISION = re.compile(r"^(?:förslag\s+till\s+)?beslut$", re.IGNORECASE)
_LEADING_NUMBER = re.compile(r"^\d+\.\s*")


def _by_decision(where: _Outline, start: int, end: int, board: str) -> list[tuple[int, int, str]]:
    """A part split at its decisions ("Förslag till beslut", "Beslut"): the minutes of a
    compiled document often run one board's decision on into the next board's under one
    title. A decision whose first sentence starts with a board's name ("Vård- och
    omsorgsnämnden ställer sig bakom …") is that board's, and so is what follows it."""
    cuts = [
        h.end for h in where.headings if start < h.start < end and _DECISION.match(h.title.strip())
    ]
    out: list[tuple[int, int, str]] = []
    edges = [start, *cuts, end]
    for a, b in itertools.pairwise(edges):
        first = where.doc.text[a:b].strip().split("\n", 1)[0]
        first = _LEADING_NUMBER.sub("", first)
        named = find_boards(first[:120])
        if named and first.casefold().startswith(named[0].casefold()):
            board = named[0]
        if out and out[-1][2] == board:
            out[-1] = (out[-1][0], b, board)
        else:
            out.append((a, b, board))
    return out


def _responses(
    doc: Document,
    where: _Outline,
    parts: list[tuple[int, int, str]],
    restated: Sequence[frozenset[str]] = (),
) -> list[_Draft]:
    """A board's own statements in its part of the document: what it says it agrees with,
    plans or has done (restated assessments and recommendations left out). A bullet is a
    statement ("- Stadsbyggnadsförvaltningen har förstärkt personalstyrkan …") unless it
    repeats one of the recommendations (``restated``: their content stems)."""
    out: list[_Draft] = []
    for start, end, board in parts:
        last: _Draft | None = None
        for line in lines_of(doc.text[start:end]):
            s, e = start + line.start, start + line.end
            text = line.text.strip()
            section = where.at(s)
            if not section or not _RESPONSE_SECTION.search(section[-1]) or s == start:
                continue
            if text[:1].islower():
                if last is not None:
                    # The paragraph goes on after a page break: one statement, one span.
                    last.span = where.span(last.span.start, e)
                    last.text = f"{last.text} {shown(text)}"
                    last.key = content_stems(last.text)
                # Else the rest of a paragraph whose start was no statement: a fragment
                # ("möjliggörande principerna och bidrar …") is no response of its own.
                continue
            bullet = text.startswith(("-", "•"))
            if bullet:
                text = text.lstrip("-• \t")
                stems = content_stems(text)
                if any(len(stems & r) >= RESTATED_SHARE * max(len(stems), 1) for r in restated):
                    last = None
                    continue  # a recommendation repeated in the board's decision
            if (
                len(text.split()) < RESPONSE_MIN_WORDS
                or text.startswith(("1.", "2.", "3."))
                or text[:1] in "¹²³⁴⁵⁶⁷⁸⁹⁰"  # a footnote, not a statement
                or _RESTATEMENT.match(text)
                or is_overall(text)
            ):
                last = None
                continue
            if bullet:
                s = start + line.start + line.text.find(text)  # without its bullet
            last = _Draft(
                kind="response",
                span=where.span(s, e),
                text=shown(text),
                key=content_stems(text),
                boards=[board],
                topic=_NUMBER_PREFIX.sub("", section[0]),
                primary_rank=0,
            )
            out.append(last)
    # A statement ends its sentence; a line without an end is a heading or a restated
    # recommendation, unless a page break cut it and the next line went on with it.
    return [d for d in out if d.text.rstrip().endswith((".", "!"))]


def _merge(doc: Document, drafts: list[_Draft]) -> list[Finding]:
    """One finding per group of copies: same kind, same content (stems), any place."""
    groups: list[list[_Draft]] = []
    for draft in sorted(drafts, key=lambda d: d.span.start):
        threshold = COPY_SIMILARITY if draft.kind == "recommendation" else SENTENCE_COPY_SIMILARITY
        for group in groups:
            head = group[0]
            same_list = draft.span.lead_start is not None and any(
                d.span.lead_start == draft.span.lead_start for d in group
            )
            if (
                head.kind == draft.kind
                and not same_list
                and _copy_similarity(head, draft) >= threshold
            ):
                group.append(draft)
                break
        else:
            groups.append([draft])
    findings = []
    for group in groups:
        ordered = sorted(group, key=lambda d: (d.primary_rank, d.span.start))
        first = ordered[0]
        boards = _unique(b for d in ordered for b in d.boards)
        spans = _unique_spans(d.span for d in ordered)
        digest = hashlib.sha1(f"{doc.doc}\0{first.kind}\0{first.text}".encode()).hexdigest()[:16]
        findings.append(
            Finding(
                id=digest,
                kind=first.kind,
                doc=doc.doc,
                municipality=doc.meta.municipality,
                year=doc.meta.year,
                doc_type=doc.meta.doc_type,
                boards=boards,
                text=first.text,
                lead_in=first.lead_in or next((d.lead_in for d in ordered if d.lead_in), None),
                verdict=first.verdict or next((d.verdict for d in ordered if d.verdict), None),
                polarity=first.polarity,
                overall=any(d.overall for d in ordered),
                topic=first.topic,
                from_heading=all(d.from_heading for d in ordered),
                table_header=first.table_header,
                spans=spans,
            )
        )
    findings.sort(key=lambda f: f.primary.start)
    return findings


def _copy_similarity(a: _Draft, b: _Draft) -> float:
    """How alike two drafts' contents are, with or without their assessments' frames."""
    same = copy_similarity(a.key, b.key)
    if a.core is not None and b.core is not None:
        same = max(same, copy_similarity(a.core, b.core))
    return same


def _unique(items: Iterable[str]) -> list[str]:
    out: list[str] = []
    for item in items:
        if item not in out:
            out.append(item)
    return out


def _unique_spans(spans: Iterable[FindingSpan]) -> list[FindingSpan]:
    out: list[FindingSpan] = []
    for span in spans:
        if all((s.start, s.end) != (span.start, span.end) for s in out):
            out.append(span)
    return out


def _inside_any(spans: list[tuple[int, int]]) -> Callable[[int], bool]:
    ordered = sorted(spans)
    starts = [s for s, _ in ordered]

    def inside(pos: int) -> bool:
        i = bisect.bisect_right(starts, pos) - 1
        return any(s <= pos < e for s, e in ordered[max(0, i - 8) : i + 1])

    return inside

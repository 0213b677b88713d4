"""Recommendations: lead-ins, their items, and the boards they are addressed to.

Audit reports give recommendations in a few shapes, all handled here on the document text
(not on chunks, so a list split over two chunks stays whole):

- a lead-in and bulleted or numbered items ("Vi rekommenderar kommunstyrelsen att:" then
  "- Revidera …"), possibly behind an umbrella lead-in ("… följande rekommendationer:"
  then "Samtliga nämnder rekommenderas att:") or inside a numbered item ("1. Utifrån den
  genomförda granskningen rekommenderar vi kommunstyrelsen att:");
- a lead-in followed by plain paragraphs that each start with the action ("Revidera …");
- items directly under a "Rekommendationer" heading, without a lead-in;
- one sentence ("Vi rekommenderar kommunstyrelsen att säkerställa att …").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.findings.polarity import ALL_BOARDS, subject_boards
from assistant.findings.text import Line, is_heading_line, lines_of
from assistant.ingest.sentences import Span, find_boards, split_sentences

_BULLET = re.compile(r"^\s*(?:[-*•–·]|\d{1,2}[.)])\s+")
_RECOMMENDS = re.compile(
    r"\brekommender(?:ar|as)\b|\brekommendera\b|\bföljande\s+rekommendationer\b",
    re.IGNORECASE,
)
_PAST = re.compile(r"\brekommenderade\b|\blämnade\b|\bhade\s+rekommenderat", re.IGNORECASE)
_INLINE = re.compile(
    r"\b(?:vi|revisionen|kommunrevisionen|revisorerna|stadsrevisionen)\s+rekommender(?:ar|a)\b"
    r"|\brekommenderar\s+vi\b|\brekommenderas\b",
    re.IGNORECASE,
)
_EXCEPT = re.compile(r"samtliga\s+nämnder\s+med\s+undantag\s+för\s+(\S+)", re.IGNORECASE)
_ALL = re.compile(
    r"\b(?:samtliga|alla)\s+(?:styrelser(?:\s+och\s+nämnd(?:er|en))?|nämnder)\b"
    r"|\bstyrelserna\s+och\s+nämnde(?:n|rna)\b",
    re.IGNORECASE,
)
_COUNCIL = re.compile(r"\b(?:kommun)?fullmäktige\b", re.IGNORECASE)
_AFTER_VERB = re.compile(
    r"rekommender(?:ar|a)\s+(?:vi\s+|revisionen\s+|kommunrevisionen\s+|revisorerna\s+)?(.*)$",
    re.IGNORECASE | re.DOTALL,
)
_BEFORE_PASSIVE = re.compile(r"^(.*?)\s+rekommenderas\b", re.IGNORECASE | re.DOTALL)
_AFTER_PASSIVE = re.compile(
    r"\brekommenderas\s+(?:även\s+|också\s+|därför\s+)?(.*?)\s+att\b", re.IGNORECASE | re.DOTALL
)
# The first word of a plain-paragraph item is the action, in the infinitive.
_INFINITIVE = re.compile(r"^(?:att\s+)?[A-ZÅÄÖa-zåäö][a-zåäö]+a\b|^(?:Ge|Se|Nå|Gå|Få)\b")
MAX_PLAIN_ITEMS = 12
MAX_ITEM_WORDS = 90


@dataclass(frozen=True)
class RawRecommendation:
    """One recommendation as it stands in one place of the document."""

    item: Span
    lead: Span | None
    addressees: tuple[str, ...]


def addressees(lead: str) -> list[str]:
    """Who a lead-in (or a one-sentence recommendation) addresses, as board names."""
    m = _EXCEPT.search(lead)
    if m:
        boards = find_boards(m.group(1))
        return [f"{ALL_BOARDS} med undantag för {boards[0].casefold() if boards else m.group(1)}"]
    if _ALL.search(lead):
        return [ALL_BOARDS]
    part = ""
    passive = _BEFORE_PASSIVE.match(lead)
    if passive:
        part = passive.group(1)
        part = re.split(r"[:.]\s", part)[-1]
        inverted = _AFTER_PASSIVE.search(lead)
        if inverted and not find_boards(part) and not _COUNCIL.search(part):
            # "Utifrån granskningen rekommenderas vård- och omsorgsnämnden att:"
            part = inverted.group(1)
    else:
        after = _AFTER_VERB.search(lead)
        if after:
            part = re.split(r"\batt\b", after.group(1), maxsplit=1)[0]
            if not find_boards(part) and not _COUNCIL.search(part):
                # "Vi rekommenderar att styrelserna och nämnden säkerställer …"
                rest = after.group(1).split("att", 1)[-1]
                subjects = subject_boards(rest)
                return subjects
    found = find_boards(part)
    if _COUNCIL.search(part):
        found.insert(0, "Kommunfullmäktige")
    return found


def is_lead_in(text: str) -> bool:
    """A sentence that introduces recommendations and ends where its items begin."""
    flat = " ".join(text.split())
    if not _RECOMMENDS.search(flat) or _PAST.search(flat):
        return False
    return flat.endswith(":") or bool(re.search(r"\batt$", flat))


def _last_sentence(line: Line) -> Span:
    spans = split_sentences(line.text)
    last = spans[-1] if spans else Span(0, len(line.text), line.text)
    return Span(line.start + last.start, line.start + last.end, last.text)


def _strip_bullet(line: Line) -> Span:
    m = _BULLET.match(line.text)
    start = m.end() if m else 0
    text = line.text[start:].rstrip()
    return Span(line.start + start, line.start + start + len(text), text)


def is_council(name: str) -> bool:
    """Whether ``name`` is the council ("Kommunfullmäktige", "fullmäktige"), which the
    auditors ask for statements rather than give recommendations on the work."""
    return _COUNCIL.search(name) is not None


def bullet_item(line: Line) -> Span | None:
    """A list item's text without its bullet or number ("- Finns …", "2. Finns …"), or
    None for a line that is no list item."""
    return _strip_bullet(line) if _BULLET.match(line.text) else None


def _is_item_line(line: Line) -> bool:
    return bool(_BULLET.match(line.text)) and not is_lead_in(_strip_bullet(line).text)


def _plain_item(line: Line) -> bool:
    text = line.text.strip()
    words = len(text.split())
    return (
        bool(_INFINITIVE.match(text))
        and 3 <= words <= MAX_ITEM_WORDS
        and text.endswith((".", "!"))
        and not is_heading_line(text)
    )


def extract_recommendations(
    text: str,
    headings: list[tuple[int, str]],
    skip: list[tuple[int, int]] | None = None,
    quoted: list[tuple[int, int]] | None = None,
) -> list[RawRecommendation]:
    """Every recommendation in ``text`` with exact spans.

    Args:
        text: The document text.
        headings: ``(start offset, title)`` of every heading line (from the outline).
        skip: Spans not to read (none by default).
        quoted: Spans where others write (a board's answer): their lists restate the
            auditors' recommendations, but a sentence there that "recommends" is theirs.
    """
    lines = [ln for ln in lines_of(text) if not _inside(ln.start, skip or [])]
    heading_at = {start: title for start, title in headings}
    out: list[RawRecommendation] = []
    covered: list[tuple[int, int]] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        body = _strip_bullet(line)
        title = heading_at.get(line.start)
        if title is not None and "rekommendation" in title.casefold():
            j = i + 1
            items = []
            while j < len(lines) and _is_item_line(lines[j]):
                items.append(_strip_bullet(lines[j]))
                j += 1
            for item in items:
                out.append(RawRecommendation(item, None, tuple(_inline_addressees(item.text))))
                covered.append((item.start, item.end))
            if items:
                i = j
                continue
        lead = _last_sentence(Line(body.start, body.end, body.text))
        if title is None and is_lead_in(lead.text):
            j = i + 1
            if j < len(lines) and lines[j].start not in heading_at:
                nxt = _last_sentence(
                    Line(_strip_bullet(lines[j]).start, lines[j].end, _strip_bullet(lines[j]).text)
                )
                if is_lead_in(nxt.text) and not _BULLET.match(lines[j].text):
                    i = j  # an umbrella lead-in: the next lead-in carries the items
                    continue
            to = tuple(addressees(lead.text))
            items = []
            while j < len(lines) and lines[j].start not in heading_at:
                if _is_item_line(lines[j]):
                    items.append(_strip_bullet(lines[j]))
                elif not items and len(items) < MAX_PLAIN_ITEMS and _plain_item(lines[j]):
                    items.extend(_plain_run(lines, j, heading_at))
                    j += len(items)
                    break
                else:
                    break
                j += 1
            for item in items:
                out.append(RawRecommendation(item, lead, to))
                covered.append((item.start, item.end))
            covered.append((lead.start, lead.end))
            i = max(j, i + 1)
            continue
        i += 1
    for span in split_sentences(text):
        if _inside(span.start, [*covered, *(skip or []), *(quoted or [])]):
            continue
        flat = " ".join(span.text.split())
        if (
            _INLINE.search(flat)
            and not _PAST.search(flat)
            and not is_lead_in(flat)
            and re.search(r"\batt\b", flat)
            and not flat.casefold().startswith("som nämnts")
        ):
            out.append(RawRecommendation(span, None, tuple(_inline_addressees(flat))))
    out.sort(key=lambda r: r.item.start)
    return out


def _plain_run(lines: list[Line], j: int, heading_at: dict[int, str]) -> list[Span]:
    items: list[Span] = []
    while (
        j < len(lines)
        and len(items) < MAX_PLAIN_ITEMS
        and lines[j].start not in heading_at
        and _plain_item(lines[j])
    ):
        items.append(_strip_bullet(lines[j]))
        j += 1
    return items


def _inline_addressees(sentence: str) -> list[str]:
    if not _RECOMMENDS.search(sentence):
        return []
    return addressees(sentence)


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= pos < e for s, e in spans)


def action_text(item: str) -> str:
    """The action of a recommendation, for comparing copies: the words after the
    recommending verb's "att" in a one-sentence recommendation, else the item."""
    flat = " ".join(item.split())
    m = _INLINE.search(flat)
    if m:
        rest = flat[m.end() :]
        cut = re.search(r"\batt\b", rest)
        if cut:
            return rest[cut.end() :].strip()
    return re.sub(r"^att\s+", "", flat, flags=re.IGNORECASE)

"""Answers read from the findings register: recommendations, set questions with polarity,
and judgements that lead with the overall assessment.

These answers need no ranking luck: the findings were extracted once at index time with
their addressees, subjects, verdicts and polarity (``assistant/findings``). Each answer
starts with the answer itself and quotes every finding it uses verbatim, cited by the span
it stands at.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from assistant.answer.alternatives import own_terms
from assistant.answer.cited import Cited
from assistant.answer.intent import Intent
from assistant.answer.numbers import answers_number, of_years, year_cells
from assistant.answer.phrases import phrase, verdict_text
from assistant.findings.extract import is_audit_part
from assistant.findings.polarity import ALL_BOARDS, lacks, verdict_polarity
from assistant.findings.polarity import polarity as clause_polarity
from assistant.findings.recommendations import is_council
from assistant.findings.register import board_matches, board_stem
from assistant.ingest.sentences import (
    canonical_board,
    matched_terms,
    normalize_space,
    split_sentences,
)
from assistant.models import Finding, FindingSpan, Hit

MAX_SET_EVIDENCE = 12
COMMON_SHARE = 0.3
# How much a finding's passage ranking first in the retrieval adds to its topic share when
# choosing evidence (1/(1+rank) of it; nothing outside the retrieved passages).
RANK_WEIGHT = 0.2
# Asked for one board, the sentences scoring within this of the best one answer.
ONE_TIE = 1e-9
# The least share a term is counted with when weighing it (a term in no finding weighs
# as one in 1 % of them).
MIN_SHARE_SEEN = 0.01
MAX_OVERALL = 2
# A verdict on an asked topic names at least this share of the topic's weight.
MIN_VERDICT_SHARE = 0.5
MAX_RESPONSES = 12


@dataclass(frozen=True)
class Composed:
    """Paragraphs of an answer; ``empty`` when the findings hold nothing to say."""

    paragraphs: list[str]
    empty: bool = False
    listed: tuple[tuple[str, str], ...] = ()


def _asked_board(intent: Intent) -> str | None:
    """The board a question names ("Samtliga nämnder" stays as it is)."""
    if not intent.boards:
        return None
    if intent.boards[0] == ALL_BOARDS:
        return ALL_BOARDS
    return canonical_board(intent.boards[0].casefold())


TOPIC_SHARE = 0.5


def _asked_findings(
    findings: Sequence[Finding],
    kind: str,
    places: Sequence[str],
    board: str | None,
    terms: Sequence[str],
    text_of: Callable[[str], str | None] | None = None,
) -> tuple[list[Finding], bool]:
    """Findings of ``kind`` in the asked municipalities, concerning the asked board; a
    topic narrows them only when it picks some but not all: those that hold at least half
    as many of its terms as the best one. Also whether a topic was asked and none of them
    holds any of it."""
    items = addressed(findings, kind, places, board)
    off_topic = False
    if terms and items:
        scores = discriminating_scores(
            {f.id: _topic_found(f, terms, text_of) for f in items}, terms
        )
        # Per municipality: one report's best match may be weaker than another's.
        best: dict[str, float] = {}
        for f in items:
            place = f.municipality or f.doc
            best[place] = max(best.get(place, 0.0), scores[f.id])
        scored = [
            f
            for f in items
            if scores[f.id] > 0 and scores[f.id] >= TOPIC_SHARE * best[f.municipality or f.doc]
        ]
        if scored and len(scored) < len(items):
            items = scored
        off_topic = not scored
    return items, off_topic


def register_match(
    findings: Sequence[Finding],
    places: Sequence[str],
    intent: Intent,
    terms: Sequence[str],
    text_of: Callable[[str], str | None] | None = None,
) -> float:
    """How well the register's recommendations (of the asked places and board) match the
    asked topic: the best share of its terms one of them holds, with its copies."""
    items = addressed(findings, "recommendation", places, _asked_board(intent))
    return max((_topic_score(f, terms, text_of) for f in items), default=0.0)


def in_places(items: Sequence[Finding], places: Sequence[str]) -> list[Finding]:
    """The findings of the asked municipalities (all when none is named)."""
    if not places:
        return list(items)
    folded = {p.casefold() for p in places}
    return [f for f in items if (f.municipality or "").casefold() in folded]


def addressed(
    findings: Sequence[Finding], kind: str, places: Sequence[str], board: str | None
) -> list[Finding]:
    """Findings of ``kind`` in the asked municipalities, concerning the asked board."""
    items = in_places([f for f in findings if f.kind == kind], places)
    if board:
        items = [f for f in items if board_matches(f.boards, board)]
    return items


def _board_label(lang: str, board: str | None) -> str | None:
    return phrase(lang, "all_boards") if board == ALL_BOARDS else board


def _place(lang: str, municipality: str | None, year: int | None) -> str:
    name = phrase(lang, "municipality", name=municipality or "?")
    return f"{name} ({year})" if year else name


def _span_citation(cited: Cited, f: Finding, span: FindingSpan, block: bool = True) -> int:
    start, end = span.block if block else (span.start, span.end)
    return cited.cite_span(
        f.doc,
        start,
        end,
        municipality=f.municipality,
        section=span.section_path,
        page=span.page,
    )


def _quoted(cited: Cited, f: Finding) -> str:
    """The finding's own sentence (its primary span), quoted with its citation number."""
    n = _span_citation(cited, f, f.primary, block=False)
    return cited.quote_span(n, f.doc, f.primary.start, f.primary.end)


def _topic_score(
    f: Finding, terms: Sequence[str], text_of: Callable[[str], str | None] | None = None
) -> float:
    """Share of ``terms`` in the finding (see ``_topic_found``)."""
    if not terms:
        return 0.0
    return len(_topic_found(f, terms, text_of)) / len(terms)


def _topic_found(
    f: Finding, terms: Sequence[str], text_of: Callable[[str], str | None] | None = None
) -> frozenset[str]:
    """The ``terms`` in the finding, its section topic and, when ``text_of`` gives the
    document, the sentences of all its copies: an in-text copy often says why ("För att
    bättre kunna mäta nyttan av ett projekt rekommenderar vi …")."""
    if not terms:
        return frozenset()
    text = f"{f.full_text} {f.topic}"
    doc = text_of(f.doc) if text_of is not None and len(f.spans) > 1 else None
    if doc:
        text += " " + " ".join(_copy_sentence(doc, span) for span in f.spans[1:])
    return frozenset(matched_terms(list(terms), text))


def discriminating_scores(
    found: dict[str, frozenset[str]], terms: Sequence[str]
) -> dict[str, float]:
    """Each item's share of the asked ``terms``, every term weighted by its inverse
    document frequency among the items (Robertson and Spärck Jones 1976, "Relevance
    weighting of search terms"): asked "Which boards were told to draw up and adopt a plan
    for digital transformation?", "digital transformation", which most of Eskilstuna's
    recommendations hold, says less about which one is meant than "upprätta" and "plan".
    ``found`` maps an item's id to the terms it holds; a share is 0 without any."""
    n = len(found)
    df = Counter(t for held in found.values() for t in set(held))
    weight = {t: math.log((n + 1) / (df[t] + 0.5)) for t in dict.fromkeys(terms)}
    total = sum(weight.values())
    if total <= 0:
        return {key: 0.0 for key in found}
    return {key: sum(weight[t] for t in held if t in weight) / total for key, held in found.items()}


def _copy_sentence(doc: str, span: FindingSpan) -> str:
    """The text of a copy with the sentence it starts in: a list item's lead-in line, not
    the items between them (those are other recommendations: "e-tjänster på Open-E" is
    not what "att … digitaliseringsarbetet återupptas" is about)."""
    if span.lead_start is not None and span.lead_end is not None:
        return f"{doc[span.lead_start : span.lead_end]} {doc[span.start : span.end]}"
    before = doc.rfind("\n", 0, span.start)
    return doc[max(before, span.start - 300, 0) : span.end]


# --- recommendations -------------------------------------------------------------------


def answer_recommendations(
    findings: Sequence[Finding],
    places: Sequence[str],
    intent: Intent,
    terms: Sequence[str],
    cited: Cited,
) -> Composed:
    """The complete recommendations of each municipality (and board, if one is named),
    grouped under their lead-ins as the report lists them."""
    lang = cited.lang
    board = _asked_board(intent)
    recs, off_topic = _asked_findings(
        findings, "recommendation", places, board, terms, cited.text_of
    )
    unaddressed = False
    if not recs and board and board != ALL_BOARDS:
        # "Vilka rekommendationer gav PwC till kommunstyrelsen i Botkyrka?": the report's
        # recommendations name no addressee ("rekommenderar vi att en konkret handlingsplan
        # arbetas fram"). "No recommendations to kommunstyrelsen" would be false: they are
        # shown, saying that the report names no board.
        anyone, _ = _asked_findings(findings, "recommendation", places, None, terms, cited.text_of)
        recs = [f for f in anyone if not f.boards]
        unaddressed = bool(recs)
    if not recs:
        where = ", ".join(places) if places else None
        if board and where:
            text = phrase(lang, "recs_none_board", place=where, board=board)
        elif where:
            text = phrase(lang, "recs_none", place=where)
        else:
            text = phrase(lang, "recs_none_any")
        return Composed([text], empty=True)
    paragraphs: list[str] = []
    by_place: dict[str, list[Finding]] = {}
    for f in recs:
        by_place.setdefault(f.municipality or f.doc, []).append(f)
    # A topic that picks some of a report's recommendations: the head says how many there
    # are in all, so "2 recommendations" is not read as all the report gives.
    totals = Counter(
        f.municipality or f.doc for f in addressed(findings, "recommendation", places, board)
    )
    # "Did the auditors recommend anything about information security?": none is on the
    # asked topic (``off_topic``); the answer says so before it lists them all.
    for place_key, items in by_place.items():
        first = items[0]
        one = "_1" if len(items) == 1 else ""
        key = ("recs_head_board" if board else "recs_head") + one
        if unaddressed:
            key = "recs_head_unaddressed"
        elif off_topic and not board:
            key = "recs_head_off_topic" + one
        elif totals[place_key] > len(items):
            key = ("recs_head_board_topic" if board else "recs_head_topic") + one
        head = phrase(
            lang,
            key,
            place=_place(lang, first.municipality, first.year),
            board=_board_label(lang, board),
            n=len(items),
            total=totals[place_key],
        )
        paragraphs.append(head)
        # Of the recommendations a topic picks, each is quoted in the copy that says most
        # of what is asked ("För att bättre kunna mäta nyttan av ett projekt rekommenderar
        # vi …" for why it is given, not the list item without its reason).
        better = (
            _closest_copies(items, terms, cited.text_of)
            if terms and totals[place_key] > len(items)
            else {}
        )
        paragraphs.extend(_recommendation_lists(items, board, cited, better))
    return Composed(paragraphs)


def _closest_copies(
    items: Sequence[Finding], terms: Sequence[str], text_of: Callable[[str], str | None]
) -> dict[str, FindingSpan]:
    """For each finding, a copy written as a sentence of its own that holds more of
    ``terms`` than the finding's text (lead-in and item), if there is one."""
    out: dict[str, FindingSpan] = {}
    for f in items:
        doc = text_of(f.doc)
        if doc is None:
            continue
        own = len(matched_terms(list(terms), f.full_text))
        best, most = None, own
        for span in f.spans[1:]:
            if span.lead_start is not None:
                continue
            held = len(matched_terms(list(terms), doc[span.start : span.end]))
            if held > most:
                best, most = span, held
        if best is not None:
            out[f.id] = best
    return out


# A municipality's recommendation is on the asked topic when it holds this much of it.
REC_PLACE_SHARE = 0.5


def answer_recommendation_places(
    findings: Sequence[Finding],
    places: Sequence[str],
    terms: Sequence[str],
    cited: Cited,
) -> Composed:
    """ "I vilka kommuner rekommenderade revisorerna att en handlingsplan tas fram?": the
    municipalities with a recommendation on the topic, first, then those recommendations.
    Rare words of the topic weigh more (``Topic``): "digitalisering" is in most of them.
    Empty when no municipality has one."""
    lang = cited.lang
    recs = in_places([f for f in findings if f.kind == "recommendation"], places)
    if not terms or not recs:
        return Composed([], empty=True)
    topic = Topic(terms, recs)
    on_topic = [f for f in recs if topic.score(f) >= REC_PLACE_SHARE and topic.names_specific(f)]
    if not on_topic:
        return Composed([], empty=True)
    by_place = _by_place(on_topic)
    paragraphs = [phrase(lang, "recs_places", names=", ".join(by_place))]
    paragraphs += _lists_by_place(by_place, cited)
    return Composed(paragraphs, listed=tuple((m, "") for m in by_place))


def _lists_by_place(by_place: dict[str, list[Finding]], cited: Cited) -> list[str]:
    """Each municipality's head, then its recommendations under their lead-ins."""
    paragraphs: list[str] = []
    for items in by_place.values():
        first = items[0]
        place = _place(cited.lang, first.municipality, first.year)
        paragraphs.append(phrase(cited.lang, "recs_place_head", place=place))
        paragraphs.extend(_recommendation_lists(items, None, cited))
    return paragraphs


def answer_recommendations_beyond(
    findings: Sequence[Finding], places: Sequence[str], excluded: str, cited: Cited
) -> Composed:
    """ "Vilka granskningar riktar rekommendationer även till andra nämnder än
    kommunstyrelsen?": the municipalities with a recommendation addressed to a board other
    than ``excluded`` ("samtliga nämnder" counts, the council's request for statements
    does not), each with those recommendations; then the ones whose every addressed
    recommendation goes to ``excluded``. Empty when the register holds no addressee."""
    lang = cited.lang
    recs = in_places([f for f in findings if f.kind == "recommendation"], places)
    want = board_stem(excluded)

    def beyond(f: Finding) -> bool:
        return any(
            board_stem(b) != want and not is_council(b)
            # "Samtliga nämnder med undantag för kommunstyrelsen" is the others.
            for b in f.boards
        )

    own_by_place: dict[str, list[Finding]] = {}
    for f in sorted(recs, key=lambda f: f.primary.start):
        own_by_place.setdefault(f.municipality or f.doc, []).append(f)
    by_place: dict[str, list[Finding]] = {}
    only: list[str] = []
    for place, own in own_by_place.items():
        others = [f for f in own if beyond(f)]
        if others:
            by_place[place] = others
        elif any(board_matches(f.boards, excluded) for f in own):
            only.append(place)
    if not by_place and not only:
        return Composed([], empty=True)
    paragraphs = []
    if by_place:
        paragraphs.append(phrase(lang, "recs_beyond", board=excluded, names=", ".join(by_place)))
        paragraphs += _lists_by_place(by_place, cited)
    if only:
        paragraphs.append(phrase(lang, "recs_only_to", board=excluded, names=", ".join(only)))
    return Composed(paragraphs, listed=tuple((m, "") for m in by_place))


# --- responses --------------------------------------------------------------------------


def answer_responses(
    findings: Sequence[Finding],
    places: Sequence[str],
    intent: Intent,
    terms: Sequence[str],
    cited: Cited,
) -> Composed:
    """What the boards answered to the audit (their yttranden, and the report of them),
    per municipality, in the order the document gives them; only the named board's when
    the question names one. When a topic is asked and no response holds any of it, the
    head says so. Empty when the register holds no response for them, so the
    question is answered from the passages instead."""
    lang = cited.lang
    board = _asked_board(intent)
    items, off_topic = _asked_findings(findings, "response", places, board, terms, cited.text_of)
    if not items:
        return Composed([], empty=True)
    paragraphs: list[str] = []
    by_place: dict[str, list[Finding]] = {}
    for f in sorted(items, key=lambda f: (f.doc, f.primary.start)):
        by_place.setdefault(f.municipality or f.doc, []).append(f)
    for group in by_place.values():
        first = group[0]
        place = _place(lang, first.municipality, first.year)
        key = "responses_head_board" if board else "responses_head"
        if off_topic:
            # "What did the social services board reply about training?": no reply
            # speaks of it; that is the answer, and the replies follow to check it.
            key += "_off_topic"
        paragraphs.append(
            phrase(lang, key, place=place, board=_board_label(lang, board), n=len(group))
        )
        lines = []
        for f in group[:MAX_RESPONSES]:
            quote = _quoted(cited, f)
            who = ", ".join(f.boards) or phrase(lang, "no_addressee")
            lines.append(f"- {who}: {quote}")
        paragraphs.append("\n".join(lines))
        if len(group) > MAX_RESPONSES:
            rest = len(group) - MAX_RESPONSES
            where = first.municipality or ""
            where = f'"{where}"' if " " in where else where
            paragraphs.append(phrase(lang, "responses_more", n=rest, place=where))
    return Composed(paragraphs)


def answer_responders(
    findings: Sequence[Finding],
    places: Sequence[str],
    cited: Cited,
    known: Sequence[str] = (),
    joint: bool = False,
) -> Composed:
    """Which boards replied to the audit ("Vilka nämnder har lämnat yttrande över
    granskningen?"): per municipality, every board the register holds a response from, in
    the order of the document, each with the first sentence of its own reply
    (``_first_reply``); boards replying together share a line. A joint name ("Grundskole-
    och gymnasienämnden") is left out when both of its boards are listed on their own. The
    municipalities (of ``known``) whose reports hold no reply are named after them. With
    ``joint`` ("Which committees replied jointly?") only the boards that share a reply, or
    that none did. Empty when the register holds no response in the asked
    municipalities."""
    lang = cited.lang
    items = in_places([f for f in findings if f.kind == "response"], places)
    if not items:
        return Composed([], empty=True)
    by_place: dict[str, list[Finding]] = {}
    for f in items:
        by_place.setdefault(f.municipality or f.doc, []).append(f)
    paragraphs: list[str] = []
    listed: list[tuple[str, str]] = []
    for place, replies in by_place.items():
        named = dict.fromkeys(b for f in replies for b in f.boards if b != ALL_BOARDS)
        own = {b: reply for b in named if (reply := _first_reply(replies, b)) is not None}
        boards = sorted(
            (b for b in own if not _joint_of(b, own)), key=lambda b: own[b].primary.start
        )
        first = own[boards[0]]
        if joint:
            shared = Counter(own[b].id for b in boards)
            boards = [b for b in boards if shared[own[b].id] > 1]
            if not boards:
                where = _place(lang, first.municipality, first.year)
                paragraphs.append(phrase(lang, "responders_joint_none", place=where))
                continue
        paragraphs.append(
            phrase(
                lang,
                "responders_joint" if joint else "responders_head",
                place=_place(lang, first.municipality, first.year),
                n=len(boards),
                names=", ".join(boards),
            )
        )
        paragraphs.append(_reply_lines({b: own[b] for b in boards}, cited))
        listed.extend((place, b) for b in boards)
    if not places:
        silent = [m for m in known if m not in by_place]
        if silent:
            paragraphs.append(phrase(lang, "responders_none", places=", ".join(silent)))
    return Composed(paragraphs, listed=tuple(listed))


def answer_without_reply(
    findings: Sequence[Finding], places: Sequence[str], cited: Cited, known: Sequence[str] = ()
) -> Composed:
    """Which boards the audit's recommendations name but whose reply the material lacks
    ("Vilken nämnd har inte svarat på granskningen?"): per municipality whose material holds
    replies, those boards, or that every named board replied, each with its reply (as
    ``answer_responders`` quotes it). The municipalities (of ``known`` when none is asked)
    whose material holds no reply at all are named. Empty when no asked municipality's
    recommendations name a board."""
    lang = cited.lang
    responses = [f for f in findings if f.kind == "response"]
    by_place: dict[str, list[Finding]] = {}
    for f in in_places([f for f in findings if f.kind == "recommendation"], places):
        by_place.setdefault(f.municipality or f.doc, []).append(f)
    paragraphs: list[str] = []
    listed: list[tuple[str, str]] = []
    without: list[str] = []
    for place, recommended in by_place.items():
        # Boards that answer for themselves: not "samtliga nämnder", nor the council, which
        # the audit reports to.
        addressed = dict.fromkeys(
            b
            for f in recommended
            for b in f.boards
            if not b.casefold().startswith("samtliga") and b != "Kommunfullmäktige"
        )
        replies = in_places(responses, [place])
        if not replies:
            without.append(place)
            continue
        if not addressed:
            continue
        own = {b: reply for b in addressed if (reply := _first_reply(replies, b)) is not None}
        missing = [b for b in addressed if b not in own]
        where = _place(lang, place, recommended[0].year)
        if missing:
            paragraphs.append(phrase(lang, "unreplied_head", place=where, names=", ".join(missing)))
            listed.extend((place, b) for b in missing)
        else:
            paragraphs.append(phrase(lang, "unreplied_none", place=where, n=len(own)))
            paragraphs.append(_reply_lines(own, cited))
    if not places:
        without += [m for m in known if m not in by_place]
    if without and paragraphs:
        paragraphs.append(phrase(lang, "responders_none", places=", ".join(without)))
    if not paragraphs:
        return Composed([], empty=True)
    return Composed(paragraphs, listed=tuple(listed))


def answer_replies_of(
    findings: Sequence[Finding], listed: Sequence[tuple[str, str]], cited: Cited
) -> list[str]:
    """What each board a set answer lists replied to the audit ("Vilka nämnder saknar en
    plan, och vad svarade de?"): the first sentence of its own reply from the register
    (``_first_reply``); boards replying together share a line; a board whose reply the
    material does not hold is named as such."""
    lang = cited.lang
    responses = [f for f in findings if f.kind == "response"]
    chosen: dict[str, Finding] = {}
    silent: list[str] = []
    for place, board in listed:
        if not board:
            continue
        f = _first_reply(in_places(responses, [place]), board)
        if f is None:
            silent.append(board)
        else:
            chosen[board] = f
    paragraphs: list[str] = []
    if chosen:
        paragraphs += [phrase(lang, "replies_head"), _reply_lines(chosen, cited)]
    if silent:
        paragraphs.append(phrase(lang, "replies_none", boards=", ".join(silent)))
    return paragraphs


def _first_reply(responses: Sequence[Finding], board: str) -> Finding | None:
    """The first sentence of ``board``'s own reply: one naming it by its own name (not
    only in a joint "Grundskole- och gymnasienämnden"), alone and in its own sentence (not a
    sub-heading's "Nämnden …"), first; None when it has none."""
    return min(
        (f for f in responses if board_matches(f.boards, board)),
        key=lambda f: (board not in f.boards, not _own_reply(f), f.primary.start),
        default=None,
    )


def _reply_lines(chosen: dict[str, Finding], cited: Cited) -> str:
    """One line per reply quoted, with the boards it is of: boards replying together
    ("Grundskolenämndens yttrande" for two) share it."""
    shared: dict[str, list[str]] = {}
    for board, f in chosen.items():
        shared.setdefault(f.id, []).append(board)
    return "\n".join(
        f"- {', '.join(boards)}: {_quoted(cited, chosen[boards[0]])}" for boards in shared.values()
    )


def _own_reply(f: Finding) -> bool:
    """A response naming one board in its own sentence (not a sub-heading's "Nämnden …")."""
    return len(f.boards) == 1 and not f.from_heading


def _joint_of(board: str, listed: Iterable[str]) -> bool:
    """Whether ``board`` joins two boards listed on their own: "Grundskole- och
    gymnasienämnden" when "Grundskolenämnden" and "Gymnasienämnden" are listed."""
    m = _JOINT.fullmatch(board)
    if m is None:
        return False
    second = m.group("second")
    head = next((second[i:] for i in range(1, len(second)) if second[i:] in _HEADS), None)
    if head is None:
        return False
    first = f"{m.group('first')}{head}"
    folded = {b.casefold() for b in listed}
    return first.casefold() in folded and second.casefold() in folded


_JOINT = re.compile(r"(?P<first>[^\W\d_]+)- och (?P<second>[^\W\d_]+)")
_HEADS = ("nämnden", "styrelsen")


def _display_spans(
    items: Sequence[Finding],
    board: str | None,
    chosen: dict[str, FindingSpan] | None = None,
) -> list[tuple[Finding, FindingSpan]]:
    """Where to show each recommendation: the copy ``chosen`` for it, else every copy of
    it in the report's recommendations section (so a list reads as in the report), else
    its primary copy; with a board asked for, only the copies addressed to that board."""
    sections = Counter(f.primary.section_path for f in items)
    home = sections.most_common(1)[0][0]
    out: list[tuple[Finding, FindingSpan]] = []
    for f in items:
        if chosen and f.id in chosen:
            out.append((f, chosen[f.id]))
            continue
        spans = [s for s in f.spans if s.section_path == home and s.lead_start is not None]
        if board:
            spans = [s for s in spans if board_matches(s.boards or f.boards, board)]
        out.extend((f, s) for s in (spans or [f.primary]))
    out.sort(key=lambda fs: fs[1].start)
    return out


def _recommendation_lists(
    items: Sequence[Finding],
    board: str | None,
    cited: Cited,
    chosen: dict[str, FindingSpan] | None = None,
) -> list[str]:
    lang = cited.lang
    groups: dict[object, list[tuple[Finding, FindingSpan]]] = {}
    for f, span in _display_spans(items, board, chosen):
        key = span.lead_start if span.lead_start is not None else ("own", span.start)
        groups.setdefault(key, []).append((f, span))
    paragraphs = []
    for members in groups.values():
        f0, s0 = members[0]
        if s0.lead_start is not None and s0.lead_end is not None:
            block = FindingSpan(
                start=s0.lead_start,
                end=max(s.end for _, s in members),
                section=s0.section,
                page=s0.page,
            )
            n = _span_citation(cited, f0, block, block=False)
            to = ", ".join(s0.boards or f0.boards) or phrase(lang, "no_addressee")
            lines = [f"{to}: " + cited.quote_span(n, f0.doc, s0.lead_start, s0.lead_end)]
            lines += ["- " + cited.quote_span(n, f.doc, s.start, s.end) for f, s in members]
            paragraphs.append("\n".join(lines))
        else:
            for f, s in members:
                n = _span_citation(cited, f, s)
                to = ", ".join(s.boards or f.boards) or phrase(lang, "no_addressee")
                paragraphs.append(f"{to}: " + cited.quote_span(n, f.doc, s.start, s.end))
    return paragraphs


# --- set questions with polarity -----------------------------------------------------------


class Topic:
    """The asked topic's key terms, and which of them are specific: in reports about
    digitalisation "digitalisering" is in a large share of the findings and does not say
    what a negation is about, while "mål" or "handlingsplan" do. A term found in more
    than ``COMMON_SHARE`` of the findings is common; the others are specific (all are,
    when every term is common)."""

    def __init__(
        self,
        terms: Sequence[str],
        pool: Sequence[Finding],
        unseen: bool = False,
        denied: Sequence[str] = (),
        everywhere: Sequence[Finding] = (),
    ) -> None:
        n = max(len(pool), 1)
        share = {t: sum(1 for f in pool if matched_terms([t], f.text)) / n for t in terms}
        # A term no finding holds cannot tell findings apart ("antagit" where the
        # reports write "beslutat"); it is left out rather than failing every finding.
        # One that findings of other municipalities hold (``everywhere``) is a real topic
        # word ("bygglov"), which this municipality's findings just do not speak of: kept.
        # Reading other sentences than the findings (``unseen``), it is kept: it may be
        # the very word asked about ("för långsamt").
        self.terms = list(terms)
        if not unseen:
            held = [
                t
                for t in terms
                if share[t] > 0 or any(matched_terms([t], f.text) for f in everywhere)
            ]
            self.terms = held or self.terms
        # How much a term tells (smoothed inverse document frequency over the findings,
        # log(1 + 1/share)): a word in every other finding ("digitalisering") little, a rare
        # one ("handlingsplan") much, a word in all of them still something.
        self.weights = {t: math.log(1 + 1 / max(share[t], MIN_SHARE_SEEN)) for t in self.terms}
        specific = [t for t in self.terms if share[t] <= COMMON_SHARE]
        # Every term in most findings ("digitalisering", "arbete"): no topic of its own.
        self.all_common = not specific
        self.specific = specific or list(self.terms)
        # What a negative question denies ("no reported *outcome* for their measure"): a
        # lack is read next to that word only.
        if [t for t in denied if t in self.terms]:
            self.specific = [t for t in denied if t in self.terms]
        self._matched: dict[str, frozenset[str]] = {}
        self._polarities: dict[str, str | None] = {}

    def _found(self, f: Finding) -> frozenset[str]:
        """The terms in the finding and its section topic (without compound heads:
        "portföljstyrning" asked is not "styrningen" said)."""
        if f.id not in self._matched:
            text = f"{f.full_text} {f.topic}"
            self._matched[f.id] = frozenset(matched_terms(self.terms, text, heads=False))
        return self._matched[f.id]

    def score(self, f: Finding) -> float:
        """How much of the topic the finding and its section topic hold: the mean of the
        share of the (known) terms and the share of their weight, so that a rare term
        ("ojämn") counts more than a common one ("kompetens") without the common ones
        counting for nothing (on the dev files the weight alone dropped boards that
        every gold answer lists)."""
        if not self.terms:
            return 0.0
        found = self._found(f)
        return (self._weight_share(found) + len(found) / len(self.terms)) / 2

    def names(self, text: str, share: float) -> bool:
        """Whether ``text`` names the topic: ``share`` of its weight and one of its
        specific words (compound heads not matched)."""
        return self.weighted_share(text) >= share and bool(
            matched_terms(self.specific, text, heads=False)
        )

    def weighted_share(self, text: str) -> float:
        """Share of the terms' weight that ``text`` holds (compound heads not matched)."""
        return self._weight_share(matched_terms(self.terms, text, heads=False))

    def _weight_share(self, found: frozenset[str] | set[str]) -> float:
        total = sum(self.weights.values())
        return sum(w for t, w in self.weights.items() if t in found) / total if total else 0.0

    def names_specific(self, f: Finding) -> bool:
        """The finding or its section holds a specific term: a common one alone
        ("digitalisering") does not make it about the asked topic."""
        return not self._found(f).isdisjoint(self.specific)

    def polarity(self, f: Finding) -> str | None:
        """What a finding says about the topic: "negative" when it says the topic is
        missing for its boards (a lack or a negation before a specific topic word),
        "partial" for a partial verdict, else "positive". A negation elsewhere in the
        sentence ("the goal was not measured") is not a lack of the goal."""
        if f.id not in self._polarities:
            self._polarities[f.id] = self._polarity(f)
        return self._polarities[f.id]

    def _polarity(self, f: Finding) -> str | None:
        if f.polarity == "partial":
            return "partial"
        said = self._lacks(f.text, f.topic)
        if (
            said is None
            and " | " in f.text
            and matched_terms(self.specific, f.topic, heads=False)
            # The row and its section name the whole topic: under "Utdrag ur
            # verksamhetsplaner" a row naming no digitalisation strategy does not refer
            # to one.
            and len(matched_terms(self.specific, f"{f.topic} {f.text}", heads=False))
            == len(self.specific)
        ):
            # A board's row of a table under a section on the topic ("Finns mål för …
            # digitaliseringsarbetet?": "Socialnämnden | Andel e-ansökningar ökar | 46 | 50"):
            # the table lists what the board has.
            return "positive"
        if said is None:
            return None  # the sentence itself does not name the topic
        return "negative" if said else "positive"

    def _lacks(self, text: str, section: str = "") -> bool | None:
        """``lacks`` on the specific terms; when the sentence holds none of them but its
        section names them ("Det saknas dock mål för utbildningsnämnden" under "Finns mål
        för vad kommunen ska åstadkomma med digitaliseringsarbetet?"), on the other terms
        it holds."""
        said = lacks(text, lambda word: bool(matched_terms(self.specific, word)))
        if said is None and section and matched_terms(self.specific, section):
            said = lacks(text, lambda word: bool(matched_terms(self.terms, word)))
        return said

    def only_as_modifier(self, f: Finding) -> bool:
        """Whether the sentence names the specific topic only as the first part of
        compounds of other heads ("personalchef" for "personal", "planeringsarbete" for
        "plan"): what it says is of the chef or the work, not of the topic."""
        found = False
        for word in _WORD.findall(f.text.casefold()):
            for term in matched_terms(self.specific, word, heads=False):
                found = True
                rest = word[len(term) :] if word.startswith(term) else ""
                if len(rest.lstrip("s-")) < MODIFIED_HEAD or rest in _INFLECTIONS:
                    return False
        return found

    def sentence_polarity(self, text: str) -> str | None:
        """What a sentence says about the topic: "partial" for a partial verdict ("delvis",
        "inte fullt ut"), "negative" for a lack next to a specific topic word, else
        "positive"; None when it names no specific topic word."""
        said = self._lacks(text)
        if said is None:
            return None  # the sentence itself does not name the topic
        if clause_polarity(text) == "partial":
            return "partial"
        return "negative" if said else "positive"


@dataclass(frozen=True)
class TopicReadings:
    """The asked topic, and the topic narrowed to each alternative the question offers
    ("robots or artificial intelligence", "beslutsfattarnas eller chefernas kunskap"),
    each with the words only that alternative has (``own_terms``)."""

    readings: tuple[tuple[Topic, tuple[str, ...]], ...]

    @classmethod
    def of(
        cls,
        terms: Sequence[str],
        options: Sequence[list[str]],
        pool: Sequence[Finding],
        denied: Sequence[str] = (),
    ) -> TopicReadings:
        whole = (Topic(terms, pool, unseen=True, denied=denied), ())
        narrowed = tuple(
            (Topic(o, pool, unseen=True, denied=denied), tuple(own_terms(o, options)))
            for o in options
            if o
        )
        return cls((whole, *narrowed))

    @property
    def whole(self) -> Topic:
        return self.readings[0][0]

    def named_in(self, text: str, share: float) -> bool:
        """Whether ``text`` names the topic: ``share`` of its weight (rare words weigh
        more: "digitaliseringsstrategi" alone is no action plan that breaks the strategy
        down) and one of its specific words (a word in most findings alone is not the
        topic); through an alternative only when ``text`` names that alternative
        ("framtidsdirektör")."""
        return any(
            reading.names(text, share) and (not own or matched_terms(list(own), text, heads=False))
            for reading, own in self.readings
        )


def answer_set(
    findings: Sequence[Finding],
    places: Sequence[str],
    intent: Intent,
    terms: Sequence[str],
    cited: Cited,
    min_share: float = 0.5,
    near: Callable[[Finding], float] | None = None,
    money: bool = False,
    denied: Sequence[str] = (),
    required: Sequence[str] = (),
    assessed: bool = False,
    replies: bool = False,
    years: frozenset[str] = frozenset(),
    one: bool = False,
) -> Composed:
    """Boards (or municipalities) whose assessment or observation has the asked topic
    and polarity, each with the sentence that says so. A board merely mentioned, or one
    the report says the opposite of, is never listed. ``near`` (0..1) says how close a
    finding's passage ranked in the retrieval: of sentences that match the topic words
    equally, the one in the better-ranked passage is the evidence. With ``money`` the
    sentence must hold an amount; ``denied`` are the words a negative question denies
    (or the heads of what a positive one says the boards have: "har en plan för …");
    the evidence must hold one of the ``required`` terms (the words the question quotes).
    ``assessed``: the question asks for the auditors' assessment ("enligt revisorernas
    bedömning"), so when assessments answer it, observations do not. ``replies``: it asks
    what the boards say in their own replies ("According to their replies …"): their
    responses are the evidence. ``years``: the years the question asks about ("i budgeten
    2019"); a table's row answers only when its cell in a column of such a year holds a
    value ("Mål 2019": "-" is no goal for 2019). ``one``: the question asks for one board
    ("Vilken nämnd …?"): only the sentences saying most of what is asked answer it."""
    lang = cited.lang
    closeness = near or (lambda f: 0.0)
    if not terms:
        return Composed([], empty=True)
    if replies:
        judged = reply_sentences([f for f in findings if f.kind == "response"], cited.text_of)
    else:
        judged = [f for f in findings if f.kind in ("assessment", "observation")]
    pool = in_places(judged, places)
    topic = Topic(terms, pool, denied=denied, everywhere=judged)
    if years:
        pool = [f for f in pool if _of_years(f, years, cited)]
    wanted = {"negative": {"negative", "partial"}, "partial": {"partial"}}.get(
        intent.polarity, {"positive"}
    )
    options = [
        (f, topic.score(f))
        for f in pool
        if topic.score(f) >= min_share
        and topic.polarity(f) in wanted
        and topic.names_specific(f)
        # "Which boards put a money figure on digitalisation?": a sentence without an
        # amount says nothing about money.
        and (not money or answers_number(f.text, "money"))
        and (not required or matched_terms(list(required), f"{f.full_text} {f.topic}"))
    ]
    if one and options:
        # "Which committee is to investigate introducing a digital fixer?": the board whose
        # sentence says it all, not those whose sentences say part of it ("Slutföra
        # utredning om digitala guider").
        top = max(sc for _, sc in options)
        options = [(f, sc) for f, sc in options if sc >= top - ONE_TIE]
    if assessed and any(f.kind == "assessment" for f, _ in options):
        options = [(f, sc) for f, sc in options if f.kind == "assessment"]
    if intent.target == "boards" and any(
        not f.from_heading and set(f.boards) - {ALL_BOARDS} for f, _ in options
    ):
        # A sentence that names its boards outranks one whose board is only the
        # sub-heading above it: those answer only when no sentence names a board
        # ("Nämnderna lyfter upp …", all boards at once, names none).
        options = [(f, sc) for f, sc in options if not f.from_heading]
    best: dict[tuple[str, str], tuple[float, Finding]] = {}
    # The weightiest statement saying what is asked, per board: the evidence shown is the
    # best-matching sentence, but an assessment behind it counts against contrary remarks.
    weight: dict[tuple[str, str], int] = {}
    for f, score in options:
        subjects = f.boards if intent.target == "boards" else [f.municipality or f.doc]
        for subject in subjects:
            key = (f.municipality or f.doc, subject)
            weight[key] = min(weight.get(key, 2), authority(f))
            rank = score + (0.1 if f.kind == "assessment" else 0.0) + RANK_WEIGHT * closeness(f)
            if key not in best or rank > best[key][0]:
                best[key] = (rank, f)
    # A board that a statement on the topic says the opposite of is not listed:
    # conflicting evidence is no answer, and a wrong board destroys trust. Only a
    # statement with as much authority as the evidence counts against it: the auditors'
    # assessment is not overruled by an observation (a goal table, an interview remark),
    # nor a sentence naming the board by a remark under an administration's sub-heading.
    contrary = _contrary(pool, topic, wanted, min_share, intent)
    chosen = [
        (key, f)
        for key, (_, f) in best.items()
        if key not in contrary or contrary[key] > weight[key]
    ]
    if any(subject != ALL_BOARDS for (_, subject), _ in chosen):
        # Named boards answer the question; "samtliga nämnder har inte …" (not all have)
        # only summarises them.
        chosen = [(key, f) for key, f in chosen if key[1] != ALL_BOARDS]
    if not chosen:
        return Composed([], empty=True)
    chosen = _fewest_sentences(chosen, [f for f, _ in options], topic, closeness)
    chosen.sort(key=lambda kf: (kf[0][0], kf[1].primary.start))
    # Boards that share the evidence sentence share one line.
    lines_by: dict[tuple[str, str], list[str]] = {}
    evidence: dict[tuple[str, str], Finding] = {}
    for (place, subject), f in chosen[:MAX_SET_EVIDENCE]:
        key = (place, f.id)
        evidence[key] = f
        label = subject
        if subject == ALL_BOARDS:
            label = phrase(lang, "all_boards")
        lines_by.setdefault(key, []).append(label)
    names: list[str] = []
    lines: list[str] = []
    listed: list[tuple[str, str]] = []
    for key, labels in lines_by.items():
        place, f = key[0], evidence[key]
        quote = _quoted(cited, f)
        partial = " " + phrase(lang, "partly") if f.polarity == "partial" else ""
        who = ", ".join(labels)
        label = place if intent.target == "municipalities" else f"{place}: {who}"
        lines.append(f"- {label}{partial} — {quote}")
        names.extend([place] if intent.target == "municipalities" else labels)
        for subject in [place] if intent.target == "municipalities" else labels:
            listed.append((place, "" if intent.target == "municipalities" else subject))
    name = {"negative": "set_lacks", "partial": "set_partly"}.get(intent.polarity, "set_has")
    if intent.target != "boards":
        name += "_places"
    elif replies and name == "set_has":
        # What the boards say of themselves, not what the auditors found.
        name = "set_has_replies"
    head = phrase(lang, name, names=", ".join(names))
    return Composed([head, "\n".join(lines)], listed=tuple(listed))


def _of_years(f: Finding, years: frozenset[str], cited: Cited) -> bool:
    """Whether a finding can answer for the asked ``years``: not a sentence that names
    only other years ("Av kommunstyrelsens mål och internbudget för år 2020 …" is no goal
    of the 2019 budget), nor a table's row that has no column of those years or whose
    cells there are empty ("-"), when its header dates its columns ("Ökar" is a goal all
    the same)."""
    if f.table_header is None:
        return of_years(f.text, years)
    text = cited.text_of(f.doc)
    if text is None:
        return True
    cells = year_cells(f.table_header, text[f.primary.start : f.primary.end], set(years))
    return cells is None or any(cell.strip("-–— ") for _, cell in cells)


def reply_sentences(
    replies: Sequence[Finding], text_of: Callable[[str], str | None]
) -> list[Finding]:
    """Each sentence of the boards' replies as a finding of its own, with the reply's
    boards: a reply is a paragraph, and a set answer quotes the sentence that says what is
    asked (the IT competence needed), not the whole reply."""
    out: list[Finding] = []
    for f in replies:
        doc = text_of(f.doc)
        span = f.primary
        if doc is None:
            out.append(f)
            continue
        for i, part in enumerate(split_sentences(doc[span.start : span.end])):
            start = span.start + part.start
            own = span.model_copy(update={"start": start, "end": start + len(part.text)})
            text = normalize_space(part.text)
            # The reply's board wrote the sentence: it is not a board read off a heading.
            update = {"id": f"{f.id}.{i}", "text": text, "spans": [own], "from_heading": False}
            out.append(f.model_copy(update=update))
    return out


def retrieval_closeness(hits: Sequence[Hit]) -> Callable[[Finding], float]:
    """1/(1+rank) of the best-ranked retrieved passage holding a finding's quoted span,
    0 when no retrieved passage holds it."""
    by_doc: dict[str, list[tuple[int, int, int]]] = {}
    for rank, hit in enumerate(hits):
        by_doc.setdefault(hit.chunk.doc, []).append((hit.chunk.start, hit.chunk.end, rank))

    def closeness(f: Finding) -> float:
        span = f.primary
        ranks = [
            rank
            for start, end, rank in by_doc.get(f.doc, [])
            if start <= span.start < end or start < span.end <= end
        ]
        return 1.0 / (1 + min(ranks)) if ranks else 0.0

    return closeness


def authority(f: Finding) -> int:
    """How much a finding weighs as evidence about a board: 0 for the auditors'
    assessment, 1 for an observation naming the board, 2 for one whose board is only the
    sub-heading above it."""
    if f.from_heading:
        return 2
    return 0 if f.kind == "assessment" else 1


def answer_fulfilment(
    findings: Sequence[Finding], places: Sequence[str], intent: Intent, cited: Cited
) -> Composed:
    """ "Vilka nämnder uppfyllde sina mål?": boards by the verdicts the report gives their
    targets ("Uppfyllt", "Nästan/delvis uppfyllt", "Ej uppfyllt"). A board is listed as
    having met them when every verdict on it is "uppfyllt", as not (or partly) having met
    them when one is not; each with its verdicts as evidence."""
    lang = cited.lang
    pool = [
        f
        for f in findings
        if f.kind in ("assessment", "observation")
        and f.boards
        and f.verdict
        and "uppfyll" in f.verdict
        and ALL_BOARDS not in f.boards
    ]
    pool = in_places(pool, places)
    by_board: dict[tuple[str, str], list[Finding]] = {}
    for f in pool:
        for board in f.boards:
            by_board.setdefault((f.municipality or f.doc, board), []).append(f)
    lines: list[str] = []
    listed: list[tuple[str, str]] = []
    for (place, board), items in by_board.items():
        said = {verdict_polarity(f.verdict or "") for f in items}
        met = said == {"positive"}
        if (intent.polarity == "positive") != met:
            continue
        if intent.polarity == "partial" and "partial" not in said:
            continue
        quotes = []
        for f in items[:MAX_SET_EVIDENCE]:
            quotes.append(_quoted(cited, f))
        lines.append(f"- {place}: {board} — " + " ".join(quotes))
        listed.append((place, board))
    if not lines:
        return Composed([], empty=True)
    name = {"negative": "set_unmet", "partial": "set_unmet"}.get(intent.polarity, "set_met")
    head = phrase(lang, name, names=", ".join(b for _, b in listed))
    return Composed([head, "\n".join(lines)], listed=tuple(listed))


_WORD = re.compile(r"[\w-]+")
# The shortest head a compound's first part modifies ("chef" in "personalchef").
MODIFIED_HEAD = 4
# Endings of a word's own forms, which are no head: "personalen", "planerna".
_INFLECTIONS = frozenset(
    {
        *("en", "et", "er", "ar", "or", "na", "ens", "ets", "erna", "arna", "orna", "ernas"),
        *("arnas", "ande", "ende", "ing", "ingen", "ning", "ningen", "ningar", "ade", "ades"),
        *("at", "ats"),
    }
)


def _contrary(
    pool: Sequence[Finding],
    topic: Topic,
    wanted: set[str],
    min_share: float,
    intent: Intent,
) -> dict[tuple[str, str], int]:
    """Per board, the highest authority (lowest ``authority``) of a statement on the topic
    saying the opposite of what is asked."""
    out: dict[tuple[str, str], int] = {}
    for f in pool:
        said = topic.polarity(f)
        if topic.score(f) < min_share or said is None or said in wanted or said == "partial":
            continue
        if said == "positive" and topic.only_as_modifier(f):
            # "… en styrgrupp bestående av förvaltningschef, kvalitetschef och
            # personalchef" does not say the administration has staff for the work.
            continue
        subjects = f.boards if intent.target == "boards" else [f.municipality or f.doc]
        for subject in subjects:
            key = (f.municipality or f.doc, subject)
            out[key] = min(out.get(key, 2), authority(f))
    return out


def _fewest_sentences(
    chosen: list[tuple[tuple[str, str], Finding]],
    options: Sequence[Finding],
    topic: Topic,
    closeness: Callable[[Finding], float],
) -> list[tuple[tuple[str, str], Finding]]:
    """The same boards, each with a sentence that says the asked thing about it, using
    as few sentences as possible: a sentence naming several of the boards ("saknades
    planer för A, B och C") is preferred to one sentence per board."""
    need = {key for key, _ in chosen}
    out: list[tuple[tuple[str, str], Finding]] = []
    while need:
        best = max(
            (f for f in options if f.boards),
            key=lambda f: (
                len({((f.municipality or f.doc), b) for b in f.boards} & need),
                topic.score(f) + RANK_WEIGHT * closeness(f),
                f.kind == "assessment",
            ),
            default=None,
        )
        if best is None:
            break
        place = best.municipality or best.doc
        covered = {(place, b) for b in best.boards} & need
        if not covered:
            break
        out.extend(((place, b), best) for b in best.boards if (place, b) in covered)
        need -= covered
    out.extend((key, f) for key, f in chosen if key in need)
    return out


# --- judgements ----------------------------------------------------------------------------


def has_overall(findings: Sequence[Finding], places: Sequence[str]) -> bool:
    """Whether the register holds an overall assessment for one of ``places``."""
    folded = {p.casefold() for p in places}
    return any(
        f.kind == "assessment" and f.overall and (f.municipality or "").casefold() in folded
        for f in findings
    )


def answer_recommendation_counts(
    findings: Sequence[Finding], places: Sequence[str], cited: Cited, fewest: bool = False
) -> Composed:
    """ "Vilken kommun fick flest rekommendationer?": how many recommendations each
    municipality's auditors make (not the council's request for the boards' statements),
    most first (fewest first with ``fewest``), each with its first recommendation's own
    text as evidence. The first line names the municipality (or those
    tied). Empty with fewer than two municipalities."""
    lang = cited.lang
    recs = in_places(
        [
            f
            for f in findings
            if f.kind == "recommendation" and not (f.boards and all(map(is_council, f.boards)))
        ],
        places,
    )
    by_place: dict[str, list[Finding]] = {}
    for f in sorted(recs, key=lambda f: (f.doc, f.primary.start)):
        by_place.setdefault(f.municipality or f.doc, []).append(f)
    if len(by_place) < 2:
        return Composed([], empty=True)
    ranked = sorted(by_place.items(), key=lambda kv: len(kv[1]) * (1 if fewest else -1))
    top = len(ranked[0][1])
    winners = [place for place, items in ranked if len(items) == top]
    head = phrase(lang, "recs_fewest" if fewest else "recs_most", places=", ".join(winners), n=top)
    lines: list[str] = []
    for _, items in ranked:
        first = items[0]
        where = _place(lang, first.municipality, first.year)
        span = first.primary
        n = _span_citation(cited, first, span)
        quotes = [cited.quote_span(n, first.doc, span.start, span.end)]
        if span.lead_start is not None and span.lead_end is not None:
            # Its lead-in first ("Mot bakgrund av vår granskning rekommenderar vi
            # kommunstyrelsen:"): an item alone does not say who is to do it.
            quotes.insert(0, cited.quote_span(n, first.doc, span.lead_start, span.lead_end))
        line = phrase(lang, "recs_count_line", place=where, n=len(items))
        lines.append(" ".join([line, *quotes]))
    return Composed([head, "\n".join(lines)])


def answer_recommendation_counts_by_board(
    findings: Sequence[Finding], places: Sequence[str], cited: Cited, fewest: bool = False
) -> Composed:
    """ "Vilken nämnd i Eskilstuna fick flest rekommendationer?": how many of the auditors'
    recommendations each addressee receives (one to several boards counts for each), most
    first (fewest first with ``fewest``); boards receiving the same recommendations share
    a line, with the lead-in naming them. Only the audit report's own recommendations
    count, not another body's restatement of them (Eskilstuna's bundle, where the
    executive office sums them up for the council). Empty unless one municipality is asked
    and its recommendations name an addressee."""
    lang = cited.lang
    recs = in_places(
        [
            f
            for f in findings
            if f.kind == "recommendation" and f.boards and not all(map(is_council, f.boards))
        ],
        places,
    )
    if len({f.municipality or f.doc for f in recs}) != 1:
        return Composed([], empty=True)
    audit = any(is_audit_part(s.section) for f in recs for s in f.spans)
    # Each copy addressed in the report itself, with the boards it names.
    by_board: dict[str, list[Finding]] = {}
    where: dict[str, tuple[Finding, FindingSpan]] = {}
    for f in sorted(recs, key=lambda f: f.primary.start):
        for span in f.spans:
            if audit and not is_audit_part(span.section):
                continue
            for board in span.boards or f.boards:
                if is_council(board) or f in by_board.get(board, []):
                    continue
                by_board.setdefault(board, []).append(f)
                where.setdefault(board, (f, span))
    if not by_board:
        return Composed([], empty=True)
    # "Vi rekommenderar samtliga styrelser och nämnden": each board named gets those too.
    to_all = by_board.get(ALL_BOARDS, [])
    for board, items in by_board.items():
        if board != ALL_BOARDS:
            items.extend(f for f in to_all if f not in items)
    first = recs[0]
    place = _place(lang, first.municipality, first.year)
    if len(by_board) == 1:
        ((board, items),) = by_board.items()
        head = phrase(lang, "recs_board_only", place=place, n=len(items), board=board)
        return Composed(
            [head, *_recommendation_lists(items, None, cited)],
            listed=((first.municipality or first.doc, board),),
        )
    # Boards that receive the same recommendations share a line.
    groups: dict[tuple[str, ...], list[str]] = {}
    for board, items in by_board.items():
        groups.setdefault(tuple(sorted(f.id for f in items)), []).append(board)
    ranked = sorted(groups.items(), key=lambda kv: len(kv[0]) * (1 if fewest else -1))
    top = len(ranked[0][0])
    winners = [b for ids, boards in ranked if len(ids) == top for b in boards]
    head = phrase(
        lang,
        "recs_board_fewest" if fewest else "recs_board_most",
        place=place,
        boards=", ".join(winners),
        n=top,
    )
    lines: list[str] = []
    for ids, boards in ranked:
        f, span = where[boards[0]]
        n = _span_citation(cited, f, span)
        start, end = _lead_in(span)
        line = phrase(lang, "recs_board_count_line", boards=", ".join(boards), n=len(ids))
        quotes = [cited.quote_span(n, f.doc, start, end)]
        if to_all and ALL_BOARDS not in boards:
            quotes.append(_lead_in_quote(cited, *where[ALL_BOARDS]))
        lines.append(" ".join([line, *quotes]))
    return Composed(
        [head, "\n".join(lines)],
        listed=tuple((first.municipality or first.doc, b) for b in winners),
    )


def _lead_in(span: FindingSpan) -> tuple[int, int]:
    """A recommendation's lead-in ("Vi rekommenderar kommunstyrelsen att:"), or the whole
    copy when it has none."""
    if span.lead_start is not None and span.lead_end is not None:
        return span.lead_start, span.lead_end
    return span.start, span.end


def _lead_in_quote(cited: Cited, f: Finding, span: FindingSpan) -> str:
    start, end = _lead_in(span)
    return cited.quote_span(_span_citation(cited, f, span), f.doc, start, end)


MAX_SHORTCOMINGS = 6


def answer_shortcomings(
    findings: Sequence[Finding],
    places: Sequence[str],
    cited: Cited,
    is_template: Callable[[str], bool] | None = None,
    terms: Sequence[str] = (),
) -> Composed:
    """ "Vilka brister ser revisorerna i Örebro?": per municipality, the auditors'
    assessments that find something lacking or only partly there (the overall one first,
    then in the report's order), at most ``MAX_SHORTCOMINGS`` each; with ``terms``
    ("brister i uppföljningen") only those that, with their section's topic, hold them
    all. Empty when the register holds none for ``places``."""
    lang = cited.lang
    judged = [f for f in findings if f.kind == "assessment"]
    if _in_most(terms, judged):
        # "Vilka brister ser revisorerna i Örebros digitaliseringsarbete?": a word in most
        # assessments is no topic of its own; "brister i uppföljningen" is about follow-up.
        terms = ()
    wanting = [
        f
        for f in in_places(judged, places)
        if f.polarity in ("negative", "partial")
        # Boilerplate shared by several reports ("KPMG AB tar inte ansvar för …").
        and (is_template is None or not is_template(f.text))
        and len(matched_terms(list(terms), f"{f.full_text} {f.topic}", heads=False)) == len(terms)
    ]
    by_place: dict[str, list[Finding]] = {}
    for f in sorted(wanting, key=lambda f: (f.doc, not f.overall, f.primary.start)):
        by_place.setdefault(f.municipality or f.doc, []).append(f)
    if not by_place:
        return Composed([], empty=True)
    paragraphs: list[str] = []
    for items in by_place.values():
        first = items[0]
        place = _place(lang, first.municipality, first.year)
        paragraphs.append(phrase(lang, "shortcomings_head", place=place, n=len(items)))
        lines = []
        for f in items[:MAX_SHORTCOMINGS]:
            verdict = f" ({verdict_text(lang, f.verdict)})" if f.verdict else ""
            lines.append(f"- {_quoted(cited, f)}{verdict}")
        if len(items) > MAX_SHORTCOMINGS:
            lines.append(phrase(lang, "shortcomings_more", n=len(items) - MAX_SHORTCOMINGS))
        paragraphs.append("\n".join(lines))
    return Composed(paragraphs)


def _in_most(terms: Sequence[str], items: Sequence[Finding]) -> bool:
    """Whether each of ``terms`` is in more than ``COMMON_SHARE`` of ``items`` (with their
    section topics): "digitaliseringsarbete" is what these reports are about."""
    texts = [f"{f.full_text} {f.topic}" for f in items]
    return bool(texts) and all(
        sum(1 for text in texts if matched_terms([t], text)) > COMMON_SHARE * len(texts)
        for t in terms
    )


def answer_overall(
    findings: Sequence[Finding],
    places: Sequence[str],
    cited: Cited,
    max_places: int = 5,
    is_template: Callable[[str], bool] | None = None,
    rank: str | None = None,
) -> Composed:
    """The overall assessment of each municipality asked about, with its verdict: the
    first line of the answer to a general judgement question. With ``rank`` ("best" or
    "worst", "Vilken kommun fick det mest positiva helhetsomdömet?") and two or more
    municipalities, a first line names the one whose verdict is best (worst): a positive
    verdict over a partial one over a negative one."""
    lang = cited.lang
    overall = [f for f in findings if f.kind == "assessment" and f.overall]
    if is_template is not None:
        # Boilerplate shared by several reports says nothing about this one.
        overall = [f for f in overall if not is_template(f.text)]
    overall = in_places(overall, places)
    by_place: dict[str, list[Finding]] = {}
    for f in overall:
        by_place.setdefault(f.municipality or f.doc, []).append(f)
    if not by_place or len(by_place) > max_places:
        return Composed([], empty=True)
    paragraphs = []
    said: dict[str, tuple[str, str | None]] = {}  # place: (polarity, verdict)
    for place, items in by_place.items():
        chosen = _overall(items)
        first = chosen[0]
        head = phrase(lang, "judgement_head", place=_place(lang, first.municipality, first.year))
        verdicts = [f.verdict for f in chosen if f.verdict]
        if verdicts:
            said[place] = (verdict_polarity(verdicts[0]), verdicts[0])
            head += " " + phrase(lang, "verdict", verdict=verdict_text(lang, verdicts[0]))
        elif first.polarity:
            # "… att kommunstyrelsen delvis säkerställer att …": no verdict word, but the
            # sentence's polarity still ranks it.
            said[place] = (first.polarity, None)
        parts = [head]
        for f in chosen[:1]:
            parts.append(_quoted(cited, f))
        paragraphs.append(" ".join(parts))
    if rank in ("best", "worst") and len(said) >= 2 and len(said) == len(by_place):
        paragraphs.insert(0, _ranked(lang, said, rank))
    return Composed(paragraphs)


def answer_topic_verdicts(
    findings: Sequence[Finding],
    places: Sequence[str],
    terms: Sequence[str],
    cited: Cited,
    max_quotes: int = 2,
) -> tuple[list[str], list[str]]:
    """ "Hur skiljer sig revisorernas bedömning av uppföljningen mellan Huddinge och
    Örebro?": for each municipality, the auditors' verdicts on the asked topic from the
    register (assessments with a verdict whose own sentence names the topic's specific
    words and at least half of its weight), the one naming most of it first; at most
    ``max_quotes`` with different verdicts. Returns the paragraphs and the municipalities
    they cover; a municipality with no such verdict is left to the passages."""
    lang = cited.lang
    judged = [f for f in findings if f.kind == "assessment" and f.verdict]
    if not terms or not judged:
        return [], []
    topic = Topic(terms, [f for f in findings if f.kind == "assessment"], unseen=True)
    paragraphs: list[str] = []
    covered: list[str] = []
    for place in places:
        scored = []
        for f in in_places(judged, [place]):
            if topic.names(f.text, MIN_VERDICT_SHARE):
                scored.append((topic.weighted_share(f.text), f))
        if not scored:
            continue
        scored.sort(key=lambda sf: (-sf[0], sf[1].primary.start))
        chosen: list[Finding] = []
        for _, f in scored:
            if len(chosen) >= max_quotes:
                break
            if any(f.verdict == c.verdict for c in chosen):
                continue
            chosen.append(f)
        first = chosen[0]
        said = []
        for f in chosen:
            said.append(f"{verdict_text(lang, f.verdict or '')}: {_quoted(cited, f)}")
        head = phrase(lang, "judgement_topic", place=_place(lang, first.municipality, first.year))
        paragraphs.append(f"{head} " + "; ".join(said))
        covered.append(place)
    return paragraphs, covered


def _by_place(findings: Sequence[Finding]) -> dict[str, list[Finding]]:
    """``findings`` per municipality (or document), places in name order, each place's in
    the order of the report."""
    out: dict[str, list[Finding]] = {}
    for f in sorted(findings, key=lambda f: (f.municipality or f.doc, f.primary.start)):
        out.setdefault(f.municipality or f.doc, []).append(f)
    return out


def answer_scope(findings: Sequence[Finding], places: Sequence[str], cited: Cited) -> Composed:
    """ "Vilka nämnder omfattas av granskningen?": per municipality, the boards its audit
    covers, with the sentence that says so. Empty when the register holds no scope of
    ``places`` (the passages answer then)."""
    lang = cited.lang
    by_place = _by_place(in_places([f for f in findings if f.kind == "scope"], places))
    if not by_place:
        return Composed([], empty=True)
    lines: list[str] = []
    listed: list[tuple[str, str]] = []
    for place, items in by_place.items():
        boards = list(dict.fromkeys(b for f in items for b in f.boards))
        listed += [(place, b) for b in boards]
        where = _place(lang, items[0].municipality, items[0].year)
        quotes = " ".join(_quoted(cited, f) for f in items)
        lines.append(
            phrase(lang, "scope_head", place=where, names=", ".join(boards)) + " " + quotes
        )
    return Composed(
        lines if len(lines) == 1 else ["\n".join(f"- {line}" for line in lines)],
        listed=tuple(listed),
    )


def answer_method(
    findings: Sequence[Finding], places: Sequence[str], aspect: str | None, cited: Cited
) -> Composed:
    """ "Hur genomfördes granskningen?", "Vilka intervjuades?": per municipality, its audit's
    method section as the register holds it, each list under its lead-in; with an
    ``aspect`` ("dokument", "intervju", …, ``intent.method_aspect``) only what speaks of
    it. Empty when the register holds none (the passages answer then)."""
    lang = cited.lang
    items = in_places([f for f in findings if f.kind == "method"], places)
    if aspect is not None:
        items = [f for f in items if aspect in f.full_text.casefold()]
    by_place = _by_place(items)
    if not by_place:
        return Composed([], empty=True)
    paragraphs: list[str] = []
    for members in by_place.values():
        first = members[0]
        lines = [phrase(lang, "method_head", place=_place(lang, first.municipality, first.year))]
        # The method section is one source: from the first quoted line to the last.
        starts = [f.primary.start for f in members]
        starts += [f.primary.lead_start for f in members if f.primary.lead_start is not None]
        block = FindingSpan(
            start=min(starts),
            end=max(f.primary.end for f in members),
            section=first.primary.section,
            page=first.primary.page,
        )
        n = _span_citation(cited, first, block, block=False)
        lead: tuple[int, int] | None = None
        for f in members:
            span = f.primary
            if span.lead_start is not None and span.lead_end is not None:
                if lead != (span.lead_start, span.lead_end):
                    lead = (span.lead_start, span.lead_end)
                    lines.append(cited.quote_span(n, f.doc, span.lead_start, span.lead_end))
                lines.append("- " + cited.quote_span(n, f.doc, span.start, span.end))
            else:
                lead = None
                lines.append(cited.quote_span(n, f.doc, span.start, span.end))
        paragraphs.append("\n".join(lines))
    return Composed(paragraphs)


def answer_audit_questions(
    findings: Sequence[Finding],
    places: Sequence[str],
    terms: Sequence[str],
    cited: Cited,
    options: Sequence[list[str]] = (),
) -> tuple[list[str], list[str]]:
    """ "Vilka granskningar hade en revisionsfråga om riskanalyser?": the municipalities
    whose audit asked about the topic, each with its questions (or control objectives)
    naming it (the topic's specific words and at least half its weight, weighed over all
    audit questions), then those whose audit asked nothing about it. Without ``terms``,
    each municipality's questions. ``options`` are the topic narrowed to each
    alternative the question offers ("beslutsfattarnas eller chefernas kunskap"): a
    question naming one of them, and that option's own words, names the topic. Empty
    when no audit question of ``places`` names the topic (the passages answer then).
    Returns the paragraphs and the municipalities whose audit asked about it."""
    lang = cited.lang
    asked = [f for f in findings if f.kind == "audit_question"]
    topic = TopicReadings.of(terms, options, asked) if terms else None
    lines: list[str] = []
    on, off = [], []
    for place in places:
        items = in_places(asked, [place])
        if not items:
            continue  # the register holds no questions of this audit: nothing to say
        if topic is not None:
            items = [f for f in items if topic.named_in(f.text, MIN_VERDICT_SHARE)]
        if not items:
            off.append(place)
            continue
        on.append(place)
        quotes = " ".join(_quoted(cited, f) for f in items)
        where = _place(lang, items[0].municipality, items[0].year)
        if topic is None:
            lines.append(phrase(lang, "audit_questions_all", place=where) + " " + quotes)
        else:
            lines.append(f"- {where} — {quotes}")
    if not on:
        return [], []
    if topic is None:
        return lines, on
    out = [phrase(lang, "audit_questions_on", places=", ".join(on)), "\n".join(lines)]
    if off:
        out.append(phrase(lang, "audit_questions_none", places=", ".join(off)))
    return out, on


_VERDICT_ORDER = {"positive": 2, "partial": 1, "negative": 0}


def _ranked(lang: str, said: dict[str, tuple[str, str | None]], rank: str) -> str:
    """Which municipality's overall verdict is best (worst), or that they are alike."""
    score = {p: _VERDICT_ORDER.get(pol, 1) for p, (pol, _) in said.items()}
    top = max(score.values()) if rank == "best" else min(score.values())
    winners = [p for p, sc in score.items() if sc == top]
    if len(winners) != 1:
        return phrase(lang, "overall_alike", places=", ".join(winners))
    place = winners[0]
    verdict = said[place][1]
    if verdict is None:
        return phrase(lang, f"overall_{rank}_bare", place=place)
    return phrase(lang, f"overall_{rank}", place=place, verdict=verdict_text(lang, verdict))


def _overall(items: Sequence[Finding]) -> list[Finding]:
    """The report's overall assessment: the summary judgement with a verdict first."""
    overall = [f for f in items if f.overall]
    overall.sort(key=lambda f: (f.verdict is None, -len(f.spans), f.primary.start))
    out: list[Finding] = []
    for f in overall:
        if len(out) >= MAX_OVERALL:
            break
        if any(f.verdict == o.verdict and f.verdict for o in out):
            continue
        out.append(f)
    return out


def answer_question_verdicts(
    findings: Sequence[Finding],
    places: Sequence[str],
    terms: Sequence[str],
    wanted: str | None,
    cited: Cited,
    count: bool = False,
) -> Composed:
    """ "Which of Örebro's control objectives were only partly fulfilled?", "Hur bedömdes
    revisionsfrågan om organisation och resurser i Botkyrka?": the verdict the auditors
    gave each audit question or control objective, from the register's verdict rows
    ("question — Delvis uppfyllt"). ``wanted`` is the asked polarity of the verdict
    ("partial", "negative", "positive"), or None for all; ``terms`` the asked topic, which
    the question must name (none: every question). Per municipality the matching questions,
    or that none of its questions got that verdict. Empty when no report of ``places``
    gives its verdicts per question (the passages answer then). With ``count`` ("Hur
    många kontrollmål bedömdes som uppfyllda?") the answer starts with how many, per
    municipality."""
    lang = cited.lang
    # The register's verdict rows: "Finns uppsatta mål …? — Delvis uppfyllt".
    rows = [
        f
        for f in findings
        if f.kind == "assessment" and f.verdict and f.topic and f.text.startswith(f"{f.topic} — ")
    ]
    topic = Topic(terms, rows, unseen=True) if terms else None
    paragraphs: list[str] = []
    listed: list[tuple[str, str]] = []
    counts: list[str] = []
    ungraded = [p for p in places if not in_places(rows, [p])]
    for place in places:
        graded = in_places(rows, [place])
        if topic is not None:
            graded = [f for f in graded if topic.names(f.topic, MIN_VERDICT_SHARE)]
        if not graded:
            continue
        where = _place(lang, graded[0].municipality, graded[0].year)
        chosen = [
            f for f in graded if wanted is None or verdict_polarity(f.verdict or "") == wanted
        ]
        if not chosen:
            paragraphs.append(phrase(lang, "verdicts_none", place=where))
            counts.append(f"0 ({place})")
            continue
        lines = [f"- {verdict_text(lang, f.verdict or '')}: {_quoted(cited, f)}" for f in chosen]
        paragraphs += [phrase(lang, "verdicts_of", place=where), "\n".join(lines)]
        listed.append((place, ""))
        counts.append(f"{len(chosen)} ({place})")
    if not paragraphs:
        return Composed([], True)
    if count:
        # How many got the asked verdict, per municipality (0 where none did).
        paragraphs.insert(0, phrase(lang, "set_count", counts=", ".join(counts)))
    if ungraded:
        paragraphs.append(phrase(lang, "verdicts_elsewhere", places=", ".join(ungraded)))
    return Composed(paragraphs, False, tuple(listed))

"""Answers made of verified quotes: every sentence shown is checked against its source.

Without a language model the answer is composed only of fixed connecting phrases
(``phrases.py``) and sentences copied verbatim from retrieved passages, each followed by
``[n]``. Set questions ("vilka nämnder …") become a list of the boards or municipalities
named in the quoted evidence. Weak evidence gives an abstention that still shows the
closest passages. With ``Settings.llm_base_url`` and ``llm_model`` set, a local model
phrases the answer from the numbered passages (``llm.py``); on any failure the extractive
answer is used with a one-line notice.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal, Protocol

from pydantic import BaseModel

from assistant.answer.alternatives import alternatives, own_terms
from assistant.answer.auditor import (
    AUDIT_FIRMS,
    answer_auditor,
    answer_by_firm,
    answer_report_age,
    asked_age,
    firms_named,
    report_place,
    reports_of,
)
from assistant.answer.cited import (
    Cited,
    Quote,
    QuoteMismatch,
    whole_with_examples,
)
from assistant.answer.conversation import Conversation, Turn, resolve_followup
from assistant.answer.from_findings import (
    Composed,
    Topic,
    TopicReadings,
    addressed,
    answer_audit_questions,
    answer_fulfilment,
    answer_method,
    answer_overall,
    answer_question_verdicts,
    answer_recommendation_counts,
    answer_recommendation_counts_by_board,
    answer_recommendation_places,
    answer_recommendations,
    answer_recommendations_beyond,
    answer_replies_of,
    answer_responders,
    answer_responses,
    answer_scope,
    answer_set,
    answer_shortcomings,
    answer_topic_verdicts,
    answer_without_reply,
    has_overall,
    in_places,
    register_match,
    retrieval_closeness,
)
from assistant.answer.intent import (
    ASKS_VALIDITY,
    COMPARE_WORDS,
    SET_NOUN,
    Intent,
    NumberKind,
    asked_sentence,
    asks_joint_reply,
    asks_method,
    asks_one,
    asks_outcome,
    asks_scope,
    asks_shortcomings,
    asks_what_replied,
    asks_whether_all,
    asks_which_too,
    classify,
    first_ask,
    first_set,
    in_replies,
    method_aspect,
    names_money,
    number_kind,
    second_ask,
    second_set,
    set_aside,
    without_actions,
    without_outcome_words,
    without_reply_words,
)
from assistant.answer.names import (
    NameKind,
    asks_for_name,
    group_of,
    holds_name,
    without_member_verb,
)
from assistant.answer.numbers import (
    ASKS_CHANGE,
    ASKS_FUTURE,
    ASKS_TARGET,
    ASKS_TOTAL,
    PEOPLE_WORDS,
    VALID_UNTIL,
    YEAR_RANGE,
    after_reports,
    answers_number,
    asked_event,
    count_of,
    counted_in_cell,
    counted_words,
    counts_people,
    given_numbers,
    listed_items,
    of_years,
    only_periods,
    other_year,
    says_validity,
    seasons_in,
    year_cell_answers,
    years_covered,
    years_in,
)
from assistant.answer.people import answer_people, asked_roles
from assistant.answer.phrases import phrase, source_phrase
from assistant.errors import ConfigError, EndpointError, GranskaError
from assistant.findings.extract import describes_the_audit, is_audit_part, section_topic
from assistant.findings.polarity import ALL_BOARDS, of_unnamed_boards
from assistant.findings.register import board_stem
from assistant.findings.text import shown
from assistant.ingest.sentences import (
    BOARD,
    STOPWORDS,
    Span,
    across_page_break,
    canonical_board,
    find_boards,
    footnote_anchor,
    heads_in_passage,
    is_list_item,
    is_mostly_markup,
    key_terms,
    matched_terms,
    normalize_space,
    split_lines,
    split_sentences,
    tokens,
    with_dated_entries,
    with_lists,
    with_verdicts,
    word_set,
    words,
)
from assistant.models import Chunk, Citation, Filters, Finding, FindingSpan, Hit
from assistant.search import lexicons
from assistant.search.glossary import (
    ENGLISH_STOPWORDS,
    acronym_compounds,
    board_phrases,
    glossed_compounds,
    swedish_terms,
    untranslated_words,
    without_board_names,
)
from assistant.search.query import GLOSSED, QUOTED, detect_language, fold
from assistant.settings import Settings, get_settings

MAX_QUESTION_CHARS = 1000
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")
_PLACE = re.compile(
    r"(?<!\w)(?i:i|in|för|från|from|of|hos|at|about|om)\s+([A-ZÅÄÖ][^\W\d_]+(?:-[A-ZÅÄÖ][^\W\d_]+)?)"
    r"|(?<!\w)([A-ZÅÄÖ][^\W\d_]+?)s?\s+(?i:kommun|municipality)(?!\w)"
    # "Västerås stads arbete", "Göteborgs stad": a city's name as written.
    r"|(?<!\w)([A-ZÅÄÖ][^\W\d_]+)\s+(?i:stads?|stadens|city)(?!\w)"
)
NOT_PLACES = word_set("Sverige Sweden Europa Europe English Swedish Svenska Granska")
DEFAULT_MIN_DENSE = 0.0
MIN_WORDS = 4
MAX_PASSAGES = 2
MAX_WORDS = 120
FLOOR_RATIO = 0.8
# A sentence holding a number of the asked kind outranks one without (<= 1 + 0.5 prior).
NUMBER_BONUS = 1.0
# A count next to the counted noun, within two words, before other counts.
COUNTED_BONUS = 1.0
# An assessment sentence for a judgement question: ahead of a description of equal overlap.
PREFER_BONUS = 0.3
# An amount over several years, when the question asks for one ("multi-year", "2023–2025").
PERIOD_BONUS = 1.0
# Larger than any overlap (<= 1) plus rank prior (<= 0.5): template text comes last.
TEMPLATE_PENALTY = 2.0


@dataclass(frozen=True)
class AbstainPolicy:
    """Thresholds of the abstention decision (calibrate on the dev set).

    Attributes:
        min_overlap: Least share of the question's key terms that the best of the top
            ``top_n`` passages must contain (Swedish questions).
        soft_overlap: Below this share a Swedish question also needs a best dense
            cosine of at least ``min_dense``.
        min_dense: See ``soft_overlap``.
        min_overlap_en: Least share for English questions, whose key terms are the Swedish
            glossary terms of their words (``glossary.swedish_terms``).
        top_n: How many of the best hits count as evidence.
    """

    min_overlap: float = 0.5
    soft_overlap: float = 0.6
    min_dense: float = 0.85
    min_overlap_en: float = 0.3
    top_n: int = 3

    @classmethod
    def from_settings(cls, settings: Settings) -> AbstainPolicy:
        return cls(
            min_overlap=settings.abstain_min_overlap,
            min_dense=settings.abstain_min_dense,
            min_overlap_en=settings.abstain_min_overlap_en,
        )


def abstain_reason(
    hits: list[Hit],
    terms: list[str],
    lang: str,
    policy: AbstainPolicy,
    missing_places: list[str] | None = None,
    options: Sequence[list[str]] = (),
    acronyms: Sequence[str] = (),
    statements: bool = False,
) -> str | None:
    """Why the evidence is too weak to answer, or None when it is good enough.

    Reasons: ``"unknown_place"`` (the question names a municipality without a report),
    ``"no_hits"``, ``"low_overlap"``, ``"low_dense"``. ``options`` are the key terms
    of the question narrowed to each alternative it offers ("robots or artificial
    intelligence"): a passage on one of them holds enough of the question. With
    ``statements`` only what a passage states counts: its questions (the audit's
    "Förekommer det att tjänster avvecklas?") say nothing about the answer.
    """
    if missing_places:
        return "unknown_place"
    if not hits:
        return "no_hits"
    top = hits[: policy.top_n]
    if not terms:
        return None
    said = {h.chunk.id: stated(h.chunk) if statements else h.chunk.text for h in top}
    # Each reading with the words a passage must hold for it to count: none for the
    # question as a whole, one of an alternative's own words for each alternative.
    readings: list[tuple[list[str], list[str] | None]] = [(terms, None)]
    readings += [(o, own_terms(o, options)) for o in options if o]
    best = max(
        len(matched_terms(option, said[h.chunk.id], verbs=True)) / len(option)
        for option, own in readings
        for h in top
        if own is None or matched_terms(own, said[h.chunk.id])
    )
    if lang == "en":
        return "low_overlap" if best < policy.min_overlap_en else None
    if best < policy.min_overlap:
        return "low_overlap"
    dense = max((h.scores.get("dense", 0.0) for h in top), default=0.0)
    # An acronym the question names ("PUFF", "ITIL") written in a passage is the thing
    # asked about, however weakly the rest of the question's wording embeds.
    named = any(
        # A footnote mark may follow it ("PUFF⁷").
        re.search(rf"(?<![\w-]){re.escape(a)}(?![A-Za-zÅÄÖåäöÉé-])", h.chunk.text)
        for a in acronyms
        for h in top
    )
    if best < policy.soft_overlap and dense < policy.min_dense and not named:
        return "low_dense"
    return None


def stated(chunk: Chunk) -> str:
    """The passage's text without its questions (a sentence or list item ending in "?");
    a table keeps its rows (a verdict row repeats the audit question it answers)."""
    if chunk.kind == "table":
        return chunk.text
    kept = []
    for line in chunk.text.split("\n"):
        spans = split_sentences(line)
        kept.append(" ".join(sp.text for sp in spans if not sp.text.rstrip().endswith("?")))
    return "\n".join(kept)


# An acronym of three or more capitals ("PUFF", "ITIL4", "KLG"), not a Roman numeral.
_ACRONYM = re.compile(r"(?<![\w-])[A-ZÅÄÖ]{3,}\d*(?![\w-])")


def acronyms_in(question: str) -> list[str]:
    """The acronyms a question names."""
    return [a for a in _ACRONYM.findall(question) if a not in {"III", "VII", "VIII"}]


_NAME = re.compile(r"(?<![\w-])([A-ZÅÄÖ][\w-]*)")
_ODD_NAME = re.compile(r"^(?:[A-ZÅÄÖ]{2,}\w*|[A-ZÅÄÖ]\w*[a-zåäö][A-ZÅÄÖ]\w*)$")
# Units written as acronyms are no names: "SEK 200 million" is "200 mnkr" in the reports.
_UNITS = frozenset(["sek", "msek", "tsek", "ksek", "mnkr", "mkr", "tkr", "kr", "eur", "usd"])


# An English question whose glossary words are one, among this many it does not know, is
# about something else.
MIN_UNKNOWN_WORDS = 3


def question_terms(
    text: str,
    lang: str,
    exclude: frozenset[str],
    knows: Callable[[str], bool] | None = None,
) -> list[str]:
    """Stemmed key terms to look for in Swedish passages.

    English questions are mapped to Swedish through the glossary; their acronyms and
    names ("PwC", "SKL") are kept as they are. When the glossary knows none of the
    question's words, its English content words ("weather", "licences") are the key terms
    (unless the corpus holds them as written), so that evidence matching none of them does
    not pass for an answer.
    """
    text = _HOW_BIG.sub(" ", text)
    if lang != "en":
        return _with_it(text, key_terms(_present_tense(text, knows), lang, exclude))
    names = " ".join(m.group(1) for m in _NAME.finditer(text) if _ODD_NAME.match(m.group(1)))
    # Swedish words the question quotes or glosses ("personalised welfare ('individanpassad
    # välfärd')", "audit criteria (revisionskriterier)") are the report's own words.
    quoted = " ".join(_swedish_quotes([*QUOTED.finditer(text), *GLOSSED.finditer(text)]))
    english = _REPORTS_FRAME.sub(" ", _NAMED_REPORTS.sub(r"\1", _without_glossed(text)))
    terms = _once(key_terms(f"{swedish_terms(english)} {names} {quoted}", "sv", exclude))
    if len(terms) > 1:
        return _with_it(text, terms)
    unknown = list(
        dict.fromkeys(
            w
            for w in untranslated_words(text)
            if w not in exclude and not (knows is not None and knows(w))
        )
    )
    if not terms:
        return unknown
    if len(unknown) >= MIN_UNKNOWN_WORDS:
        # "What targets do the municipalities have for cutting carbon emissions from their
        # vehicle fleets?": one word the glossary knows ("targets") among several it does
        # not is no question on the reports' topic; the unknown words are key terms too.
        return _with_it(text, terms + unknown)
    return _with_it(text, terms)


def _once(terms: list[str]) -> list[str]:
    """The glossary gives an English word several Swedish forms ("developed" ->
    "utveckla utveckling"): a term that begins with another one matches nothing more, and
    counted twice it would weigh a sentence holding it double."""
    return [t for t in terms if not any(u != t and t.startswith(u) for u in terms)]


# "Which of the reports …", "the municipalities' reports", "the two audits": whose text,
# not its topic ("status reports" and "reporting" stay).
_REPORTS_FRAME = re.compile(
    r"\b(?:(?:the|which|what|these|those|their|its|all|both|any|two|three|four|five)\s+"
    r"(?:of\s+the\s+)?|"
    r"municipalit(?:y|ies)(?:'s|s')?'?\s+)(?:reports?|audits?)\b(?!\s+(?:on|of)\b)",
    re.IGNORECASE,
)
# "the Örebro and Eskilstuna reports", "KPMG's report": whose report, not what it says
# (the names stay: places select the reports, a firm's name is a term).
_NAMED_REPORTS = re.compile(
    r"\b((?:[A-ZÅÄÖ][\w-]*(?:'s|s')?'?\s+(?:and|or)\s+)?[A-ZÅÄÖ][\w-]*(?:'s|s')?'?\s+)"
    r"(?:[Rr]eports?|[Aa]udits?)\b(?!\s+(?:on|of)\b)"
)
_GLOSSED_WORDS = re.compile(r"((?:[^\W\d_][\w-]*\s+){1,3})(?=\([^()]{3,60}\))")


def _without_glossed(text: str) -> str:
    """An English question without the words a Swedish gloss translates: "change
    management (förändringsledning)" is asked as "förändringsledning", not also as
    "förändring", "styrning" and "ledning"."""

    def drop(m: re.Match[str]) -> str:
        gloss = text[m.end() :].split(")", 1)[0].strip("( ")
        if detect_language(gloss) != "sv":
            return m.group(0)
        words = m.group(1).split()
        # Only the content words right before the gloss go: "a leadership or management
        # issue (ledningsfråga)" drops "management issue" and keeps "a leadership or".
        while words and words[-1].casefold() not in ENGLISH_STOPWORDS:
            words.pop()
        return " ".join(words) + " "

    return _GLOSSED_WORDS.sub(drop, text)


def quoted_text(question: str, lang: str = "sv") -> str:
    """The Swedish words a question quotes, or in an English question also glosses."""
    found = list(QUOTED.finditer(question))
    if lang == "en":
        found += GLOSSED.finditer(question)
    return " ".join(q.strip("'\"”“«»()") for q in _swedish_quotes(found))


def quoted_terms(question: str, lang: str = "sv") -> list[str]:
    """The terms of the words a question quotes ("'självklar självservice'"), or in an
    English question also glosses in Swedish ("management issue (ledningsfråga)"): the
    report's own words, which the evidence must hold."""
    text = quoted_text(question, lang)
    terms = key_terms(text, "sv")
    # "(IT-strateg)": the compound, not its second part alone ("strategin" is no
    # IT-strateg); its short first part is no term of its own.
    for m in _SHORT_PREFIXED.finditer(text):
        rest = key_terms(m.group(2), "sv")
        if rest and rest[0] in terms:
            terms[terms.index(rest[0])] = f"{m.group(1).casefold()}-{rest[0]}"
    return terms


_SHORT_PREFIXED = re.compile(r"(?<![\w-])(IT|it|e|E)-([^\W\d_]{3,})")


def _swedish_quotes(found: Sequence[re.Match[str]]) -> list[str]:
    """The quoted or glossed segments that are Swedish: an English quote ("'in line with
    the assignment given in 2021'") is the asker's paraphrase, not the report's words."""
    return [m.group(0) for m in found if detect_language(m.group(0).strip("'\"”“«»()")) == "sv"]


_IT = re.compile(r"(?<![\w-])IT(?![\w])")


_PRETERITE = re.compile(r"\b(\w{3,}?[^aeiouyåäö\W])de\b", re.IGNORECASE)


# "Hur stor är potten?", "How big is the fund?", "hur mycket pengar finns i dem?": the size
# asked, not a word to look for (the reports write "5 mnkr", not "pengar").
_HOW_BIG = re.compile(
    r"\b(?<=hur\s)(?:stor|stort|stora|lång|långt|länge)\b|\b(?<=how\s)(?:big|large|long)\b"
    r"|\b(?<=hur\smycket\s)pengar\b|\b(?<=how\smuch\s)money\b",
    re.IGNORECASE,
)


def _present_tense(text: str, knows: Callable[[str], bool] | None) -> str:
    """A verb in the past tense as the reports write it in the present: "bedömde" stems
    to "bedömd", which does not match "bedömer". Only when the corpus holds the present
    form ("bedömer"), so that nouns ending in "-de" ("område", "skede") stay."""
    if knows is None:
        return text

    def present(m: re.Match[str]) -> str:
        return m.group(1) + "er" if knows(m.group(1).casefold() + "er") else m.group(0)

    return _PRETERITE.sub(present, text)


def _with_it(text: str, terms: list[str]) -> list[str]:
    """ "IT" written in capitals ("the central IT function", "IT-avdelningen") is a key
    term, though two letters long (and "it" a stopword in English)."""
    if _IT.search(text) and "it" not in terms:
        return [*terms, "it"]
    return terms


def unknown_names(
    question: str,
    lang: str,
    hits: list[Hit],
    knows: Callable[[str], bool],
    places: Sequence[str] = (),
) -> list[str]:
    """Names in the question that no indexed document contains ("ChatGPT", "Microsoft").

    Acronyms and camel-case names count in any language; in a Swedish question every
    capitalised word but a sentence's first does (Swedish capitalises only proper nouns:
    "… digitaliseringsarbetet. Vad i svaret …" names no "Vad"). A compound of a known
    municipality ("Huddingerapporten") is not a stranger.
    """
    prefixes = tuple(p.casefold() for p in places)
    seen = {t for h in hits for t in tokens(h.chunk.text)}
    out: list[str] = []
    for i, m in enumerate(_NAME.finditer(question)):
        name = m.group(1).strip("-")
        odd = bool(_ODD_NAME.match(name))
        first = not question[: m.start()].strip() or question[: m.start()].rstrip()[-1] in ".!?:"
        proper = lang != "en" and not first and i > 0
        if not (odd or proper) or len(name) < 3 or name.casefold() in _UNITS:
            continue
        parts = [p.casefold() for p in name.split("-") if p]
        if any(_known(p, knows, seen) for p in parts) or name in out:
            continue
        if prefixes and name.casefold().startswith(prefixes):
            continue
        out.append(name)
    return out


def _known(word: str, knows: Callable[[str], bool], seen: set[str]) -> bool:
    """In the corpus or the passages, also as a genitive ("Avestas", "KPMG:s")."""
    base = word.removesuffix(":s").removesuffix("s") if len(word) > 4 else word
    return any(w in seen or knows(w) for w in {word, base, word.removesuffix(":s")})


def unknown_places(question: str, known: list[str], hits: list[Hit]) -> list[str]:
    """Capitalised place names in the question ("i Malmö", "Malmö kommun") that are no
    municipality of the corpus and occur in none of the passages."""
    known_folded = {m.casefold() for m in known}
    # Written as a name: "721 23 VÄSTERÅS" in a firm's address speaks of no Västerås.
    seen = {t for h in hits for t in words(h.chunk.text)}
    missing: list[str] = []
    for m in _PLACE.finditer(question):
        name = m.group(1) or m.group(2) or m.group(3)
        folded = name.casefold()
        if (
            folded in known_folded
            or (folded.endswith("s") and folded[:-1] in known_folded)
            or name in NOT_PLACES
            or folded in STOPWORDS
            or name in seen
            or (name.endswith("s") and name[:-1] in seen)
            or find_boards(name)
            or name in missing
        ):
            continue
        missing.append(name)
    return missing


@dataclass(frozen=True)
class Candidate:
    """A sentence (or table row) of a retrieved passage, scored for the question."""

    hit: Hit
    span: Span
    score: float
    matched: frozenset[str]
    header: str | None = None

    def display(self) -> str:
        """The quote as shown: conversion leftovers out, whitespace normalised, table
        cells joined by " | "."""
        return shown(self.span.text)

    def boards(self) -> list[str]:
        return find_boards(self.span.text)

    def source_phrase(self, lang: str) -> str:
        c = self.hit.chunk
        return source_phrase(
            lang, c.municipality, c.year, c.doc_type, c.doc, audit_part=is_audit_part(c.section)
        )


def _is_header(line: str, header: str) -> bool:
    """Whether a table's line is its header (repeated at the top of a chunk)."""
    return normalize_space(line) == normalize_space(header)


def _cells(row: str) -> str:
    return " | ".join(normalize_space(c) for c in row.split("\t") if c.strip())


_FRAME_SECTION = re.compile(
    r"\b(?:revisionskriteri\w*|metod|avgränsning\w*|syfte|syfte\s+och\s+\w+)$", re.IGNORECASE
)
# A sentence describing the audit: a template for a question that is not about the audit.
_METHOD = "Granskningen har genomförts genom dokumentstudier och intervjuer."


def candidates(
    hits: list[Hit],
    terms: list[str],
    is_template: Callable[[str], bool] | None = None,
    number: NumberKind | None = None,
    prefer: Callable[[str, int], bool] | None = None,
    counted: list[str] | None = None,
    name: NameKind | None = None,
    known_places: Sequence[str] = (),
    given: frozenset[str] = frozenset(),
    period: bool = False,
    years: frozenset[str] = frozenset(),
    target: bool = False,
) -> list[Candidate]:
    """Every quotable sentence of ``hits``, scored by key-term overlap plus a rank prior.

    A lead-in ending in a colon comes with the list that follows it. Sentences for which
    ``is_template`` is true (boilerplate shared by several reports) score below all others.
    When the question asks for a ``number`` (an amount, a date …), a sentence holding one
    of that kind comes before any that does not; ``prefer(doc, offset)`` marks sentences
    of the kind the question wants (the auditors' assessments) for a smaller bonus. A
    table row answers a question naming ``years`` by its cell in that year's column (a
    goal's column only when the question asks for a ``target``).
    """
    pool: list[Candidate] = []
    for hit in hits:
        chunk = hit.chunk
        table = chunk.kind == "table"
        # The words of the section's own heading hold for each of its sentences: under
        # "2.2 Revisionskriterier" the criteria are listed without the word.
        # The nearest heading naming a subject: under "3.6 Kostnads- och nyttoanalyser …
        # › 3.6.1 Bedömning" the assessment is on cost and benefit analyses as much as the
        # observations above it.
        heading = set(matched_terms(terms, section_topic(chunk.section), heads=False))
        header = chunk.table_header
        # The audit's criteria, method and scope ("2.2 Revisionskriterier: - Kostnader och
        # resurser för genomförande av digitaliseringsprojekt") say what was examined, not
        # what was found: they rank with the sentences describing the audit.
        frame = bool(chunk.section) and _FRAME_SECTION.search(chunk.section[-1]) is not None
        if table:
            spans = split_lines(chunk.text)
        else:
            spans = with_verdicts(
                chunk.text, with_dated_entries(chunk.text, split_sentences(chunk.text))
            )
            # A number is its item's own ("5. 2023-06-13 Kommunstyrelsen lämnar …"), not
            # the whole list's under its lead-in (whose years, "ärenden … under åren 2022
            # och 2023:", date no item); a lead-in counting the items ("Arbetet ska utgå
            # från sex strategiska inriktningar:") is quoted with its list.
            if number is None:
                spans = with_lists(chunk.text, spans, MAX_WORDS)
            elif number == "count":
                spans = [
                    whole if whole is not own and answers_number(own.text, number, given) else own
                    for own, whole in zip(
                        spans, with_lists(chunk.text, spans, MAX_WORDS), strict=True
                    )
                ]
        for i, span in enumerate(spans):
            words = len(span.text.split())
            if table and header and _is_header(span.text, header):
                continue
            if words < (2 if table else MIN_WORDS) or words > MAX_WORDS:
                continue
            if is_mostly_markup(span.text) and not table:
                continue
            if not table and span.text.rstrip().endswith((":", ";")):
                # A lead-in whose list is not in this passage ("Digitaliseringskommittén
                # har till uppgift att:" ending it) says nothing on its own.
                continue
            # A footnote is read with the sentence carrying its mark ("³ Beslutad av
            # kommunstyrelsen 2022-03-15" dates "… en beslutad plan för digitalisering³").
            # (For a number only: a note defining a term, "ITIL – Information Technology
            # Infrastructure Library …", is no answer on what the sentence says.)
            note = footnote_anchor(span.text, chunk.text) if number is not None else ""
            read = f"{span.text} {note}"
            matched = frozenset(
                heads_in_passage(terms, read, chunk.text)
                | heading
                # A name the paragraph opens with holds for the number its later
                # sentences give ("… e-tjänster, Open-E. … Avesta betalar 130 000 kr …").
                | (
                    _paragraph_opening(chunk.text, span.start, _names_of(terms))
                    if number is not None and not table
                    else set()
                )
            )
            overlap = len(matched) / len(terms) if terms else 0.0
            prior = 1.0 / (hit.rank + 1) - 0.001 * i
            penalty = (
                TEMPLATE_PENALTY
                if is_template and (is_template(span.text) or (frame and is_template(_METHOD)))
                else 0.0
            )
            in_year = (
                year_cell_answers(header, span.text, set(years), target)
                if table and header and years
                else None
            )
            if (
                number is not None
                and matched
                and answers_number(span.text, number, given)
                and in_year is not False
            ):
                penalty -= NUMBER_BONUS
                # "the multi-year sums": an amount over a period before a yearly one.
                if period and _PERIOD.search(span.text):
                    penalty -= PERIOD_BONUS
                # "Hur många inloggningar": "tre olika inloggningar" before "47 e-tjänster
                # med inloggning".
                if counted and count_of(span.text, _counts(counted), 2):
                    penalty -= COUNTED_BONUS
                # "Hur stor andel var 2018 nöjda …": the row of the table whose columns are
                # that year's ("Utfall 2018"), not the one of the next year's follow-up.
                if in_year:
                    penalty -= YEAR_COLUMN_BONUS
            if name is not None and matched and holds_name(span.text, name, known_places):
                penalty -= NUMBER_BONUS
            if prefer is not None and matched and prefer(chunk.doc, chunk.start + span.start):
                penalty -= PREFER_BONUS
            shown = _cells(header) if table and header else None
            pool.append(Candidate(hit, span, overlap + prior - penalty, matched, shown))
    pool.sort(key=lambda c: (-c.score, c.hit.rank, c.span.start))
    return pool


def _states(c: Candidate) -> bool:
    """Whether a candidate states something: a question in the text (an audit question)
    does not, a table row answering it does; nor does a short line without a full stop
    that is no list item: a signature or a heading ("Revisorerna i Huddinge kommun")."""
    if c.hit.chunk.kind == "table":
        return True
    text = c.span.text.strip()
    if "?" in text:
        return False
    if len(text.split()) > SIGNATURE_WORDS or text.endswith((".", "!", ":", ";")):
        return True
    chunk = c.hit.chunk.text
    # "- Interna arbetssätt och rutiner" states what its list says.
    return is_list_item(chunk[chunk.rfind("\n", 0, c.span.start) + 1 :])


# A line of this many words or fewer without a full stop is a signature or a heading.
SIGNATURE_WORDS = 5


def _similar(a: str, b: str) -> bool:
    ta, tb = set(tokens(a)), set(tokens(b))
    return bool(ta and tb) and len(ta & tb) / len(ta | tb) >= 0.8


def _overlaps(a: Candidate, b: Candidate) -> bool:
    """Both quote the same stretch of one passage (a list item and its lead-in block)."""
    return (
        a.hit.chunk.id == b.hit.chunk.id and a.span.start < b.span.end and b.span.start < a.span.end
    )


def select(
    pool: list[Candidate],
    max_n: int,
    min_n: int,
    max_passages: int | None = None,
    floor_ratio: float = 0.5,
) -> list[Candidate]:
    """The best candidates: within ``floor_ratio`` of the best score (at least ``min_n``
    when available), from at most ``max_passages`` passages, never two near-identical
    sentences and never two quotes of the same stretch of text."""
    if not pool:
        return []
    needs_terms = any(c.matched for c in pool)
    floor = pool[0].score * floor_ratio
    chosen: list[Candidate] = []
    passages: set[str] = set()
    for cand in pool:
        if len(chosen) >= max_n:
            break
        if max_passages and cand.hit.chunk.id not in passages and len(passages) >= max_passages:
            continue
        if needs_terms and not cand.matched:
            continue
        if cand.score < floor and len(chosen) >= min_n:
            break
        if any(_similar(cand.span.text, c.span.text) or _overlaps(cand, c) for c in chosen):
            continue
        chosen.append(cand)
        passages.add(cand.hit.chunk.id)
    return chosen


class QueryView(Protocol):
    """What ``answer_question`` reads of ``query.QueryInfo``."""

    text: str
    lang: str
    municipalities: list[str]
    years: list[int]
    wants_set: bool


class Searcher(Protocol):
    """``retriever.Retriever`` or a test fake."""

    @property
    def municipalities(self) -> list[str]: ...

    def analyze(self, query: str) -> Any: ...

    def search(
        self, query: str, k: int = 10, filters: Filters | None = None, retriever: str = "hybrid"
    ) -> list[Hit]: ...


class EmptyQuestionError(ConfigError):
    """The question is empty once control characters and spaces are removed."""


class ListedBoard(BaseModel):
    """A board (or, with ``board`` empty, a municipality) that a set answer lists."""

    municipality: str
    board: str = ""


class Answer(BaseModel):
    question: str
    resolved_question: str
    text: str
    abstained: bool
    language: Literal["sv", "en"]
    mode: Literal["extractive", "llm"] = "extractive"
    intent: str = "fact"
    citations: list[Citation] = []
    quotes: list[Quote] = []
    hits: list[Hit] = []
    filters: Filters = Filters()
    notice: str | None = None
    listed: list[ListedBoard] = []

    def to_json(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answer": {
                "text": self.text,
                "abstained": self.abstained,
                "language": self.language,
                "mode": self.mode,
                "intent": self.intent,
                "listed": [b.model_dump() for b in self.listed],
            },
            "citations": [
                {
                    "n": c.n,
                    "doc": c.doc,
                    "municipality": c.municipality,
                    "section": c.section,
                    "page": c.page,
                    "start": c.start,
                    "end": c.end,
                    "text": c.text,
                    "score": c.score,
                }
                for c in self.citations
            ],
        }

    def to_json_text(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False, indent=2)


_WORD_DASH = re.compile(r"(?<=[^\W\d_])[\u2010\u2011\u2013\u2014](?=[^\W\d_])")


def clean_question(question: str) -> tuple[str, bool]:
    """Control characters out, whitespace normalised, cut at ``MAX_QUESTION_CHARS``.

    Returns the cleaned question and whether it was truncated.

    Raises:
        EmptyQuestionError: Nothing is left to ask.
    """
    text = normalize_space(_CONTROL.sub(" ", question or ""))
    # A dash between two letters joins a compound ("cost–benefit"): a hyphen, not a break
    # between clauses.
    text = _WORD_DASH.sub("-", text)
    if not text:
        raise EmptyQuestionError(
            "the question is empty; ask e.g. 'Vilka nämnder saknar mål för digitalisering?'"
        )
    if len(text) <= MAX_QUESTION_CHARS:
        return text, False
    cut = text[:MAX_QUESTION_CHARS]
    return (cut.rsplit(" ", 1)[0] if " " in cut[-50:] else cut), True


def _quote(cited: Cited, cand: Candidate, with_header: bool = True) -> str:
    """``”sentence” [n]`` after checking the sentence against its passage."""
    chunk = cand.hit.chunk
    if chunk.text[cand.span.start : cand.span.end] != cand.span.text:
        raise QuoteMismatch(f"quote does not match passage {chunk.id}")  # pragma: no cover
    n = cited.cite(cand.hit)
    start = chunk.start + cand.span.start
    end = start + len(cand.span.text)
    exact, shown_text = cand.span.text, cand.display()
    document = cited.text_of(chunk.doc) if cand.header is None else None
    if document is not None and document[start:end] == exact:
        # Half a sentence a page break split is shown whole, and a sentence with the
        # examples that go on from it as a fragment ("… faller ut. Exempelvis avseende
        # informationssäkerhet …"); the choice of sentences is the same.
        # A running header between the halves is left out.
        pieces = across_page_break(document, *whole_with_examples(document, start, end, _is_verb))
    else:
        pieces = [(start, end)]
    if pieces != [(start, end)]:
        shown_text = cited.record(n, chunk.doc, pieces)
    else:
        cited.quotes.append(Quote(n=n, doc=chunk.doc, start=start, end=end, text=exact))
    context = ""
    if cand.header and with_header:
        context = phrase(cited.lang, "table", header=cand.header) + " "
    return f"{context}{phrase(cited.lang, 'open')}{shown_text}{phrase(cited.lang, 'close')} [{n}]"


# The sentences that go on from a quoted one: an assessment's reasons (``Finding.reasons``).
FollowUp = Callable[[str, int], list[FindingSpan]]


def _reasons_at(findings: list[Finding]) -> FollowUp | None:
    """The reasons of the assessment whose copy lies at an offset of a document."""
    spans: dict[str, list[tuple[int, int, list[FindingSpan]]]] = {}
    for f in findings:
        if f.kind == "assessment" and f.reasons:
            for s in f.spans:
                spans.setdefault(f.doc, []).append((s.start, s.end, f.reasons))
    if not spans:
        return None

    def reasons(doc: str, offset: int) -> list[FindingSpan]:
        return next((r for a, b, r in spans.get(doc, ()) if a <= offset < b), [])

    return reasons


MAX_GROUNDS = 2


def _grounds(findings: list[Finding], cited: Cited) -> list[str]:
    """For a quoted verdict row of a table ("Är organisation och resurser ändamålsenliga
    …? | Uppfyllt"): the auditors' assessment of that question from its "Bedömning"
    section, which says why, its verdict sentence first; none when the answer already
    quotes (a copy of) one of them."""
    by_start = {(f.doc, s.start): f for f in findings if f.kind == "assessment" for s in f.spans}
    out: list[str] = []
    for q in list(cited.quotes):
        verdict = by_start.get((q.doc, q.start))
        if "\t" not in q.text or verdict is None or not verdict.verdict:
            continue  # only a verdict row of a table says no why
        grounds = [
            f
            for f in findings
            if f.kind == "assessment"
            and f.doc == verdict.doc
            and f.topic == verdict.topic
            and f.id != verdict.id
            and f.primary.section
            and "bedömning" in f.primary.section[-1].casefold()
            and "revisionell" not in f.primary.section[-1].casefold()
        ]
        if any(cited.quotes_copy(verdict.doc, f.text) for f in grounds):
            continue  # the answer already quotes the assessment of the question (a copy)
        grounds.sort(key=lambda f: (f.verdict is None, f.primary.start))
        if not grounds:
            continue
        chosen = sorted(grounds[:MAX_GROUNDS], key=lambda f: f.primary.start)
        quotes = cited.quote_block(verdict.doc, [f.primary for f in chosen], verdict.municipality)
        head = phrase(cited.lang, "grounds", place=verdict.municipality or verdict.doc)
        out.append(f"{head} {' '.join(quotes)}")
    return out


def _quote_follow_up(cited: Cited, cand: Candidate, follow: FollowUp) -> list[str]:
    """The reasons of the assessment ``cand`` quotes, each quoted once, from its passage
    when the passage holds it, else from the report itself."""
    chunk = cand.hit.chunk
    text = cited.text_of(chunk.doc) or ""
    reasons = [
        r
        for r in follow(chunk.doc, chunk.start + cand.span.start)
        if not cited.quotes_copy(chunk.doc, text[r.start : r.end], r.start)
    ]
    if not reasons:
        return []
    if not (chunk.start <= reasons[0].start and reasons[-1].end <= chunk.end):
        # The reasons, together, as a source of their own.
        return cited.quote_block(chunk.doc, reasons, chunk.municipality)
    n = cited.cite(cand.hit)
    return [cited.quote_span(n, chunk.doc, r.start, r.end) for r in reasons]


def echoes(sentence: str, question: str) -> bool:
    """Whether ``sentence`` says nothing that ``question`` does not: each of its content
    words (two at least) and numbers is in the question ("Till dessa insatsområden har
    SKL knutit 17 mål." for "Vilka är de 17 mål som SKL har knutit till insatsområdena?")."""
    said = key_terms(sentence, "sv")
    if len(said) < 2 or len(matched_terms(said, question, heads=False)) < len(said):
        return False
    return set(_DIGITS.findall(sentence)) <= set(_DIGITS.findall(question))


_DIGITS = re.compile(r"\d+")


def _grouped_quotes(
    cited: Cited, chosen: list[Candidate], follow: FollowUp | None = None
) -> list[str]:
    """One paragraph per source document: the document with the best sentence first, and
    in each document its best sentence first (the answer before its context). With
    ``follow``, a quoted assessment is followed by its reasons."""
    order: list[str] = []
    by_doc: dict[str, list[Candidate]] = {}
    for cand in chosen:
        if cand.hit.chunk.doc not in by_doc:
            order.append(cand.hit.chunk.doc)
        by_doc.setdefault(cand.hit.chunk.doc, []).append(cand)
    paragraphs = []
    for doc in order:
        best, *rest = by_doc[doc]
        group = [best, *sorted(rest, key=lambda c: c.hit.chunk.start + c.span.start)]
        shown_ids: set[str] = set()
        parts = []
        for c in group:
            start = c.hit.chunk.start + c.span.start
            if cited.quotes_copy(doc, c.span.text, start):
                continue  # quoted already, as the reason of an assessment before it
            parts.append(_quote(cited, c, with_header=c.hit.chunk.id not in shown_ids))
            shown_ids.add(c.hit.chunk.id)
            if follow is not None:
                parts.extend(_quote_follow_up(cited, c, follow))
        paragraphs.append(f"{group[0].source_phrase(cited.lang)} {' '.join(parts)}")
    return paragraphs


def compose_extractive(
    lang: str,
    hits: list[Hit],
    terms: list[str],
    cited: Cited,
    max_sentences: int = 5,
    is_template: Callable[[str], bool] | None = None,
    number: NumberKind | None = None,
    prefer: Callable[[str, int], bool] | None = None,
    counted: list[str] | None = None,
    name: NameKind | None = None,
    known: Sequence[str] = (),
    given: frozenset[str] = frozenset(),
    period: bool = False,
    years: frozenset[str] = frozenset(),
    follow: FollowUp | None = None,
    statements: bool = False,
    target: bool = False,
    echo_of: str | None = None,
    answering: Sequence[tuple[str, int, int]] | None = None,
    once: Callable[[str, int], str | None] | None = None,
    numbers_only: bool = False,
) -> list[str]:
    """The best sentences of the passages, grouped by document, best first. A number is
    answered from one passage (the one holding it), a count first by the sentence that
    counts the asked noun (``counted``), a table row first from the table whose columns
    are of the asked ``years``; ``follow`` adds the sentences that go on from a quoted one.
    With ``statements`` a question in the text (an audit question, "Är organisation och
    resurser ändamålsenliga …?") is no answer; a table row answering it is. A sentence
    that says nothing ``echo_of`` (the question and its key terms) does not say is no
    answer either. ``answering`` are the sentences (chunk id, start, end) found to hold
    the asked ``number``: another sentence with a number of that kind is not quoted (the
    25 % goal of 2019 in a row saying the 2020 survey is only planned). ``once`` names
    what a sentence is one copy of (a report's overall assessment, in its summary and its
    conclusions in other words): only the best-scoring copy is quoted. With
    ``numbers_only`` a number is answered by the sentences holding one of its kind, not
    the passage's other sentences beside them."""
    pool = candidates(
        hits, terms, is_template, number, prefer, counted, name, known, given, period, years, target
    )
    if number is not None and answering:
        pool = [
            c
            for c in pool
            if not answers_number(c.span.text, number, given) or _holds_found(c, answering)
        ]
        # The one passage is one holding a number found: a better-scoring passage without
        # one ("Insatsområde 1 – Ledning och styrning omfattar …") is no answer.
        holding = {chunk_id for chunk_id, _, _ in answering}
        pool = [c for c in pool if c.hit.chunk.id in holding] or pool
    if statements:
        pool = [c for c in pool if _states(c)]
    # A sentence the answer already quotes (the overall verdict it leads with) is not
    # quoted again as evidence, nor a copy of it elsewhere in the report ("kungemensam" in
    # one copy, "kommungemensam" in the other).
    pool = [c for c in pool if not cited.quotes_copy(c.hit.chunk.doc, c.span.text)]
    if echo_of is not None:
        pool = [c for c in pool if not echoes(c.span.text, echo_of)]
    if once is not None:
        # Of the copies of one thing, the best-scoring one (ties: the first in the pool).
        keys = [once(c.hit.chunk.doc, c.hit.chunk.start + c.span.start) for c in pool]
        best: dict[str, int] = {}
        for i, key in enumerate(keys):
            if key is not None and (key not in best or pool[i].score > pool[best[key]].score):
                best[key] = i
        pool = [
            c
            for i, (c, key) in enumerate(zip(pool, keys, strict=True))
            if key is None or best[key] == i
        ]
    if not pool:
        return []
    chosen = select(
        pool,
        max_n=max_sentences,
        min_n=1,
        max_passages=1 if number else MAX_PASSAGES,
        floor_ratio=FLOOR_RATIO,
    )
    if number is not None and answering and not any(_holds_found(c, answering) for c in chosen):
        # The sentences quoted hold none of the numbers found ("Det finns en beslutad
        # Digitaliseringsstrategi för åren 2021–2025" for "När beslutades strategin?"):
        # quoted, they would pass for an answer without one.
        return []
    if number is not None and numbers_only:
        # "Driftanslaget för fonden uppgår för år 2020 till 4 mnkr …" answers how much the
        # fund had; "Det övergripande syftet med fonden är …" after it is filler.
        chosen = [c for c in chosen if answers_number(c.span.text, number, given)] or chosen
    if number is not None:
        chosen = _with_anchors(chosen, pool)
    return _grouped_quotes(cited, chosen, follow)


def _holds_found(cand: Candidate, answering: Sequence[tuple[str, int, int]]) -> bool:
    """Whether ``cand`` overlaps one of the sentences (chunk id, start, end) found to hold
    the asked number."""
    return any(
        cid == cand.hit.chunk.id and start < cand.span.end and cand.span.start < end
        for cid, start, end in answering
    )


def _with_anchors(chosen: list[Candidate], pool: list[Candidate]) -> list[Candidate]:
    """``chosen``, each footnote followed by the sentence carrying its mark: "Beslutad av
    kommunstyrelsen 2022-03-15 (KSKF/2021:336)" alone does not say what was decided. The
    number stays first."""
    out: list[Candidate] = []
    for c in chosen:
        if c in out:
            continue
        out.append(c)
        anchor = footnote_anchor(c.span.text, c.hit.chunk.text)
        carrier = next(
            (p for p in pool if p.hit.chunk.id == c.hit.chunk.id and p.span.text == anchor),
            None,
        )
        if anchor and carrier is not None and carrier not in out:
            out.append(carrier)
    return out


# A question about what the audits asked: "Vilka granskningar hade en revisionsfråga om
# riskanalyser?", "Which audits asked, in one of their audit questions, about …?" …
_AUDIT_QUESTIONS_ASKED = re.compile(
    r"\b(?:revisionsfråg\w*|kontrollmål\w*|audit\s+questions?|control\s+objectives?)\b",
    re.IGNORECASE,
)
# … not how one was answered ("Hur bedömdes revisionsfrågan …?", "Vad kom revisorerna fram
# till?", "Which control objectives were only partly fulfilled?").
_ANSWERED_HOW = re.compile(
    r"\b(?:bedöm\w*|uppfyll\w*|fram\s+till|slutsats\w*|svar\w*|fulfil\w*|met|assess\w*|"
    r"judg\w*|verdicts?|conclu\w*|found|find|findings?)\b",
    re.IGNORECASE,
)
# A period right after a noun, part of a document's name ("strategi 2021–2025").
_NAMED_PERIOD = re.compile(rf"(?<=[a-zåäö])\s+{YEAR_RANGE}")
# Which verdict is asked ("only partly fulfilled", "bedömdes som uppfyllda"), not only how
# a question was judged ("Hur bedömdes revisionsfrågan …?").
_VERDICT_ASKED = re.compile(
    r"\b(?:uppfyll\w*|fulfil\w*|met|unmet|ändamålsenlig\w*|tillräcklig\w*|adequate\w*|"
    r"sufficient\w*|appropriate\w*)\b",
    re.IGNORECASE,
)
# "Which of the control objectives were …", "Vilka revisionsfrågor bedömdes …": a set of
# the audit's questions by their verdicts ("How does PwC grade the control objective …"
# asks for one verdict and its grounds, which the judgement answer gives).
_OF_AUDIT_QUESTIONS = r"\s+(?:av\s+|of\s+)?(?:[\w'’-]+\s+){0,3}?" + _AUDIT_QUESTIONS_ASKED.pattern
_WHICH_QUESTIONS = re.compile(
    r"\b(?:vilka|vilken|vilket|which|what)" + _OF_AUDIT_QUESTIONS, re.IGNORECASE
)
# "Hur många kontrollmål bedömdes som uppfyllda?": the same set, counted.
_HOW_MANY_QUESTIONS = re.compile(
    r"\b(?:hur\s+många|how\s+many)" + _OF_AUDIT_QUESTIONS, re.IGNORECASE
)
# The words of a verdict, which say how a question was judged, not what it asks about.
_VERDICT_STEMS = ("uppfyll", "delvis", "bedöm", "fulfil")
# "en revisionsfråga eller ett kontrollmål": one frame, not alternatives of the topic.
_AUDIT_QUESTION_WORDS = (
    r"(?:(?:en|ett|an?|one\s+of\s+their)\s+)?(?:revisionsfråg\w*|kontrollmål\w*|"
    r"audit\s+questions?|control\s+objectives?)"
)
_AUDIT_QUESTION_FRAME = re.compile(
    rf"{_AUDIT_QUESTION_WORDS}(?:\s+(?:eller|or)\s+{_AUDIT_QUESTION_WORDS})?", re.IGNORECASE
)
# The words that name the audit's questions, not their topic.
_QUESTION_FRAME = (
    "revisionsfråg",
    "kontrollmål",
    "fråg",
    "granskning",
    "egen",
    "uttryck",
    "besvar",
)


# "Vilken nämnd fick flest rekommendationer?", "Which committee received the fewest …?"
_MOST_RECOMMENDATIONS_BOARD = re.compile(
    r"\b(?:vilk\w+|which|what)\s+(?:\w+\s+){0,2}?"
    r"(?:nämnd\w*|styrelse\w*|boards?|committees?)\b[^?]*?\b(?:flest|most|"
    r"largest\s+number\s+of|greatest\s+number\s+of|(?P<fewest>färst|fewest|smallest\s+number\s+of))"
    r"\s+(?:rekommendation\w*|recommendations?)\b",
    re.IGNORECASE,
)
# "Vilken kommun fick flest rekommendationer?", "Which audit made the fewest
# recommendations?": which municipality's auditors recommend the most (fewest).
_MOST_RECOMMENDATIONS = re.compile(
    r"\b(?:vilk\w+|which|what)\s+(?:\w+\s+){0,2}?"
    r"(?:kommun\w*|granskning\w*|rapport\w*|revisor\w*|municipalit\w*|audits?|reports?|"
    r"auditors?)\b[^?]*?\b(?:flest|most|largest\s+number\s+of|greatest\s+number\s+of|"
    r"(?P<fewest>färst|fewest|smallest\s+number\s+of))\s+"
    r"(?:rekommendation\w*|recommendations?)\b",
    re.IGNORECASE,
)


def _most_recommendations(
    question: str,
) -> tuple[Callable[..., Composed], re.Match[str]] | None:
    """Which count of recommendations a question asks to rank, per municipality or per
    board, with its match (whose ``fewest`` group says which end), or None."""
    if (m := _MOST_RECOMMENDATIONS.search(question)) is not None:
        return answer_recommendation_counts, m
    if (m := _MOST_RECOMMENDATIONS_BOARD.search(question)) is not None:
        return answer_recommendation_counts_by_board, m
    return None


def _without_frame(terms: Sequence[str]) -> list[str]:
    """A question's topic without the words naming the audit questions themselves."""
    return [t for t in terms if not t.startswith(_QUESTION_FRAME)]


# A question about the audit itself: its purpose, questions, method, documents or people.
_ABOUT_THE_AUDIT = re.compile(
    r"\b(?:syfte\w*|purpose\w*|revisionsfråg\w*|audit\s+questions?|kontrollmål\w*|"
    r"metod\w*|method\w*|intervju\w*|interview\w*|dokumentstudi\w*|documents?|"
    r"genomfördes|genomförts|carried\s+out|conducted|avgräns\w*|scope|"
    r"revisionskriteri\w*|criteria)\b"
    # Whom it covers: "Vilka nämnder omfattas av granskningen?", "covered by the audit".
    r"|\bomfatta\w*\s+(?:av\s+)?(?:granskning\w*|revision\w*)"
    r"|\b(?:covered|included)\s+(?:by|in)\s+the\s+(?:audit|review)\b",
    re.IGNORECASE,
)


def _as_template(
    is_template: Callable[[str], bool] | None, question: str
) -> Callable[[str], bool] | None:
    """Sentences that rank below all others: boilerplate shared by several reports and,
    unless the question asks about the audit itself, the sentences stating its purpose,
    questions or method ("Granskningen har genomförts genom: Dokumentstudier av …"):
    they name the topic without saying anything about it."""
    if _ABOUT_THE_AUDIT.search(question):
        return is_template
    if is_template is None:
        return describes_the_audit
    base = is_template
    return lambda sentence: base(sentence) or describes_the_audit(sentence)


_PERIOD_WORDS = "mellan åren över år"
# A span of years: "2023–2025", "mellan åren 2023 och 2025", "över fyra år", "under
# mandatperioden", "for the period 2018–2021", "over what period".
_PERIOD = re.compile(
    rf"{YEAR_RANGE}|\bmellan\s+åren\b|\böver\s+\w+\s+år\b"
    r"|\bmandatperiod\w*|\bflerårig\w*|\bover\s+\w+\s+years\b|\bmulti-?year\b"
    r"|\b(?:tids)?period(?:en|er|s)?\b",
    re.IGNORECASE,
)


def _counts(counted: list[str]) -> Callable[[str], bool]:
    """Whether a word is the counted noun ("inloggningar" for "inloggning")."""
    return lambda word: bool(counted and matched_terms(counted, word))


# How many of the best passages may hold the asked number: one ranked below the passages
# an answer quotes from ("Till dessa insatsområden har SKL knutit 17 mål" 4th or 5th).
NUMBER_TOP_N = 5
YEAR_COLUMN_BONUS = 0.5
# What an outcome is said with: "visade att", "framkom", "resultatet", "Utfall 2018" (a
# table's column), "bedömningen" …; "Utfall saknas" says there is none.
_RESULT = re.compile(
    r"\b(?:visade|visar|visat|framkom|framkommer|framgick|framgår|resultat\w*|konstater\w*|"
    r"slutsats\w*|påvisa\w*|identifiera\w*|utfall\w*|uppgick|uppgår|bedöm\w*)\b"
    r"|\bkom\s+fram\s+till\b|\bpeka(?:r|de)\s+på\b",
    re.IGNORECASE,
)
_NO_RESULT = re.compile(
    r"\b(?:utfall|resultat)\w*\s+(?:saknas|finns\s+inte|redovisas\s+inte)\b"
    r"|\b(?:inget|inga)\s+(?:utfall|resultat)\w*",
    re.IGNORECASE,
)


# "Vad visade kompetensinventeringen …?", "What did the review find …?": what had the
# outcome.
_OUTCOME_OF = re.compile(
    r"\bvad\s+(?:visade|visar|har\s+(?:\w+\s+)?visat|kom)\s+(?P<sv>[\w-]+)"
    r"|\bwhat\s+(?:did|does|has)\s+(?:the\s+)?(?P<en>[\w-]+(?:\s+[\w-]+)?)\s+"
    r"(?:show|find|reveal|found|shown|revealed)\b",
    re.IGNORECASE,
)


def outcome_subject(question: str, lang: str) -> list[str]:
    """The key terms of what a question asks the outcome of ("Vad visade
    kompetensinventeringen?" → kompetensinventering), or none."""
    m = _OUTCOME_OF.search(" ".join(question.split()))
    if m is None:
        return []
    return question_terms(m.group("sv") or m.group("en") or "", lang, frozenset())


def outcome_evidence(hits: list[Hit], terms: list[str], subject: Sequence[str] = ()) -> bool:
    """Whether a sentence (or table row, read with its header) of the passages says an
    outcome ("visade att", "framkom", "Utfall 2018") and holds most of the question's key
    terms as written (not by their heads): the outcome of what the question asks about,
    named in it (``subject``): "framkommer det i intervjuer att det varit planerat för
    workshops" is no outcome of the competence inventory."""
    need = len(terms) // 2 + 1
    for hit in hits:
        table = hit.chunk.kind == "table"
        spans = split_lines(hit.chunk.text) if table else split_sentences(hit.chunk.text)
        header = hit.chunk.table_header or "" if table else ""
        for span in spans:
            said = _NO_RESULT.sub(" ", f"{header} {span.text}")
            if (
                _RESULT.search(said)
                and (not terms or len(matched_terms(terms, span.text, heads=False)) >= need)
                and (not subject or matched_terms(list(subject), span.text))
            ):
                return True
    return False


# A sentence on how things are now is dated to its report's year.
_NOW = re.compile(r"\b(?:idag|i\s+dag|i\s+nuläget|för\s+närvarande|currently|today)\b", re.I)


def number_evidence(*args: Any, **kwargs: Any) -> bool:
    """Whether ``number_spans`` finds one (same arguments)."""
    return bool(number_spans(*args, **kwargs))


def number_spans(
    hits: list[Hit],
    terms: list[str],
    number: NumberKind,
    top_n: int,
    counted: list[str] | None = None,
    years: set[str] | None = None,
    given: frozenset[str] = frozenset(),
    min_terms: int = 1,
    boards: Sequence[str] = (),
    owner: Sequence[str] = (),
    owner_in_section: bool = True,
    changes: bool = False,
    event: re.Pattern[str] | None = None,
    target: bool = False,
    total: bool = False,
    own_words: Sequence[str] = (),
    future: bool = False,
    verbs: Sequence[str] = (),
    seasons: frozenset[str] = frozenset(),
    validity: bool = False,
) -> list[tuple[str, int, int]]:
    """The sentences (chunk id, start, end) of the ``top_n`` best passages that hold a
    number of the asked kind and at least ``min_terms`` of the question's key terms. For
    a count of something ("hur många politiker", ``counted`` holds its stems) the number
    must count that ("fyra politiker"), not something else in the sentence ("4-5 gånger
    per år"). When the question names a year (``years``), a sentence dated to another
    year does not answer.
    The sentence, or with ``owner_in_section`` its section's headings, must name one of
    ``owner`` (whose budget, what the date is the date of), and say the asked ``event``
    happened ("antogs", "bildades") when a date question names one. A table row answers
    a question naming ``years`` only by its cell in that year's column, and by a goal's
    column ("Mål 2019") only when the question asks for a ``target``. A ``total`` asked
    (and no change) is not answered by how much was added ("har utökats med 3,5 mnkr").
    The report's own words the question quotes or glosses (``own_words``: "business system
    (verksamhetssystem)") are what the number is of: its passage must hold them all. A
    ``future`` date ("När ska strategin följas upp nästa gång?") is not one of the years
    before its report's ("Under år 2019 genomfördes en uppföljning" in a report of 2020).
    The ``verbs`` said of what a count counts ("erbjuder") need not be in its passage. A
    sentence naming another season than the ``seasons`` asked is of another time. A
    ``validity`` asked ("När upphör strategin?") is said by a period or its end ("för åren
    2021–2025"), not by any year beside the thing. An undated sentence is of the year the
    first sentence of its paragraph names ("Av årsredovisningen 2019 framgår …")."""

    counts = _counts(counted or [])
    found: list[tuple[str, int, int]] = []
    # What else the question names beside the counted noun, which a count must be of
    # (not "antal", the "how many" itself, nor "in total").
    others = [
        t for t in terms if t not in (counted or []) and t not in verbs and t not in _HOW_MANY
    ]
    needed = max(1, min_terms)
    asked = {_folded_board(b) for b in boards}

    for hit in hits[:top_n]:
        table = hit.chunk.kind == "table"
        text = hit.chunk.text
        if own_words and len(matched_terms(list(own_words), text)) < len(own_words):
            continue
        spans = split_lines(text) if table else with_dated_entries(text, split_sentences(text))
        header = hit.chunk.table_header if table else None
        for span in spans:
            if not answers_number(span.text, number, given, changes=changes or not total):
                continue
            if header and _is_header(span.text, header):
                continue  # the table's own header line
            if (
                header
                and years
                and year_cell_answers(header, span.text, set(years), target) is False
            ):
                continue  # "Mål 2019" does not say how many took part in 2019
            # The section's headings hold for its sentences ("Kultur- och fritidsnämndens
            # yttrande › Ärendebeskrivning").
            # A compound the passage names may be taken up by its head ("Digitaliseringsfonden
            # … Driftanslaget för fonden uppgår … till 4 mnkr").
            # A footnote's date is of what the sentence carrying its mark names.
            read = f"{span.text} {footnote_anchor(span.text, text)}"
            if terms and len(
                heads_in_passage(terms, read, hit.chunk.text)
                | (matched_terms(terms, " ".join(hit.chunk.section)) if needed > 1 else set())
                # A name the paragraph opens with holds for its later sentences ("… en
                # gemensam portal för alla e-tjänster, Open-E. … Avesta betalar 130 000 kr
                # i medlemsavgift årligen och får på så sätt tillgång till portalen.").
                | (set() if table else _paragraph_opening(text, span.start, _names_of(terms)))
            ) < min(needed, len(terms)):
                continue
            if years and (
                other_year(span.text, years)
                # An undated sentence is of its report's year: "IT-enheten … har idag 12
                # anställda" in a report of 2021 is dated 2021, and so is "Kommunen har …
                # avsatt 5 mnkr i en särskild digitaliseringspott" in a report of 2023
                # whose passage names no 2022. (Two years are a period that names
                # something: "handlingsplan 2017–2025".)
                or (
                    not years_in(span.text)
                    and hit.chunk.year is not None
                    and str(hit.chunk.year) not in years
                    and (
                        _NOW.search(span.text) is not None
                        or (
                            len(years) == 1
                            and not years & years_in(f"{text} {' '.join(hit.chunk.section)}")
                        )
                    )
                )
            ):
                continue
            if (
                years
                and not table
                and not years_in(span.text)
                and (framed := framing_year(text, span.start)) is not None
                and framed not in years
            ):
                continue  # "Av årsredovisningen 2019 framgår … Socialnämndens mål …"
            if event is not None and not event.search(read):
                continue
            if (event is not None or future) and not validity and only_periods(span.text):
                # "en beslutad strategi för åren 2021–2025" says not when it was adopted,
                # nor when a new one is to be ready.
                continue
            if validity and not says_validity(span.text):
                continue  # "Mål och budget för 2023" does not say when the strategy ends
            if seasons and (said_seasons := seasons_in(span.text)) and not said_seasons & seasons:
                continue  # "våren år 2018" does not say how things stood by autumn 2018
            if (
                own_words
                and number in ("date", "day")
                and len(matched_terms(list(own_words), read)) < len(own_words)
            ):
                # "When was the method checked with … (Ekonomistyrningsverket)?": a date is
                # of what its own sentence names, not of the passage around it.
                continue
            if (
                future
                and hit.chunk.year is not None
                # The years the question names are what it names ("strategi 2018–2021").
                and (said := years_in(span.text) - set(years or ()))
                and all(int(y) < hit.chunk.year for y in said)
            ):
                continue  # what happened before the report is not what is still to come
            # A table's cell of several sentences: the one with the number says what it is
            # of ("Totalt avsätts 3,8 mnkr för 2023. Den största delen av investeringarna
            # avser nytt verksamhetsstöd …" gives no cost of the new system).
            own = (
                _number_sentences(span.text, number, given, changes or not total) if table else read
            )
            if owner and not (
                heads_in_passage(list(owner), own, hit.chunk.text)
                or any(compound_spelled_out(t, own) for t in owner)
                or (owner_in_section and matched_terms(list(owner), " ".join(hit.chunk.section)))
                # "… en gemensam portal för alla e-tjänster, Open-E. … Avesta betalar 130 000
                # kr i medlemsavgift årligen": the name its paragraph opens with.
                or (not table and _paragraph_opening(text, span.start, _names_of(owner)))
            ):
                continue  # the pot's 5 mnkr is no budget of the digitalisation department
            if (
                asked
                and (
                    named := {
                        _folded_board(b)
                        for b in find_boards(span.text)
                        or (_row_boards(text, span.start) if table else [])
                    }
                )
                and not (named & asked)
            ):
                # (A table's row that goes on under its board's first line is that board's:
                # "\tFör 2023 … nämndens budget utökas med 0,9 miljoner kronor" under
                # "Vård- och omsorgsnämnden".)
                continue  # another board's number ("Bygglövs- och tillsynsnämndens … 3,8 mnkr")
            if counted and others and not heads_in_passage(others, span.text, hit.chunk.text):
                # "Hur många brukare har fått digital nyckelhantering?": "kameror har
                # installerats hos sju-åtta brukare" counts users of something else.
                continue
            if counted and not (
                count_of(span.text, counts, changes=changes)
                # A table row names what it counts in a cell: "Antal e-tjänster | 15 | 25"
                # counts e-services, "Antal användare av e-tjänsten" counts users.
                or (table and counted_in_cell(span.text, counts))
            ):
                continue
            found.append((hit.chunk.id, span.start, span.end))
    return found


def _number_sentences(line: str, number: NumberKind, given: frozenset[str], changes: bool) -> str:
    """Of a table's line, its first cell (whose row it is) and the sentences holding a
    number of the asked kind; the whole line when no one sentence holds it."""
    sentences = split_sentences(line)
    held = [s.text for s in sentences if answers_number(s.text, number, given, changes=changes)]
    if not held or len(held) == len(sentences):
        return line
    # (A line that goes on under the row above has no first cell of its own.)
    first = line.split("\t")[0] if "\t" in line else ""
    return " ".join([first, *held])


def _folded_board(name: str) -> str:
    """A board's name compared without its diacritics: the report's "Bygglövs- och
    tillsynsnämnden" is the "bygglovs- och tillsynsnämnden" a user writes."""
    return fold(board_stem(name))


def _row_boards(text: str, at: int) -> list[str]:
    """The boards a table row's first cell names, for the line holding ``at``: a line
    that leaves its first cell empty goes on the row above it."""
    start = text.rfind("\n", 0, at) + 1
    while True:
        end = text.find("\n", start)
        first = text[start : len(text) if end < 0 else end].split("\t")[0].strip()
        if first:
            return find_boards(first)
        if start == 0:
            return []
        start = text.rfind("\n", 0, start - 1) + 1


def framing_year(text: str, at: int) -> str | None:
    """The one year the first sentence of the paragraph holding ``at`` names, when the
    sentence at ``at`` is a later one: "Av årsredovisningen 2019 framgår fem av målen
    bedöms som uppfyllda. … Socialnämndens mål … utfallet är 49 procent" reports 2019."""
    said = _paragraph_opening(text, at, years_in)
    return next(iter(said)) if len(said) == 1 else None


def framing_years(text: str, at: int) -> set[str]:
    """The years (each of a span) the first sentence of the paragraph holding ``at``
    names, when the sentence at ``at`` is a later one: "Det finns en beslutad
    Digitaliseringsstrategi för åren 2021–2025. Enligt strategin ska …" speaks of
    2021–2025."""
    return _paragraph_opening(text, at, years_covered)


_ABBREVIATED_NOUN = re.compile(r"^[A-ZÅÄÖ]{2,}-[a-zåäö]")


def _names_of(terms: Sequence[str]) -> Callable[[str], set[str]]:
    """Of ``terms``, those a sentence writes as a name: a word with a capital letter that
    does not open the sentence ("Open-E", not "Avesta kommun har …" for "avesta"), nor
    a common noun after an abbreviation ("IT-enheten", not a name of a unit)."""

    def read(sentence: str) -> set[str]:
        names = " ".join(
            w
            for w in sentence.split()[1:]
            if any(c.isupper() for c in w) and not _ABBREVIATED_NOUN.match(w)
        )
        return set(matched_terms(list(terms), names, heads=False)) if names else set()

    return read


def _paragraph_opening(text: str, at: int, read: Callable[[str], set[str]]) -> set[str]:
    """``read`` of the first sentence of the paragraph holding ``at``, when the sentence
    at ``at`` is a later one; else nothing."""
    start = text.rfind("\n\n", 0, at)
    start = 0 if start < 0 else start + 2
    end = text.find("\n\n", at)
    first = next(iter(split_sentences(text[start : len(text) if end < 0 else end])), None)
    if first is None or start + first.end > at:
        return set()
    return read(first.text)


# The words of "how many (in all)": "antal", "totalt", "sammanlagt".
_HOW_MANY = frozenset(key_terms("antal totalt total sammanlagt sammantaget", "sv"))


def _named_terms(question: str, lang: str, terms: list[str], kind: NameKind) -> list[str]:
    """The terms a sentence holding the asked name must hold: for the members of a group,
    the group ("styrgruppen för portföljstyrningen"); for a thing's name, its head word
    ("support system"); else any key term."""
    group = group_of(question, kind)
    parts = _np_parts(group, lang, terms) if group is not None else []
    return parts[0][0] if parts else terms


def name_evidence(hits: list[Hit], terms: list[str], kind: NameKind, known: list[str]) -> bool:
    """Whether a sentence of ``hits`` with one of the question's key terms holds a name of
    the asked kind (a person's name when the question names a role). Who the audit
    interviewed ("Intervjuer har gjorts med … ordförande för den politiska styrgruppen")
    says nothing of who sits on or chairs a group."""
    group = kind in ("members", "chair")
    for hit in hits:
        for span in split_sentences(hit.chunk.text):
            if (
                (not terms or matched_terms(terms, span.text))
                and holds_name(span.text, kind, known)
                and not (group and describes_the_audit(span.text))
            ):
                return True
    return False


def _counted_list(hits: list[Hit], counted: list[str], terms: list[str], cited: Cited) -> list[str]:
    """A list of what the question counts, when the report lists it without a number:
    its lead-in ("Digitaliseringskommittén har till uppgift att:") holds the counted noun
    and another key term, if the question has one (or its section names one), and at
    least two items follow. The
    count of the items first, then the lead-in and each item quoted; one list per report
    ("How many audit questions did each audit set out to answer?")."""
    others = [t for t in terms if t not in counted]
    out: list[str] = []
    done: set[str] = set()
    for hit in hits:
        chunk = hit.chunk
        text = cited.text_of(chunk.doc)
        if text is None or chunk.doc in done:
            continue
        heading = chunk.section[-1] if chunk.section else ""
        offset = 0
        for line in chunk.text.split("\n"):
            line_at, offset = chunk.start + offset, offset + len(line) + 1
            if not line.rstrip().endswith(":"):
                continue
            lead = split_sentences(line)[-1]
            # "Hur många kontrollmål hade granskningen?" names nothing else: the counted
            # noun in the lead-in is enough ("ska följande kontrollmål besvaras:").
            if not matched_terms(counted, lead.text) or (
                others and not (matched_terms(others, lead.text) or matched_terms(others, heading))
            ):
                continue
            start, end = line_at + lead.start, line_at + lead.end
            if text[start:end] != lead.text:
                continue  # the chunk is not the document's text here
            items = listed_items(text, end)
            if len(items) < 2:
                continue
            n = cited.cite_span(
                chunk.doc,
                start,
                items[-1][1],
                municipality=chunk.municipality,
                section=chunk.section_path,
                page=chunk.page,
            )
            head = source_phrase(
                cited.lang,
                chunk.municipality,
                chunk.year,
                chunk.doc_type,
                chunk.doc,
                audit_part=is_audit_part(chunk.section),
            )
            counted_head = phrase(cited.lang, "count_listed", n=len(items))
            lines = [f"- {cited.quote_span(n, chunk.doc, a, b)}" for a, b in items]
            out += [
                f"{head} {counted_head} {cited.quote_span(n, chunk.doc, start, end)}",
                "\n".join(lines),
            ]
            done.add(chunk.doc)
            break
    return out


# "budgeten för digitaliseringsavdelningen", "the budget of the IT unit", "the IT unit's
# budget": whose money is asked.
_OWNED = r"(?:budget\w*|anslag\w*|kostnad\w*|costs?|spending)"
_OWNER = re.compile(
    rf"\b{_OWNED}\s+(?:för|till|of|for)\s+(?:the\s+)?(?:[A-ZÅÄÖ]\w+s\s+|[A-Z]\w+'s\s+)?"
    rf"(?P<after>[\w-]+(?:\s+[\w-]+)?)"
    rf"|(?P<before>[\w-]+)(?:'s|s')\s+(?:annual\s+|yearly\s+)?{_OWNED}",
    re.IGNORECASE,
)


# "Hur mycket betalar Orsa, Älvdalen och Mora …?", "How much does Mora pay …?": who pays.
_PAYER = re.compile(
    r"\b(?i:hur\s+mycket|how\s+much)\s+(?i:betalar|betalade|does|did|do)\s+"
    r"(?P<payer>[A-ZÅÄÖ][\w-]*(?:(?:,\s+|\s+(?:och|and)\s+)[A-ZÅÄÖ][\w-]*)*)"
    # "How much per year does Eskilstuna's city planning administration pay for …",
    # "Hur mycket betalar stadsbyggnadsförvaltningen per år för …": the payer is the whole
    # phrase before the verb of paying (after it, in Swedish).
    r"|\b(?i:how\s+much)\s+(?:(?i:money)\s+)?(?:(?i:per|a|each)\s+year\s+|(?i:annually)\s+)?"
    r"(?i:does|did|do)\s+(?P<payer_en>[^?]+?)\s+(?i:pay|spend|invest)\b"
    r"|\b(?i:hur\s+mycket)\s+(?:(?i:pengar)\s+)?(?i:betalar|betalade|lägger|lade|spenderar|"
    r"investerar)\s+(?P<payer_sv>[^?]+?)\s+(?i:per\s+år|om\s+året|årligen|för|på)\b",
)


# "Hur mycket pengar fick Botkyrkas digitaliseringsfond år 2020?", "How much money did the
# automated financial-assistance project receive from the fund?": who got the money.
_RECEIVER = re.compile(
    r"\b(?:hur\s+mycket|how\s+much)\s+(?:pengar\s+|medel\s+|money\s+|funding\s+)?"
    r"(?:(?:fick|får|erhöll|tilldelades|beviljades)\s+(?P<sv>[^?]+?)"
    r"(?=\s+(?:från|ur|av|för|år|under|inom)\b|\?|$)"
    r"|(?:did|does|do|has|have|was|were)\s+(?P<en>[^?]+?)\s+(?:been\s+)?(?:receive|get|got|"
    r"granted|allocated|awarded|given)\b)",
    re.IGNORECASE,
)


# "Hur mycket kostade den nya enheten Digital utveckling?", "Vad kostar Hälsopaketet?",
# "What did the e-service platform cost?": what the cost is of.
_COSTING = re.compile(
    r"\b(?:hur\s+mycket|vad)\s+(?:kostade|kostar|har\s+[^?]+?\s+kostat)\s+(?P<sv>[^?]+?)"
    r"(?=\s+(?:per|om|under|år|årligen|totalt|sammanlagt)\b|\?|$)"
    r"|\b(?:how\s+much|what)\s+(?:did|does|do|will|has|have)\s+(?P<en>[^?]+?)\s+"
    r"(?:cost|costed)\b",
    re.IGNORECASE,
)


def budget_owner(question: str, lang: str, terms: list[str]) -> list[str]:
    """The key terms of whose budget or cost an amount question asks ("Hur stor är den
    årliga budgeten för Huddinges digitaliseringsavdelning?" → digitaliseringsavdelning),
    or who pays ("Hur mycket betalar Orsa och Mora?"), or who got it ("Hur mycket pengar
    fick digitaliseringsfonden?"), or none: a sentence with another one's amount ("Avesta
    betalar 130 000 kr", the whole fund's for one of its projects) does not answer it.
    What something cost is asked of the head of its noun phrase ("den nya enheten Digital
    utveckling" → enhet): "3,5 mnkr för utveckling av digitaliseringsinsatser" is no cost
    of the unit."""
    m = _OWNER.search(question)
    flat = " ".join(question.split())
    if m is None and (costing := _COSTING.search(flat)) is not None:
        return _np_heads(costing.group("sv") or costing.group("en") or "", lang, terms)
    if m is not None:
        words = m.group("after") or m.group("before") or ""
    elif (payer := _PAYER.search(flat)) is not None:
        words = payer.group("payer") or payer.group("payer_en") or payer.group("payer_sv") or ""
    elif (receiver := _RECEIVER.search(flat)) is not None:
        words = receiver.group("sv") or receiver.group("en") or ""
    else:
        return []
    return [t for t in question_terms(words, lang, frozenset()) if t in terms]


# "När antogs Avestas handlingsplan för digitalisering?", "When was the strategy adopted?",
# "When did the board adopt its plan?": what the asked date is the date of.
_DATED_VERB = (
    r"(?:antogs|beslutades|fastställdes|godkändes|bildades|inrättades|infördes|startades|"
    r"upprättades|reviderades|togs\s+fram|presenterades|lämnades)"
)
_DATED = re.compile(
    rf"\b(?:när|vilket\s+(?:datum|år))\s+{_DATED_VERB}\s+(?P<sv>[^?.,;]+)"
    # "Vilket år startade förvaltningen sin utvecklingsenhet?", "När fattade fullmäktige
    # beslut om policyn?": the object after the subject.
    r"|\b(?:när|vilket\s+(?:datum|år))\s+(?:antog|beslutade|fastställde|godkände|bildade|"
    r"inrättade|införde|startade|påbörjade|upprättade|anställde|skaffade|presenterade|"
    r"fattade)\s+[^?.,;]*?\b(?:om|sin|sitt|sina)\s+(?P<svobj>[^?.,;]+)"
    r"|\b(?:when|(?:on|in)\s+what\s+(?:date|year)|which\s+year)\s+(?:was|were)\s+"
    r"(?P<en>(?:(?!\b(?:adopted|decided|approved|set|established|introduced|drawn|"
    r"presented|launched|started|formed|created|revised)\b)[^?.,;])+)"
    r"|\b(?:when|(?:on|in)\s+what\s+(?:date|year)|which\s+year)\s+did\s+[^?.,;]*?\b"
    r"(?:adopt|approve|decide\s+on|set\s+up|establish|introduce|draw\s+up|present|"
    r"launch|start|form|create|revise)\s+(?P<obj>[^?.,;]+)",
    re.IGNORECASE,
)


MIN_PART = 4


def compound_spelled_out(term: str, text: str, near: int | None = None) -> bool:
    """Whether ``text`` writes the compound ``term`` as a phrase: its last part and its
    first part as words of their own ("digitaliseringsstrategin" in "en strategi för
    digitalisering"; "handlingsplan" is not in "Planen antogs 2019"); with ``near``, at
    most that many words apart ("direktör för kommunikation", not "IT-direktör - … -
    Programledare för kommunens …")."""
    words = [w for w in tokens(text) if len(w) >= MIN_PART]
    word = term.casefold()
    for i in range(MIN_PART, len(word) - MIN_PART + 1):
        first, last = word[:i], word[i:]
        if first.endswith("s") and len(first) > MIN_PART:
            first = first[:-1]  # the linking s: "digitaliserings|strategi"
        head = last[: max(MIN_PART, len(last) - 2)]
        stem = first[: max(MIN_PART, len(first) - 2)]
        heads = [j for j, w in enumerate(words) if w.startswith(head) and len(w) < len(word)]
        # A first part is a word of its own, not another compound of the same head
        # ("kommunikationsdirektör" is no "kommun" beside "direktör").
        firsts = [
            j
            for j, w in enumerate(words)
            if w.startswith(stem) and j not in heads and head not in w
        ]
        if any(near is None or abs(h - f) <= near for h in heads for f in firsts):
            return True
    return False


def dated_subject(question: str, lang: str, terms: list[str]) -> list[str]:
    """The key terms of the head of what a date question asks the date of ("När antogs
    Avestas handlingsplan för digitalisering?" → handlingsplan), or none: the date of
    another document ("Kommunfullmäktige beslutade 2019-02-18 om Digitaliseringspolicy")
    does not answer it."""
    m = _DATED.search(question)
    if m is None:
        return []
    rest = m.group("sv") or m.group("svobj") or m.group("en") or m.group("obj") or ""
    return _np_heads(rest, lang, terms)


def _np_heads(rest: str, lang: str, terms: list[str]) -> list[str]:
    """The head terms of the noun phrase ``rest`` begins with; of "IT-enheten" the unit,
    not anything IT ("en ny IT-chef anställdes 2020" dates no unit)."""
    # A name in apposition names its head ("enheten Digital utveckling", "the unit Digital
    # Development"): the head is the noun before it.
    rest = _APPOSITION.sub(r"\g<head>", rest)
    heads = [t for head, _ in _np_parts(rest, lang, terms) for t in head]
    return [t for t in heads if t != "it"] or heads


# A definite noun followed by a capitalised name: "enheten Digital utveckling".
_APPOSITION = re.compile(
    r"(?P<head>\b[a-zåäö][\w-]*(?:en|et|na|n))\s+[A-ZÅÄÖ][\w-]*(?:\s+[a-zåäö][\w-]*)?"
    r"(?=\s*$|\s+(?:i|in|för|for|på|at)\b)"
)


# "Hur många anställda har enheten Digital utveckling?", "How many employees does Avesta's
# IT unit have?": whose count. Swedish: a noun in its definite form right after "har" (in
# "Hur många e-tjänster har Avesta infört" "har" is an auxiliary).
_COUNT_OWNER = re.compile(
    r"\b(?i:hur\s+många)\s+[\w-]+\s+(?i:har|hade)\s+(?P<sv>[\w-]{3,}(?:en|et|na|n))\b"
    r"|\b(?i:how\s+many)\s+[\w-]+(?:\s+[\w-]+)?\s+(?i:does|did|do)\s+(?P<en>[^?.,;]+?)\s+"
    r"(?i:have|has|had)\b"
    # Who are in it: "Hur många direktörer ingår i kommundirektörens styrgrupp …", "How many
    # politicians sit on the group …".
    r"|\b(?i:hur\s+många)\s+[\w-]+\s+(?i:ingår|ingick|sitter|satt|arbetar|arbetade)\s+"
    r"(?i:i|på|inom)\s+(?P<sv_in>[^?.,;]+)"
    r"|\b(?i:how\s+many)\s+[\w-]+(?:\s+[\w-]+)?\s+(?i:are|were|sit|sat|work|worked|serve)\s+"
    r"(?i:in|on|at|within)\s+(?P<en_in>[^?.,;]+)"
    # Counted within an area: "Hur många av Avestas e-tjänster inom området barn och
    # utbildning …", "How many e-services in the area of education …".
    r"|\b(?i:hur\s+många)\s+(?:[\w-]+\s+){1,4}?(?i:inom)\s+(?i:området\s+)?"
    r"(?P<sv_area>[\w-]+(?:\s+(?i:och)\s+[\w-]+)?)"
    r"|\b(?i:how\s+many)\s+(?:[\w'-]+\s+){1,4}?(?i:within|in\s+the\s+(?:area|field)\s+of)\s+"
    r"(?P<en_area>[\w-]+(?:\s+(?i:and)\s+[\w-]+)?)",
)


def count_owner(question: str, lang: str, terms: list[str]) -> list[str]:
    """The head terms of whose count a count question asks ("Hur många anställda har
    enheten Digital utveckling?" → enhet), or none: "Antal medarbetare som genomgått
    utbildning" in another board's row does not count the unit's staff."""
    m = _COUNT_OWNER.search(" ".join(question.split()))
    if m is None:
        return []
    return _np_heads(m.group(m.lastgroup or "sv"), lang, terms)


# "How many e-services does Avesta offer?": the verb after a short subject, ending the
# question.
_COUNTED_VERB = re.compile(
    r"\bhow\s+many\b[^?,]*?\s(?:do|does|did)\s+(?:[\w'’-]+\s+){1,3}?(?P<verb>[a-z]{3,})"
    # Whom it is done for ("offer its residents", "give to their users") is no verb, nor
    # how many in all ("offer in total").
    r"(?:\s+(?:(?:to|for)\s+)?(?:its|their|the)\s+(?P<whom>[\w-]+))?"
    r"(?:\s+(?:in\s+total|in\s+all|altogether|today|now|(?:each|per|a)\s+year))?\s*\?\s*$",
    re.IGNORECASE,
)


def counted_terms(question: str, lang: str) -> list[str]:
    """Stems of what a count question counts, in Swedish ("how many objects" → objekt);
    [] when it counts nothing ("how often"). The verb said of it is not counted: "Hur
    många invånare använder e-tjänsterna?" counts inhabitants, not users ("Antal
    användare av e-tjänsten")."""
    words = counted_words(question)
    if not words:
        return []
    if lang == "en":
        if (
            len(words) == 2
            and words[1].endswith("s")
            and not words[0].endswith("s")
            and words[1] not in ENGLISH_STOPWORDS
        ):
            # "how many development proposals": the proposals are counted; "tre
            # utvecklingsledare" counts no proposal.
            words = words[1:]
        # A word the glossary cannot translate stays as it is: a count of something the
        # reports cannot be checked to name ("kilometres") is not taken from them.
        words_sv = [swedish_terms(w) or w for w in words if w not in ENGLISH_STOPWORDS]
        terms = key_terms(" ".join(words_sv), "sv")
    else:
        terms = key_terms(" ".join(words), "sv")
    verbs = count_verb_terms(question, lang)
    terms = [t for t in terms if t not in verbs]
    if terms and counts_people(words):
        terms += [w for w in PEOPLE_WORDS if w not in terms]
    return terms


def count_verb_terms(question: str, lang: str) -> list[str]:
    """Stems of the verb a count question says of what it counts ("Hur många e-tjänster
    erbjuder Avesta?", "How many e-services does Avesta offer?" → erbjud), and of whom it
    is done for when the question ends with them ("… offer its residents?" → invån): words
    the answer need not hold beside the count ("I Avesta kommun finns ca 132
    e-tjänster"), and no noun a number may count."""
    if lang == "en":
        if (verb := _COUNTED_VERB.search(question)) is None:
            return []
        said = [w for w in verb.group("verb", "whom") if w]
        return key_terms(" ".join(swedish_terms(w) or w for w in said), "sv")
    words = counted_words(question)
    if len(words) == 2 and _is_verb(words[1]):
        whom = _FOR_WHOM.search(question)
        return key_terms(f"{words[1]} {whom.group('whom') if whom else ''}", "sv")
    return []


# Whom a count's verb is done for, ending the question: "erbjuder Avesta *sina invånare*?"
_FOR_WHOM = re.compile(r"\b(?:sina|sitt|sin|deras|dess)\s+(?P<whom>[\w-]+)\s*\?\s*$", re.I)


def _is_verb(word: str) -> bool:
    try:
        return lexicons.is_verb_form(word)
    except ConfigError:
        return False  # without the lemma tables, the second word counts as it did


# Words numbers of each kind are written with, to search for them.
_NUMBER_WORDS: dict[NumberKind, str] = {
    "money": "mnkr miljoner kronor budget",
    "amount": "mnkr miljoner kronor budget",
    "percent": "procent andel",
    "count": "antal",
    "date": "år datum senast",
    "day": "datum senast",
}


_JUDGEMENT_WORDS = "vi bedömer bedömning konstaterar"

# "Vilka granskningar …", "Which audits …", "I vilka kommuner …": reports or places asked.
_WHICH_AUDITS = re.compile(
    r"\b(?:vilka|which)\s+(?:av\s+)?(?:de\s+|the\s+)?(?:granskningar(?:na)?|rapporter(?:na)?|"
    r"revisionsrapporter(?:na)?|audits|reports|kommuner(?:na)?|municipalities)\b"
    r"|\b(?:i|in)\s+(?:vilka|which)\s+(?:kommuner|municipalities)\b",
    re.IGNORECASE,
)

# A part of a whole: "hur många av", "hur mycket av", "how much of", "what share of".
_PARTITIVE = re.compile(
    r"\b(?:hur\s+(?:många|mycket|stor\s+(?:del|andel))|how\s+(?:many|much)|what\s+(?:share|part))"
    r"\s+(?:av|of)\b",
    re.IGNORECASE,
)


def _with_more(hits: list[Hit], more: Sequence[Hit]) -> list[Hit]:
    """``hits``, then the passages of ``more`` they do not hold yet, in order."""
    seen = {h.chunk.id for h in hits}
    merged = list(hits)
    for h in more:
        if h.chunk.id not in seen:
            seen.add(h.chunk.id)
            merged.append(h)
    return merged


def _compare(
    searcher: Searcher,
    resolved: str,
    places: list[str],
    active: Filters,
    k: int,
    terms: list[str],
    cited: Cited,
    is_template: Callable[[str], bool] | None,
    number: NumberKind | None = None,
    prefer: Callable[[str, int], bool] | None = None,
    required: Sequence[str] = (),
) -> tuple[list[str], list[Hit]]:
    """The best evidence of each municipality, one paragraph each, and "nothing found"
    for a municipality without any. Comparing numbers ("How much was in Huddinge's pot
    compared with Botkyrka's fund?"), a sentence holding one of the asked kind comes first;
    comparing the auditors' views, sentences ``prefer`` marks (their assessments). The
    report's own words a question quotes or glosses ("portfolio management
    (portföljstyrning)") are ``required``: where a municipality's passages hold them, its
    evidence does."""
    period = number is not None and bool(_PERIOD.search(resolved))

    def pool_of(hits: list[Hit]) -> list[Candidate]:
        return [
            c
            for c in candidates(hits, terms, is_template, number, prefer, period=period)
            # An audit question ("Har riskanalyser inkluderats …?") says nothing of the
            # municipality.
            if c.matched and _states(c)
        ]

    paragraphs: list[str] = []
    all_hits: list[Hit] = []
    for place in places:
        where = active.merged(Filters(municipality=[place]))
        hits = searcher.search(resolved, k=k, filters=where)
        pool = pool_of(hits)
        if number is not None and not any(
            answers_number(c.span.text, number) and (not period or _PERIOD.search(c.span.text))
            for c in pool
        ):
            # No retrieved passage of this municipality holds a number of the asked kind
            # ("Compare the sums … Huddinge and Eskilstuna have set aside"), or over the
            # asked period ("the multi-year sums"): search again with the words such
            # numbers are written with.
            more = searcher.search(f"{resolved} {_NUMBER_WORDS[number]}", k=k, filters=where)
            # The question's long wording can outweigh the number words: also the key
            # terms with them alone ("medel central digitalisering mnkr miljoner kronor").
            words = f"{_NUMBER_WORDS[number]} {_PERIOD_WORDS if period else ''}"
            more += searcher.search(f"{' '.join(terms)} {words}", k=k, filters=where)
            hits = _with_more(hits, more)
            pool = pool_of(hits)
        if prefer is not None and not any(
            prefer(c.hit.chunk.doc, c.hit.chunk.start + c.span.start) for c in pool
        ):
            # None of the passages holds the auditors' judgement on the topic: search for
            # it with the words judgements are written with.
            more = searcher.search(f"{' '.join(terms)} {_JUDGEMENT_WORDS}", k=k, filters=where)
            hits = _with_more(hits, more)
            pool = pool_of(hits)
        first = _first_holding(pool, required)
        if required and first is None:
            # The glossed word is the report's: search for it with the key terms.
            more = searcher.search(f"{' '.join(required)} {' '.join(terms)}", k=k, filters=where)
            hits = _with_more(hits, more)
            pool = pool_of(hits)
            first = _first_holding(pool, required)
        all_hits.extend(hits)
        if first is not None:
            # The best sentence naming it leads, with its passage's sentences on the rest
            # of the question ("Styrgruppen arbetar i huvudsak med frågor som rör
            # portföljen").
            pool = [first] + [
                c for c in pool if c.hit.chunk.id == first.hit.chunk.id and c is not first
            ]
        chosen = select(pool, max_n=2, min_n=1, max_passages=1, floor_ratio=FLOOR_RATIO)
        if not chosen:
            paragraphs.append(phrase(cited.lang, "nothing_for", place=place))
            continue
        paragraphs.extend(_grouped_quotes(cited, chosen))
    return paragraphs, all_hits


def _beyond_findings(
    topic: Sequence[str], findings: Sequence[Finding], hits: Sequence[Hit]
) -> list[str]:
    """The topic's words no finding holds but the best passages do: "the external analysis
    … the research consortium carried out" is told in the report's background, and the
    boards the findings name for what is left of the question ("analyser",
    "digitalisering") are not its answer."""
    judged = [f for f in findings if f.kind in ("assessment", "observation")]
    unheld = [
        t
        for t in topic
        if not any(matched_terms([t], f"{f.full_text} {f.topic}", heads=False) for f in judged)
    ]
    return [t for t in unheld if any(matched_terms([t], h.chunk.text, heads=False) for h in hits)]


def _first_holding(pool: list[Candidate], words: Sequence[str]) -> Candidate | None:
    """The best candidate whose sentence holds one of ``words`` itself ("portföljstyrning",
    not any "styrning"), or None."""
    if not words:
        return None
    return next((c for c in pool if matched_terms(list(words), c.span.text, heads=False)), None)


# Key terms a question after a statement needs to be read on its own.
MIN_ASKED_TERMS = 2


# A mention question also reads each municipality's best keyword passages.
MENTION_KEYWORD_K = 3


def _places_set(
    searcher: Searcher,
    resolved: str,
    places: list[str],
    active: Filters,
    intent: Intent,
    topic: list[str],
    cited: Cited,
    is_template: Callable[[str], bool] | None,
    k: int = 8,
    min_share: float = 0.5,
    denied: Sequence[str] = (),
    denied_words: Sequence[str] = (),
    required: Sequence[str] = (),
    options: Sequence[list[str]] = (),
    mention: bool = False,
    boards: Sequence[str] = (),
    predicate: Sequence[str] = (),
    inverted: Sequence[str] = (),
) -> tuple[list[str], list[Hit], list[str]]:
    """ "I vilka kommuner saknas …": each municipality whose best sentence on the topic
    says what is asked (has / lacks), with that sentence. ``denied`` are the words a
    negative question denies ("inga formella krav"), or the heads of what a positive one
    says they have ("har en plan för …"): a lack is read next to them only, and the
    sentence must name one;
    ``denied_words`` are all the terms of that phrase: the sentence holding the most of
    them decides (not "det ställs krav på …" before "inga formella krav på underlag").
    The sentence must hold one of the ``required`` terms (the words the question quotes)
    and name one of the ``boards`` the question names ("I vilka kommuner var granskningen
    avgränsad till kommunstyrelsen?": not "Granskningen avgränsas till 2020.").
    ``predicate`` are the topic terms of the question's verbs ("har påverkat"): the
    sentence must hold one of the other terms too (not "påverkade roller" for "att
    coronapandemin har påverkat …"); the subject between the auxiliary and the verb
    (``inverted``: "har *pandemin* påverkat arbetet") must be one of them.
    ``options`` are the topic narrowed to each alternative the question offers: a sentence
    naming enough of one of them names the topic."""
    wanted = {"negative": {"negative", "partial"}, "partial": {"partial"}}.get(
        intent.polarity, {"positive"}
    )
    # The same reading as for boards (``Topic``): a lack or negation next to a specific
    # topic word, not any negation somewhere in the sentence.
    findings = list(getattr(searcher, "findings", []) or [])
    # "I vilka kommuner har kommunfullmäktige antagit …": that it was adopted is asked,
    # said with any word for it ("beslutade", "fastställt"), which the sentence must
    # hold; the question's own verb is then no topic word. (A lack is said without it.)
    event = asked_event(resolved) if intent.polarity == "positive" else None
    if event is not None and predicate:
        topic = [t for t in topic if t not in predicate] or topic
    # "… en digitaliseringsstrategi som gäller till 2025": a period reaching that year is
    # asked, and "gäller" is no topic word; a sentence naming only other years than those
    # asked ("Strategin gäller för perioden 2018 - 2021") is about another time.
    until = VALID_UNTIL.search(resolved)
    if until is not None:
        topic = [t for t in topic if not matched_terms([t], until.group("verb"))] or topic
    asked_years = years_in(resolved)
    readings = TopicReadings.of(topic, options, findings, denied)
    reading = readings.whole
    said = reading.sentence_polarity
    # "I vilka kommuner nämns välfärdsteknik …", "Which reports mention public libraries":
    # where the reports speak of it, a smaller part of the topic's words names it.
    # A Swedish word the question glosses ("phasing out (avveckla)") names the topic too:
    # a sentence holding it needs less of the rest.
    share = MENTION_SHARE if mention or required else min_share

    # "I vilka kommuner bedömer revisorerna att …": the auditors' assessments first.
    strict_view = intent.polarity == "positive" and bool(_AUDITORS_VIEW.search(resolved))
    prefer = _finding_spans(findings) if _JUDGED.search(resolved) or strict_view else None
    # A recommendation ("Revidera eller omvärdera behovet av en digitaliseringsstrategi …")
    # asks for what is missing or wanting: it says no municipality has it, as the boards'
    # sets read assessments and observations only. (A lack it implies is read from it.)
    advised = (
        _finding_spans(findings, "recommendation")
        if intent.polarity == "positive" and not _RECOMMENDS.search(resolved)
        else None
    )
    own_words = quoted_text(resolved, cited.lang) if required else ""
    # A board the question denies ("inte under kommunstyrelsens förvaltning utan …") is
    # what the answer is not about.
    named = {canonical_board(b) for b in boards if not _denied_board(resolved, b)}
    subject = [t for t in topic if t not in predicate] if predicate else []
    # "har pandemin påverkat arbetet": the subject, not any other topic word.
    subject = [t for t in inverted if t not in predicate] or subject
    # "IT-chef", "HR-avdelningen": the compound is the thing asked for, not any "chef".
    acronymed = {
        f"{m.group(1)}-{_stem_of(m.group(2))}".casefold()
        for m in _ACRONYM_COMPOUND.finditer(resolved)
    }
    if cited.lang == "en":
        # "IT strategists": "IT-strateg", not "IT-direktör" beside "digitaliseringsstrateg"
        # (only a role, as for glossed compounds below: "IT function" is also the
        # "IT-avdelning" of a passage on it).
        acronymed |= {
            f"{acronym}-{_stem_of(head)}"
            for spellings in acronym_compounds(resolved)
            for acronym, _, head in (s.partition("-") for s in spellings)
            if head and _ROLE.search(_stem_of(head))
        }
    # "Which audits interviewed …": the audit's method is what is asked.
    about_audit = bool(_ABOUT_THE_AUDIT.search(resolved))
    # "communications director": the role compound the English phrase stands for, not any
    # director and any communication in one sentence (only a role: a digitalisation
    # strategy is also "strategin" in a passage on it).
    glossed = [
        g for g in (glossed_compounds(resolved) if cited.lang == "en" else []) if _ROLE.match(g[2])
    ]
    lines, names, all_hits = [], [], []
    for place in places:
        only = active.merged(Filters(municipality=[place]))
        hits = searcher.search(resolved, k=k, filters=only)
        # Where a report mentions something once, its keyword match may rank below
        # passages both retrievers like ("Intranätet utgör grunden …"); the report's own
        # words that a question quotes or glosses ("(certifierad kommunal revisor)") find
        # it on their own.
        for query in ([resolved] if mention else []) + ([own_words] if own_words else []):
            seen = {h.chunk.id for h in hits}
            hits += [
                h
                for h in searcher.search(query, k=MENTION_KEYWORD_K, filters=only, retriever="bm25")
                if h.chunk.id not in seen
            ]
        all_hits.extend(hits)
        pool = [
            c
            for c in candidates(hits, topic, is_template, prefer=prefer)
            # A specific compound asked ("portföljstyrning") is not matched by its
            # general head word ("styrningen").
            if topic
            # An audit question ("Finns det en rutin för riskanalyser?") says nothing, nor
            # does the audit's method, unless it is asked ("Which audits interviewed …").
            and "?" not in c.span.text
            and (about_audit or not describes_the_audit(c.span.text))
            and (event is None or event.search(c.span.text) is not None)
            and _of_asked_years(
                c.span.text,
                asked_years,
                until.group("year") if until is not None else None,
                framing_years(c.hit.chunk.text, c.span.start),
            )
            and (advised is None or not advised(c.hit.chunk.doc, c.hit.chunk.start + c.span.start))
            and readings.named_in(c.span.text, share)
            and (not named or not named.isdisjoint(find_boards(c.span.text)))
            and (not subject or matched_terms(subject, c.span.text))
            and (not acronymed or any(a in c.span.text.casefold() for a in acronymed))
            and all(names_compound(*g, c.span.text) for g in glossed)
            and (
                not required
                or len(matched_terms(list(required), c.span.text))
                # Named by the gloss alone, the sentence holds all of it.
                >= (len(required) if share < min_share else 1)
            )
        ]
        if denied_words:
            pool.sort(key=lambda c: -len(matched_terms(list(denied_words), c.span.text)))
        if prefer is not None and strict_view:
            # "In which municipalities do the auditors find … fit for purpose": what they
            # find sound is their assessment on the topic, not an interview remark or a
            # recommendation beside it. (A shortcoming they report among their
            # observations too: "intervjupersoner … ser utvecklingsbehov".)
            pool = [c for c in pool if prefer(c.hit.chunk.doc, c.hit.chunk.start + c.span.start)]
        if intent.polarity == "partial":
            # "Only some, not all, of the boards have …": a sentence saying so, or the
            # sentences naming the whole topic disagree (some boards have it, some lack it).
            quoted = _partly(pool, reading)
            if not quoted:
                continue
            names.append(place)
            lines.append(f"- {place} — " + " ".join(_quote(cited, c) for c in quoted))
            continue
        # The best sentence that names the topic decides.
        best = next((c for c in pool if said(c.span.text) is not None), None)
        if best is None or said(best.span.text) not in wanted:
            continue
        names.append(place)
        lines.append(f"- {place} — {_quote(cited, best)}")
    if not lines:
        return [], all_hits, []
    key = {"negative": "set_lacks_places", "partial": "set_partly_places"}.get(
        intent.polarity, "set_has_places"
    )
    return [phrase(cited.lang, key, names=", ".join(names)), "\n".join(lines)], all_hits, names


def _of_asked_years(text: str, years: set[str], until: str | None, framed: set[str]) -> bool:
    """Whether a sentence can answer for the years a question asks (``numbers.of_years``);
    asked what holds until a year, it gives a period reaching it."""
    if until is not None:
        return says_validity(text) and until in years_covered(text)
    return of_years(text, years, framed)


_SET_NOUN_WORD = re.compile(rf"[\w-]*{SET_NOUN}", re.IGNORECASE)


def _names_set_noun(word: str) -> bool:
    return _SET_NOUN_WORD.match(word) is not None


def _counts_boards(question: str) -> bool:
    """Whether a set question counts the boards or municipalities it asks for ("Hur många
    av Botkyrkas nämnder …", "between how many committees …"), not something else."""
    return any(_names_set_noun(w) for w in counted_words(question)[:1])


def counted_listed(listed: Sequence[ListedBoard], lang: str) -> str:
    """How many boards (or municipalities) a set answer lists, per municipality when it
    lists boards: "Antal: 3 (Botkyrka)."."""
    if not any(b.board for b in listed):
        return phrase(lang, "set_count", counts=str(len({b.municipality for b in listed})))
    per: dict[str, set[str]] = {}
    for b in listed:
        per.setdefault(b.municipality, set()).add(b.board)
    counts = ", ".join(f"{len(boards)} ({place})" for place, boards in per.items())
    return phrase(lang, "set_count", counts=counts)


def _stem_of(word: str) -> str:
    return (key_terms(word, "sv") or [word])[0].casefold()


_ACRONYM_COMPOUND = re.compile(r"(?<![\w-])([A-ZÅÄÖ]{2,4})-([a-zåäö]{3,})")

# "till andra styrelser eller nämnder än kommunstyrelsen", "to boards other than the
# executive board": whom the recommendations went to, but one board.
_OTHER_THAN = re.compile(
    r"\b(?:andra|other)\s+(?:[\w-]+\s+){0,4}?(?:än|than)\s+(?:the\s+)?(?P<board>[\w-]+(?:\s+[\w-]+)?)",
    re.IGNORECASE,
)

_DENIED_BEFORE = re.compile(
    r"\b(?:inte|ej|icke|not|utan|without|rather\s+than)\s+(?:\S+\s+){0,3}$", re.I
)


# Heads that name a person's role.
_ROLE = re.compile(r"(?:direktör|chef|strateg|ägare|utvecklare|ledare|samordnare)$")
# A role written as a phrase has its parts this close: "direktör för kommunikation".
SPELLED_ROLE_WORDS = 3


def names_compound(compound: str, first: str, head: str, text: str) -> bool:
    """Whether ``text`` names ``compound``: whole ("kommunikationsdirektören"), as a phrase
    ("direktör för kommunikation"), or as the first part of a coordinated compound
    ("kommunikations- och digitaliseringsdirektör"); "kommundirektör" or any "direktör"
    alone does not."""
    low = text.casefold()
    if compound[: max(len(compound) - 2, MIN_PART + 1)] in low:
        return True
    if compound_spelled_out(compound, text, near=SPELLED_ROLE_WORDS):
        return True
    suspended = rf"\b{re.escape(first)}s?-\s*(?:[\w-]+,\s*)*(?:och|eller|samt)\s+\w*"
    return re.search(suspended + re.escape(head[: max(len(head) - 2, MIN_PART)]), low) is not None


def _denied_board(question: str, board: str) -> bool:
    """Whether ``question`` names ``board`` only after a negation ("I vilken kommun ligger
    IT-avdelningen inte under kommunstyrelsens förvaltning …")."""
    stem = re.escape(board_stem(board))
    spots = [m.start() for m in re.finditer(stem, question, re.IGNORECASE)]
    return bool(spots) and all(_DENIED_BEFORE.search(question[:at]) for at in spots)


def _second_set(
    second: str,
    first_polarity: str,
    topic: list[str],
    lang: str,
    exclude: frozenset[str],
    knows: Callable[[str], bool] | None,
) -> tuple[Intent, list[str]] | None:
    """How to read the second of two set questions about boards: its intent and topic
    when it asks the other polarity on the same topic ("… and which have none?" names
    none of its own, "och vilken nämnds plan saknar uppgifter om digitalisering?" shares
    the first one's); None when it asks something else ("och vilka nämnder hör till den
    förvaltningen?")."""
    intent = classify(second)
    if intent.kind != "set" or intent.target != "boards" or intent.polarity == first_polarity:
        return None
    own = topic_terms(second, "set", lang, exclude, knows)
    if own and not set(own) & set(topic):
        return None
    return intent, own or topic


def _partly(pool: list[Candidate], reading: Topic) -> list[Candidate]:
    """The sentences showing that a municipality has the topic in part: one that says so
    ("Några av styrelserna har beslutat om handlingsplaner"), else one that has it and one
    that lacks it among those naming most of the topic; none when they agree."""
    shares = [reading.weighted_share(c.span.text) for c in pool]
    top = max(shares, default=0.0)
    decisive = [
        (c, said)
        for c, share in zip(pool, shares, strict=True)
        if share >= top and (said := reading.sentence_polarity(c.span.text)) is not None
    ]
    partial = [c for c, said in decisive if said == "partial"]
    if partial:
        return partial[:1]
    has = [c for c, said in decisive if said == "positive"]
    lacks = [c for c, said in decisive if said == "negative"]
    return [has[0], lacks[0]] if has and lacks else []


def _board_not_in_reports(
    searcher: Searcher, boards: tuple[str, ...], places: list[str]
) -> str | None:
    """A board the question names that the reports of ``places`` never mention
    ("socialnämnden" in a municipality whose boards are "styrelser"), or None."""
    documents = getattr(searcher, "documents", None)
    if not boards or not places or not isinstance(documents, dict):
        return None
    folded = {p.casefold() for p in places}
    texts = [
        d.text.casefold()
        for d in documents.values()
        if (d.meta.municipality or "").casefold() in folded
    ]
    if not texts:
        return None
    for board in boards:
        if board == ALL_BOARDS:
            continue
        stem = board_stem(board)
        if not any(stem in text for text in texts):
            return board
    return None


def _in_reports(
    searcher: Searcher, boards: tuple[str, ...], names: list[str], places: list[str]
) -> tuple[str, ...]:
    """``boards`` without the Swedish names of one English board name (``names``: "the
    city planning committee" is Eskilstuna's "stadsbyggnadsnämnden" and Botkyrka's
    "samhällsbyggnadsnämnden") that the reports of ``places`` do not mention, when they
    mention another of its names. A board they never name by any name stays, so that it
    is said to be missing."""
    dropped: set[str] = set()
    for name in names:
        alternatives = find_boards(name)
        if len(alternatives) < 2:
            continue
        absent = {b for b in alternatives if _board_not_in_reports(searcher, (b,), places)}
        if absent != set(alternatives):
            dropped |= absent
    return tuple(b for b in boards if b not in dropped)


def _then_replies(question: str) -> bool:
    """Whether the question's second part asks what the boards replied ("…, och vad
    svarade nämnden?")."""
    second = second_ask(question)
    return second is not None and asks_what_replied(second)


def _before_second(question: str) -> str:
    """The question before its second part ("Vilka rekommendationer fick nämnden" of "…,
    och vad svarade nämnden?")."""
    second = second_ask(question)
    return question[: question.rfind(second)] if second else question


def _overall_of(findings: list[Finding]) -> Callable[[str, int], str | None]:
    """The report an offset's overall assessment is of ("Sammanfattningsvis visar
    granskningen enligt vår bedömning …" in the summary and "Efter genomförd granskning är
    vår samlade bedömning …" in the conclusions say the same), or None outside them."""
    inside = _finding_spans([f for f in findings if f.overall])

    def of(doc: str, offset: int) -> str | None:
        return doc if inside is not None and inside(doc, offset) else None

    return of


def _finding_spans(
    findings: list[Finding], kind: str = "assessment"
) -> Callable[[str, int], bool] | None:
    """Whether an offset of a document lies in one of its findings of ``kind``."""
    spans: dict[str, list[tuple[int, int]]] = {}
    for f in findings:
        if f.kind == kind:
            for s in f.spans:
                spans.setdefault(f.doc, []).append((s.start, s.end))
    if not spans:
        return None

    def inside(doc: str, offset: int) -> bool:
        return any(a <= offset < b for a, b in spans.get(doc, ()))

    return inside


# Who receives: "Which committees were to receive a share …", "Vilka nämnder fick …".
_RECEIVES = re.compile(
    r"\b(?:receiv\w*|få|får|fick|fått|tilldela\w*|gets?|got|allocated\s+to|went\s+to)\b",
    re.IGNORECASE,
)


def _givers(sentence: str) -> set[str]:
    """The boards a sentence names as where something comes from ("omfördelas från
    kommunstyrelsen till …", "moved from the executive board")."""
    return {
        b
        for m in re.finditer(r"\b(?:från|from)\s+((?:[\w-]+\s+)?[\w-]+)", sentence, re.I)
        for b in find_boards(m.group(1))
    }


def _named_in_best(
    hits: list[Hit], terms: list[str], cited: Cited, receivers: bool = False
) -> Composed:
    """For "which boards are covered/included …": the boards named in the best sentence
    of the evidence, with that sentence, and the boards it lists. Used only for questions
    without a negation, so that a board is never listed as lacking something because it
    is merely named. Asked who receives (``receivers``), a board the money or task comes
    from is not one."""
    for cand in select(candidates(hits, terms), max_n=3, min_n=1, floor_ratio=FLOOR_RATIO):
        boards = find_boards(cand.span.text)
        if receivers:
            givers = _givers(cand.span.text)
            boards = [b for b in boards if b not in givers]
        if _RECOMMENDS.search(cand.span.text) or len(cand.matched) < 0.5 * len(terms):
            continue  # a recommendation's addressees, or a sentence off the topic
        if len(boards) >= 2:
            where = cand.hit.chunk.municipality or cand.hit.chunk.doc
            head = phrase(cited.lang, "set_named", place=where, names=", ".join(boards))
            place = cand.hit.chunk.municipality or ""
            return Composed([head, _quote(cited, cand)], listed=tuple((place, b) for b in boards))
    return Composed([], empty=True)


def _abstention(lang: str, hits: list[Hit], reason: str | None, n: int = 3) -> tuple[str, list]:
    text = phrase(lang, "no_answer")
    if reason:
        text += " " + reason
    if hits:
        text += " " + phrase(lang, "closest")
    return text, [h.citation(i) for i, h in enumerate(hits[:n], start=1)]


def _document_text(searcher: Searcher) -> Callable[[str], str | None]:
    def text_of(doc: str) -> str | None:
        document = getattr(searcher, "document", None)
        if document is None:
            return None
        try:
            return str(document(doc).text)
        except GranskaError:
            return None

    return text_of


def answer_question(
    searcher: Searcher,
    question: str,
    k: int = 8,
    filters: Filters | None = None,
    conversation: Conversation | None = None,
    settings: Settings | None = None,
) -> Answer:
    """Answer ``question`` from the findings register and the passages ``searcher`` finds.

    The question's intent decides the shape: recommendations and set questions come from
    the findings (complete lists, boards with the asked polarity), judgements lead with
    the overall assessment, numbers quote the sentence holding the number first,
    comparisons answer per municipality, facts quote the best sentences. A short
    follow-up is resolved against the last turn of ``conversation``, and the new turn is
    appended to it (the caller saves the conversation).

    Raises:
        EmptyQuestionError: The question is empty.
    """
    settings = settings or get_settings()
    asked, truncated = clean_question(question)
    known = list(searcher.municipalities)
    previous = conversation.last if conversation else None
    resolution = resolve_followup(asked, previous, known)
    resolved = resolution.question
    info: QueryView = searcher.analyze(resolved)
    lang = resolution.language or info.lang
    if lang not in ("sv", "en"):
        lang = "sv"
    active = resolution.filters.merged(filters or Filters())
    if not active.municipality and info.municipalities:
        active = active.model_copy(update={"municipality": list(info.municipalities)})
    intent = classify(resolved, len(info.municipalities))
    aside = set_aside(resolved, list(info.municipalities))
    if intent.target == "municipalities" and aside and not (filters and filters.municipality):
        # "Vilka kommuner utöver Avesta har …": the other municipalities are asked about.
        others = [p for p in known if p not in aside]
        active = active.model_copy(update={"municipality": others})
    if lang == "en" and not intent.boards:
        # "the social services committee": the glossary gives the board's Swedish name.
        english_boards = _in_reports(
            searcher,
            tuple(find_boards(swedish_terms(resolved))),
            board_phrases(resolved),
            list(active.municipality),
        )
        if english_boards:
            intent = replace(intent, boards=english_boards)
    if intent.kind == "recommendation" and _ALL_BOARDS_ASKED.search(resolved):
        intent = replace(intent, boards=(ALL_BOARDS,))
    # "Vad ansåg KPMG om Huddinges digitaliseringsstrategi 2021–2025?": the period names the
    # strategy, and searched for it finds the strategy's description, not the judgement.
    query = _NAMED_PERIOD.sub("", resolved) if intent.kind == "judgement" else resolved
    hits = searcher.search(query, k=k, filters=active)
    rerank = getattr(searcher, "rerank", None)
    if rerank is not None:
        hits = rerank(resolved, hits, intent.kind)
    exclude = frozenset(m.casefold() for m in known)
    knows = getattr(searcher, "knows", None)
    terms = question_terms(without_member_verb(info.text), lang, exclude, knows)
    notices = [phrase(lang, "truncated", n=MAX_QUESTION_CHARS)] if truncated else []
    answer = Answer(
        question=asked,
        resolved_question=resolved,
        text="",
        abstained=False,
        language="en" if lang == "en" else "sv",
        intent=intent.kind,
        hits=hits,
        filters=active,
    )
    if not _has_words(info.text):
        answer.text, answer.abstained = phrase(lang, "not_a_question"), True
        _remember(conversation, answer, resolution, filters, active)
        return answer

    missing = unknown_places(resolved, known, hits) if not info.municipalities else []
    strangers = (
        unknown_names(resolved, lang, hits, knows, places=known) if knows and not missing else []
    )
    policy = AbstainPolicy.from_settings(settings)
    findings: list[Finding] = list(getattr(searcher, "findings", []) or [])
    places = list(active.municipality)
    cited = Cited(lang, _document_text(searcher))
    is_template = _as_template(getattr(searcher, "is_template", None), resolved)
    paragraphs: list[str] = []
    detail: str | None = None
    # "robots or artificial intelligence": the question once per alternative.
    options = alternatives(info.text)
    # "How many e-services does Avesta offer?": the count's verb need not be in the
    # passage that counts them ("I Avesta kommun finns ca 132 e-tjänster").
    verbs = count_verb_terms(resolved, lang) if intent.number == "count" else []
    reason = abstain_reason(
        hits,
        [t for t in terms if t not in verbs] or terms,
        lang,
        policy,
        missing or strangers,
        [question_terms(o, lang, exclude, knows) for o in options],
        acronyms_in(resolved),
        # Unless it asks about the audit itself, the audit's questions do not answer it.
        statements=not _ABOUT_THE_AUDIT.search(resolved),
    )
    if (question_part := asked_sentence(info.text)) != info.text and len(
        own := question_terms(question_part, lang, exclude, knows)
    ) >= MIN_ASKED_TERMS:
        # "KPMG rekommenderar att … Vad säger granskningen om hur fullmäktiges mål är
        # kopplade till digitaliseringen?": the whole question found the passages and says
        # whether they are on its topic; the question after the statement says which of
        # their sentences answer.
        terms = own
    # What the question is about, without the words that say which answer it wants.
    # Of "Which boards have X – and which lack it?" the first question is answered.
    asked = first_set(resolved) if intent.kind == "set" else resolved
    topic = topic_terms(
        first_set(info.text) if intent.kind == "set" else info.text,
        intent.kind,
        lang,
        exclude,
        knows,
    )
    # "What is the name of …": only a sentence holding a name answers it.
    name = asks_for_name(resolved) if intent.kind == "fact" else None
    reports = getattr(searcher, "documents", None) or {}
    if missing:
        detail = phrase(lang, "no_report", place=", ".join(missing))
    elif strangers:
        detail = phrase(lang, "not_mentioned", names=", ".join(strangers))
    elif (
        reason is None
        and intent.kind in ("fact", "number", "judgement")
        and asks_outcome(resolved)
        and not _AUDITORS.search(resolved)
        and not outcome_evidence(
            hits[: policy.top_n],
            question_terms(without_outcome_words(info.text), lang, exclude, knows),
            outcome_subject(resolved, lang),
        )
    ):
        # "Vad kom ändamålsenlighetsanalysen fram till?": "har bland annat innefattat en
        # ändamålsenlighetsanalys" says it was made, not what it found.
        reason = "no_outcome"
        detail = phrase(lang, "outcome_missing")
    elif (
        reason is None
        and intent.kind in ("fact", "number", "set", "comparison")
        and (with_years := [d for d in reports_of(reports, places) if d.meta.year is not None])
        and (later := after_reports(resolved, (d.meta.year or 0 for d in with_years))) is not None
    ):
        # "Which projects did Botkyrka's digitalisation fund finance in 2021?": the report
        # of 2020 cannot say.
        last = max(with_years, key=lambda d: d.meta.year or 0)
        reason = "after_report"
        detail = phrase(
            lang,
            "after_report",
            place=report_place(lang, last),
            asked=str(later),
        )

    if reason == "unknown_place" or strangers:
        pass
    elif (
        intent.kind in ("fact", "set", "comparison")
        and not places
        and _WHICH_AUDITS.search(resolved)
        and (named_firms := firms_named(resolved, reports))
        and not (by_firm := answer_by_firm(reports, named_firms, cited)).empty
    ):
        # "Vilka granskningar har gjorts av KPMG och vilka av PwC?": the metadata knows
        # each report's firm; each report's own sentence naming it is the evidence.
        paragraphs, reason = by_firm.paragraphs, None
        answer.listed = [ListedBoard(municipality=m) for m in by_firm.places]
    elif (
        findings
        and not intent.boards
        and (most := _most_recommendations(resolved)) is not None
        and not (
            counted_recs := most[0](
                findings, places or known, cited, fewest=most[1].group("fewest") is not None
            )
        ).empty
    ):
        # "Vilken kommun fick flest rekommendationer?", "Vilken nämnd i Eskilstuna fick
        # flest …?": counted in the register, per municipality or per addressee.
        paragraphs, reason = counted_recs.paragraphs, None
        answer.listed = [ListedBoard(municipality=m, board=b) for m, b in counted_recs.listed]
    elif (
        findings
        and intent.kind in ("judgement", "fact", "set")
        and not intent.boards
        and (rest := asks_shortcomings(asked)) is not None
        and not (
            short := answer_shortcomings(
                findings,
                places or known,
                cited,
                is_template,
                topic_terms(rest, intent.kind, lang, exclude, knows),
            )
        ).empty
    ):
        # The register's assessments that find something lacking or only partly there.
        paragraphs, reason = short.paragraphs, None
    elif (
        findings
        and asks_scope(resolved)
        and not (scope := answer_scope(findings, places or known, cited)).empty
    ):
        # "Vilka nämnder omfattas av granskningen?": the register holds the sentence each
        # report says it with ("Granskningen avser kommunstyrelsen, …").
        paragraphs, reason = scope.paragraphs, None
        answer.listed = [ListedBoard(municipality=m, board=b) for m, b in scope.listed]
    elif (
        findings
        and asks_method(resolved)
        and intent.kind != "number"
        and name is None
        and intent.target != "municipalities"
        and not (
            method := answer_method(findings, places or known, method_aspect(resolved), cited)
        ).empty
    ):
        # "Vilka dokument har granskats i Huddinge?", "Who was interviewed?": the audit's
        # method section, as the register holds it ("I vilka granskningar intervjuades
        # IT-chefen?" is a set of municipalities; "How many …" a number, "What is the name
        # of the director who was interviewed?" a name).
        paragraphs, reason = method.paragraphs, None
    elif (
        intent.kind in ("fact", "set", "comparison", "judgement")
        and _AUDIT_QUESTIONS_ASKED.search(resolved)
        and not _ANSWERED_HOW.search(resolved)
        and (
            audit_questions := answer_audit_questions(
                findings,
                places or known,
                _without_frame(topic),
                cited,
                [
                    _without_frame(topic_terms(o, intent.kind, lang, exclude, knows))
                    for o in alternatives(_AUDIT_QUESTION_FRAME.sub(" ", info.text))
                ],
            )
        )[0]
    ):
        # "Vilka granskningar hade en revisionsfråga om riskanalyser?": the register holds
        # each audit's questions as its report lists them.
        paragraphs, reason = audit_questions[0], None
        answer.listed = [ListedBoard(municipality=m) for m in audit_questions[1]]
    elif (
        (
            (verdict_count := bool(_HOW_MANY_QUESTIONS.search(resolved)))
            or _WHICH_QUESTIONS.search(resolved)
        )
        and _ANSWERED_HOW.search(resolved)
        and not (
            graded := answer_question_verdicts(
                findings,
                places or known,
                [
                    t
                    for t in _without_frame(topic)
                    if not t.startswith(_VERDICT_STEMS) and t not in _HOW_MANY
                ],
                intent.polarity if _VERDICT_ASKED.search(resolved) else None,
                cited,
                count=verdict_count,
            )
        ).empty
    ):
        # "Which of Örebro's control objectives were only partly fulfilled?": the register
        # holds the verdict the auditors gave each question.
        paragraphs, reason = graded.paragraphs, None
        answer.listed = [ListedBoard(municipality=m) for m, _ in graded.listed]
    elif (age := asked_age(resolved)) is not None and not (
        by_year := answer_report_age(reports, places, cited, age)
    ).empty:
        # "Which municipality's report is the oldest?": the reports' years, not a set of
        # municipalities whose passages mention reports.
        paragraphs, reason = by_year.paragraphs, None
    elif (
        intent.about_auditor
        and intent.kind in ("fact", "set", "comparison")
        and not (firms := answer_auditor(reports, places, cited)).empty
    ):
        # "Vem var projektledare för granskningen, och vilket revisionsbolag stod bakom?":
        # the firm, then the person from the signature block.
        people = _signed(searcher, places, resolved, cited, name)
        paragraphs, reason = firms.paragraphs + people, None
    elif intent.kind in ("fact", "judgement", "set") and (
        people := _signed(searcher, places, resolved, cited, asks_for_name(resolved))
    ):
        # "Who was the project leader of the audit in Botkyrka?": the signature block
        # names the audit's people by role; the passages rarely rank it.
        paragraphs, reason = people, None
    elif reason == "no_hits":
        pass
    elif (
        intent.kind == "recommendation"
        and findings
        and (missing_board := _board_not_in_reports(searcher, intent.boards, places))
    ):
        reason = "unknown_board"
        detail = phrase(lang, "board_unknown", board=missing_board, place=", ".join(places))
    elif (
        intent.about_responses
        and intent.kind != "number"  # "by what date is the reply due" asks the request
        and in_replies(resolved)
        and places
        and findings
        and not in_places([f for f in findings if f.kind == "response"], places)
        and not any(_REPLY_REPORTED.search(h.chunk.text) for h in hits)
        # "Which boards have X, and what did they reply?": the set is answered, and then
        # that no reply is in the material.
        and not (intent.kind in ("set", "recommendation") and _then_replies(resolved))
    ):
        # "What did Örebro's board reply?": the corpus holds the audit sent "för yttrande",
        # not the reply. Quoting the audit's own sentences would pass them off as the reply.
        reason = "no_response"
        detail = phrase(lang, "no_response", place=", ".join(places))
    elif (
        intent.kind == "set"
        and intent.target == "boards"
        and intent.polarity in ("positive", "negative")
        and not intent.boards
        and in_replies(resolved)
        and findings
        # "Vilka nämnder har lämnat yttrande över granskningen?": who replied, not what
        # the replies say; "Vilken nämnd har inte svarat på granskningen?": who has not.
        and not topic_terms(without_reply_words(info.text), "set", lang, exclude, knows)
        and not (
            repliers := (
                answer_without_reply(findings, places, cited, known)
                if intent.polarity == "negative"
                else answer_responders(
                    findings, places, cited, known, joint=asks_joint_reply(resolved)
                )
            )
        ).empty
    ):
        paragraphs, reason = repliers.paragraphs, None
        answer.listed = [ListedBoard(municipality=m, board=b) for m, b in repliers.listed]
    elif (
        intent.kind == "recommendation"
        and intent.boards
        and findings
        and _then_replies(resolved)
        and not (
            recommended := answer_recommendations(
                findings,
                places,
                intent,
                topic_terms(_before_second(resolved), intent.kind, lang, exclude, knows),
                cited,
            )
        ).empty
    ):
        # "Vilka rekommendationer fick vård- och omsorgsnämnden, och vad svarade nämnden?":
        # the board's recommendations, then its own reply.
        board = canonical_board(intent.boards[0].casefold())
        to_board = addressed(findings, "recommendation", [], board)
        recommended_in = places or sorted({f.municipality for f in to_board if f.municipality})
        paragraphs = recommended.paragraphs
        paragraphs += answer_replies_of(findings, [(p, board) for p in recommended_in], cited)
        reason = None
    elif (
        intent.about_responses
        and intent.kind in ("recommendation", "judgement", "fact")
        and findings
        and not (
            responded := answer_responses(
                findings,
                places,
                intent,
                topic_terms(info.text, "response", lang, exclude, knows),
                cited,
            )
        ).empty
    ):
        # "Vad svarade socialnämnden?", "Har nämnderna följt upp rekommendationerna?":
        # the boards' own answers, from the register, not the audit's sentences about them.
        paragraphs, reason = responded.paragraphs, None
    elif (
        intent.kind == "recommendation"
        and reason is None
        and topic
        and not intent.boards  # a named board's recommendations are the register's
        and _quoted_recommendation(hits[: policy.top_n], topic)
        > max(register_match(findings, places, intent, topic, cited.text_of), 0.5)
    ):
        # A recommendation the text quotes but this audit did not give ("Revisionsgrupp 2
        # lämnade i samband med förstudien rekommendation till nämnderna att …"): the
        # register holds this audit's own; the passage answers.
        paragraphs = compose_extractive(lang, hits, topic, cited, is_template=is_template)
    elif (
        intent.kind == "recommendation"
        and findings
        and (other_than := _OTHER_THAN.search(resolved)) is not None
        and (
            excluded := find_boards(other_than.group("board"))
            or find_boards(swedish_terms(other_than.group("board")))
        )
        and not (
            beyond := answer_recommendations_beyond(
                findings, places or known, canonical_board(excluded[0]), cited
            )
        ).empty
    ):
        # "Vilka granskningar riktar rekommendationer även till andra nämnder än
        # kommunstyrelsen?": whom they went to, from the register's addressees.
        paragraphs, reason = beyond.paragraphs, None
        answer.listed = [ListedBoard(municipality=m) for m, _ in beyond.listed]
    elif (
        intent.kind == "recommendation"
        and intent.target == "municipalities"
        and findings
        and not (
            placed := answer_recommendation_places(
                findings,
                places or known,
                topic_terms(without_actions(info.text), intent.kind, lang, exclude, knows) or topic,
                cited,
            )
        ).empty
    ):
        paragraphs, reason = placed.paragraphs, None
        answer.listed = [ListedBoard(municipality=m) for m, _ in placed.listed]
    elif intent.kind == "recommendation" and findings:
        second = second_ask(resolved)
        # "What is the overall assessment in Botkyrka, and which recommendations follow
        # from it?": the overall verdict, then all the recommendations (the assessment's
        # words are no topic to narrow them to).
        before = resolved[: len(resolved) - len(second)] if second else ""
        overall_first = bool(_OVERALL_ASKED.search(before) and _JUDGED.search(before))
        # Composed first, so that its citation is numbered first.
        verdict_lines = (
            answer_overall(findings, places, cited, is_template=is_template).paragraphs
            if overall_first
            else []
        )
        composed = answer_recommendations(
            findings, places, intent, [] if overall_first else topic, cited
        )
        paragraphs, reason = composed.paragraphs, None
        if paragraphs:
            paragraphs = verdict_lines + paragraphs
        if paragraphs and second and number_kind(second) in ("date", "day"):
            # "What did KPMG recommend …, and by when should the board respond?": the
            # deadline is in the cover letter, which the recommendation's passages may
            # not be.
            deadline = searcher.search(f"{second} {' '.join(places)}", k=k, filters=active)
            answer.hits = _with_more(hits, deadline)
            paragraphs += _second_answer(
                second, lang, deadline[:NUMBER_TOP_N], cited, is_template, exclude, knows
            )
    elif (
        intent.kind == "set"
        and intent.target == "municipalities"
        and reason in (None, "low_overlap", "low_dense")
    ):
        # Each municipality's own best passages are the evidence: one report's single
        # mention ("Intranätet utgör grunden …") is not among the best of all five.
        weak = reason
        negative = intent.polarity == "negative"
        paragraphs, more, named = _places_set(
            searcher,
            resolved,
            places or known,
            active,
            intent,
            topic,
            cited,
            is_template,
            denied=asked_heads(asked, lang, topic, negative),
            denied_words=denied_phrase(asked, lang, topic) if negative else (),
            required=quoted_terms(asked, lang),
            options=[topic_terms(o, intent.kind, lang, exclude, knows) for o in options],
            mention=bool(_MENTION.search(asked)),
            boards=intent.boards,
            predicate=predicate_terms(asked, lang, topic),
            inverted=inverted_subject(asked, lang, topic),
        )
        answer.listed = [ListedBoard(municipality=m) for m in named]
        answer.hits = _with_more(hits, more)
        if named:
            reason = None
        elif weak is None:
            paragraphs = [phrase(lang, "set_none_places")]
            paragraphs += compose_extractive(lang, hits, terms, cited, is_template=is_template)
        else:
            paragraphs = []
    elif (
        intent.kind == "set"
        and intent.fulfilment
        and intent.target == "boards"
        and findings
        and reason is None
        and not (met := answer_fulfilment(findings, places, intent, cited)).empty
    ):
        paragraphs = met.paragraphs
        answer.listed = [ListedBoard(municipality=m, board=b) for m, b in met.listed]
    elif (
        intent.kind == "set"
        and findings
        and (
            reason is None
            # The boards' replies are read sentence by sentence: the passages found for
            # the whole question are not their evidence.
            or (
                reason in ("low_overlap", "low_dense")
                and intent.about_responses
                and in_replies(resolved)
            )
        )
    ):
        weak = reason
        near = retrieval_closeness(hits)

        def boards_set(
            replies: bool, reading: Intent = intent, on: list[str] = topic, text: str = asked
        ) -> Composed:
            return answer_set(
                findings,
                places,
                reading,
                on,
                cited,
                near=near,
                money=names_money(text),
                denied=asked_heads(text, lang, on, reading.polarity == "negative"),
                required=quoted_terms(text, lang),
                assessed=bool(_JUDGED.search(text)),
                replies=replies,
                years=frozenset(years_in(text)),
                one=reading.target == "boards" and asks_one(text),
            )

        # "According to their replies, which boards …": what the boards say themselves.
        replies = intent.about_responses and in_replies(resolved)
        composed = boards_set(replies=True) if replies else Composed([], True)
        # The findings answer only what they speak of: when the best passages tell of what
        # is asked in words no assessment or observation uses, the boards the findings
        # name for the rest of the question are no answer.
        if (
            composed.empty
            and weak is None
            and not _beyond_findings(topic, findings, hits[: policy.top_n])
        ):
            composed = boards_set(replies=False)
        if (
            composed.empty
            and not replies
            and weak is None
            and intent.target == "boards"
            and intent.polarity == "positive"
            # "Between how many committees is responsibility split?" counts no replies.
            and not _counts_boards(resolved)
        ):
            # "Vilka nämnder i Eskilstuna säger att ökad finansiering behövs?": no
            # assessment or observation says it of a board, a board's own reply may
            # ("Nämnden uppger att ökad finansiering behövs …").
            composed = boards_set(replies=True)
        if not composed.empty:
            paragraphs, reason = composed.paragraphs, None
            answer.listed = [ListedBoard(municipality=m, board=b) for m, b in composed.listed]
            second = second_set(resolved)
            if second is not None and (
                reading := _second_set(second, intent.polarity, topic, lang, exclude, knows)
            ):
                # "… – och vilken nämnds plan saknar helt uppgifter om digitalisering?": the
                # second set with its own polarity, when it lists boards the first does not.
                again = boards_set(False, *reading, text=second)
                if not again.empty and set(again.listed) - set(composed.listed):
                    paragraphs += again.paragraphs
            if _then_replies(resolved):
                # "… – and what did they reply?": each listed board's own reply.
                paragraphs += answer_replies_of(findings, composed.listed, cited)
        elif weak is not None:
            pass  # nothing in the replies either: the evidence is too weak to answer
        elif (
            intent.polarity == "positive"
            and not (
                best := _named_in_best(hits, terms, cited, bool(_RECEIVES.search(asked)))
            ).empty
        ):
            paragraphs = best.paragraphs
            answer.listed = [ListedBoard(municipality=m, board=b) for m, b in best.listed]
        else:
            point = cited.checkpoint()
            evidence = compose_extractive(lang, hits, terms, cited, is_template=is_template)
            said = cited.quotes[point[1] :]
            if (
                intent.target == "boards"
                and any(of_unnamed_boards(q.text) for q in said)
                # "I verksamhetsberättelserna beskriver kommunstyrelsen, utbildningsnämnden
                # …" beside "I flera av nämndernas verksamhetsberättelser …" names them.
                and not any(find_boards(q.text) for q in said)
            ):
                # "Vilka av Avestas styrelser har beslutat om handlingsplaner?": "Några av
                # styrelserna och nämnden har beslutat om handlingsplaner" names none.
                paragraphs, detail = [], phrase(lang, "set_unnamed")
                if asks_whether_all(resolved) and intent.polarity == "positive":
                    # "Har alla styrelser i Avesta beslutat om handlingsplaner?": that only
                    # some have it answers it, said by the sentences on some of them.
                    cited.restore(point)
                    some = [
                        c
                        for c in candidates(hits, terms, is_template)
                        if c.matched and of_unnamed_boards(c.span.text)
                    ]
                    if chosen := select(some, max_n=2, min_n=1, max_passages=1):
                        paragraphs = [phrase(lang, "set_not_all"), *_grouped_quotes(cited, chosen)]
                        detail = None
            else:
                paragraphs = [phrase(lang, "set_none"), *evidence]
    elif intent.kind == "judgement" and (
        reason is None
        or (
            reason in ("low_dense", "low_overlap")
            # "Vilken kommun fick sämst helhetsbedömning?" asks of them all.
            and (places or _asked_rank(resolved))
            and (
                bool(_OVERALL_ASKED.search(resolved))
                or (bool(_GENERAL.search(resolved)) and not topic)
            )
            and has_overall(findings, places or known)
        )
    ):
        # The ranking finds the right passage; the findings tell which of its sentences
        # are the auditors' judgements. A general question leads with the overall verdict,
        # which the register knows even when the question's words are not the report's
        # ("sammanfattande" where the report writes "samlade").
        reason = None
        # "Vad blev den samlade bedömningen?" is general; "What did the auditors conclude
        # about organisation and resources?" asks for the assessment on that topic.
        general = bool(_OVERALL_ASKED.search(resolved)) or not topic
        # "Vad blev revisorernas sammanfattande bedömning av Avestas arbete med
        # digitalisering?": the overall verdict answers it all; no topic word narrows it to
        # other assessments ("digitalisering" is in most of them).
        only_overall = False
        if general and findings:
            # "Which municipality got the best overall verdict?": the best named first.
            composed = answer_overall(
                findings, places, cited, is_template=is_template, rank=_asked_rank(resolved)
            )
            paragraphs = composed.paragraphs
            subject = topic_terms(
                _OVERALL_ASKED.sub(" ", info.text), intent.kind, lang, exclude, knows
            )
            only_overall = bool(paragraphs) and Topic(subject, findings, unseen=True).all_common
        judged = _finding_spans(findings)
        # "Does KPMG judge that the social welfare committee had decided on plans?": the
        # assessments about that board, not those naming others beside it. (The executive
        # board is what most assessments are about, named or not.)
        judged_boards = {canonical_board(b) for b in intent.boards} - {"Kommunstyrelsen"}
        if judged_boards:
            judged = (
                _finding_spans(
                    [f for f in findings if judged_boards & {canonical_board(b) for b in f.boards}]
                )
                or judged
            )
        if not only_overall:
            paragraphs += compose_extractive(
                lang,
                hits,
                terms,
                cited,
                is_template=is_template,
                prefer=judged,
                once=_overall_of(findings),
                follow=_reasons_at(findings),
                statements=True,
            )
            paragraphs += _grounds(findings, cited)
    elif (
        intent.kind == "comparison"
        and _JUDGED.search(resolved)
        and _GENERAL.search(resolved)
        and len(places or known) > 1
        and not (
            overall := answer_overall(
                findings,
                places or known,
                cited,
                is_template=is_template,
                rank=_asked_rank(resolved),
            )
        ).empty
    ):
        # "Jämför den samlade bedömningen i Avesta och Örebro": the register holds each
        # municipality's overall verdict, whatever words the question uses. Naming none
        # ("Compare the overall verdicts of the audits in the five municipalities"): all.
        paragraphs, reason = overall.paragraphs, None
    elif intent.kind == "comparison" and reason is None:
        compared = places or [m for m in known if m.casefold() in resolved.casefold()] or known
        views = bool(
            (_VIEWED.search(resolved) or _JUDGED.search(resolved)) and _AUDITORS.search(resolved)
        )
        # "Hur skiljer sig revisorernas bedömning av uppföljningen …": what was judged, not
        # the words of judging or comparing, says which assessment answers.
        on = (
            topic_terms(COMPARE_WORDS.sub(" ", info.text), "judgement", lang, exclude, knows)
            if views
            else []
        )
        # The register's verdicts on that topic answer first; the passages answer for a
        # municipality it holds none for.
        verdicts, covered = answer_topic_verdicts(findings, compared, on, cited)
        paragraphs, more = _compare(
            searcher,
            resolved,
            [p for p in compared if p not in covered],
            active,
            k,
            on or terms,
            cited,
            is_template,
            number_kind(resolved)
            or ("money" if _MORE_MONEY.search(resolved) else None)
            or ("amount" if _SIZE.search(resolved) else None),
            # "Jämför revisorernas syn på digitaliseringsstrategin": their assessments.
            _finding_spans(findings) if views else None,
            required=quoted_terms(resolved, lang),
        )
        paragraphs = verdicts + paragraphs
        answer.hits = _with_more(hits, more)
    elif intent.kind == "number" and intent.number is not None and reason is None:
        counted = counted_terms(resolved, lang) if intent.number == "count" else []
        asked_years = years_in(resolved)
        seasons = seasons_in(resolved)
        # "How much of Örebro's 200 mnkr …": a sentence repeating the 200 mnkr does not
        # answer it.
        given = given_numbers(resolved)
        top = NUMBER_TOP_N
        boards = intent.boards
        # "Hur stor är budgeten för digitaliseringsavdelningen?": whose budget.
        owner = budget_owner(resolved, lang, terms) if intent.number in ("amount", "money") else []
        # "När antogs handlingsplanen?": the sentence with the date names what it dates (a
        # section on plans may date a policy).
        dated = intent.number in ("date", "day")
        # "När bildades projektkontoret, och hur många månader efter att kommunstyrelsen
        # antog strategin …?": the first question's event is what the date is of.
        first = first_ask(resolved)
        # (Only the first's: "… och vilka år gäller planen som nämnden skulle godkänna?"
        # asks no date of an approval.)
        event = asked_event(first) if dated else None
        future = dated and bool(ASKS_FUTURE.search(first))
        # "När upphör strategin?": a period or its end answers, not any year.
        validity = dated and bool(ASKS_VALIDITY.search(first))
        # "Med hur många tjänster har avdelningen utökats?": a change counts.
        changes = bool(ASKS_CHANGE.search(resolved))
        total = bool(ASKS_TOTAL.search(resolved))
        if dated:
            owner = dated_subject(first, lang, terms)
        elif intent.number == "count":
            owner = count_owner(resolved, lang, terms)
        # "Hur många av de 66 aktiviteterna gäller den tekniska infrastrukturen?": a part of
        # a whole the question names; "37 (56 %) av aktiviteterna är pågående" counts
        # another part. The sentence must hold half the question's key terms.
        part = bool(given) and bool(_PARTITIVE.search(resolved))
        # "Vad var målet för 2020 …" asks for a goal's column; "Hur många deltog 2019?" for
        # what happened.
        target = bool(ASKS_TARGET.search(resolved))
        # "… from the digitalisation pot for its new business system (verksamhetssystem)?":
        # the report's word the question glosses is what the number is of (a board it
        # glosses is whose number it is, which ``boards`` checks).
        own_words = key_terms(BOARD.sub(" ", quoted_text(resolved, lang)), "sv")
        answering = number_spans(
            hits,
            terms,
            intent.number,
            top,
            counted,
            asked_years,
            given,
            min_terms=max(2, -(-len(terms) // 2)) if part else 1,
            boards=boards,
            owner=owner,
            owner_in_section=not dated,
            changes=changes,
            event=event,
            target=target,
            total=total,
            own_words=own_words,
            future=future,
            verbs=verbs,
            seasons=seasons,
            validity=validity,
        )
        found = bool(answering)
        if not found:
            # None of the best passages holds a number of the asked kind: search again
            # with the key terms and the words such numbers are written with ("senast
            # 2023-03-24" for a deadline), as comparisons do.
            more = searcher.search(
                f"{' '.join(terms)} {_NUMBER_WORDS[intent.number]}", k=NUMBER_TOP_N, filters=active
            )
            # Passages found for the number words alone must hold half the key terms.
            if answering := number_spans(
                more,
                terms,
                intent.number,
                NUMBER_TOP_N,
                counted,
                asked_years,
                given,
                min_terms=max(2, -(-len(terms) // 2)),
                boards=boards,
                owner=owner,
                owner_in_section=not dated,
                changes=changes,
                event=event,
                target=target,
                total=total,
                own_words=own_words,
                future=future,
                verbs=verbs,
                seasons=seasons,
                validity=validity,
            ):
                # The merged passages hold the number found in ``more``.
                hits = _with_more(hits[:NUMBER_TOP_N], more)
                answer.hits, top, found = hits, len(hits), True
        listed = (
            _counted_list(hits[:top], counted, terms, cited)
            if not found and intent.number == "count" and counted
            else []
        )
        if listed:
            # "Hur många uppgifter har kommittén?" where the report lists them without a
            # number: the list, counted.
            paragraphs = listed
        elif found:
            paragraphs = compose_extractive(
                lang,
                hits,
                terms,
                cited,
                is_template=is_template,
                number=intent.number,
                counted=counted,
                given=given,
                period=bool(_PERIOD.search(resolved)),
                years=frozenset(asked_years),
                target=target,
                answering=answering,
                # "… och vilka är de?", "… and how much of it …": the other sentences may
                # answer the rest of the question.
                numbers_only=second_ask(resolved) is None and not asks_which_too(resolved),
            )
            if paragraphs and (second := second_ask(resolved)):
                # "… 200 mnkr, and how much of it had been granted by August 2018?": the
                # second question has its own number, or its own sentence ("och varför?").
                paragraphs += _second_answer(
                    second, lang, hits[:top], cited, is_template, exclude, knows
                )
        if not paragraphs and intent.number == "count" and asks_which_too(resolved):
            # "Hur många steg har processen, och vilka är de?": the report names them
            # without counting them. Said that no passage gives the number, what they say
            # of which answers the second question.
            named = compose_extractive(
                lang, hits[:top], terms, cited, max_sentences=3, is_template=is_template
            )
            if named:
                paragraphs = [phrase(lang, "count_not_given"), *named]
        if not paragraphs:
            # No passage holds a number of the asked kind, or the sentences that would be
            # quoted hold none of those found.
            reason = "no_number"
            what = phrase(lang, f"number_what_{intent.number}")
            detail = phrase(lang, "number_missing", what=what)
    elif (
        reason is None
        and name is not None
        and not name_evidence(
            hits[: policy.top_n], _named_terms(resolved, lang, terms, name), name, known
        )
    ):
        # "What is the name of the director?": passages about the director without a
        # name do not answer it.
        reason = "no_name"
        detail = phrase(lang, "number_missing", what=phrase(lang, f"name_what_{name}"))
    elif reason is None:
        paragraphs = compose_extractive(
            lang,
            hits,
            terms,
            cited,
            is_template=is_template,
            name=name,
            known=known,
            echo_of=f"{resolved} {' '.join(terms)}",
        )
        if paragraphs and not terms:
            paragraphs.insert(0, phrase(lang, "broad"))
        elif not paragraphs and terms:
            # "Vilka är de 17 mål som SKL har knutit …?": "Till dessa insatsområden har SKL
            # knutit 17 mål." repeats the question; it does not answer it.
            detail = phrase(lang, "echo_only")

    if reason is not None or not paragraphs:
        answer.abstained = True
        answer.text, answer.citations = _abstention(lang, hits, detail)
    else:
        if (
            intent.kind == "set"
            and answer.listed
            # "How many goals …, and which committees have more than one?" counts goals.
            and _counts_boards(resolved)
            # "ansvaret är delat mellan tre nämnder": the evidence gives the count itself.
            and not any(count_of(p, _names_set_noun) for p in paragraphs)
        ):
            # "Hur många av Botkyrkas nämnder saknade mål …": the number first.
            paragraphs.insert(0, counted_listed(answer.listed, lang))
        answer.text = "\n\n".join(paragraphs)
        answer.citations, answer.quotes = cited.citations, cited.quotes
        if settings.llm_base_url and settings.llm_model:
            notices.extend(_try_llm(answer, hits, settings))
    answer.notice = " ".join(notices) or None
    _remember(conversation, answer, resolution, filters, active)
    return answer


def _second_answer(
    second: str,
    lang: str,
    hits: list[Hit],
    cited: Cited,
    is_template: Callable[[str], bool] | None,
    exclude: frozenset[str],
    knows: Callable[[str], bool] | None,
) -> list[str]:
    """The sentences that answer the second question of a two-part number question, from
    the same passages; none when they hold no answer to it."""
    terms = question_terms(second, lang, exclude, knows)
    if not terms:
        return []
    kind = number_kind(second)
    if kind is None:
        return compose_extractive(
            lang, hits, terms, cited, max_sentences=2, is_template=is_template
        )
    counted = counted_terms(second, lang) if kind == "count" else []
    years, given = years_in(second), given_numbers(second)
    verbs = count_verb_terms(second, lang) if kind == "count" else []
    if not number_evidence(hits, terms, kind, len(hits), counted, years, given, verbs=verbs):
        return []
    pool = candidates(
        hits, terms, is_template, kind, None, counted, given=given, years=frozenset(years)
    )
    best = select(pool, max_n=1, min_n=1, max_passages=1, floor_ratio=FLOOR_RATIO)
    quoted = {(q.doc, " ".join(q.text.split())) for q in cited.quotes}
    if best and (best[0].hit.chunk.doc, " ".join(best[0].span.text.split())) in quoted:
        return []  # the first answer's sentence answers it too ("47 e-tjänster med inloggning")
    return compose_extractive(
        lang,
        hits,
        terms,
        cited,
        is_template=is_template,
        number=kind,
        counted=counted,
        given=given,
        years=frozenset(years),
    )


# Words that say what kind of answer is wanted, not what it is about.
# Verbs that say a report speaks of something ("tar rapporterna upp", "nämns", "mention"):
# frame words of set questions, and the mark of "where do the reports mention X" (_MENTION).
_MENTION_VERBS = (
    r"(?:tar|tas|tog|togs)\s+(?:\w+\s+){0,2}?upp"
    r"|nämner|nämns|nämnt|nämnts|omnämner|omnämns|beskriver|beskrivs|beskrevs|beskrivits"
    r"|mentions?|mentioned|mentioning|refers?|referred|discuss(?:es|ed)?|talks?\s+about"
    r"|describes?|described|describing"
)
_FRAME_WORDS = {
    "recommendation": re.compile(
        r"\b(?:rekommend|recommend|föreslå|förslag|råd|advi|sugges|revisor|auditor|granskare)\w*"
        # Verbs that only say a recommendation was given or received ("ger", "lämnar",
        # "fick", "make", "received"): as a topic they would pick recommendations that
        # happen to contain them ("ger en samlad utvecklingskraft").
        r"|\b(?:ger|ge|gav|ges|gavs|gett|givit|givits|lämna|lämnar|lämnat|lämnats|lämnade|"
        r"riktar|riktas|riktade|riktat|får|fått|fick|give|gives|gave|given|giving|make|makes|"
        r"made|issue|issues|issued|receive|receives|received|get|gets|got|direct|directed)\b"
        # The audit itself ("i digitaliseringsgranskningen", "in the audit"): where the
        # recommendations were given, not what they are about.
        r"|\b\w*gransknings?(?:en|ar|arna|ens)?\b|\baudits?\b"
        # The firm that gave them ("Vad rekommenderade PwC?"), not what they are about.
        r"|\b(?:öhrlings|pricewaterhousecoopers|"
        + "|".join(re.escape(firm) for firm in AUDIT_FIRMS)
        + r")\b"
        # Whom they went to is asked of the recommendations, it is not their topic ("…,
        # och till vilka nämnder riktades den?", "which boards was it addressed to?").
        r"|\b(?:vilka|vilken|which|what)\s+(?:nämnd(?:er|erna)?|styrelse(?:r|rna)?|boards?|"
        r"committees?)\b|\b(?:riktade?s?|riktats|addressed|directed)\b",
        re.IGNORECASE,
    ),
    "set": re.compile(
        # The words of the set and its polarity, inflected but not compounded:
        # "kommunövergripande", "intervjupersoner" and "nämndmål" are topic words.
        r"\b(?:nämnd(?:en|er|erna|ens|ernas)?|styrelse(?:n|r|rna|ns|rnas)?|"
        r"kommun(?:en|er|erna|ens|ernas)?|förvaltning(?:en|ar|arna|ens|arnas)?|"
        r"boards?|committees?|municipalit(?:y|ies)|councils?|departments?|administrations?|"
        r"saknar|saknas|saknade|saknats|lacks?|lacking|lacked|missing|absent|without|"
        r"har|hade|have|has|had|inte|not)\b"
        # Verbs that only say the report speaks of the topic ("nämner", "tar … upp",
        # "mention"); "som en del av digitaliseringsarbetet": the frame too.
        rf"|\b(?:{_MENTION_VERBS})\b"
        r"|\b(?:som\s+)?en\s+del\s+av\b|\bas\s+(?:a\s+)?part\s+of\b"
        # Where and how the boards say it ("skriver i sina svar", "note in their replies").
        r"|\b(?:i|in)\s+(?:sina|sitt|sin|deras|their|its)\s+"
        r"(?:svar|yttranden|yttrande|repl(?:y|ies)|responses?)\b"
        r"|\b(?:skriver|skrev|anger|angav|uppger|uppgav|säger|says?|states?|stated|notes?|"
        r"noted|writes?|wrote)\b"
        # Who says it ("revisorerna konstaterar", "the auditors find"): not the topic.
        r"|\b(?:revisor|auditor|granskare)\w*|\b(?:the|which|what)\s+(?:reports?|audits?)\b"
        # "Which municipalities' reports mention …": whose report, not what it is about.
        r"|\b(?:municipalit(?:y|ies)|councils?|their|its)(?:'s|s')?'?\s+(?:reports?|audits?)\b"
        r"|\b(?:kommunernas|kommunens)\s+(?:rapporter|rapport|granskningar)\b"
        r"|\bvilka\s+(?:rapporter|granskningar)\b"
        r"|\b(?:rapport(?:en|erna)|granskning(?:en|arna))\b|\breports?\s+that\b"
        # "enligt revisorernas bedömning", "according to the auditors' assessment".
        r"|\bbedömning(?:en|ar|arna)?\b"
        r"|\baccording\s+to\s+(?:the\s+)?(?:auditors'?|their|its)\s+(?:assessment|view|opinion)\b"
        r"|\b(?:konstaterar|bedömer|anser|tycker|menar|finds?|found|consider|considers|according|"
        r"thinks?|feels?|"
        r"describes?|described|beskriver)\b"
        # Words of want say the polarity, not the topic ("in need of development",
        # "unclear"): the same words the question's polarity reads.
        r"|\bin\s+need\s+of\s+(?:development|improvement)\b|\b(?:utvecklings|förbättrings)behov\b"
        r"|\b(?:otydlig|oklar|ofullständig|otillräcklig|bristande|bristfällig)\w*"
        r"|\b(?:unclear|insufficient|inadequate|incomplete)\b"
        r"|\bbehov\s+av\s+(?:utveckling|förbättring)\b"
        # How well it works is the polarity ("inte fungerar tillräckligt bra", "does not
        # work well enough"), not the topic.
        r"|\b(?:tillräcklig(?:t|a)?|fungerar|fungerade|bra|väl|sufficient(?:ly)?|adequate(?:ly)?|"
        r"enough|works?|worked|working|well)\b"
        # How far it has come ("färdiga eller påbörjade", "finished or started") is the
        # polarity too: "färdiga" would match "färdigheter".
        r"|\b(?:färdig(?:a|t)?|påbörjad(?:e|t)?|finished|started|completed)\b"
        # A linking verb ("kopplas digitaliseringen till den demografiska utvecklingen")
        # says what the topic is tied to, not the topic ("koppling" the noun stays).
        r"|\b(?:kopplas|kopplar|kopplad|kopplade|kopplat|linked|connected|related|relates)\b"
        # So is "only some, not all" ("bara vissa nämnder", "some but not all").
        r"|\b(?:bara|endast|enbart|vissa|några|alla|samtliga|only|some|all)\b",
        re.IGNORECASE,
    ),
    "response": re.compile(
        r"\b(?:svar|yttr|respon|repl|react|reag|granskning|audit|review|rekommend|recommend|"
        r"följ|follow|åtgärd|measure|revisor|auditor|nämnd|styrelse|board|committee)\w*"
        r"|\b(?:på|to|on|till|om|about|upp|up|taken|vidtagit|vidtog)\b",
        re.IGNORECASE,
    ),
    "judgement": re.compile(
        r"\b(?:bedöm|slutsats|revisor|auditor|assess|conclu|verdict|judg|anser|overall|samlad)\w*",
        re.IGNORECASE,
    ),
}


# A sentence that gives or reports a recommendation ("rekommenderar", "lämnade …
# rekommendation till nämnderna").
_RECOMMENDS = re.compile(r"\brekommend|\brecommend", re.IGNORECASE)


# The audit text reporting a reply ("I yttrandet har kommunstyrelseförvaltningen svarat
# att …", "i sitt yttrande", "Utifrån yttrandet som anger …"), not asking for one ("för
# yttrande", "Vi emotser kommunstyrelsens yttrande").
_REPLY_REPORTED = re.compile(
    r"\b(?:i|enligt|utifrån|i\s+enlighet\s+med)\s+(?:sitt\s+|deras\s+)?(?:yttrandet|svaret)\b"
    r"|\bi\s+sitt\s+(?:yttrande|svar)\b|\bhar\s+(?:\w+\s+){0,2}svarat\b|\bsvarade\b",
    re.IGNORECASE,
)


def _quoted_recommendation(hits: list[Hit], topic: list[str]) -> float:
    """The best share of the topic's terms in a sentence of ``hits`` that recommends."""
    best = 0.0
    for hit in hits:
        for span in split_sentences(hit.chunk.text):
            if _RECOMMENDS.search(span.text):
                best = max(best, len(matched_terms(topic, span.text)) / len(topic))
    return best


# The audit itself, not a board or project: the roles of its signature blocks are asked.
_ABOUT_AUDIT = re.compile(
    r"granskning\w*|revision\w*|revisor\w*|\baudit\w*|\breview\w*|rapport\w*|\breport\w*|"
    r"missiv\w*|\bcover\s+letter",
    re.IGNORECASE,
)


def _signed(
    searcher: Searcher, places: list[str], question: str, cited: Cited, name: NameKind | None
) -> list[str]:
    """Lines naming the people who signed the asked municipalities' reports in the asked
    role, when the question asks for a person of the audit ("projektledare för
    granskningen", "the chair of the auditors"), else none."""
    if name != "person" and not asked_roles(question):
        return []
    if not _ABOUT_AUDIT.search(question):
        return []  # "ordförande i socialnämnden" is no signatory of the report
    documents = getattr(searcher, "documents", None) or {}
    return answer_people(documents, places, question, cited).paragraphs


MENTION_SHARE = 0.35
# The question asks where the reports speak of something, not what they say of it.
_MENTION = re.compile(rf"\b(?:{_MENTION_VERBS})\b", re.IGNORECASE)
# "How does the size of Botkyrka's fund compare with Huddinge's pot?": amounts compared.
# "Compare the multi-year sums that Örebro, Huddinge and Eskilstuna have set aside": the same.
_SIZE = re.compile(
    r"\bsizes?\b|\bstorlek\w*|\bsums?\b|\bamounts?\b|\bsumm(?:a|an|or|orna)\b|\bbelopp(?:en)?\b",
    re.IGNORECASE,
)

# "Did Eskilstuna or Huddinge commit more money …?": each municipality's amount; not a need
# for more ("Hur tas behov av mer pengar om hand?" asks how it is handled).
_MORE_MONEY = re.compile(
    r"(?<!behov av )(?<!behovet av )(?<!need for )(?<!needs for )(?<!need of )"
    r"\b(?:more|most|less|least|mer|mest|mindre|minst)\s+(?:money|pengar|funding|funds|"
    r"medel|kronor)\b",
    re.IGNORECASE,
)
# The auditors' view or judgement is compared ("revisorernas syn på", "the auditors' view").
# (with the words of ``_JUDGED``).
_VIEWED = re.compile(r"\bsyn\s+på\b|\bviews?\s+(?:on|of)\b|\bopinions?\b", re.IGNORECASE)
_AUDITORS = re.compile(r"\b(?:revisor\w*|auditor\w*|granskning\w*|audits?)\b", re.IGNORECASE)
# "Which got the most positive / the worst overall assessment?"
_BEST = re.compile(
    r"\b(?:mest\s+positiv\w*|bäst\w*|most\s+positive|best|strongest|starkast\w*)\b",
    re.IGNORECASE,
)
_WORST = re.compile(
    r"\b(?:mest\s+negativ\w*|sämst\w*|most\s+negative|worst|weakest|svagast\w*)\b",
    re.IGNORECASE,
)


def _asked_rank(question: str) -> str | None:
    if _BEST.search(question):
        return "best"
    if _WORST.search(question):
        return "worst"
    return None


_VIEW_VERBS = (
    r"(?:find|finds|found|consider|considers|considered|deem|deems|deemed|regard|regards|"
    r"anser|ansåg|finner|fann|menar|ansett|funnit)"
)
# "do the auditors find", "anser revisorerna", "KPMG bedömer": the auditors' own view.
_AUDITORS_VIEW = re.compile(
    rf"\b(?:auditors?|revisor\w*|PwC|KPMG|EY|Deloitte)(?:'s|s'|:s)?\s+(?:\w+\s+){{0,2}}?"
    rf"(?:{_VIEW_VERBS}|bedöm\w*|assess\w*|judge[sd]?)\b"
    rf"|\b(?:{_VIEW_VERBS}|bedöm\w*)\s+(?:\w+\s+)?(?:revisor\w*|PwC|KPMG|EY|Deloitte)\b",
    re.IGNORECASE,
)
_JUDGED = re.compile(
    r"\bbedöm\w*|\bassess\w*|\bverdict\w*|\bslutsats\w*|\bconclu\w*"
    r"|\b(?:helhets)?omdöme\w*|\bjudge?ments?\b",
    re.IGNORECASE,
)
# "Vilka rekommendationer riktas till samtliga nämnder?": those addressed to all boards.
_ALL_BOARDS_ASKED = re.compile(
    r"\b(?:till|för|åt|to|for)\s+(?:samtliga|alla|all)\s+(?:nämnder(?:na)?|styrelser(?:na)?|boards|committees)\b"
    r"|\bsamtliga\s+nämnder\b"
    # "… fick samtliga styrelser och nämnden", "all the boards and committees".
    r"|\b(?:samtliga|alla)\s+(?:styrelser|nämnder)(?:na)?\s+och\s+(?:nämnden|nämnderna|nämnder|styrelserna|styrelser)\b"
    r"|\ball\s+(?:the\s+)?boards\s+and\s+(?:the\s+)?committees?\b",
    re.IGNORECASE,
)
_OVERALL_ASKED = re.compile(
    r"\b(?:sammanfattande|samlade?|övergripande|helhet\w*|overall|in\s+general|generellt|"
    r"summary|sammanfattning|as\s+a\s+whole|totalt\s+sett|sammantaget)\b",
    re.IGNORECASE,
)
_GENERAL = re.compile(
    r"\b(?:sammanfattande|samlade?|övergripande|helhet\w*|overall|in\s+general|generellt|"
    r"slutsats\w*|conclu\w*|summary|sammanfattning)\b",
    re.IGNORECASE,
)


# The word a negative question denies: "Vilka nämnder saknar planer …", "no reported
# outcome for their measure", "har inga mål".
_DENIES = re.compile(
    r"\b(?:saknar|saknas|saknade|inga|ingen|inget|utan|no|without|lacks?|lacking|lacked|"
    r"missing)\s+(?P<rest>[^?.,;]+)",
    re.IGNORECASE,
)


def denied_terms(question: str, lang: str, topic: list[str]) -> tuple[str, ...]:
    """The heads of what the question's negation denies ("no reported outcome for their
    measure" → the term for "outcome"), or none. A sentence saying another topic word is
    missing ("inga målsatta mått") does not answer what is denied."""
    return tuple(dict.fromkeys(head for head, _ in _denied_parts(question, lang, topic)))


def denied_phrase(question: str, lang: str, topic: list[str]) -> tuple[str, ...]:
    """Every topic term of what the question's negation denies, head and modifiers
    ("inga formella krav" → "formell", "krav"), or none."""
    terms = [t for _, part in _denied_parts(question, lang, topic) for t in part]
    return tuple(dict.fromkeys(terms))


def asked_heads(question: str, lang: str, topic: list[str], negative: bool) -> tuple[str, ...]:
    """The heads a set answer's evidence must name: what a negative question denies, or
    what a positive one says the boards have."""
    if negative:
        return denied_terms(question, lang, topic)
    return asserted_terms(question, lang, topic)


def asserted_terms(question: str, lang: str, topic: list[str]) -> tuple[str, ...]:
    """The heads of what a positive question says the boards have ("har en plan för
    digital transformation" → the term for "plan"), or none: a sentence on digital
    transformation without a plan does not say a board has one."""
    m = _ASSERTS.search(question)
    if m is None and (m := _SAYS_THAT.search(question)) is not None:
        # What they say is about its subject, before its verb ("more IT competence | is
        # needed"; "förvaltningen | ska effektivisera …" names no topic word: no heads).
        said = _FINITE.split(f" {m.group('rest') or m.group('bare')} ", maxsplit=1)[0]
        if _PRONOUN.match(said.strip()):
            return ()  # "att de inte når målen": they, not a topic word, are its subject
        return tuple(dict.fromkeys(t for head, _ in _np_parts(said, lang, topic) for t in head))
    if m is None:
        return ()
    rest = _PARTICIPLE.sub(" ", f" {m.group('rest')}", count=1)
    words = rest.split()
    if not words or _SUPINE.fullmatch(words[0]):
        return ()  # "har uppnåtts": a verb, not what they have
    return tuple(dict.fromkeys(t for head, _ in _np_parts(rest, lang, topic) for t in head))


def predicate_terms(question: str, lang: str, topic: list[str]) -> tuple[str, ...]:
    """The topic terms of the question's verbs after an auxiliary ("att coronapandemin har
    *påverkat* digitaliseringsarbetet", "which boards have *adopted* …"): what is said of
    the topic, not the topic, so that a sentence holding only them ("påverkade roller")
    does not name it."""
    verbs = " ".join(m.group(2) for m in _AFTER_AUXILIARY.finditer(question))
    return _topic_terms_of(verbs, lang, topic)


def inverted_subject(question: str, lang: str, topic: list[str]) -> tuple[str, ...]:
    """The topic terms of the subject a question puts between its auxiliary and verb ("I
    vilka kommuner har *pandemin* påverkat arbetet?"): what the sentence must speak of.
    None when the subject comes first ("att coronapandemin har påverkat …")."""
    between = " ".join(m.group(1) for m in _AFTER_AUXILIARY.finditer(question))
    return _topic_terms_of(between, lang, topic)


def _topic_terms_of(words: str, lang: str, topic: list[str]) -> tuple[str, ...]:
    """The ``topic`` terms that ``words`` hold (the whole question's stem may be longer:
    "antagit" read in its context, "antag" alone)."""
    said = question_terms(words, lang, frozenset()) if words.strip() else []
    return tuple(t for t in topic if any(t.startswith(v) or v.startswith(t) for v in said))


_AFTER_AUXILIARY = re.compile(
    r"\b(?:har|hade|ha|haft|ska|skall|skulle|kan|kunde|måste|bör|borde|has|have|had|will|"
    r"would|can|could|should|must)\s+((?:[^\W\d_]+\s+){0,2}?)"
    # A supine or past participle, after the subject if it comes first ("har pandemin
    # påverkat", "har inte antagit", "have been adopted").
    r"([^\W\d_]{3,}(?:at|it|tt|ats|its|tts|ed))\b",
    re.IGNORECASE,
)


def _denied_parts(question: str, lang: str, topic: list[str]) -> list[tuple[str, list[str]]]:
    """Each coordinated part of the denied noun phrase: its head and all its topic terms."""
    m = _DENIES.search(question)
    if m is None:
        return []
    return [(head[0], part) for head, part in _np_parts(m.group("rest"), lang, topic)]


def _np_parts(rest: str, lang: str, topic: list[str]) -> list[tuple[list[str], list[str]]]:
    """Each coordinated part of the noun phrase ``rest`` begins with: every topic term of
    its head word ("funds" → fond, medel), and all its topic terms."""
    # The noun phrase ends where a preposition or relative clause begins ("planer |
    # för digitalisering", "reported outcome | for their measure"); the head of each of its
    # coordinated parts comes last ("systematik eller uppföljning": both).
    phrase_text = _NP_END.split(f" {rest} ", maxsplit=1)[0]
    parts: list[tuple[list[str], list[str]]] = []
    for part in _COORDINATED.split(phrase_text):
        words = part.split()[:4]
        found = [[t for t in question_terms(w, lang, frozenset()) if t in topic] for w in words]
        if words and not found[-1]:
            # A phrase the glossary knows only whole ("digitalisation pot" →
            # "digitaliseringspot"; "pot" alone is no term): its compound is its head.
            whole = [t for t in question_terms(" ".join(words), lang, frozenset()) if t in topic]
            found[-1] = [t for t in whole if not any(t in f for f in found)]
        heads = [f for f in reversed(found) if f]
        if heads:
            parts.append((heads[0], [t for f in found for t in f]))
    return parts


# What a positive set question says the boards have or mention: "Vilka nämnder har en plan
# för …", "Which committees have adopted plans …".
# The subject comes first ("Vilka nämnder har …", "att de har …"): in "I vilka kommuner har
# en framtidsdirektör en roll" the subject follows the verb and is not what they have.
_ASSERTS = re.compile(
    r"(?:(?<!\bi )(?<!\bin )\b(?:vilka|which)\s+(?:\w+\s+){0,3}|\b(?:de|they|it|den)\s+)"
    # What they mention is what they must mention: "Vilka nämnder nämner
    # digitaliseringspotten i sina verksamhetsplaner".
    r"(?:har|hade|have|has|had|nämner|nämnde|omnämner|mentions?|mentioned|refers?\s+to|"
    r"referred\s+to|hänvisar\s+till|hänvisade\s+till|refererar\s+till)\s+"
    r"(?P<rest>[^?.,;]+)",
    re.IGNORECASE,
)
# What the boards say ("say in their responses that more IT competence is needed",
# "skriver i sina svar att …"): the subject of what they say is what they must speak of.
_SAYS_THAT = re.compile(
    r"\b(?:says?|said|states?|stated|writes?|wrote|notes?|noted|skriver|skrev|säger|sade|"
    r"anger|angav|uppger|uppgav|framhåller|framhöll)\b[^?.]*?\b(?:that|att)\s+"
    r"(?P<rest>[^?.,;]+)"
    # English leaves "that" out: "says more IT competence is needed".
    r"|\b(?:says?|said|states?|stated|writes?|wrote|notes?|noted)\s+(?!that\b)"
    r"(?=[^?.,;]*?\s(?:is|are|was|were)\s+(?:needed|required|lacking|missing)\b)"
    r"(?P<bare>[^?.,;]+)",
    re.IGNORECASE,
)
_PRONOUN = re.compile(
    r"(?:de|det|den|dessa|detta|man|vi|ni|hon|han|they|it|there|this|these|we|he|she)\b",
    re.IGNORECASE,
)
_FINITE = re.compile(
    r"\s(?:är|var|blir|blev|har|hade|ska|skall|skulle|kan|kunde|måste|bör|behövs|behöver|"
    r"saknas|finns|is|are|was|were|has|have|had|will|would|should|must|can|could|needs?|"
    r"needed|lacks?|lacked)\s",
    re.IGNORECASE,
)
# A supine or passive after "har" is a verb: "har uppnåtts", "har genomförts".
_SUPINE = re.compile(r"\w+(?:ats|its|tts|been)", re.IGNORECASE)
# The verb before the noun phrase and its particle ("beslutat om", "drawn up").
_PARTICIPLE = re.compile(r"^\s+\w+(?:t|ed|wn)\s+(?:om|on|up|fram)\s+", re.IGNORECASE)


_COORDINATED = re.compile(r"\s(?:och|eller|samt|and|or|nor)\s", re.IGNORECASE)


_NP_END = re.compile(
    r"\s(?:for|of|to|in|on|with|about|linked|related|that|which|from|by|för|till|med|om|i|"
    r"på|av|som|kopplade|kopplat|relaterade|inom|hos)\s",
    re.IGNORECASE,
)


def topic_terms(
    text: str,
    kind: str,
    lang: str,
    exclude: frozenset[str],
    knows: Callable[[str], bool] | None,
) -> list[str]:
    """The key terms of what the question is about, without the words that only say
    which kind of answer it wants ("rekommendationer", "vilka nämnder saknar") and
    without board names (they select findings by addressee or subject instead)."""
    frame = _FRAME_WORDS.get(kind)
    if lang == "en":
        text = without_board_names(text)
    if frame is not None:
        text = frame.sub(" ", text)
    for board in find_boards(text):
        text = re.sub(re.escape(board), " ", text, flags=re.IGNORECASE)
    if kind == "recommendation":
        # The boards as a kind ("recommend Avesta's boards to do about cost and benefit
        # calculations") are whom it went to: as a topic beside another, "nämnd" picked
        # any recommendation naming a board. Alone ("till nämnderna") they stay the topic.
        terms = question_terms(_BOARDS_AS_KIND.sub(" ", text), lang, exclude, knows)
        if terms:
            return terms
    return question_terms(text, lang, exclude, knows)


_BOARDS_AS_KIND = re.compile(
    r"\b(?:(?:samtliga|alla|övriga|andra|all|other)\s+(?:the\s+)?)?"
    r"(?:nämnd(?:en|er|erna|ens|ernas)?|styrelse(?:n|r|rna|ns|rnas)?|boards?|"
    r"committees?)(?:'s|s'|')?(?!\w)",
    re.IGNORECASE,
)


def _topic_in(paragraph: str, topic: list[str]) -> bool:
    return not topic or len(matched_terms(topic, paragraph)) >= max(1, len(topic) // 2)


def _has_words(text: str) -> bool:
    """Whether a question has a word that could be about the reports (not only
    punctuation, emoji or function words)."""
    words = [w for w in tokens(text) if not w.isdigit()]
    return any(w not in STOPWORDS and w not in ENGLISH_STOPWORDS and len(w) > 1 for w in words)


def _remember(
    conversation: Conversation | None,
    answer: Answer,
    resolution: Any,
    filters: Filters | None,
    active: Filters,
) -> None:
    if conversation is None:
        return
    conversation.turns.append(
        Turn(
            question=answer.question,
            resolved_question=answer.resolved_question,
            filters=resolution.filters.merged(filters or Filters())
            if resolution.is_followup
            else (filters or Filters()).model_copy(update={"municipality": active.municipality}),
            language=answer.language,
            answer=answer.text,
            abstained=answer.abstained,
            citations=answer.citations,
        )
    )


def _try_llm(answer: Answer, hits: list[Hit], settings: Settings) -> list[str]:
    """Replace the extractive text by a generated one; return notices."""
    from assistant.answer.llm import generate_answer

    try:
        result = generate_answer(answer.resolved_question, answer.language, hits, settings)
    except EndpointError as err:
        return [phrase(answer.language, "llm_fallback", reason=str(err))]
    answer.text = result.text
    answer.mode = "llm"
    answer.quotes = []
    answer.citations = [hits[i].citation(n) for n, i in enumerate(result.used, start=1)]
    if result.removed:
        return [phrase(answer.language, "bad_markers", markers=" ".join(result.removed))]
    return []

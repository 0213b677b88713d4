"""Numbers of the kind a question asks for, in Swedish report text: amounts, shares,
dates and counts."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from assistant.answer.intent import NumberKind

_I = re.IGNORECASE
_MONTHS = r"januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december"
_NUMBER_WORDS = (
    r"två|tre|fyra|fem|sex|sju|åtta|nio|tio|elva|tolv|tretton|fjorton|femton|sexton|sjutton|"
    r"arton|nitton|tjugo|trettio|fyrtio|femtio|hundra|tusen|ett\s+par|ett\s+tiotal|dussin"
)
# A span of years: "2021–2025", "2022 - 2023".
_YEAR_SPAN = r"\b(?:19|20)\d\d\s*[–-]\s*(?:19|20)\d\d\b"
# A span of years, the second possibly without its century: "2018–2021", "2017-19".
YEAR_RANGE = r"\b(?:19|20)\d\d\s*[–-]\s*(?:19|20)?\d\d\b"
PATTERNS: dict[NumberKind, re.Pattern[str]] = {
    "amount": re.compile(
        r"\d[\d\s\u00a0.]*(?:,\d+)?\s*(?:kr\b|kronor|mnkr|mkr|tkr|msek|sek\b|miljon\w*|"
        r"miljard\w*|tusen\s+kronor)|\b(?:en|ett|två|tre|fyra|fem|tio)\s+miljon\w*\s+kronor",
        _I,
    ),
    # A share as a percentage, or as "2 av 10", "åtta av tio", "var tredje".
    "percent": re.compile(
        r"\d+(?:[,.]\d+)?\s*(?:%|procent)"
        r"|\b(?:\d+|en|ett|två|tre|fyra|fem|sex|sju|åtta|nio)\s+av\s+(?:\d+|tio|hundra)\b"
        r"|\bvar\s+(?:annan|tredje|fjärde|femte|tionde)\b"
        # A goal table's row whose measure is a share: "Andelen (%) nya ansökningar … |
        # 20 | 30 | 60".
        r"|\(%\)[^|\t]*(?:[|\t]\s*[-–]?\s*)*[|\t]\s*\d+",
        _I,
    ),
    "date": re.compile(
        rf"\b(?:19|20)\d\d-\d\d(?:-\d\d)?\b|\b\d{{1,2}}\s+(?:{_MONTHS})(?:\s+(?:19|20)\d\d)?\b"
        rf"|\b(?:{_MONTHS})\s+(?:19|20)\d\d\b|{_YEAR_SPAN}"
        r"|\b(?:år(?:et)?\s+)?(?:19|20)\d\d\b"
        # A month said as a time: "ett förslag presenterades … i februari".
        rf"|\b(?:i|under|från|sedan|till|efter|före|innan|av|början\s+av|slutet\s+av)\s+"
        rf"(?:{_MONTHS})\b(?!\s+(?:19|20)\d\d)",
        _I,
    ),
    "day": re.compile(rf"\b(?:19|20)\d\d-\d\d-\d\d\b|\b\d{{1,2}}\s+(?:{_MONTHS})\b", _I),
    "count": re.compile(
        # Not the digit of a name ("ITIL4", "Office365").
        rf"(?<![\w-])\d+(?:[,.]\d+)?(?:\s*[–-]\s*\d+)?(?:-tal(?:et)?)?(?![\d-])|\b(?:{_NUMBER_WORDS})\b"
        # One of a thing for each of another: "en programledare för varje målområde".
        r"|\b(?:en|ett|one)(?=\s+[\w-]+\s+(?:för|per|i|till|for|in)\s+"
        r"(?:varje|var|respektive|each|every)\b)"
        # "how often": frequencies are written in words ("årligen", "varje månad").
        r"|\b(?:årligen|årsvis|halvårsvis|kvartalsvis|månadsvis|veckovis|dagligen|"
        r"varje\s+(?:år|halvår|kvartal|månad|vecka|termin)|en\s+gång)\b",
        _I,
    ),
}
# Case numbers and document ids hold years that date nothing: "SBN/2021:560", "KS 2021/123".
_IDENTIFIER = re.compile(r"\b[A-ZÅÄÖ]{2,}[ /-]?\d{4}[/:]\d+\b|\b[A-ZÅÄÖ]{2,}/\d{4}\b")
# A number that points somewhere counts nothing: "bilaga 1", "avsnitt 3.2", "§ 267".
_REFERENCE = re.compile(
    r"\b(?:bilaga|bilagan|bilagor|avsnitt|avsnittet|kapitel|kapitlet|sida|sidan|s\.|tabell|"
    r"tabellen|figur|figuren|punkt|punkten|bild|nr|nummer|appendix|section|page|table)\s*$|§\s*$",
    _I,
)
_YEAR_ONLY = re.compile(r"^(?:19|20)\d\d$")
# A count is not an amount, a share or part of a date: "12 mnkr", "56 procent",
# "2016-12-06" answer "how much", "what share" and "when", not "how many".
_OTHER_UNIT = re.compile(
    r"^\s*(?:kr\b|kronor|mnkr|mkr|tkr|msek|sek\b|miljon\w*|miljard\w*|%|procent)", _I
)


def given_numbers(question: str) -> frozenset[str]:
    """The numbers a question states ("How much of Örebro's 200 mnkr …"), as digits: a
    sentence repeating one of them does not answer it. Years are left out: "in 2018" says
    when, and the answer is dated to it. A span of years is part of a name ("strategin
    2021–2025", "plan för digital transformation 2022–2023"): the sentence naming it again
    ("Kommunstyrelsens plan för digital transformation 2022–2023") says neither when nor how
    many, while one dated to a year in it ("antogs 2021") may."""
    spans = [_digits(m.group(0)) for m in re.finditer(_YEAR_SPAN, question)]
    numbers = re.findall(
        r"\d+(?:[\s\u00a0.,]\d+)*", _YEAR.sub(" ", re.sub(_YEAR_SPAN, " ", question))
    )
    return frozenset([_digits(m) for m in numbers if _digits(m)] + spans)


def _digits(number: str) -> str:
    return re.sub(r"\D", "", number)


def has_number(
    text: str, kind: NumberKind, given: frozenset[str] = frozenset(), changes: bool = True
) -> bool:
    """Whether ``text`` holds a number of ``kind``, other than those the question states
    (``given``). A count is any number that is not only a year ("2021" does not count
    how many). Without ``changes``, the size of a change ("har utökats för år 2020 med
    3,5 mnkr") is no number: it says how much was added, not how much there is."""
    pattern = PATTERNS[kind]
    # Case numbers ("KSKF/2021:336") neither date nor count anything.
    text = _IDENTIFIER.sub(" ", text)
    dates = [d.span() for d in PATTERNS["date"].finditer(text)] if kind == "count" else []
    for m in pattern.finditer(text):
        if kind == "count" and (
            _YEAR_ONLY.match(m.group(0))
            or _OTHER_UNIT.match(text[m.end() :])
            or any(a <= m.start() < b for a, b in dates)
            or _REFERENCE.search(text[: m.start()])
        ):
            continue
        if given and _digits(m.group(0)) in given:
            continue
        if not changes and _CHANGE_BEFORE.search(text[max(0, m.start() - 60) : m.start()]):
            continue
        return True
    return False


# What counts as holding the asked number: "how much" may be answered by a share.
ACCEPTS: dict[NumberKind, tuple[NumberKind, ...]] = {
    "amount": ("amount", "percent"),
    "money": ("amount",),
    "percent": ("percent",),
    "date": ("date",),
    "day": ("day",),
    "count": ("count",),
}


_YEAR = re.compile(r"(?<![\d/:-])(?:19|20)\d\d(?![\d/:])")


# A goal table's column of targets ("Mål 2019", "Målvärde 2020", "Budget 2021"), as
# against one of outcomes ("Utfall 2018").
_TARGET_COLUMN = re.compile(r"\b(?:mål\w*|target\w*|goal\w*|budget\w*|prognos\w*|plan\w*)", _I)
# A question that asks for a target, a plan or a forecast, not for what happened:
# "Vad var målet för 2020 …", "What was the target for 2019 …", "Hur många ska …".
ASKS_TARGET = re.compile(
    r"\b(?:mål|målet|målen|målvärde\w*|målsatt\w*|målnivå\w*|targets?|targeted|goals?|aim\w*|"
    r"budget\w*|prognos\w*|planer\w*|planned|expect\w*|förvänta\w*|ska|skulle|should)\b",
    _I,
)


def year_cell_answers(header: str, row: str, years: set[str], target: bool) -> bool | None:
    """Whether a table row, read with its header, holds a number in a column of an asked
    year: None when the header dates no column (or the row does not line up with it);
    False when no column is of the asked years, when that column's cell holds no number
    ("-", "Ökar"), or when it is a target ("Mål 2019") and the question asks what
    happened (not ``target``): "Hur många deltog 2019?" is not answered by the 2019 goal."""
    cells = year_cells(header, row, years)
    if cells is None:
        return None
    return any(
        re.search(r"\d", cell) is not None and (target or not _TARGET_COLUMN.search(head))
        for head, cell in cells
    )


def year_cells(header: str, row: str, years: set[str]) -> list[tuple[str, str]] | None:
    """``(column, cell)`` of a table row's columns whose header names one of ``years``
    ("Mål 2019"); None when the header dates no column or the row does not line up with
    it, [] when no column is of those years."""
    heads, cells = header.split("\t"), row.split("\t")
    if len(cells) > len(heads):
        return None
    # A row that goes on under the one above leaves its first cells empty ("\tAndelen
    # användare …"): its cells line up with the header's last ones.
    cells = [""] * (len(heads) - len(cells)) + cells
    dated = [(h, c, said) for h, c in zip(heads, cells, strict=True) if (said := years_in(h))]
    if not dated:
        return None
    return [(head, cell.strip()) for head, cell, said in dated if said & years]


def years_in(text: str) -> set[str]:
    """The years a text names ("år 2020", "2023-12-15", "2023–2025"), not those inside case
    numbers ("SBN/2021:560")."""
    return set(_YEAR.findall(_IDENTIFIER.sub(" ", text)))


def _periods(text: str) -> list[tuple[int, int, range]]:
    """``(start, end, years)`` of each span of years in ``text`` ("2018–2021", "2022-23";
    not a date's "2019-02")."""
    out = []
    for m in re.finditer(YEAR_RANGE, text):
        first_text, last = re.findall(r"\d+", m.group(0))
        first = int(first_text)
        end = int(last) if len(last) == 4 else first // 100 * 100 + int(last)
        if 0 < end - first <= 20:
            out.append((m.start(), m.end(), range(first, end + 1)))
    return out


def only_periods(text: str) -> bool:
    """Whether every year ``text`` names is in a span of years ("en beslutad
    Digitaliseringsstrategi för åren 2021–2025"): a period something covers, which dates
    no event ("När antogs strategin?")."""
    text = _IDENTIFIER.sub(" ", text)
    rest = text
    for start, end, _ in reversed(_periods(text)):
        rest = rest[:start] + " " + rest[end:]
    return bool(years_in(text)) and not years_in(rest)


def years_covered(text: str) -> set[str]:
    """The years a text names, each span of years whole ("strategin för 2018–2021" covers
    2019 and 2020 too)."""
    said = years_in(text)
    for _, _, years in _periods(_IDENTIFIER.sub(" ", text)):
        said |= {str(y) for y in years}
    return said


def of_years(text: str, years: Iterable[str], framed: Iterable[str] = ()) -> bool:
    """Whether a sentence can speak of the asked ``years``: not when the years it names
    (each of a span), or if it names none the years its paragraph opens with
    (``framed``), are all other years. With no year asked, or none said, it can."""
    said = years_covered(text) or set(framed)
    asked = set(years)
    return not said or not asked or bool(said & asked)


# "vår" alone is also "our" ("vår bedömning"), "fall" a case ("i många fall").
_SEASONS = (
    ("spring", r"våren|vårterminen|vår\s+(?:år\s+)?\d{4}|spring"),
    ("summer", r"sommar(?:en)?|summer"),
    ("autumn", r"höst(?:en|terminen)?|autumn"),
    ("winter", r"vinter(?:n)?|winter"),
)
_SEASON = {name: re.compile(rf"\b(?:{words})\b", re.IGNORECASE) for name, words in _SEASONS}


def seasons_in(text: str) -> frozenset[str]:
    """The seasons ``text`` names ("hösten 2018" → autumn): "by autumn 2018" is not
    answered by "the status report of spring 2018"."""
    return frozenset(name for name, pattern in _SEASON.items() if pattern.search(text))


# A question about what happened ("Which projects did the fund finance in 2021?", "Vilka
# projekt fick medel 2021?"), not about what was planned, budgeted or set as a goal.
_PAST = re.compile(
    r"\b(?:did|was|were|had|fick|hade|var|blev|gjorde|gick|kom|\w{2,}ades|\w{2,}ade|"
    r"\w{2,}des|\w{2,}ed)\b",
    re.IGNORECASE,
)
_PLANNED = re.compile(
    r"\b(?:ska|skall|kommer|skulle|will|shall|would|plan\w*|mål\w*|budget\w*|target\w*|"
    r"goal\w*|aim\w*|förvänt\w*|expect\w*|prognos\w*|forecast\w*|beräkna\w*)",
    re.IGNORECASE,
)


def after_reports(question: str, report_years: Iterable[int]) -> int | None:
    """The one year a question asks what happened in, when it is later than every report's
    year ("Which projects did Botkyrka's fund finance in 2021?" of a report of 2020): no
    report can say. None for a plan, budget or goal for that year, or an earlier year."""
    asked = years_in(question)
    years = list(report_years)
    if len(asked) != 1 or not years:
        return None
    year = int(next(iter(asked)))
    if max(years) < year and _PAST.search(question) and not _PLANNED.search(question):
        return year
    return None


def other_year(text: str, asked: set[str]) -> bool:
    """Whether ``text`` dates its number to a year other than the asked ones: "för år 2020
    till 4 mnkr" does not answer "how much in 2021"."""
    said = years_in(text)
    return bool(asked) and bool(said) and said.isdisjoint(asked)


def answers_number(
    text: str, kind: NumberKind, given: frozenset[str] = frozenset(), changes: bool = True
) -> bool:
    """Whether ``text`` holds a number that can answer a question asking for ``kind``: not
    only one the question states itself (``given``), nor only the size of a change when
    ``changes`` do not answer it."""
    return any(has_number(text, k, given, changes) for k in ACCEPTS[kind])


# "What is the total budget frame …", "Hur stor är den totala budgeten …": the level asked,
# which an increase does not give.
ASKS_TOTAL = re.compile(
    r"\b(?:total\w*|sammanlag\w*|in\s+all|altogether|hela\s+(?:budget\w*|ram\w*|anslag\w*))\b",
    _I,
)


# "Hur många politiker …", "how many objects …": the noun a count question counts.
_COUNTED = re.compile(r"\b(?:hur\s+många|how\s+many)\s+(?P<noun>[\w-]+(?:\s+[\w-]+)?)", _I)
# Counting people: reports write "anställda", "medarbetare", "tjänster" for "personer".
_PEOPLE = re.compile(r"^(?:personer|person|people|persons|staff|employees|anställda)$", _I)
PEOPLE_WORDS = ("person", "anställd", "medarbetar", "tjänst", "heltid", "årsarbet")


# "hur många av Avesta kommuns e-tjänster", "how many of Huddinge's committees": a part of
# a whole, counted by the whole's noun after its determiner, number and owner.
_COUNTED_PART = re.compile(
    r"\b(?i:hur\s+många|how\s+many)\s+(?i:av|of)\s+"
    r"(?:(?i:de|dessa|den|det|the|these|those|its|their|sina|deras)\s+)?(?:\d+\s+)?"
    r"(?:[A-ZÅÄÖ][\w-]*(?:'s|s)?\s+(?:(?i:kommuns|kommunens|municipality's)\s+)?)?"
    r"(?P<noun>[\w-]+(?:\s+[\w-]+)?)"
)


# "how many of them": no noun, nothing counted that the question does not already count.
_PRONOUNS = frozenset({"them", "these", "those", "dem", "dessa", "de", "det", "den"})


def counted_words(question: str) -> list[str]:
    """The word(s) right after "hur många"/"how many" (casefolded), or the whole's noun in a
    part of it ("hur många av Avesta kommuns e-tjänster" → e-tjänster), or [] when the
    question does not count anything ("hur ofta", "how often")."""
    flat = " ".join(question.split())
    found = [m for m in (_COUNTED_PART.search(flat), _COUNTED.search(flat)) if m is not None]
    if not found:
        return []
    # The first "how many" asks ("How many e-services …, and how many of them …").
    m = min(found, key=lambda m: m.start())
    words = m.group("noun").casefold().split()
    return [] if words[0] in _PRONOUNS else words


def counts_people(words: list[str]) -> bool:
    return any(_PEOPLE.match(w) for w in words)


# A number after a verb of change is a change, not a total: "avdelningen har utökats med
# närmare 20-talet tjänster" does not say how many work there.
_CHANGE_BEFORE = re.compile(
    r"\b(?:utökat?s|utökade?s?|utökats|ökat|ökade|ökar|minskat|minskade|minskar|förstärkt?s|"
    r"förstärktes|increased|grown|grew|expanded|reduced|decreased|cut)"
    # "har utökats för år 2020 med 3,5 mnkr"
    r"(?:\s+(?:för|under|inför|i|till|in|for|år|\d{4}))*\s+(?:med|by|with)\s+"
    r"(?:(?:närmare|nästan|cirka|ca\.?|drygt|knappt|omkring|ungefär|about|nearly|almost|"
    r"around|some|roughly)\s+)?$",
    _I,
)
# A question that asks for a change: "Med hur många tjänster har avdelningen utökats?"
ASKS_CHANGE = re.compile(
    r"\b(?:utök\w*|ökat|ökade|ökning\w*|minsk\w*|förstärk\w*|increas\w*|grow\w*|grew|"
    r"expand\w*|reduc\w*|decreas\w*|more|fler)\b",
    _I,
)

# A date question about what is still to come: "När ska strategin följas upp nästa gång?",
# "When is the IT manager to finish …", "When will the group decide?".
ASKS_FUTURE = re.compile(
    r"\b(?:när|when)\s+(?:ska|skall|kommer|is|are|will)\b|\bnästa\s+gång\b|\bnext\s+time\b",
    _I,
)


# A question for how long something holds: "Till och med vilket år gäller strategin?",
# "When does the strategy expire?", "Vilken period gäller planen?".
# A period or its end said: "för åren 2021–2025", "2018–2021", "till och med 2025".
_VALID_FOR = re.compile(
    rf"{YEAR_RANGE}|\b(?:till\s+och\s+med|t\.\s?o\.\s?m\.?|fram\s+till)\s+"
    # "fram till den sista december år 2019", "till och med 31 december 2025"
    rf"(?:den\s+)?(?:(?:sista|\d{{1,2}})\s+)?(?:(?:{_MONTHS})\s+)?"
    r"(?:år\s+)?(?:19|20)\d\d\b",
    _I,
)


# A question on what holds until a year ("en strategi som gäller till 2025", "valid until
# 2025"): the year it names, which a period the report gives must reach.
VALID_UNTIL = re.compile(
    r"\b(?P<verb>gäller|gällde|sträcker\s+sig|löper|(?:is\s+|are\s+|was\s+)?valid|runs?|"
    r"applies|lasts?)\s+(?:till\s+och\s+med|fram\s+till|till|t\.\s?o\.\s?m\.?|until|"
    r"through|to)\s+(?:år\s+|the\s+end\s+of\s+)?(?P<year>(?:19|20)\d\d)\b",
    _I,
)


def says_validity(text: str) -> bool:
    """Whether ``text`` gives a period or when something ends ("för åren 2021–2025")."""
    return _VALID_FOR.search(_IDENTIFIER.sub(" ", text)) is not None


# What a date question asks the date of an event of ("När antogs …", "When did … start"):
# the words a question asks it with, and the words a report says it happened with.
_EVENTS: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...] = tuple(
    (re.compile(asked, _I), re.compile(said, _I))
    for asked, said in (
        (  # adopted or decided
            r"\b(?:ant(?:og|ogs|agit|agits|agen|agna)|adopt\w*|beslut(?:ade|ades|at|ats)?|"
            r"fattade\s+beslut|decid\w*|fastställ\w*|godkän\w*|approv\w*)\b",
            # A decision, not what a decision rests on ("Beslutsunderlag och dokumentation").
            r"\b(?:ant(?:og|ogs|agit|agits|agen|agna|agandet?)|"
            r"beslut(?:a|ad|ade|ades|ar|at|ats|as|et|ets|en|ens|ande)?\b(?!\s*-)|fastställ\w*|"
            r"godkän\w*)\b",
        ),
        (  # started
            r"\b(?:start(?:ade|ades|at|ats|ed)?|påbörja\w*|inledde\w*|began|begun|launch\w*)\b",
            r"\b(?:start\w*|påbörja\w*|inled\w*|började|sjösatt\w*|lanser\w*)\b",
        ),
        (  # formed or set up
            r"\b(?:bildade?s?|bildats|inrätta\w*|etablera(?:de|des|t|ts)|set\s+up|formed|"
            r"established|created|skapade?s)\b",
            r"\b(?:bilda\w*|inrätta\w*|etabler\w*|skapa\w*|tillkom\w*)\b",
        ),
        (  # dealt with at a meeting ("Vilket datum behandlade kommunstyrelsen sitt svar?")
            r"\b(?:behandla(?:de|des|t|ts)|dealt\s+with|deal\s+with|handled|considered)\b",
            r"\b(?:behandla\w*|sammanträde\w*|protokoll\w*|§\s*\d+)",
        ),
        (  # revised ("By when is the strategy to be revised?")
            r"\b(?:revider\w*|revised?|revising|revision|uppdater\w*|updated?|omarbeta\w*)\b",
            r"\b(?:revider\w*|revision\w*|uppdater\w*|omarbeta\w*|översyn\w*|ses\s+över)\b",
        ),
        (  # interviewed ("I vilka granskningar intervjuades IT-chefen?")
            r"\b(?:intervjuades|intervjuats|(?:har|hade)\s+(?:\w+\s+)?intervjuat|"
            r"(?:was|were|been|being)\s+interviewed)\b"
            # The active past ("intervjuade revisorerna kommundirektören", "did the auditors
            # interview"), not the interviewees ("de intervjuade uppger").
            r"|(?<!\bde\s)\bintervjuade\b(?!\s+(?:uppger|anser|menar|beskriver|säger|lyfter))"
            r"|\b(?:did|do|does)\s+(?:\w+\s+){0,3}?interview\b|\b(?:auditors?|they|PwC|KPMG|EY)\s+"
            r"interviewed\b",
            r"\bintervju\w*",
        ),
        (  # hired
            r"\b(?:anställde?s?|anställts|rekryter\w*|hired|recruit\w*)\b",
            r"\b(?:anställ\w*|rekryter\w*|tillsatt\w*|tillträdde)\b",
        ),
        (  # ready ("När ska den nya strategin vara klar?", "When will the plan be finished?")
            r"\b(?:vara|bli|blir)\s+(?:klar|färdig|färdigställd|slutförd|genomförd)\b"
            r"|\b(?:be|get)\s+(?:ready|finished|completed|done)\b"
            r"|\bto\s+(?:finish|complete)\b|\b(?:slutföra|färdigställa|avsluta)\b",
            r"\b(?:klar|klart|färdig\w*|slutför\w*|senast|tas\s+fram|antas|fastställas|"
            r"beslutas|revideras|presenteras|godkänn\w*|på\s+plats)\b",
        ),
        (  # followed up ("När ska strategin följas upp nästa gång?")
            r"\b(?:följ(?:as|des|ts|a|er|de|t)\s+upp|uppföljning\w*|follow(?:ed|s)?[\s-]+up)\b",
            r"\b(?:följ\w*\s+(?:\w+\s+){0,3}?upp|uppfölj\w*)\b",
        ),
    )
)


def asked_event(question: str) -> re.Pattern[str] | None:
    """For a date question asking when something was adopted, started, formed, revised or hired
    ("Vilket år startade förvaltningen sin utvecklingsenhet?"), the words a sentence must
    say it happened with: "Under 2022 har samverkan med utvecklingsenheten intensifierats"
    dates no start. None when the question names no such event."""
    for asked, said in _EVENTS:
        if asked.search(question):
            return said
    return None


def count_of(
    text: str, matches: Callable[[str], bool], window: int = 3, changes: bool = False
) -> bool:
    """Whether ``text`` holds a count followed within ``window`` words by a word that
    ``matches`` the counted noun ("12 anställda", "ca 132 e-tjänster", "fyra objekt").
    A change ("utökats med 20 tjänster") counts only when ``changes`` is asked for."""
    for m in PATTERNS["count"].finditer(text):
        if _YEAR_ONLY.match(m.group(0)) or _OTHER_UNIT.match(text[m.end() :]):
            continue
        if not changes and _CHANGE_BEFORE.search(text[max(0, m.start() - 60) : m.start()]):
            continue
        # "37 stycken (56 %) av aktiviteterna", "4 av 10 nämnder": a part counted in the
        # whole's noun, past "stycken", a share in brackets and "av".
        rest = _BRACKETED.sub(" ", text[m.end() : m.end() + 80])
        # The number's own sentence: "… påbörja fas 3. • Nämnden har …" counts no boards.
        rest = _SENTENCE_END.split(rest, maxsplit=1)[0]
        words = re.findall(r"[^\W_]+(?:-[^\W_]+)*", rest)
        after = [w for w in words if w.casefold() not in _PART_WORDS][:window]
        if any(matches(w.casefold()) for w in after):
            return True
        # "två personer på IT-enheten som arbetar som strateger": people counted in a role.
        if (
            after
            and _PEOPLE.match(after[0])
            and (role := _AS_ROLE.search(rest)) is not None
            and matches(role.group(1).casefold())
        ):
            return True
    return False


_AS_ROLE = re.compile(
    r"\bsom\s+(?:arbetar|jobbar|verkar|tjänstgör|fungerar)\s+som\s+([^\W\d_]+)", _I
)


_BRACKETED = re.compile(r"\([^()]{0,20}\)")
_SENTENCE_END = re.compile(r"[.!?;]\s+(?=[A-ZÅÄÖ•–-])|[•\n]")
_PART_WORDS = frozenset({"stycken", "st", "av", "of"})


# "Antal (%) medarbetare som …": what a table cell says it counts.
_COUNTED_IN_CELL = re.compile(
    r"\b(?:antal(?:et)?|number\s+of)\s+(?:\([^)]{0,12}\)\s+)?([^\W\d_]+(?:-[^\W\d_]+)*)", _I
)


def counted_in_cell(row: str, matches: Callable[[str], bool]) -> bool:
    """Whether a table row's "Antal X" cell counts what ``matches`` ("Antal e-tjänster"
    counts e-services, "Antal användare av e-tjänsten" counts users)."""
    return any(matches(w.casefold()) for w in _COUNTED_IN_CELL.findall(row))


# A list item: a bullet or a number in front of its text ("- **Tidsplan** …", "2. Att …").
_ITEM = re.compile(r"[ \t]*(?:[-•*–]|\d{1,2}[.)])[ \t]+(?=\S)")


def listed_items(text: str, lead_end: int) -> list[tuple[int, int]]:
    """The items (start, end) of the list that a lead-in ending at ``lead_end`` introduces
    ("Värderingssammanställningen innefattar följande parametrar:"): every bulleted or
    numbered line after it, with the lines that follow it directly, and at most one blank
    line between two items; none when the next line is no item."""
    items: list[tuple[int, int]] = []
    pos = text.find("\n", lead_end)
    blanks = 0
    while 0 <= pos < len(text):
        start = pos + 1
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        line = text[start:end]
        pos = end
        if not line.strip():
            blanks += 1
            if blanks > 1 and items:
                break
            if blanks > 1:
                return []
            continue
        marker = _ITEM.match(line)
        trimmed = end - (len(line) - len(line.rstrip()))
        if marker is None and items and blanks == 0:
            # The item goes on on the next line ("1. 2022-10-26" above what was decided
            # that day, a bullet wrapped in a PDF).
            items[-1] = (items[-1][0], trimmed)
            continue
        if marker is None:
            break
        blanks = 0
        items.append((start + marker.end(), trimmed))
    return items

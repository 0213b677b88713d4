"""Split Swedish (and English) passage text into sentences that keep their offsets.

Every returned span satisfies ``text[span.start:span.end] == span.text``: quotes built
from spans can always be checked against the source.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import lru_cache

import Stemmer

from assistant.ingest.cleaning import SUPERSCRIPTS


def word_set(text: str) -> frozenset[str]:
    """The space-separated words of ``text`` as a set (for readable word lists)."""
    return frozenset(text.split())


# Abbreviations that end in a full stop but do not end a sentence.
ABBREVIATIONS = word_set(
    "bl.a t.ex s.k m.m dvs d.v.s ca kap nr jfr resp inkl exkl fr.o.m t.o.m o.s.v osv f.d "
    "p.g.a pga mfl m.fl milj e.g i.e etc vs no prop sfs s f ff bil sid fig tab dr mr ms"
)
_BOUNDARY = re.compile(r"[.!?…]+[\"”»')]*\s+(?=[\"”«(\[–—-]?\s*[A-ZÅÄÖÉ0-9*])")
_BULLET = re.compile(r"(?:[-*•–·]|\d{1,2}[.)])\s+")
_LAST_WORD = re.compile(r"(\S+)[.!?…]+[\"”»')]*$")
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
_TAG = re.compile(r"<[^>\n]{1,40}>")
_WS = re.compile(r"\s+")


@dataclass(frozen=True)
class Span:
    """``text`` is exactly ``source[start:end]`` of the text that was split."""

    start: int
    end: int
    text: str


def is_list_item(line: str) -> bool:
    """Whether ``line`` is a bulleted or numbered list item ("- Interna arbetssätt och
    rutiner", "2. Riskanalys")."""
    return _BULLET.match(line.lstrip()) is not None


def _ends_in_abbreviation(piece: str) -> bool:
    m = _LAST_WORD.search(piece)
    return m is not None and m.group(1).lower().rstrip(".") in ABBREVIATIONS


def _trimmed(text: str, start: int, end: int) -> Span | None:
    """The span without surrounding whitespace and list bullets, or None if empty."""
    while start < end and text[start].isspace():
        start += 1
    m = _BULLET.match(text, start, end)
    if m:
        start = m.end()
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end, text[start:end]) if end > start else None


def split_lines(text: str) -> list[Span]:
    """Non-empty lines (for table rows), trimmed, with offsets."""
    spans: list[Span] = []
    pos = 0
    for line in text.split("\n"):
        span = _trimmed(text, pos, pos + len(line))
        if span:
            spans.append(span)
        pos += len(line) + 1
    return spans


def split_sentences(text: str) -> list[Span]:
    """Sentences of ``text``: line breaks always end a sentence, so do ``. ! ?`` before a
    capital letter or digit unless the word before is a known abbreviation ("t.ex.")."""
    spans: list[Span] = []
    for line in split_lines(text):
        start = line.start
        for m in _BOUNDARY.finditer(text, line.start, line.end):
            if _ends_in_abbreviation(text[start : m.start() + len(m.group().rstrip())]):
                continue
            span = _trimmed(text, start, m.end())
            if span:
                spans.append(span)
            start = m.end()
        span = _trimmed(text, start, line.end)
        if span:
            spans.append(span)
    return spans


# A line that is only a date, perhaps numbered ("5. 2023-06-13", "9 maj 2017:"): the date
# of the entry on the next line (a protocol excerpt, a timeline).
_DATE_LINE = re.compile(
    r"(?:\d{1,2}[.)]\s+)?(?:\d{4}-\d{2}-\d{2}|\d{1,2}\s+[^\W\d_]+\s+\d{4})\s*:?"
)


def with_dated_entries(text: str, spans: list[Span]) -> list[Span]:
    """``spans`` with a line holding only a date joined to the sentence on the next line:
    "5. 2023-06-13" above "Kommunstyrelsen lämnar … följande förslag" dates the proposal."""
    out: list[Span] = []
    skip = False
    for i, span in enumerate(spans):
        if skip:
            skip = False
            continue
        nxt = spans[i + 1] if i + 1 < len(spans) else None
        if (
            nxt is not None
            and _DATE_LINE.fullmatch(span.text.strip())
            and text[span.end : nxt.start].count("\n") == 1
            and not text[span.end : nxt.start].strip()
        ):
            out.append(Span(span.start, nxt.end, text[span.start : nxt.end]))
            skip = True
        else:
            out.append(span)
    return out


# A sentence a page break splits: one part ends in a word or a comma, the other goes on
# in lower case after a blank line ("… på ett samlat, prioriterat och" / "effektfullt sätt
# få nytta av digitalisering avsatt 5 mnkr …"), perhaps after the page's running header
# ("Huddinge kommun / Granskning av digitalisering / 2023-08-25").
_BROKEN_END = re.compile(r"[a-zåäöé,][ \t]*\Z")
_BLANK = re.compile(r"[ \t]*\n[ \t]*\n")
_NUMBERED_HEADING = re.compile(r"\d+(?:\.\d+)*\.?\s+[A-ZÅÄÖ]")
_SENTENCE_START = re.compile(r"(?:^|(?<=[.!?:])[ \t]+)(?=[A-ZÅÄÖ0-9\"”“])", re.MULTILINE)
MIN_BROKEN_WORDS = 4
MAX_FURNITURE_LINES = 5
_SENTENCE_END = re.compile(r"[.!?](?=[ \t]|$)", re.MULTILINE)


def _is_running_line(line: str) -> bool:
    """A line of a page's running header or footer between a sentence's two halves:
    short, no sentence, no list item, table row or numbered heading."""
    flat = line.strip()
    return (
        0 < len(flat) <= 40
        and len(flat.split()) <= 5
        and not flat.endswith((".", "!", "?", ":", ";"))
        and "\t" not in flat
        and not flat.startswith(("-", "•"))
        and not _NUMBERED_HEADING.match(flat)
    )


def _is_prose(line: str) -> bool:
    """A line a sentence can run over a page break from or onto."""
    return (
        "\t" not in line
        and " | " not in line
        and not line.lstrip().startswith(("-", "•"))
        and len(line.split()) >= MIN_BROKEN_WORDS
    )


def _lines_between(text: str, a: int, b: int) -> list[str] | None:
    """The non-blank lines of ``text[a:b]`` when a blank line is among them (a page
    break), else None."""
    gap = text[a:b]
    if not _BLANK.search(gap):
        return None
    return [line for line in gap.split("\n") if line.strip()]


def _goes_on_at(text: str, end: int) -> int | None:
    """Where a sentence cut at ``end`` goes on after a page break: the next line starting
    in lower case, past blank lines and at most a few lines of the page's furniture."""
    pos = end
    for _ in range(MAX_FURNITURE_LINES + 1):
        nxt = len(text) - len(text[pos:].lstrip())
        if nxt >= len(text):
            return None
        line_end = text.find("\n", nxt)
        line = text[nxt : len(text) if line_end < 0 else line_end]
        if text[nxt].islower():
            between = _lines_between(text, end, nxt)
            ok = between is not None and all(_is_running_line(x) for x in between)
            return nxt if ok and _is_prose(line) else None
        if not _is_running_line(line) or line_end < 0:
            return None
        pos = line_end
    return None


def _cut_at(text: str, start: int) -> int | None:
    """Where the first half ends of a sentence a page break cut before ``start``: the end
    of the last line before it that is not the page's furniture, when it ends in a word
    or a comma."""
    pos = start
    for _ in range(MAX_FURNITURE_LINES + 1):
        prev = len(text[:pos].rstrip())
        if prev == 0:
            return None
        line = text[text.rfind("\n", 0, prev) + 1 : prev]
        if _BROKEN_END.search(line) and _is_prose(line):
            between = _lines_between(text, prev, start)
            ok = between is not None and all(_is_running_line(x) for x in between)
            return prev if ok else None
        if not _is_running_line(line):
            return None
        pos = text.rfind("\n", 0, prev) + 1
    return None


def across_page_break(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The pieces of the whole sentence ``text[start:end]`` is part of when a page break
    splits it, so that no quote shows half a sentence: one piece (``start``/``end``
    widened) when only blank lines lie between the halves, one per half when the page's
    running header does; ``[(start, end)]`` otherwise. Never into a table row or a list
    item: a cell or a bullet starts anew."""
    pieces = [(start, end)]
    if start < len(text) and text[start].islower():
        cut = _cut_at(text, start)
        if cut is not None:
            para_start = text.rfind("\n", 0, cut) + 1
            starts = [m.end() for m in _SENTENCE_START.finditer(text[para_start:cut])]
            first = para_start + (starts[-1] if starts else 0)
            pieces.insert(0, (first, cut))
    last_end = pieces[-1][1]
    if last_end > 0 and (text[last_end - 1].islower() or text[last_end - 1] == ","):
        nxt = _goes_on_at(text, last_end)
        if nxt is not None:
            line_end = text.find("\n", nxt)
            line = text[nxt : len(text) if line_end < 0 else line_end]
            stop = _SENTENCE_END.search(line)
            pieces.append((nxt, nxt + (stop.end() if stop else len(line))))
    # A span that already runs over the page break (a finding's) leaves out the header.
    pieces = [inner for a, b in pieces for inner in _without_furniture(text, a, b)]
    # Halves with only blank lines between are one piece.
    out = [pieces[0]]
    for a, b in pieces[1:]:
        if not text[out[-1][1] : a].strip():
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def _without_furniture(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``text[start:end]`` in pieces around each page's running header inside it that
    splits a sentence."""
    out: list[tuple[int, int]] = []
    at = start
    for gap in _BLANK.finditer(text, start, end):
        cut = len(text[: gap.start()].rstrip())
        if cut <= at or not _BROKEN_END.search(text[text.rfind("\n", 0, cut) + 1 : cut]):
            continue
        nxt = _goes_on_at(text, cut)
        if nxt is not None and nxt < end and text[cut:nxt].strip():
            out.append((at, cut))
            at = nxt
    out.append((at, end))
    return out


# A sentence's examples written after its full stop as a fragment of it: "Det finns flertal
# riskområden att beakta … faller ut. Exempelvis avseende informationssäkerhet,
# arbetsmiljö …", "… lämnar några förtydliganden och medskick. Bland annat att arbetet …".
_EXAMPLES = re.compile(
    r"(?:Exempelvis|Bland\s+annat|Till\s+exempel|Däribland|Framför\s+allt|Främst)\s+"
    r"([^\W\d_]+)"
)
# Verbs a second word can be that a lemma table does not read as one (and "så", which
# puts the verb third: "Bland annat så ingår moment för riskanalyser").
_FINITE = frozenset(
    ["så", "ska", "skall", "måste", "får", "fick", "blir", "blev", "sker", "skedde"]
)


def with_examples(text: str, spans: list[Span], is_verb: Callable[[str], bool]) -> list[Span]:
    """``spans`` with a sentence joined to the examples that follow it on its line as a
    fragment without a verb of its own ("Exempelvis avseende informationssäkerhet …"):
    alone the fragment says nothing, and the sentence without it lacks its items.
    "Exempelvis sker uppföljningar …" (a verb second, ``is_verb`` or a passive in -s) is
    a sentence of its own."""
    out: list[Span] = []
    for span in spans:
        m = _EXAMPLES.match(span.text)
        word = m.group(1).casefold() if m else ""
        fragment = bool(word) and not (
            word in _FINITE or (word.endswith("s") and len(word) > 3) or is_verb(word)
        )
        if out and fragment and "\n" not in text[out[-1].end : span.start]:
            prev = out[-1]
            out[-1] = Span(prev.start, span.end, text[prev.start : span.end])
        else:
            out.append(span)
    return out


# A control objective's verdict, opening a table cell or alone on its line as such a cell
# comes out of a PDF ("Delvis uppfyllt", "Ej uppfyllt"); the findings read verdict rows
# with it too.
VERDICT_CELL = re.compile(
    r"^(?P<v>(?:(?:delvis|inte|ej|nästan/delvis|nästan)\s+)?uppfyll[td])\b\.?",
    re.IGNORECASE,
)


def with_verdicts(text: str, spans: list[Span]) -> list[Span]:
    """``spans`` with a line holding only a verdict joined to the sentence before it, when
    only blank lines part them: "Chefer med ansvar för verksamhetsutveckling har
    tillräcklig kompetens …" above "Delvis uppfyllt" is judged by it."""
    out: list[Span] = []
    for span in spans:
        prev = out[-1] if out else None
        if (
            prev is not None
            and _is_verdict(span.text)
            and not text[prev.end : span.start].strip()
            and "\n" in text[prev.end : span.start]
            and not _is_verdict(prev.text)
        ):
            out[-1] = Span(prev.start, span.end, text[prev.start : span.end])
        else:
            out.append(span)
    return out


def _is_verdict(text: str) -> bool:
    m = VERDICT_CELL.match(text.strip())
    return m is not None and m.end() == len(text.strip())


_NOTE = re.compile(rf"\s*([{SUPERSCRIPTS}]+)\s*(?=\S)")


def footnote_anchor(note: str, passage: str) -> str:
    """The sentence of ``passage`` a footnote is attached to, or "" when ``note`` is no
    footnote (it opens with its superscript mark) or the passage has no sentence carrying
    that mark. "³ Beslutad av kommunstyrelsen 2022-03-15" dates "Kommunstyrelsen har en
    beslutad plan för digitalisering³ …": the note is read with it."""
    m = _NOTE.match(note)
    if m is None:
        return ""
    mark = re.compile(rf"(?<=[^\s{SUPERSCRIPTS}]){m.group(1)}(?![{SUPERSCRIPTS}])")
    return next(
        (s.text for s in split_sentences(passage) if s.text != note and mark.search(s.text)),
        "",
    )


_ITEM_GAP = re.compile(r"\s*\n\s*(?:[-*•–·]|\d{1,2}[.)])\s+")


def with_lists(text: str, spans: list[Span], max_words: int) -> list[Span]:
    """``spans`` with each lead-in ("… rekommenderar vi kommunstyrelsen:") extended over
    the bulleted list that follows it, up to ``max_words`` words but always with its first
    item: the lead-in alone says nothing. The items stay in the list on their own too."""
    out: list[Span] = []
    for i, span in enumerate(spans):
        last = i
        # "… fyra insatsområden vilka är;" leads in a list as a colon does.
        if span.text.endswith((":", ";")):
            words = len(span.text.split())
            for j in range(i + 1, len(spans)):
                gap = text[spans[j - 1].end : spans[j].start]
                item = _ITEM_GAP.fullmatch(gap) is not None
                nested = "\n" in gap and spans[j].text.endswith(":")
                if not (item or nested) and ("\n" in gap or last == i):
                    break
                words += len(spans[j].text.split())
                if words > max_words and last > i:
                    break
                last = j
        end = spans[last].end
        out.append(Span(span.start, end, text[span.start : end]) if last > i else span)
    return out


def normalize_space(text: str) -> str:
    """Internal whitespace (line breaks, tabs, runs of spaces) as single spaces."""
    return _WS.sub(" ", text).strip()


def is_mostly_markup(text: str) -> bool:
    """True for spans that are mostly tags, symbols or numbers rather than prose. Dates and
    case numbers are prose's own ("Beslutad av kommunstyrelsen 2022-03-15 (KSKF/2021:336)")
    and are not counted."""
    stripped = _TAG.sub("", text)
    if not stripped.strip():
        return True
    letters = len(_LETTER.findall(stripped))
    length = len(_DATED.sub("", text))
    return letters / max(length, 1) < 0.55 or text.lstrip().startswith(("|", "<", "#"))


# An ISO date, or a case number ("KSKF/2021:336", "KS 2021/123").
_DATED = re.compile(r"\b(?:19|20)\d\d-\d\d-\d\d\b|\b[A-ZÅÄÖ]{2,}[ /-]?\d{4}[/:]\d+\b")


# Swedish board names: "utbildningsnämnden", "kommunstyrelsens", coordinated forms kept
# whole ("vård- och omsorgsnämnden") and adjective forms ("tekniska nämnden").
BOARD = re.compile(
    r"(?<![\w-])("
    r"(?:[^\W\d_]+-\s+(?:och|samt)\s+)?[^\W\d_]+(?:nämnd(?:en|ens|s)?|styrelse(?:n|ns|s)?)"
    r"|[^\W\d_]+(?:iska|ala)\s+nämnden?s?"
    r"|[^\W\d_]+bolaget?s?"
    r")(?![\w-])",
    re.IGNORECASE,
)
# Generic words that end like a board but name none.
_GENITIVES = (
    ("nämndens", "nämnden"),
    ("styrelsens", "styrelsen"),
    ("bolagets", "bolaget"),
    ("nämnds", "nämnd"),
    ("styrelses", "styrelse"),
)
_NOTBOARDS = frozenset({"bolag", "bolaget", "bolagets", "dotterbolag", "dotterbolaget"})


def canonical_board(name: str) -> str:
    """ "vård- och omsorgsnämndens" → "Vård- och omsorgsnämnden" (definite, capitalised)."""
    name = normalize_space(name)
    low = name.casefold()
    for suffix, definite in _GENITIVES:
        if low.endswith(suffix):
            name = name[: len(name) - len(suffix)] + definite
            break
    if name.casefold().endswith("nämnd"):
        name += "en"
    elif name.casefold().endswith("styrelse"):
        name += "n"
    return name[:1].upper() + name[1:]


def find_boards(text: str) -> list[str]:
    """Names of boards (nämnder, styrelser, bolag) mentioned in ``text``, in order, once each."""
    found: dict[str, str] = {}
    for m in BOARD.finditer(text):
        if m.group(1).casefold() in _NOTBOARDS:
            continue
        name = canonical_board(m.group(1))
        found.setdefault(name.casefold(), name)
    return list(found.values())


# Words that carry no topic: Swedish and English function and question words.
STOPWORDS = word_set(
    "och i att det som en på är av för med till den har de inte om ett vi var men så "
    "vara kan ska skall finns fanns sig från eller detta dessa deras där när hur vad vilka "
    "vilken vilket varför vem då också även samt under efter mot genom utan alla andra "
    "många mycket sin sina sitt hos år enligt dock nu redan ut upp bara något några "
    "blir blev bli görs gjort gör göra får fått få säger sägs står kommun kommunen kommuner "
    "kommunens kommunerna granskningen granskning rapporten revisorerna hade ha haft "
    "inga ingen inget revision revisionen fick gav jämför jämfört jämföra "
    # Pronouns, modal verbs and adverbs that say nothing of the topic ("för att kunna
    # prioritera mellan dem", "och därför beställt").
    "dem denna denne kunna kunde skulle mellan inom vid över hos åt sådan sådana samma "
    "själv varje dels därför därmed således alltså faktiskt respektive hänvisar hänvisas "
    # "våren" (the spring, as in "under våren 2022") stems to "vår", the "our" of every
    # "Vår bedömning är att …".
    "vår vårt våra våren "
    # The reports as texts, and the light verb of "tar upp" (raises), "tar del av" (reads):
    # "Hur tar rapporterna upp informationssäkerhet?" asks about information security.
    "rapporterna granskningarna ta tar tas tog tagit "
    # "Vilka rekommendationer handlar om uppföljning?": what it is about, not a word of it
    # ("handl" would match every "handlingsplan").
    "handlar handlade "
    "uttryckligen uttryckligt explicit explicitly syn "
    # How a report speaks of the topic ("I vilka kommuner beskrivs ett intranät?").
    "beskriver beskrivs beskrevs beskrivits "
    # Verbs of opinion ask for a view, they are not its topic ("Vad ansåg revisorerna om …").
    "anser ansåg ansågs anses ansett tycker tyckte tyckt menar menade "
    # The generic pronoun and adverbs of time and degree ("innan man beslutar", "först",
    # "ännu inte", "mer pengar än tidigare"): as key terms they would also match inside
    # words ("först" in "förstudie", "man" in "mandat", "tid" in "tidplan"). ("Egna" stays:
    # "egna handlingsplaner" are not the council's.)
    "man först innan ännu mer mera tidigare sedan ofta alltid aldrig just "
    "the a an of to in on for and or is are was were be been has have had do does did what "
    "which who whose how why when where there this that these those with by from as at it "
    "its their they about any all some not no say says said according report audit "
    "municipality municipalities council compare compared comparing versus"
)
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_STEMMERS: dict[str, Stemmer.Stemmer] = {}


def _stemmer(lang: str) -> Stemmer.Stemmer:
    name = "english" if lang == "en" else "swedish"
    if name not in _STEMMERS:
        _STEMMERS[name] = Stemmer.Stemmer(name)
    return _STEMMERS[name]


def words(text: str) -> list[str]:
    """The words of ``text`` as written (letters and digits, case kept)."""
    return _TOKEN.findall(text)


def tokens(text: str) -> list[str]:
    return [t.casefold() for t in words(text)]


# "e-tjänster", "e-post", "e-arkiv": a one-letter first part makes a different word, and
# read apart only its head would be left ("tjänster", any service at all). A letter that
# ends a name ("Open-E-portalen") is that name's, not the head's first part.
_LETTER_COMPOUND = re.compile(
    r"(?<![^\W_])(?<![^\W_][-‐‑])([^\W\d_])[-‐‑]([^\W\d_]{3,})", re.UNICODE
)


def _joined(text: str) -> str:
    """``text`` with its one-letter compounds written as one word ("e-tjänster" ->
    "etjänster")."""
    return _LETTER_COMPOUND.sub(r"\1\2", text)


def key_terms(text: str, lang: str, exclude: frozenset[str] = frozenset()) -> list[str]:
    """Stemmed content words of a question, once each, without ``exclude`` (casefolded words
    such as municipality names) and without numbers."""
    stem = _stemmer(lang)
    terms: list[str] = []
    for word in tokens(_joined(text)):
        if word in STOPWORDS or word in exclude or word.isdigit() or len(word) < 3:
            continue
        if word.endswith("s") and word[:-1] in exclude:
            continue
        term = stem.stemWord(_without_e_acute_article(word) if lang != "en" else word)
        if lang != "en" and len(term) == 3 and word[3:].startswith("er"):
            # "intern(a)", "extern": read as a plural "-erna" they would stem to "int",
            # the start of every "intervju".
            term = word[:6]
        if len(term) >= 3 and term not in terms:
            terms.append(term)
    return terms


def matched_terms(terms: list[str], text: str, heads: bool = True, verbs: bool = False) -> set[str]:
    """The ``terms`` found in ``text``, also inside compounds ("mål" in "nämndmålen").
    With ``heads`` a compound term also matches its head word ("digitaliseringsarbete"
    in "arbetet"); without, a specific compound ("portföljstyrning") does not match a
    general word ("styrningen"). With ``verbs`` a verbal noun also matches its verb
    ("utvärdering" in "utvärderas", "bedömning" in "Kontrollmålet bedöms som uppfyllt"):
    enough to tell that a passage is on the question, too loose to choose sentences by."""
    words, stems = _words_and_stems(text)
    return {
        term
        for term in terms
        if _matches(term, words, stems, heads)
        or (verbs and (verb := _verb_of(term)) is not None and verb in stems)
    }


def heads_in_passage(terms: list[str], text: str, passage: str) -> set[str]:
    """The compound ``terms`` a sentence takes up again by their short head, when its
    passage names the whole compound: "Digitaliseringsfonden … Driftanslaget för fonden
    uppgår till 4 mnkr" speaks of the same fund. (Heads shorter than ``matched_terms``
    allows stay out of it elsewhere: "fond" alone could be any fund.)"""
    found = matched_terms(terms, text)
    rest = [t for t in terms if t not in found]
    if not rest:
        return found
    _, stems = _words_and_stems(text)
    named = matched_terms(rest, passage, heads=False)
    return found | {t for t in named if any(_head_of(t, s) for s in stems)}


def _head_of(term: str, stem: str) -> bool:
    """Whether ``stem`` is the head of the compound ``term``: its end, after a first part
    of four letters or more that ends in a joint ("handlings|plan", "IT-|strategi"), so
    that "ring" is no head of "digitalisering"."""
    first = term[: len(term) - len(stem)]
    return len(stem) >= 4 and len(first) >= 4 and term.endswith(stem) and first[-1] in "s-"


@lru_cache(maxsize=8192)
def _words_and_stems(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """The words of a text and their Swedish stems (cached: answers read the same
    findings and passages many times)."""
    words = set(tokens(text)) | set(tokens(_joined(text)))
    # The particle verb says what the noun says: "följs upp", "följer … upp" is
    # "uppföljning" ("Arbetet med digitalisering följs upp och utvärderas").
    if _FOLLOWS_UP.search(text):
        words.add("uppföljning")
    stem = _stemmer("sv")
    return frozenset(words), frozenset(stem.stemWord(_without_e_acute_article(w)) for w in words)


def _without_e_acute_article(word: str) -> str:
    """A word in "-é", "-i" or "-y" without its definite ending, which the Swedish stemmer
    keeps: "kommittén", "kommitténs" are "kommitté", "idén" is "idé", "strategin" and
    "digitaliseringsstrategins" are "strategi", "policyn" is "policy" (only endings of
    such nouns: "tillsyn" and "maskin" stay)."""
    m = _VOWEL_ARTICLE.search(word)
    return word[: m.start("article")] if m else word


# The definite "-n"/"-ns" after a noun's final vowel: "-é", "-logi", "-strategi", "-ekonomi",
# "-demokrati", "-filosofi", "-terapi", "-energi", "-kategori", "-policy".
_VOWEL_ARTICLE = re.compile(r"(?:é|(?:log|teg|nom|krat|sof|rap|erg|gor)i|cy)(?P<article>ns?)$")


_FOLLOWS_UP = re.compile(r"\bfölj(?:a|er|s|de|des|t|ts)\s+(?:\w+\s+){0,2}?upp\b", re.IGNORECASE)


# What a word makes of a term it starts with, when it is another word: "målsatta mått" are
# measures given a target, not goals (a compound with the participle of "sätta",
# "målsatt", "prissatta", is an adjective), and a "digitaliseringsstrateg" (a person) is
# not in "digitaliseringsstrategin" (a strategy), nor "strateg" in "strategisk".
_SET_WITH = ("satt", "satta", "satts", "satte")
_LONGER_WORD = (("strateg", "i"),)


def _another_word(word: str, term: str) -> bool:
    """Whether ``word``'s letters after ``term`` make another word of it."""
    rest = word[word.find(term) + len(term) :]
    return rest in _SET_WITH or any(
        term.endswith(end) and rest.startswith(more) for end, more in _LONGER_WORD
    )


# A verb's particle asked ("ta fram", "draw up") is the word itself or the start of the
# verb's noun and participle ("framtagandet", "framtagen"), not of other words
# ("framgår", "framkommer", "framtid").
PARTICLES: dict[str, tuple[str, ...]] = {
    "fram": ("framtag",),
    "bort": ("borttag",),
    "ned": ("nedläg", "nedlag"),
    "ner": ("nerläg", "nerlag"),
}


# The verb's stem of a verbal noun is at least this long ("bedöm", not "led" of "ledning").
MIN_VERB_STEM = 5


def _verb_of(term: str) -> str | None:
    """The verb's stem of a verbal noun in "-ing" ("utvärdering" → utvärder, "bedömning" →
    bedöm), or None."""
    if not term.endswith("ing"):
        return None
    verb = term[:-4] if term.endswith("ning") else term[:-3]
    return verb if len(verb) >= MIN_VERB_STEM else None


def _matches(
    term: str, words: AbstractSet[str], stems: AbstractSet[str], heads: bool = True
) -> bool:
    if term in PARTICLES:
        return term in words or any(w.startswith(PARTICLES[term]) for w in words)
    if term in stems:
        return True
    if len(term) >= 4 and any(term in w and not _another_word(w, term) for w in words):
        return True
    if len(term) == 3 and any(
        (w.startswith(term) and not _another_word(w, term)) or w.endswith(term) for w in words
    ):
        return True
    # A head of six letters or more stands for its compound, unless all that is left is
    # one letter: "etjänst" (e-tjänst) is not any "tjänst".
    return heads and any(
        len(s) >= 6 and len(term) - len(s) >= 2 and term.endswith(s) for s in stems
    )

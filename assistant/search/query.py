"""What a question asks for: its language, the municipalities and years it names, and
whether it wants a set or a comparison. Pure functions."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

MAX_QUERY_CHARS = 2000
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")
_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*", re.UNICODE)
_YEAR = re.compile(r"(?<!\d)(19[9]\d|20\d\d|2100)(?!\d)")

_SV = frozenset(
    [
        "och",
        "att",
        "det",
        "som",
        "en",
        "är",
        "av",
        "för",
        "på",
        "med",
        "har",
        "till",
        "inte",
        "den",
        "de",
        "om",
        "ett",
        "vi",
        "men",
        "var",
        "så",
        "kan",
        "vilka",
        "vilken",
        "vilket",
        "hur",
        "vad",
        "varför",
        "när",
        "finns",
        "saknar",
        "nämnd",
        "nämnder",
        "nämnden",
        "kommun",
        "kommunen",
        "kommuner",
        "kommunens",
        "också",
        "eller",
        "efter",
        "från",
        "vid",
        "under",
        "säger",
        "enligt",
    ]
)
_EN = frozenset(
    [
        "the",
        "and",
        "of",
        "to",
        "is",
        "are",
        "what",
        "which",
        "who",
        "how",
        "does",
        "do",
        "did",
        "in",
        "for",
        "on",
        "with",
        "a",
        "an",
        "that",
        "this",
        "have",
        "has",
        "there",
        "their",
        "about",
        "from",
        "by",
        "any",
        "lack",
        "boards",
        "board",
        "municipality",
        "municipalities",
        "why",
        "when",
        "where",
        "audit",
        "auditors",
        "say",
        "says",
        "said",
    ]
)
_SET_PATTERNS = [
    r"\bvilka\b",
    r"\bi vilka\b",
    r"\balla (nämnder|kommuner|förvaltningar|bolag)",
    r"\bvarje (nämnd|kommun)",
    r"\bjämför\w*",
    r"\bskillnad\w*",
    r"\blista\w*",
    r"\bwhich\b",
    r"\bcompar\w*",
    r"\bdifferen\w*",
    r"\blist\b",
    r"\ball (boards|municipalities|committees)",
    r"\beach (board|municipality)",
    r"\bacross\b",
    r"\beach of\b",
    r"\bvar och en\b",
    r"\balla fem\b",
    r"\ball five\b",
]
_SET = re.compile("|".join(_SET_PATTERNS), re.IGNORECASE)
_COMPARISON = re.compile(
    r"\bjämför\w*|\bskillnad\w*|\bcompar\w*|\bdifferen\w*|\bversus\b|\bvs\.?\b|\bmellan\b",
    re.IGNORECASE,
)
_ACROSS = re.compile(
    r"\b(kommuner(na)?|municipalit(y|ies)|granskningar(na)?|rapporter(na)?|reports|audits|"
    r"revisionsrapporter(na)?|alla fem|all five|each of the|var och en av)\b",
    re.IGNORECASE,
)
# "Botkyrkas", "Botkyrka kommun", and compounds such as "Botkyrkarapporten" or
# "Örebrogranskningen".
_MUNI_SUFFIX = (
    r"(?:s)?(?:(?:rapport|granskning|revision)\w*"
    r"|\s+(?:kommun(?:s|en|ens)?|stad(?:s|en)?|municipality))?"
)
_MUNI_PREFIX = r"(?:(?:i|in|för|from|från|hos|of|at)\s+)?"


@dataclass(frozen=True)
class QueryInfo:
    """What :func:`analyze_query` found in a question.

    Attributes:
        text: The question, control characters removed and length capped.
        search_text: What to search for: ``text`` without the municipality phrases that
            became filters ("i Huddinge", "Örebros", "Eskilstuna kommun"); the whole
            ``text`` when nothing else is left.
        lang: ``"sv"`` or ``"en"``.
        municipalities: Recognised municipalities, spelled as in the index.
        years: Years from 1990 to 2100 mentioned in the question.
        wants_set: A set or comparison question ("vilka nämnder", "which boards", "jämför").
        is_comparison: A comparison ("jämför", "skillnad", "compare").
        across_places: A set question about the municipalities or reports themselves
            ("vilka kommuner …", "which audits …") that names none of them.
    """

    text: str
    search_text: str
    lang: Literal["sv", "en"]
    municipalities: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    wants_set: bool = False
    is_comparison: bool = False
    across_places: bool = False


def clean_text(text: str) -> str:
    """Control characters out, whitespace folded, at most ``MAX_QUERY_CHARS`` characters."""
    text = _CONTROL.sub(" ", text)
    return " ".join(text.split())[:MAX_QUERY_CHARS]


def fold(text: str) -> str:
    """Case- and diacritics-insensitive form: "Örebro" -> "orebro"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# A quoted phrase: "…", ”…”, “…”, «…», or '…' between non-letters (not "Örebro's").
QUOTED = re.compile(r"[\"”“«»][^\"”“«»]*[\"”“«»]|(?<!\w)'[^']+'(?!\w)")


# A gloss in parentheses: "What audit criteria (revisionskriterier) did … use?".
GLOSSED = re.compile(r"\(([^()]{3,60})\)")


def detect_language(text: str) -> Literal["sv", "en"]:
    """Swedish unless the text reads as English (function words, no å/ä/ö).

    Letters å/ä/ö count only in lower-case words, so that a Swedish name in an English
    question ("Örebro's board") does not make it Swedish; quoted words count only when
    nothing else is left ("… personalised welfare ('individanpassad välfärd') first?" is
    English), and so do glosses in parentheses.
    """
    words = _WORD.findall(GLOSSED.sub(" ", QUOTED.sub(" ", text))) or _WORD.findall(text)
    if not words:
        return "sv"
    lowered = [w.casefold() for w in words]
    marked = sum(ch in "åäö" for w in words if not w[0].isupper() for ch in w)
    sv = sum(w in _SV for w in lowered) + 2 * marked
    en = sum(w in _EN for w in lowered)
    return "en" if en > sv else "sv"


def analyze_query(text: str, municipalities: Sequence[str]) -> QueryInfo:
    """Analyse ``text`` against the municipalities known to the index."""
    clean = clean_text(text)
    found: list[str] = []
    search = clean
    for name in sorted(municipalities, key=len, reverse=True):
        pattern = _municipality_pattern(name)
        if pattern.search(fold(search)):
            found.append(name)
            search = _remove_folded(search, pattern)
    search = " ".join(search.split())
    if not _WORD.search(search) or search.casefold() in {"vad", "what", "hur", "how"}:
        search = clean
    years = sorted({int(y) for y in _YEAR.findall(clean)})
    return QueryInfo(
        text=clean,
        search_text=search,
        lang=detect_language(clean),
        municipalities=sorted(found, key=lambda m: fold(clean).find(fold(m))),
        years=years,
        wants_set=bool(_SET.search(clean)) or len(found) > 1,
        is_comparison=bool(_COMPARISON.search(clean)),
        across_places=not found and bool(_SET.search(clean)) and bool(_ACROSS.search(clean)),
    )


def _municipality_pattern(name: str) -> re.Pattern[str]:
    base = re.sub(r"\s+(kommun|stad|municipality)$", "", fold(name).strip())
    stem = re.escape(base)
    return re.compile(rf"(?<![^\W_]){_MUNI_PREFIX}{stem}{_MUNI_SUFFIX}(?![^\W_])")


def _remove_folded(text: str, pattern: re.Pattern[str]) -> str:
    """Remove matches of a pattern written for folded text from the original text.

    Folding keeps length for Swedish letters (ö -> o), so offsets carry over; where they
    would not (rare ligatures), the text is returned unchanged.
    """
    folded = fold(text)
    if len(folded) != len(text):
        return text
    out, last = [], 0
    for m in pattern.finditer(folded):
        out.append(text[last : m.start()])
        last = m.end()
    out.append(text[last:])
    return " ".join("".join(out).split())

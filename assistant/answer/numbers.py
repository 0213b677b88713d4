"""Numbers of the kind a question asks for, in Swedish report text: amounts, shares,
dates and counts."""

from __future__ import annotations

import re

from assistant.answer.intent import NumberKind

_I = re.IGNORECASE
_MONTHS = r"januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december"
_NUMBER_WORDS = (
    r"två|tre|fyra|fem|sex|sju|åtta|nio|tio|elva|tolv|tretton|fjorton|femton|sexton|sjutton|"
    r"arton|nitton|tjugo|trettio|fyrtio|femtio|hundra|tusen|ett\s+par|ett\s+tiotal|dussin"
)
PATTERNS: dict[NumberKind, re.Pattern[str]] = {
    "amount": re.compile(
        r"\d[\d\s\u00a0.]*(?:,\d+)?\s*(?:kr\b|kronor|mnkr|mkr|tkr|msek|sek\b|miljon\w*|"
        r"miljard\w*|tusen\s+kronor)|\b(?:en|ett|två|tre|fyra|fem|tio)\s+miljon\w*\s+kronor",
        _I,
    ),
    "percent": re.compile(r"\d+(?:[,.]\d+)?\s*(?:%|procent)", _I),
    "date": re.compile(
        rf"\b(?:19|20)\d\d-\d\d(?:-\d\d)?\b|\b\d{{1,2}}\s+(?:{_MONTHS})(?:\s+(?:19|20)\d\d)?\b"
        rf"|\b(?:{_MONTHS})\s+(?:19|20)\d\d\b|\b(?:år(?:et)?\s+)?(?:19|20)\d\d\b"
        r"|\b(?:19|20)\d\d[–-](?:19|20)\d\d\b",
        _I,
    ),
    "count": re.compile(
        rf"(?<![\d-])\d+(?:[,.]\d+)?(?:\s*[–-]\s*\d+)?(?![\d-])|\b(?:{_NUMBER_WORDS})\b",
        _I,
    ),
}
_YEAR_ONLY = re.compile(r"^(?:19|20)\d\d$")


def has_number(text: str, kind: NumberKind) -> bool:
    """Whether ``text`` holds a number of ``kind``. A count is any number that is not only
    a year ("2021" does not count how many)."""
    pattern = PATTERNS[kind]
    for m in pattern.finditer(text):
        if kind == "count" and _YEAR_ONLY.match(m.group(0)):
            continue
        return True
    return False


# What counts as holding the asked number: "how much" may be answered by a share.
ACCEPTS: dict[NumberKind, tuple[NumberKind, ...]] = {
    "amount": ("amount", "percent"),
    "percent": ("percent",),
    "date": ("date",),
    "count": ("count",),
}


def answers_number(text: str, kind: NumberKind) -> bool:
    """Whether ``text`` holds a number that can answer a question asking for ``kind``."""
    return any(has_number(text, k) for k in ACCEPTS[kind])

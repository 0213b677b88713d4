"""Alternatives a question offers: "robots or artificial intelligence", "en förnyelse- eller
framtidsdirektör", "external funding, state grants or national projects".

A passage that speaks of one alternative answers the question as well as one that names
them all, but it holds only part of the question's key terms. This pure function gives
the question once per alternative, so that the share of key terms a passage holds can be
read against each.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.ingest.sentences import STOPWORDS

_WORD = re.compile(r"[^\W\d_][\w-]*")
_OR = re.compile(r"\s+(?:or|eller)\s+", re.IGNORECASE)
# Not a choice between things: "whether or not", "more or less", "mer eller mindre".
_FIXED = re.compile(
    r"\b(?:whether\s+or\s+not|more\s+or\s+less|mer\s+eller\s+mindre|or\s+not|eller\s+inte|"
    r"eller\s+ej|either|antingen)\b",
    re.IGNORECASE,
)
# A name ("Avesta", "Huddinge"), not an acronym ("IT"): names are compared, not offered.
_NAME = re.compile(r"^[A-ZÅÄÖ][a-zåäö]")
_MAX_OPTIONS = 4
# An indefinite article before an alternative ("en fond, en pott eller en gemensam
# portfölj", "a strategy or a plan") is no part of it. ("the X or the Y" names longer
# phrases than this reading knows.)
_ARTICLE = re.compile(r"(,\s+|\s(?:or|eller)\s+)(?:en|ett|a|an)\s+(?=[^\W\d_])", re.IGNORECASE)


def alternatives(question: str) -> list[str]:
    """``question`` once per alternative of its first "or" ("eller"), each with the other
    alternatives taken out; empty when it offers none.

    An alternative is one word before the conjunction and one or two after it (the second
    unless it is a function word: "robots or artificial intelligence as …"). Before it may
    stand a list, "A, B or C"; its items are as many words as the last one.
    """
    if _FIXED.search(question):
        return []
    question = _ARTICLE.sub(r"\1", question)
    conj = _OR.search(question)
    if conj is None:
        return []
    after = list(_WORD.finditer(question, conj.end()))[:2]
    if not after or after[0].start() != conj.end() or after[0].group(0).casefold() in STOPWORDS:
        # "or the social committee": a longer phrase than this reading knows.
        return []
    swedish = conj.group(0).strip().casefold() == "eller"
    # A Swedish noun phrase is one compound ("eller digitaliseringsarbetet organiseras").
    if len(after) == 2 and (
        swedish
        or after[1].group(0).casefold() in STOPWORDS
        or len(after[1].group(0)) < 3
        or question[after[0].end() : after[1].start()].strip()
    ):
        after = after[:1]
    right = (after[0].start(), after[-1].end())
    before = question[: conj.start()]
    segments = before.split(",")
    last = list(_WORD.finditer(segments[-1]))
    if not last:
        return []
    offset = len(before) - len(segments[-1])
    # "…, state grants or national projects": the whole short segment is the last item.
    width = len(last) if len(segments) > 1 and len(last) <= 2 else 1
    options = [(offset + last[-width].start(), offset + last[-1].end())]
    for index in range(len(segments) - 2, -1, -1):
        words = list(_WORD.finditer(segments[index]))
        start = sum(len(s) + 1 for s in segments[:index])
        if len(words) < width or not segments[index + 1].startswith(" "):
            break
        options.insert(0, (start + words[-width].start(), start + words[-1].end()))
        if len(words) > width:
            break
    options.append(right)
    texts = [question[a:b] for a, b in options]
    if any(_NAME.match(t) for t in texts) or len(options) > _MAX_OPTIONS:
        return []
    head, tail = question[: options[0][0]], question[right[1] :]
    return [f"{head}{text}{tail}" for text in texts]


def own_terms(option: list[str], options: Sequence[list[str]]) -> list[str]:
    """The key terms of one alternative that the others lack ("robot" of "robots or
    artificial intelligence"): a passage answers through this alternative only when it
    holds one of them."""
    shared = set.intersection(*(set(o) for o in options)) if options else set()
    return [t for t in option if t not in shared]

"""Line and word helpers shared by the finding extractors."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import Stemmer

from assistant.ingest.cleaning import clean_for_index
from assistant.ingest.sentences import STOPWORDS, tokens

_HEADING = re.compile(r"^\d{1,2}(?:\.\d{1,2}){0,4}\.?\s+\S")


@dataclass(frozen=True)
class Line:
    """A non-empty line of a document: ``text == document[start:end]`` (right-stripped)."""

    start: int
    end: int
    text: str


def lines_of(text: str) -> list[Line]:
    """The document's non-empty lines with their offsets."""
    out: list[Line] = []
    pos = 0
    for raw in text.split("\n"):
        stripped = raw.rstrip()
        if stripped.strip():
            out.append(Line(pos, pos + len(stripped), stripped))
        pos += len(raw) + 1
    return out


def is_heading_line(text: str) -> bool:
    """A numbered heading-like line ("4.2 Rekommendationer") that ends no sentence."""
    flat = text.strip()
    return bool(_HEADING.match(flat)) and not flat.endswith((".", ":"))


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("swedish")


def content_stems(text: str) -> frozenset[str]:
    """Stems of the content words of ``text``: what copies of a finding share."""
    stem = _stemmer()
    return frozenset(
        stem.stemWord(t)
        for t in tokens(text)
        if t not in STOPWORDS and len(t) > 2 and not t.isdigit()
    )


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


# A compound's head: "digitaliseringsstrateg" ends with "strateg" (at least this long).
_MIN_HEAD = 5


def copy_similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """Jaccard of two sentences' stems where a compound of one side counts as its head
    when only the head is on the other: the summary's "beslutad digitaliseringsstrategi"
    is a copy of the conclusions' "beslutad strategi"."""

    def heads(x: frozenset[str], other: frozenset[str]) -> frozenset[str]:
        out = set()
        for stem in x:
            found = stem not in other and _suffixes(stem) & other
            out.add(min(found) if found else stem)
        return frozenset(out)

    a2 = heads(a, b)
    return jaccard(a2, heads(b, a2))


@lru_cache(maxsize=16384)
def _suffixes(stem: str) -> frozenset[str]:
    """The ends of a stem that could be its head: at least ``_MIN_HEAD`` letters, after a
    first part of at least three."""
    return frozenset(stem[i:] for i in range(3, len(stem) - _MIN_HEAD + 1))


def shown(text: str) -> str:
    """How a quoted span is shown: conversion leftovers (``**``, ``*x*``, ``<i>``,
    ``[text](#)``, footnote marks) out, table cells joined by " | ", whitespace folded.
    The words are the source's; the span's offsets still point at the exact text."""
    return " ".join(clean_for_index(text).split())

"""Join words that a PDF or a scan broke at a line end, using the document's own words.

Typesetting breaks "digitali-|seringen" with a soft hyphen and "e-|tjänsten" at its real
hyphen, and pdfium reports both with the same mark. Which one it was is decided by the
rest of the document: if "e-tjänsten" is written elsewhere the hyphen stays, if
"digitaliseringen" is, the two halves are joined. Narrow table cells also break long
words without any hyphen ("Samhäll|sbyggna|dsnämnden"); ``joins_unhyphenated`` mends
those from the same vocabulary.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable
from typing import Literal

# Marks that end a line inside a word: soft hyphen, pdfium's soft-hyphen code (0x02) and
# its text-API replacement (U+FFFE), the typographic hyphen U+2010 and the ASCII hyphen.
SOFT_MARKS = "\u00ad\ufffe\x02\u2010"
HARD_MARK = "-"
Kind = Literal["soft", "hard"]
# After these words a line-end hyphen belongs to a shortened compound ("vård- och omsorg").
_CONJUNCTIONS = frozenset({"och", "eller", "samt", "respektive", "resp", "liksom"})
_WORD = re.compile(r"[^\W_]+(?:[-\u2010][^\W_]+)*")
_EDGE = re.compile(r"^[^\w]+|[^\w]+$")


class Vocabulary:
    """Case-folded word counts of one document, with prefix look-ups."""

    def __init__(self, words: Iterable[str] = ()) -> None:
        self.counts: Counter[str] = Counter()
        for word in words:
            self.add(word)
        self._sorted: list[str] | None = None

    def add(self, text: str) -> None:
        for m in _WORD.finditer(text.replace("\u2010", "-")):
            self.counts[m.group(0).casefold()] += 1
        self._sorted = None

    def __getitem__(self, word: str) -> int:
        return self.counts.get(word.casefold(), 0)

    def has_prefix(self, prefix: str) -> bool:
        """Some word of the document starts with ``prefix`` (and is longer than it)."""
        key = prefix.casefold()
        words = self._words()
        i = bisect.bisect_right(words, key)
        return i < len(words) and words[i].startswith(key)

    def with_prefix(self, prefix: str) -> int:
        """How often words starting with ``prefix`` occur."""
        key = prefix.casefold()
        words = self._words()
        i = bisect.bisect_left(words, key)
        n = 0
        while i < len(words) and words[i].startswith(key):
            n += self.counts[words[i]]
            i += 1
        return n

    def _words(self) -> list[str]:
        if self._sorted is None:
            self._sorted = sorted(self.counts)
        return self._sorted


def _core(word: str) -> str:
    return _EDGE.sub("", word)


def join_hyphenated(left: str, right: str, kind: Kind, vocab: Vocabulary) -> str:
    """Join ``left`` (ending in a hyphen mark, the mark removed) and ``right`` (the first
    word of the next line): ``left + right``, ``left + "-" + right`` or, for a shortened
    compound, ``left + "- " + right``.

    Args:
        left: The fragment before the line break, without its hyphen mark.
        right: The word that starts the next line.
        kind: ``"soft"`` for a discretionary mark (soft hyphen, U+2010, a scan's hyphen),
            ``"hard"`` for an ASCII hyphen that the typesetter kept.
        vocab: The document's words, to decide between joining and keeping the hyphen.
    """
    whole, b = _core(left), _core(right)
    a = _core(whole.rsplit("-", 1)[-1])
    if not a or not b or not a[-1].isalpha():
        return f"{left}-{right}"
    if b.casefold() in _CONJUNCTIONS:
        return f"{left}- {right}"
    if not b[0].isalpha() or b[0].isupper():
        return f"{left}-{right}"
    joined, hyphened = vocab[whole + b], vocab[f"{whole}-{b}"]
    if not joined and not hyphened and whole != a:
        joined, hyphened = vocab[a + b], vocab[f"{a}-{b}"]
    if not joined and not hyphened:  # inflected forms: "utformat" by "utforma", "utformning"
        stem = b[: max(3, min(5, len(b) - 1))]
        joined, hyphened = vocab.with_prefix(a + stem), vocab.with_prefix(f"{a}-{stem}")
    if hyphened > joined:
        return f"{left}-{right}"
    if joined > hyphened:
        return f"{left}{right}"
    if len(a) <= 1 or a.isupper():  # "e-|tjänster", "IT-|enheten"
        return f"{left}-{right}"
    if kind == "hard" and (len(a) <= 3 or vocab[a] > 0):  # "sju-|åtta", not "stads-|miljö…"
        return f"{left}-{right}"
    return f"{left}{right}"


def joins_unhyphenated(left: str, right: str, vocab: Vocabulary) -> bool:
    """Whether a line break without a hyphen between ``left`` and ``right`` split a word.

    True only when ``left`` is not a word of the document on its own and ``left + right``
    is one (or begins one, for a word broken over more than two lines).
    """
    a, b = _core(left), _core(right)
    if not a or not b or not a[-1].isalpha() or not b[0].isalpha() or b[0].isupper():
        return False
    if vocab[a] > 0 or len(a) < 3:
        return False
    joined = a + b
    return vocab[joined] > 0 or (len(joined) >= 6 and vocab.has_prefix(joined))


MARK_END = (*SOFT_MARKS, HARD_MARK)


def clean_word(text: str, last: bool) -> str:
    """A word's text for output: soft-hyphen marks inside a word vanish, U+2010 becomes
    "-", and a mark at the end of a line is kept for ``join_marked``."""
    if last and text.endswith(MARK_END) and len(text) > 1:
        body, mark = text[:-1], text[-1]
    else:
        body, mark = text, ""
    body = body.replace("\u2010", "-").replace("\u2011", "-")
    for m in "\u00ad\ufffe\x02":
        body = body.replace(m, "")
    return body + mark


def join_marked(left: str, right: str, vocab: Vocabulary) -> str:
    """``left`` ends in a hyphen mark: join it with ``right`` as the document spells it."""
    mark = left[-1]
    head, _, fragment = left[:-1].rpartition(" ")
    kind: Literal["soft", "hard"] = "hard" if mark == HARD_MARK else "soft"
    if not fragment:  # "digitalise -" : a hyphen standing alone after a space
        before = head.rpartition(" ")[2]
        if before and right[:1].isalpha() and vocab[before + right] > 0:
            return f"{head.rpartition(' ')[0]} {before}{right}".lstrip()
        return f"{left} {right}"
    joined = join_hyphenated(fragment, right, kind, vocab)
    return f"{head} {joined}" if head else joined


def join_lone_hyphen(before: str, after: str, vocab: Vocabulary) -> str | None:
    """A hyphen set apart at a line end ("digitalise -|ring", "2018 -|2021"): the joined
    text when it breaks a word, ``None`` when it is a dash between words."""
    if not (before[-1:].isalpha() and after[:1].isalpha() and after[:1].islower()):
        return None
    return join_hyphenated(before, after, "soft", vocab)

"""Swedish word data from two packages, for the keyword analyzer (see ``bm25.py``).

- ``simplemma`` (MIT code; lemma tables from Wiktionary, SALDO-based lists and others):
  the dictionary form of a word, so that "nämnderna", "kommunstyrelsens" and "bedömer"
  also give "nämnd", "kommunstyrelse" and "bedöma", which the Snowball stemmer leaves apart
  (it cuts "revisor" to "revis" but "revisorerna" to "revisor").
- ``wordfreq`` (Apache-2.0 code; word frequencies under CC BY-SA 4.0): the common Swedish
  words, to split compounds whose parts the indexed texts never use on their own.

Both are loaded on first use (a second or two) and kept for the life of the process. The
data stays in the installed packages: nothing of it is copied into this repository, and an
index holds only the words of its own texts.
"""

from __future__ import annotations

import importlib.metadata
import math
from functools import lru_cache

from assistant.errors import ConfigError

LEMMA_PACKAGE = "simplemma"
WORDS_PACKAGE = "wordfreq"
# Parts of a compound split with wordfreq are words at least this common (Zipf scale:
# 3 = once per million words), so that rare fragments ("erna", "ande") are never parts.
PART_MIN_ZIPF = 3.0
# Words at least this common are words in their own right, not compounds to be split
# ("kostnader" is not "kost" + "nader"); the compounds worth splitting are rare.
WHOLE_MIN_ZIPF = 2.0
MIN_PART = 3
# Longer "words" are never looked up: no Swedish word is this long, and the lemma cache
# should not hold the junk of a damaged document.
MAX_WORD = 64


def package_version(name: str) -> str:
    """``name==version`` of an installed package, or a one-line error saying what to do."""
    try:
        return f"{name}=={importlib.metadata.version(name)}"
    except importlib.metadata.PackageNotFoundError:
        raise ConfigError(_missing(name)) from None


def _missing(name: str) -> str:
    setting = "GRANSKA_KEYWORD_LEMMAS" if name == LEMMA_PACKAGE else "GRANSKA_KEYWORD_COMPOUNDS"
    return (
        f"the keyword analyzer needs the '{name}' package; install it "
        f"('pip install {name}') or set {setting}=false and rebuild with 'granska index'"
    )


@lru_cache(maxsize=200_000)
def lemma(word: str) -> str:
    """The lower-case dictionary form of a lower-case Swedish word (the word itself when
    unknown)."""
    try:
        import simplemma
    except ImportError:
        raise ConfigError(_missing(LEMMA_PACKAGE)) from None
    # low_memory reads the packed table instead of unpacking it into a dict: the same
    # lemmas, ~15 MB and ~1 s to load instead of ~95 MB and ~2 s, ~35 us a word (cached).
    return simplemma.lemmatize(word, lang="sv", low_memory=True).casefold()


@lru_cache(maxsize=1)
def _zipf() -> dict[str, float]:
    try:
        import wordfreq
    except ImportError:
        raise ConfigError(_missing(WORDS_PACKAGE)) from None
    freqs = wordfreq.get_frequency_dict("sv", wordlist="large")
    floor = min(PART_MIN_ZIPF, WHOLE_MIN_ZIPF)
    return {w: z for w, f in freqs.items() if f > 0 and (z := math.log10(f) + 9) >= floor}


def part_words() -> frozenset[str]:
    """Common Swedish words that may be parts of a compound (letters only, 3+ long)."""
    return frozenset(
        w for w, z in _zipf().items() if z >= PART_MIN_ZIPF and len(w) >= MIN_PART and w.isalpha()
    )


def is_common(word: str) -> bool:
    """Whether ``word`` is a common word of its own (then it is not split by the lexicon)."""
    return _zipf().get(word, 0.0) >= WHOLE_MIN_ZIPF


def is_verb_form(word: str) -> bool:
    """Whether a lower-case Swedish word is a verb's inflected form: its lemma is the
    infinitive ("använder" → använda, "intervjuades" → intervjua, "finns" → finnas,
    "ingår" → ingå, "svarade" → svara), not the word itself. Plural nouns whose lemma ends
    in -a ("skolor" → skola) and adjectives ("digitala") are not verbs."""
    if not word.isalpha() or word.endswith("a") or (word.endswith("or") and len(word) > 4):
        return False
    base = lemma(word)
    return base != word and base.endswith(("a", "as", "å"))

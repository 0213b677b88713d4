"""Swedish-aware BM25: Snowball stems, stopwords and compound splitting, on bm25s.

Compounds are split against the vocabulary of the indexed texts, so that
"digitaliseringsstrategi" also yields "digitalisering" and "strategi" and meets
"strategi för digitalisering"; hyphenated words yield their parts and the joined form, so
"IT-kompetens", "IT kompetens" and "itkompetens" meet. The index keeps both the compound
and its parts.

Two options (``KeywordOptions``, settings ``keyword_lemmas`` and ``keyword_compounds``) add
Swedish word data from packages (see ``lexicons.py``): the stem of each word's lemma as an
extra term, and the parts of compounds the corpus vocabulary cannot split, found in a
list of common Swedish words. A built index records its options and the package versions
(``analyzer.json``) and is searched with them; the build treats a difference as stale.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import bm25s
import numpy as np
import Stemmer

from assistant.errors import IndexFolderError
from assistant.search import lexicons

_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*", re.UNICODE)
MAX_QUERY_TOKENS = 256
MIN_PART = 3
MIN_COMPOUND = 7
# Longer words are not split (and not learnt as parts), nor looked up in the lemma or
# common-word lists: splitting tries every prefix, so its cost grows with the square of the
# word length. No Swedish compound comes near this. The same bound as the word lists'.
MAX_COMPOUND = lexicons.MAX_WORD
LINKS = ("", "s", "e", "a", "u")


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    text = Path(__file__).with_name("stopwords.txt").read_text(encoding="utf-8")
    return frozenset(w for line in text.splitlines() for w in line.split("#", 1)[0].split() if w)


@dataclass(frozen=True)
class KeywordOptions:
    """Which Swedish word data the analyzer adds to its stems and corpus-vocabulary splits."""

    lemmas: bool = False
    compounds: bool = False

    def signature(self) -> dict[str, str | bool]:
        """What a build records: the options with the data they use (package version and
        thresholds), so that a changed option or upgraded package makes the index stale."""
        lemmas: str | bool = False
        compounds: str | bool = False
        if self.lemmas:
            lemmas = lexicons.package_version(lexicons.LEMMA_PACKAGE)
        if self.compounds:
            compounds = (
                f"{lexicons.package_version(lexicons.WORDS_PACKAGE)};"
                f"part>={lexicons.PART_MIN_ZIPF};whole<{lexicons.WHOLE_MIN_ZIPF}"
            )
        return {"lemmas": lemmas, "compounds": compounds}

    @classmethod
    def from_signature(cls, signature: object) -> KeywordOptions:
        """The options a recorded signature names (none for anything but a mapping)."""
        if not isinstance(signature, Mapping):
            return cls()
        return cls(lemmas=bool(signature.get("lemmas")), compounds=bool(signature.get("compounds")))


@lru_cache(maxsize=1)
def _lexicon_splitter() -> SwedishAnalyzer:
    return SwedishAnalyzer(lexicons.part_words() - stopwords())


class SwedishAnalyzer:
    """Text -> index terms. ``vocabulary`` (surface words of the corpus) drives splitting;
    ``options`` add lemmas and compound parts from Swedish word lists."""

    def __init__(
        self, vocabulary: Iterable[str] = (), options: KeywordOptions | None = None
    ) -> None:
        self.vocabulary = frozenset(vocabulary)
        self.options = options or KeywordOptions()
        self._stemmer = Stemmer.Stemmer("swedish")
        self._split_cache: dict[str, tuple[str, ...]] = {}

    @staticmethod
    def words(text: str) -> list[str]:
        """Lower-cased words; a hyphenated word gives its parts and its joined form."""
        out: list[str] = []
        for m in _WORD.finditer(text.casefold()):
            w = m.group(0)
            if "-" in w:
                parts = [p for p in w.split("-") if p]
                out.extend(parts)
                joined = "".join(parts)
                if len(parts) > 1 and len(joined) > 2:
                    out.append(joined)
            else:
                out.append(w)
        return out

    @classmethod
    def learn_vocabulary(cls, texts: Iterable[str], min_count: int = 1) -> frozenset[str]:
        counts = Counter(w for t in texts for w in cls.words(t))
        stop = stopwords()
        return frozenset(
            w
            for w, n in counts.items()
            if n >= min_count
            and MIN_PART <= len(w) <= MAX_COMPOUND
            and w not in stop
            and w.isalpha()
        )

    def split(self, word: str) -> tuple[str, ...]:
        """Known parts of a compound ("digitaliseringsstrategi" -> digitalisering, strategi).

        Words longer than ``MAX_COMPOUND`` letters stay whole, so the work per word is bounded
        and indexing time stays linear in the length of the text.
        """
        if not MIN_COMPOUND <= len(word) <= MAX_COMPOUND or not word.isalpha():
            return ()
        if word not in self._split_cache:
            self._split_cache[word] = self._split(word, depth=0) or ()
        return self._split_cache[word]

    def _split(self, word: str, depth: int) -> tuple[str, ...] | None:
        best: tuple[str, ...] | None = None
        for i in range(len(word) - MIN_PART, MIN_PART - 1, -1):
            head = word[:i]
            if not self._known_head(head):
                continue
            for link in LINKS:
                if not word.startswith(link, i):
                    continue
                tail = word[i + len(link) :]
                if len(tail) < MIN_PART + 1:
                    continue
                if tail in self.vocabulary:
                    return (head, tail)
                if depth < 1 and best is None:
                    rest = self._split(tail, depth + 1)
                    if rest:
                        best = (head, *rest)
        return best

    def _known_head(self, head: str) -> bool:
        """A first part as a word of its own, or with its final -e/-a dropped (arbet-s-)."""
        v = self.vocabulary
        return head in v or head + "e" in v or head + "a" in v

    def lexicon_split(self, word: str) -> tuple[str, ...]:
        """Parts of a rare compound that the corpus vocabulary cannot split, from the common
        Swedish words (option ``compounds``)."""
        if not self.options.compounds or not MIN_COMPOUND <= len(word) <= MAX_COMPOUND:
            return ()
        if self.split(word):
            return ()
        if not word.isalpha() or lexicons.is_common(word):
            return ()
        parts = _lexicon_splitter().split(word)
        # A last "part" that the stemmer cuts away entirely is an ending, not a word
        # ("nämnderna" is not "nämnd" + "erna", "strategierna" not "strategi" + "erna").
        if parts and len(self._stemmer.stemWord(word)) <= len(word) - len(parts[-1]):
            return ()
        return parts

    def lemma_stem(self, word: str) -> str | None:
        """The stem of the word's lemma (option ``lemmas``), or None for a stopword lemma."""
        if not self.options.lemmas or len(word) > MAX_COMPOUND or not word.isalpha():
            return None
        base = lexicons.lemma(word)
        return None if base in stopwords() else self._stemmer.stemWord(base)

    def terms(self, text: str) -> list[str]:
        stop = stopwords()
        out: list[str] = []
        for w in self.words(text):
            if w in stop or (len(w) < 2 and not w.isdigit()):
                continue
            stem = self._stemmer.stemWord(w)
            out.append(stem)
            for part in self.split(w) or self.lexicon_split(w):
                if part not in stop:
                    out.append(self._stemmer.stemWord(part))
            extra = self.lemma_stem(w)
            if extra and extra != stem:
                out.append(extra)
        return out


class BM25Index:
    """BM25 over analysed texts; rows are the positions of the texts given to ``build``."""

    def __init__(self, model: bm25s.BM25, analyzer: SwedishAnalyzer, n_docs: int) -> None:
        self.model = model
        self.analyzer = analyzer
        self.n_docs = n_docs

    @classmethod
    def build(cls, texts: Sequence[str], options: KeywordOptions | None = None) -> BM25Index:
        analyzer = SwedishAnalyzer(SwedishAnalyzer.learn_vocabulary(texts), options)
        model = bm25s.BM25(k1=1.2, b=0.75)
        model.index([analyzer.terms(t) for t in texts], show_progress=False)
        return cls(model, analyzer, len(texts))

    def search(
        self, query: str, k: int, allowed: np.ndarray | None = None
    ) -> list[tuple[int, float]]:
        """Rows with a positive score, best first; only ``allowed`` rows when a mask is given."""
        vocab = self.model.vocab_dict
        terms = [t for t in self.analyzer.terms(query[:10_000]) if t in vocab]
        terms = list(dict.fromkeys(terms))[:MAX_QUERY_TOKENS]
        if not terms or k < 1 or self.n_docs == 0:
            return []
        scores = np.asarray(self.model.get_scores(terms), dtype=np.float32)
        if allowed is not None:
            scores = np.where(allowed, scores, 0.0)
        positive = int(np.count_nonzero(scores > 0))
        k = min(k, positive)
        if k == 0:
            return []
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.lexsort((top, -scores[top]))]
        return [(int(i), float(scores[i])) for i in top]

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.model.save(str(folder), allow_pickle=False)
        meta = {
            "n_docs": self.n_docs,
            "vocabulary": sorted(self.analyzer.vocabulary),
            "keywords": self.analyzer.options.signature(),
        }
        (folder / ANALYZER_FILE).write_text(json.dumps(meta, ensure_ascii=False), "utf-8")

    @classmethod
    def load(cls, folder: Path) -> BM25Index:
        """Read an index written by ``save``; anything missing, damaged or unexpected in it
        (parameters that need another back end, ids out of range) is an IndexFolderError."""
        fix = f"{folder}: keyword index missing or damaged; run 'granska index' to rebuild"
        try:
            meta = _read_json(folder / ANALYZER_FILE)
            params = _read_json(folder / PARAMS_FILE)
            if not isinstance(meta, dict):
                raise IndexFolderError(fix)
            n_docs = int(meta["n_docs"])
            vocabulary = [str(w) for w in meta["vocabulary"]]
            options = KeywordOptions.from_signature(meta.get("keywords"))
            if not _expected_params(params, n_docs):
                raise IndexFolderError(fix)
            model = bm25s.BM25.load(str(folder), allow_pickle=False)
        except IndexFolderError:
            raise
        except Exception as e:  # bm25s raises what numpy and json raise, and ImportError
            raise IndexFolderError(fix) from e
        if not _valid_arrays(model, n_docs):
            raise IndexFolderError(fix)
        return cls(model, SwedishAnalyzer(vocabulary, options), n_docs)


PARAMS_FILE = "params.index.json"
ANALYZER_FILE = "analyzer.json"  # vocabulary, n_docs and the keyword options of a build
# What BM25Index.build writes (bm25s.BM25(k1=1.2, b=0.75) on numpy); 'version' may differ.
_PARAMS = {
    "k1": 1.2,
    "b": 0.75,
    "delta": 0.5,
    "method": "lucene",
    "idf_method": "lucene",
    "dtype": "float32",
    "int_dtype": "int32",
    "backend": "numpy",
}


def _expected_params(params: object, n_docs: int) -> bool:
    if not isinstance(params, dict) or set(params) - {*_PARAMS, "num_docs", "version"}:
        return False
    return params.get("num_docs") == n_docs and all(
        params.get(key, value) == value for key, value in _PARAMS.items()
    )


def _valid_arrays(model: bm25s.BM25, n_docs: int) -> bool:
    """The sparse score matrix is well formed: one column per vocabulary entry, document
    ids inside ``[0, n_docs)``, finite scores (else a search would fail or lie)."""
    scores = model.scores
    data, indices, indptr = scores["data"], scores["indices"], scores["indptr"]
    if not (data.ndim == indices.ndim == indptr.ndim == 1) or len(data) != len(indices):
        return False
    vocab = model.vocab_dict  # bm25s keeps "" in the vocabulary without a column
    if sorted(vocab.values()) != list(range(len(vocab))) or len(indptr) < 1:
        return False
    if any(token and tid >= len(indptr) - 1 for token, tid in vocab.items()):
        return False
    if len(indptr) and (indptr[0] != 0 or indptr[-1] != len(indices)):
        return False
    if len(indptr) > 1 and bool((np.diff(indptr) < 0).any()):
        return False
    if len(indices) and (int(indices.min()) < 0 or int(indices.max()) >= n_docs):
        return False
    return bool(np.isfinite(data).all()) and scores.get("num_docs") == n_docs


def keywords_record(meta: object) -> dict[str, object] | None:
    """The keyword options recorded under ``"keywords"`` in ``meta`` (an index folder's
    ``analyzer.json``, a database generation's stats), as ``KeywordOptions.signature``
    gives them. A record from before the options has none: both options off. None when
    ``meta`` is damaged (a build then treats the index as stale)."""
    if not isinstance(meta, Mapping):
        return None
    recorded = meta.get("keywords") or KeywordOptions().signature()
    return dict(recorded) if isinstance(recorded, Mapping) else None


def stored_keywords(folder: Path) -> dict[str, object] | None:
    """``keywords_record`` of the BM25 folder of a build (None when it cannot be read)."""
    try:
        meta = _read_json(folder / ANALYZER_FILE)
    except (OSError, ValueError):
        return None
    return keywords_record(meta)


def _read_json(path: Path) -> object:
    """The JSON in ``path``, a regular file (never through a link, never a device or
    pipe: a link to /dev/zero in a copied index folder must not read forever).

    Raises:
        OSError: Missing, a link, or not a regular file.
        ValueError: Not UTF-8 JSON.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    with open(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
            raise OSError(f"{path}: not a regular file")
        return json.loads(f.read().decode("utf-8"))

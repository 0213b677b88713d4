"""BM25 in SQL that ranks exactly as the index folder's ``BM25Index`` (bm25s, Lucene BM25).

The project's own analyzer (``SwedishAnalyzer``: Snowball stems, stopwords, compound
splitting against the corpus vocabulary) turns each chunk into terms at build time. A
chunk row stores its term frequencies as a pgvector ``sparsevec`` (index = term id + 1),
its length in terms and the list of its term ids (a GIN index over it is the inverted
index that finds the candidate rows); ``g<N>_terms`` holds every term's document
frequency and idf. A query is analysed here; SQL reads each query term's frequency in a
row as the inner product with a one-hot sparsevec and sums, in the query's term order,

    float32( float32(idf) * tf / (tf + k1 * (1 - b + b * len / avglen)) )

in single precision: the same numbers in the same order as bm25s, so scores are equal
bit for bit. Rows are ordered by score, then row; where several rows tie at the k-th
place, ``BM25Index`` keeps the ones numpy's ``argpartition`` leaves, which need not be
the lowest rows, so only such boundary ties may differ.

Common terms have long postings. Above ``PRUNE_ABOVE`` postings the rarest terms are
scored first; the k-th of those scores is a bound, and only rows that hold a term able to
reach it are scored (a term adds less than its idf) — the same result as scoring all.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from assistant.search.bm25 import KeywordOptions, SwedishAnalyzer

K1 = 1.2
B = 0.75
# pgvector's limit on the non-zero entries of one sparsevec.
MAX_TERMS_PER_CHUNK = 16_000


@dataclass
class KeywordData:
    """What a generation stores for keyword search, row by row and term by term."""

    vocabulary: frozenset[str]
    terms: list[str]  # term id -> term
    df: list[int]
    idf: np.ndarray  # float32, like bm25s
    doc_len: list[int]
    tf: list[dict[int, int]]  # per row: term id -> frequency
    avgdl: float

    @property
    def dim(self) -> int:
        return max(1, len(self.terms))


def analyze_texts(texts: Sequence[str], options: KeywordOptions | None = None) -> KeywordData:
    """Analyse the chunks' index texts as ``BM25Index.build`` does."""
    vocabulary = SwedishAnalyzer.learn_vocabulary(texts)
    analyzer = SwedishAnalyzer(vocabulary, options)
    ids: dict[str, int] = {}
    tf: list[dict[int, int]] = []
    doc_len: list[int] = []
    for row, text in enumerate(texts):
        terms = analyzer.terms(text)
        counts = Counter(ids.setdefault(t, len(ids)) for t in terms)
        if len(counts) > MAX_TERMS_PER_CHUNK:
            raise ValueError(f"chunk row {row} has {len(counts)} distinct terms")
        tf.append(dict(counts))
        doc_len.append(len(terms))
    df = [0] * len(ids)
    for row_tf in tf:
        for i in row_tf:
            df[i] += 1
    n = len(texts)
    idf = np.array([math.log(1 + (n - d + 0.5) / (d + 0.5)) for d in df], dtype=np.float32)
    avgdl = float(np.array(doc_len).mean()) if doc_len else 0.0
    return KeywordData(vocabulary, list(ids), df, idf, doc_len, tf, avgdl)


def sparse_literal(counts: dict[int, int], dim: int) -> str:
    """pgvector's text form of a sparsevec: ``{index:value,...}/dim`` with 1-based indices."""
    body = ",".join(f"{i + 1}:{v}" for i, v in sorted(counts.items()))
    return f"{{{body}}}/{dim}"


def query_terms(analyzer: SwedishAnalyzer, query: str) -> list[str]:
    """The query's terms in order, each once (unknown terms are dropped in SQL, then the
    first ``MAX_QUERY_TOKENS`` are kept, as ``BM25Index.search`` does)."""
    return list(dict.fromkeys(analyzer.terms(query[:10_000])))


# Exhaustive scoring up to this many postings; above it, the rarest terms first bound the
# k-th score, and only rows that contain a term that can reach it are scored (MaxScore).
PRUNE_ABOVE = 20_000
PILOT_POSTINGS = 5_000
# Scores add float32 numbers: bounds keep this relative margin for their rounding.
MARGIN = 1e-4


@dataclass(frozen=True)
class QueryTerm:
    term: str
    id: int
    idf: float
    df: int


def pilot_terms(terms: Sequence[QueryTerm], budget: int | None = None) -> list[QueryTerm]:
    """The rarest terms whose postings together stay within ``budget`` (default
    ``PILOT_POSTINGS``; at least one term)."""
    budget = PILOT_POSTINGS if budget is None else budget
    out: list[QueryTerm] = []
    total = 0
    for t in sorted(terms, key=lambda t: (-t.idf, t.id)):
        if out and total + t.df > budget:
            break
        out.append(t)
        total += t.df
    return out


def essential_terms(terms: Sequence[QueryTerm], threshold: float) -> list[QueryTerm]:
    """The terms a row must hold to score ``threshold`` or more.

    A term adds less than its idf to a score (``tf / (tf + norm) < 1``), so a row that
    holds only the commonest terms, whose idfs sum below ``threshold``, scores below it.
    """
    ordered = sorted(terms, key=lambda t: (t.idf, -t.id))
    rest = 0.0
    cut = 0
    for i, t in enumerate(ordered):
        if (rest + t.idf) * (1 + MARGIN) < threshold:
            rest += t.idf
            cut = i + 1
        else:
            break
    return ordered[cut:]


def one_hot(term_id: int, dim: int) -> str:
    """A sparsevec with 1 at ``term_id``: its inner product with a row's term frequencies
    is that term's frequency in the row (0 when absent)."""
    return f"{{{term_id + 1}:1}}/{dim}"


def keyword_sql(chunks: Any, where: Any, n_terms: int) -> Any:
    """The ranking query for ``n_terms`` known query terms, in query order.

    Parameters: ``one0..`` (one-hot sparsevecs), ``idf0..`` (float4), ``ids`` (int[]),
    ``avgdl``, ``k1``, ``b``, ``k`` and the filter's. The score is written out as a
    left-to-right sum of single-precision terms, so it adds the same float32 numbers in the
    same order as bm25s (an absent term adds exactly 0); no per-row subquery or sort.
    """
    from psycopg import sql

    # Each term frequency and the length norm once per row (OFFSET 0 keeps the planner
    # from copying the expressions into every use).
    columns = [
        sql.SQL("(%(k1)s * ((1 - %(b)s) + %(b)s * c.doc_len / %(avgdl)s)) AS norm"),
        *(
            sql.SQL("(-(c.terms <#> {}::sparsevec)) AS {}").format(
                sql.Placeholder(f"one{j}"), sql.Identifier(f"tf{j}")
            )
            for j in range(n_terms)
        ),
    ]
    score = sql.SQL(" + ").join(
        sql.SQL("(({idf}::float8 * (x.{tf} / (x.norm + x.{tf})))::real)").format(
            idf=sql.Placeholder(f"idf{j}"), tf=sql.Identifier(f"tf{j}")
        )
        for j in range(n_terms)
    )
    return sql.SQL(
        "SELECT c.row, {score} AS score FROM {chunks} c, "
        "LATERAL (SELECT {columns} OFFSET 0) x "
        "WHERE c.term_ids && %(ids)s::int4[] AND ({where}) "
        "ORDER BY score DESC, c.row LIMIT %(k)s"
    ).format(score=score, chunks=chunks, where=where, columns=sql.SQL(", ").join(columns))

"""Retrieval and answer metrics against gold quotes. Pure functions, no I/O.

Relevance is judged per *quote*, independently of chunking: a retrieved passage hits a
quote when

* its whitespace-normalised text contains the whitespace-normalised quote (in any
  document, so an identical copy of the text elsewhere counts), or
* it lies in the quote's document and its ``[start, end)`` span overlaps some occurrence
  of the quote by at least half that occurrence's length.

Ranking metrics take the hit sets of a ranked list (see :func:`hit_sets`) and the number
of quotes of the question. Unanswerable questions (no quotes) have no ranking metrics:
the functions return ``None`` and :func:`aggregate` leaves them out of the mean.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol, overload

from assistant.evaluation.questions import ResolvedQuestion, normalize_ws
from assistant.findings.register import board_stem

HIT_AT_1 = "hit@1"
MRR_AT_10 = "mrr@10"
NDCG_AT_10 = "ndcg@10"
CITATION_PRECISION = "citation_precision"
ANSWER_RECALL = "answer_recall"
ABSTENTION_ACCURACY = "abstention_accuracy"
FALSE_ABSTENTION = "false_abstention"
SET_RECALL = "set_recall"
WRONG_BOARDS = "wrong_boards"
DEFAULT_KS: tuple[int, ...] = (5, 10)

HitSets = Sequence[set[int]]


class Passage(Protocol):
    """Anything with a document name, a span and its text (e.g. a ``Chunk``)."""

    @property
    def doc(self) -> str: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def text(self) -> str: ...


@dataclass(frozen=True)
class SimplePassage:
    """A minimal :class:`Passage`."""

    doc: str
    start: int
    end: int
    text: str


def passage_hits(passage: Passage, question: ResolvedQuestion) -> set[int]:
    """Indices of the question's quotes that ``passage`` hits (see the module docstring)."""
    text = normalize_ws(passage.text)
    hits: set[int] = set()
    for i, (quote, norm, spans) in enumerate(
        zip(question.quotes, question.normalized_quotes, question.spans, strict=True)
    ):
        contains = bool(norm) and norm in text
        if contains or (passage.doc == quote.doc and _overlaps_half(passage, spans)):
            hits.add(i)
    return hits


def _overlaps_half(passage: Passage, spans: Sequence[tuple[int, int]]) -> bool:
    """True when ``passage`` covers at least half of some occurrence span."""
    return any(2 * (min(passage.end, e) - max(passage.start, s)) >= e - s for s, e in spans)


def hit_sets(question: ResolvedQuestion, ranking: Sequence[Passage]) -> list[set[int]]:
    """For each ranked passage, the set of quotes it hits."""
    return [passage_hits(p, question) for p in ranking]


def recall_name(k: int) -> str:
    return f"recall@{k}"


def full_name(k: int) -> str:
    return f"full@{k}"


# --- ranking metrics -------------------------------------------------------------------


def hit_at_1(hits: HitSets, n_quotes: int) -> float | None:
    """1.0 when the first passage hits any quote, else 0.0."""
    if n_quotes == 0:
        return None
    return 1.0 if hits and hits[0] else 0.0


def recall_at_k(hits: HitSets, n_quotes: int, k: int) -> float | None:
    """Share of the question's quotes hit by at least one of the top ``k`` passages."""
    if n_quotes == 0:
        return None
    return len(_covered(hits[:k])) / n_quotes


def full_at_k(hits: HitSets, n_quotes: int, k: int) -> float | None:
    """1.0 when every quote is hit within the top ``k`` passages, else 0.0."""
    if n_quotes == 0:
        return None
    return 1.0 if len(_covered(hits[:k])) == n_quotes else 0.0


def mrr_at_k(hits: HitSets, n_quotes: int, k: int = 10) -> float | None:
    """Reciprocal rank of the first passage (within the top ``k``) that hits any quote.

    0.0 when none of the top ``k`` hits. Averaged over questions this is MRR@k.
    """
    if n_quotes == 0:
        return None
    for rank, h in enumerate(hits[:k], start=1):
        if h:
            return 1.0 / rank
    return 0.0


def ndcg_at_k(hits: HitSets, n_quotes: int, k: int = 10) -> float | None:
    """nDCG@k with binary gains that reward only new evidence.

    The passage at rank ``r`` (1-based) has gain 1 when it hits at least one quote not hit
    by an earlier passage, else 0, so several passages on the same quote count once.
    ``DCG = sum(gain_r / log2(r + 1))`` over the top ``k``; the ideal DCG puts
    ``min(n_quotes, k)`` relevant passages at the top. Note that one passage covering
    several quotes earns a single gain, so such a ranking can score below 1.0.
    """
    if n_quotes == 0:
        return None
    seen: set[int] = set()
    dcg = 0.0
    for rank, h in enumerate(hits[:k], start=1):
        if h - seen:
            dcg += 1.0 / math.log2(rank + 1)
        seen |= h
    ideal = sum(1.0 / math.log2(rank + 1) for rank in range(1, min(n_quotes, k) + 1))
    return dcg / ideal


def _covered(hits: Iterable[set[int]]) -> set[int]:
    out: set[int] = set()
    for h in hits:
        out |= h
    return out


# --- per-question records and aggregation -----------------------------------------------


@dataclass
class QuestionMetrics:
    """Metric values of one question; a ``None`` value means "not applicable".

    Attributes:
        id: Question id.
        lang: Question language.
        kind: Question kind.
        values: Metric name (``"hit@1"``, ``"recall@5"``, ...) -> value or ``None``.
    """

    id: str
    lang: str
    kind: str
    values: dict[str, float | None] = field(default_factory=dict)

    def merged(self, other: QuestionMetrics) -> QuestionMetrics:
        """A copy with ``other``'s values added (same question)."""
        if other.id != self.id:
            raise ValueError(f"cannot merge metrics of {self.id} and {other.id}")
        return QuestionMetrics(self.id, self.lang, self.kind, {**self.values, **other.values})


def ranking_metrics(
    question: ResolvedQuestion,
    ranking: Sequence[Passage],
    ks: Sequence[int] = DEFAULT_KS,
) -> QuestionMetrics:
    """hit@1, recall@k and full@k for each ``k`` in ``ks``, MRR@10 and nDCG@10."""
    hits = hit_sets(question, ranking)
    n = len(question.quotes)
    values: dict[str, float | None] = {HIT_AT_1: hit_at_1(hits, n)}
    for k in ks:
        values[recall_name(k)] = recall_at_k(hits, n, k)
    for k in ks:
        values[full_name(k)] = full_at_k(hits, n, k)
    values[MRR_AT_10] = mrr_at_k(hits, n, 10)
    values[NDCG_AT_10] = ndcg_at_k(hits, n, 10)
    return QuestionMetrics(question.id, question.lang, question.kind, values)


@overload
def aggregate(per_question: Sequence[QuestionMetrics], by: None = None) -> dict[str, float]: ...
@overload
def aggregate(
    per_question: Sequence[QuestionMetrics], by: Callable[[QuestionMetrics], str]
) -> dict[str, dict[str, float]]: ...
def aggregate(
    per_question: Sequence[QuestionMetrics],
    by: Callable[[QuestionMetrics], str] | None = None,
) -> dict[str, float] | dict[str, dict[str, float]]:
    """Mean of each metric over the questions where it is not ``None``.

    Args:
        per_question: One record per question.
        by: Optional grouping key (e.g. ``lambda m: m.lang``).

    Returns:
        Without ``by``: metric name -> mean, in first-seen metric order; a metric that no
        question has is left out. With ``by``: group key (sorted) -> such a dict.
    """
    if by is None:
        return _means(per_question)
    groups: dict[str, list[QuestionMetrics]] = {}
    for m in per_question:
        groups.setdefault(by(m), []).append(m)
    return {key: _means(groups[key]) for key in sorted(groups)}


def overall(per_question: Sequence[QuestionMetrics]) -> dict[str, float]:
    return aggregate(per_question)


def per_lang(per_question: Sequence[QuestionMetrics]) -> dict[str, dict[str, float]]:
    return aggregate(per_question, lambda m: m.lang)


def per_kind(per_question: Sequence[QuestionMetrics]) -> dict[str, dict[str, float]]:
    return aggregate(per_question, lambda m: m.kind)


def _means(per_question: Sequence[QuestionMetrics]) -> dict[str, float]:
    sums: dict[str, float] = {}
    counts: dict[str, int] = {}
    for m in per_question:
        for name, value in m.values.items():
            sums.setdefault(name, 0.0)
            counts.setdefault(name, 0)
            if value is not None:
                sums[name] += value
                counts[name] += 1
    return {name: sums[name] / counts[name] for name in sums if counts[name]}


# --- answer metrics ----------------------------------------------------------------------


def citation_precision(question: ResolvedQuestion, cited: Sequence[Passage]) -> float | None:
    """Share of cited passages that hit any quote.

    ``None`` for an unanswerable question and for an answer without citations (precision
    is undefined; abstention is measured separately).
    """
    if not question.answerable or not cited:
        return None
    return sum(1 for p in cited if passage_hits(p, question)) / len(cited)


def answer_recall(question: ResolvedQuestion, cited: Sequence[Passage]) -> float | None:
    """Share of the question's quotes hit by at least one cited passage.

    ``None`` for an unanswerable question; 0.0 for an answer without citations.
    """
    if not question.answerable:
        return None
    return len(_covered(hit_sets(question, cited))) / len(question.quotes)


def abstention_correct(question: ResolvedQuestion, abstained: bool) -> float | None:
    """On an unanswerable question: 1.0 when the assistant abstained, else 0.0.

    ``None`` on answerable questions. Its mean is the abstention accuracy.
    """
    if question.answerable:
        return None
    return 1.0 if abstained else 0.0


def false_abstention(question: ResolvedQuestion, abstained: bool) -> float | None:
    """On an answerable question: 1.0 when the assistant abstained, else 0.0.

    ``None`` on unanswerable questions. Its mean is the false-abstention rate.
    """
    if not question.answerable:
        return None
    return 1.0 if abstained else 0.0


def abstention_accuracy(outcomes: Iterable[tuple[ResolvedQuestion, bool]]) -> float | None:
    """Share of unanswerable questions that abstained; ``None`` if there are none."""
    return _mean_or_none(abstention_correct(q, a) for q, a in outcomes)


def false_abstention_rate(outcomes: Iterable[tuple[ResolvedQuestion, bool]]) -> float | None:
    """Share of answerable questions that abstained; ``None`` if there are none."""
    return _mean_or_none(false_abstention(q, a) for q, a in outcomes)


def board_key(municipality: str, board: str) -> tuple[str, str]:
    """A board of a municipality compared by name (see ``register.board_stem``)."""
    return municipality.casefold(), board_stem(board)


def set_recall(question: ResolvedQuestion, listed: Sequence[tuple[str, str]]) -> float | None:
    """Share of the expected boards of a set question that the answer lists."""
    expected = {board_key(b.municipality, b.board) for b in question.question.boards}
    if not expected:
        return None
    return len(expected & {board_key(*b) for b in listed}) / len(expected)


def wrong_boards(question: ResolvedQuestion, listed: Sequence[tuple[str, str]]) -> float | None:
    """How many listed boards the reports say the opposite of (``not_boards``): a board
    listed as lacking something its sentence says it has. Must be 0."""
    opposite = {board_key(b.municipality, b.board) for b in question.question.not_boards}
    if not question.question.boards and not opposite:
        return None
    return float(len(opposite & {board_key(*b) for b in listed}))


def answer_metrics(
    question: ResolvedQuestion,
    cited: Sequence[Passage],
    abstained: bool,
    listed: Sequence[tuple[str, str]] = (),
) -> QuestionMetrics:
    """Citation precision, answer recall, the two abstention indicators of one answer and,
    for set questions with expected boards, the set recall and the wrongly listed boards."""
    values: dict[str, float | None] = {
        CITATION_PRECISION: citation_precision(question, cited),
        ANSWER_RECALL: answer_recall(question, cited),
        ABSTENTION_ACCURACY: abstention_correct(question, abstained),
        FALSE_ABSTENTION: false_abstention(question, abstained),
        SET_RECALL: set_recall(question, listed),
        WRONG_BOARDS: wrong_boards(question, listed),
    }
    return QuestionMetrics(question.id, question.lang, question.kind, values)


def _mean_or_none(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None

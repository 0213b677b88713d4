"""Rank fusion as a pure function."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T", bound=Hashable)


@dataclass(frozen=True)
class Fused(Generic[T]):
    """One fused result: the item, its fused score and the rankings that contained it."""

    item: T
    score: float
    sources: tuple[str, ...]


def reciprocal_rank_fusion(
    rankings: Mapping[str, Sequence[T]],
    k: int = 60,
    weights: Mapping[str, float] | None = None,
) -> list[Fused[T]]:
    """Reciprocal rank fusion (Cormack, Clarke & Büttcher, "Reciprocal Rank Fusion
    outperforms Condorcet and individual Rank Learning Methods", SIGIR 2009).

    ``score(d) = sum over rankings r of w_r / (k + rank_r(d))`` with 1-based ranks; an
    item absent from a ranking gets nothing from it. A ranking without a weight has
    weight 1. Ties are broken by the best single rank, then by first appearance (ranking
    order, then position), so the result is deterministic.

    Args:
        rankings: Ranking name -> items, best first (an item listed twice counts once,
            at its best rank).
        k: The smoothing constant (60 in the paper).
        weights: Optional weight per ranking name.

    Returns:
        Fused items, best first.
    """
    if k < 0:
        raise ValueError(f"k must not be negative, got {k}")
    scores: dict[T, float] = {}
    best: dict[T, int] = {}
    first: dict[T, int] = {}
    sources: dict[T, list[str]] = {}
    order = 0
    for name, ranking in rankings.items():
        weight = 1.0 if weights is None else weights.get(name, 1.0)
        seen: set[T] = set()
        for rank, item in enumerate(ranking, start=1):
            if item in seen:
                continue
            seen.add(item)
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
            best[item] = min(best.get(item, rank), rank)
            if item not in first:
                first[item] = order
                order += 1
            sources.setdefault(item, []).append(name)
    ranked = sorted(scores, key=lambda d: (-scores[d], best[d], first[d]))
    return [Fused(d, scores[d], tuple(sources[d])) for d in ranked]

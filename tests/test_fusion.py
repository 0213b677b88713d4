"""Reciprocal rank fusion against hand-computed scores."""

from __future__ import annotations

import pytest

from assistant.search.fusion import reciprocal_rank_fusion


def test_hand_computed_scores() -> None:
    # k = 60.  dense: a b c   bm25: c a d
    # a: 1/61 + 1/62 = 0.0163934 + 0.0161290 = 0.0325225 (0.03252247...)
    # c: 1/63 + 1/61 = 0.0158730 + 0.0163934 = 0.0322665 (0.03226646...)
    # b: 1/62                                 = 0.0161290
    # d: 1/63                                 = 0.0158730
    fused = reciprocal_rank_fusion({"dense": ["a", "b", "c"], "bm25": ["c", "a", "d"]})
    assert [f.item for f in fused] == ["a", "c", "b", "d"]
    assert [round(f.score, 7) for f in fused] == [0.0325225, 0.0322665, 0.016129, 0.015873]
    assert fused[0].sources == ("dense", "bm25")
    assert fused[2].sources == ("dense",)


def test_weights_scale_each_ranking() -> None:
    # weights dense 1, bm25 3, k = 0:  a: 1/1 + 3/2 = 2.5   b: 1/2 = 0.5   c: 3/1 = 3.0
    fused = reciprocal_rank_fusion(
        {"dense": ["a", "b"], "bm25": ["c", "a"]}, k=0, weights={"dense": 1, "bm25": 3}
    )
    assert [(f.item, f.score) for f in fused] == [("c", 3.0), ("a", 2.5), ("b", 0.5)]


def test_zero_weight_keeps_items_but_adds_nothing() -> None:
    fused = reciprocal_rank_fusion({"x": [1, 2], "y": [2]}, k=1, weights={"y": 0.0})
    assert [(f.item, f.score) for f in fused] == [(1, 0.5), (2, 1 / 3)]


def test_ties_break_by_best_rank_then_first_seen() -> None:
    # p: 1/61 + 1/62 and q: 1/62 + 1/61 tie; p has the same best rank and was seen first.
    fused = reciprocal_rank_fusion({"one": ["p", "q"], "two": ["q", "p"]})
    assert fused[0].score == fused[1].score
    assert [f.item for f in fused] == ["p", "q"]


def test_duplicates_in_a_ranking_count_once() -> None:
    fused = reciprocal_rank_fusion({"one": ["a", "a", "b"]}, k=0)
    assert [(f.item, f.score) for f in fused] == [("a", 1.0), ("b", 1 / 3)]


def test_empty_inputs() -> None:
    assert reciprocal_rank_fusion({}) == []
    assert reciprocal_rank_fusion({"dense": [], "bm25": []}) == []


def test_negative_k_is_refused() -> None:
    with pytest.raises(ValueError):
        reciprocal_rank_fusion({"a": [1]}, k=-1)

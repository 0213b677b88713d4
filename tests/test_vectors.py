from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from assistant.errors import IndexFolderError
from assistant.search.vectors import INDEX_FILE, META_FILE, VectorIndex


def _unit(n: int, dim: int = 32, seed: int = 0) -> np.ndarray:
    x = np.random.default_rng(seed).standard_normal((n, dim)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def _exact(x: np.ndarray, q: np.ndarray, k: int, mask: np.ndarray | None = None) -> list[int]:
    scores = x @ q
    if mask is not None:
        scores = np.where(mask, scores, -np.inf)
    return [int(i) for i in np.argsort(-scores, kind="stable")[:k] if np.isfinite(scores[i])]


@pytest.fixture(scope="module")
def data() -> np.ndarray:
    return _unit(3000)


@pytest.fixture(scope="module", params=["flat", "hnsw"])
def index(request: pytest.FixtureRequest, data: np.ndarray) -> VectorIndex:
    exact_max = 10_000 if request.param == "flat" else 1000
    idx = VectorIndex.build(data, exact_max=exact_max, hnsw_m=16, ef_search=64)
    assert idx.kind == request.param
    return idx


def test_shape_and_kind(index: VectorIndex) -> None:
    assert (index.ntotal, index.dim) == (3000, 32)


def test_search_matches_exact_ranking(index: VectorIndex, data: np.ndarray) -> None:
    q = _unit(1, seed=9)[0]
    found = index.search(q, 10)
    assert [row for row, _ in found] == _exact(data, q, 10)
    scores = [s for _, s in found]
    assert scores == sorted(scores, reverse=True)
    np.testing.assert_allclose(scores, data[[r for r, _ in found]] @ q, atol=1e-5)


def test_own_vector_is_best(index: VectorIndex, data: np.ndarray) -> None:
    assert index.search(data[123], 1)[0][0] == 123


@pytest.mark.parametrize("n_allowed", [1, 3, 40, 700, 2500])
def test_filter_returns_up_to_k_allowed_rows(
    index: VectorIndex, data: np.ndarray, n_allowed: int
) -> None:
    mask = np.zeros(len(data), dtype=bool)
    mask[np.random.default_rng(n_allowed).choice(len(data), n_allowed, replace=False)] = True
    q = _unit(1, seed=5)[0]
    found = index.search(q, 10, mask)
    assert len(found) == min(10, n_allowed)
    assert all(mask[row] for row, _ in found)
    assert [row for row, _ in found] == _exact(data, q, 10, mask)


def test_k_edge_cases(index: VectorIndex, data: np.ndarray) -> None:
    assert index.search(data[0], 0) == []
    assert index.search(data[0], 5, np.zeros(len(data), dtype=bool)) == []
    small = VectorIndex.build(data[:4])
    assert len(small.search(data[0], 50)) == 4


def test_bad_inputs(index: VectorIndex) -> None:
    with pytest.raises(IndexFolderError, match="size 8"):
        index.search(np.ones(8, dtype=np.float32), 3)
    with pytest.raises(ValueError, match="mask"):
        index.search(np.ones(32, dtype=np.float32), 3, np.ones(5, dtype=bool))
    with pytest.raises(ValueError, match="2-d"):
        VectorIndex.build(np.ones(5, dtype=np.float32))
    with pytest.raises(ValueError, match="NaN"):
        VectorIndex.build(np.full((2, 3), np.nan, dtype=np.float32))


def test_empty_index() -> None:
    idx = VectorIndex.build(np.zeros((0, 8), dtype=np.float32))
    assert (idx.kind, idx.ntotal, idx.dim) == ("flat", 0, 8)
    assert idx.search(np.ones(8, dtype=np.float32), 3) == []


def test_save_load_round_trip(index: VectorIndex, data: np.ndarray, tmp_path: Path) -> None:
    index.save(tmp_path / "vectors")
    assert sorted(p.name for p in (tmp_path / "vectors").iterdir()) == [INDEX_FILE, META_FILE]
    loaded = VectorIndex.load(tmp_path / "vectors")
    assert (loaded.kind, loaded.ntotal, loaded.dim) == (index.kind, 3000, 32)
    q = _unit(1, seed=3)[0]
    assert loaded.search(q, 10) == index.search(q, 10)
    mask = np.zeros(len(data), dtype=bool)
    mask[::97] = True
    assert loaded.search(q, 5, mask) == index.search(q, 5, mask)


@pytest.fixture
def saved(data: np.ndarray, tmp_path: Path) -> Path:
    VectorIndex.build(data[:50]).save(tmp_path)
    return tmp_path


@pytest.mark.parametrize("missing", [INDEX_FILE, META_FILE])
def test_missing_file_is_index_folder_error(saved: Path, missing: str) -> None:
    (saved / missing).unlink()
    with pytest.raises(IndexFolderError, match=missing):
        VectorIndex.load(saved)


@pytest.mark.parametrize(
    "damage",
    [
        lambda p: (p / INDEX_FILE).write_bytes(b"not a faiss index"),
        lambda p: (p / INDEX_FILE).write_bytes((p / INDEX_FILE).read_bytes()[:100]),
        lambda p: (p / META_FILE).write_text("{", encoding="utf-8"),
        lambda p: (p / META_FILE).write_text(json.dumps({"kind": "flat"}), encoding="utf-8"),
        lambda p: (p / META_FILE).write_text(
            (p / META_FILE).read_text().replace('"ntotal": 50', '"ntotal": 51')
        ),
        lambda p: (p / META_FILE).write_text(
            (p / META_FILE).read_text().replace('"flat"', '"hnsw"')
        ),
    ],
    ids=["garbage", "truncated", "bad-json", "keys-missing", "count-mismatch", "kind-mismatch"],
)
def test_damaged_files_are_index_folder_errors(saved: Path, damage: object) -> None:
    damage(saved)  # type: ignore[operator]
    with pytest.raises(IndexFolderError, match="granska index"):
        VectorIndex.load(saved)


@pytest.mark.parametrize("n_allowed", [1, 3, 40, 700, 2500])
def test_hnsw_graph_filter_without_scan(
    data: np.ndarray, monkeypatch: pytest.MonkeyPatch, n_allowed: int
) -> None:
    monkeypatch.setattr("assistant.search.vectors.SCAN_MAX", 0)
    idx = VectorIndex.build(data, exact_max=1000, hnsw_m=16, ef_search=64)
    mask = np.zeros(len(data), dtype=bool)
    mask[np.random.default_rng(n_allowed).choice(len(data), n_allowed, replace=False)] = True
    q = _unit(1, seed=5)[0]
    found = idx.search(q, 10, mask)
    assert len(found) == min(10, n_allowed)
    assert all(mask[row] for row, _ in found)
    recall = len({r for r, _ in found} & set(_exact(data, q, 10, mask))) / len(found)
    assert recall >= 0.8

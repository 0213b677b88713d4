"""The reranking stage: built-in findings reranker and an offline CrossEncoder."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.errors import ConfigError
from assistant.models import Chunk, Finding, FindingSpan, Hit
from assistant.search.rerank import FindingsReranker, NoReranker, make_reranker


def hit(i: int, text: str, start: int) -> Hit:
    chunk = Chunk(
        id=f"c{i}",
        doc="a.txt",
        ordinal=i,
        start=start,
        end=start + len(text),
        text=text,
        index_text=text,
    )
    return Hit(chunk=chunk, score=1 / (60 + i), rank=i)


HITS = [
    hit(1, "Kommunen har en portal för e-tjänster.", 0),
    hit(2, "Vi rekommenderar kommunstyrelsen att samla e-tjänsterna.", 100),
    hit(3, "Vi bedömer att strukturen inte är ändamålsenlig.", 200),
]
FINDINGS = [
    Finding(
        id="r1",
        kind="recommendation",
        doc="a.txt",
        text="att samla e-tjänsterna.",
        spans=[FindingSpan(start=130, end=155)],
    ),
    Finding(
        id="a1",
        kind="assessment",
        doc="a.txt",
        text="Vi bedömer att strukturen inte är ändamålsenlig.",
        spans=[FindingSpan(start=200, end=248)],
    ),
]


def test_findings_reranker_moves_passages_with_the_wanted_kind_up() -> None:
    reranker = FindingsReranker(FINDINGS, bonus=0.01)
    recs = reranker.rerank("Vad rekommenderas?", HITS, "recommendation")
    assert [h.chunk.id for h in recs] == ["c2", "c1", "c3"]
    assert [h.rank for h in recs] == [1, 2, 3]
    judged = reranker.rerank("Vad bedömer revisorerna?", HITS, "judgement")
    assert judged[0].chunk.id == "c3"
    assert reranker.rerank("Vad kostar portalen?", HITS, "number") == HITS  # no kind wanted


def test_a_small_bonus_moves_only_neighbours() -> None:
    far = [*HITS[:2], hit(30, HITS[2].chunk.text, 200)]
    reranker = FindingsReranker(FINDINGS, bonus=0.0005)
    assert [h.chunk.id for h in reranker.rerank("q", far, "judgement")] == ["c1", "c2", "c30"]


def test_specs() -> None:
    assert isinstance(make_reranker("off"), NoReranker)
    assert isinstance(make_reranker("findings", FINDINGS), FindingsReranker)
    with pytest.raises(ConfigError, match="use 'off', 'findings'"):
        make_reranker("bge")
    with pytest.raises(ConfigError, match="no model folder") as err:
        make_reranker("st:/nonexistent/model")
    assert "\n" not in str(err.value)


def tiny_cross_encoder(folder: Path) -> Path:
    """A one-layer BERT cross-encoder built here, never downloaded."""
    transformers = pytest.importorskip("transformers")
    pytest.importorskip("sentence_transformers")
    words = "kommunen har en portal för e-tjänster vi rekommenderar kommunstyrelsen att samla"
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *sorted(set(words.split())), ".", "-"]
    (folder / "vocab.txt").write_text("\n".join(vocab), encoding="utf-8")
    tokenizer = transformers.BertTokenizer(str(folder / "vocab.txt"))
    config = transformers.BertConfig(
        vocab_size=len(vocab),
        hidden_size=16,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=32,
        num_labels=1,
    )
    transformers.set_seed(7)
    transformers.BertForSequenceClassification(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def test_cross_encoder_reranks_offline_by_its_own_scores(tmp_path: Path) -> None:
    folder = tiny_cross_encoder(tmp_path)
    reranker = make_reranker(f"st:{folder}")
    reranked = reranker.rerank("Vad rekommenderar revisorerna?", HITS)
    scores = reranker.model.predict(  # type: ignore[attr-defined]
        [("Vad rekommenderar revisorerna?", h.chunk.text) for h in HITS]
    )
    expected = [HITS[i].chunk.id for i in sorted(range(3), key=lambda i: -scores[i])]
    assert [h.chunk.id for h in reranked] == expected
    assert [h.rank for h in reranked] == [1, 2, 3]
    assert reranked[0].score == pytest.approx(float(max(scores)))

"""run_evaluation, the results file, the table and compare, over a tiny in-memory corpus."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from assistant.errors import ConfigError, GranskaError
from assistant.evaluation.questions import ResolvedQuestion, load_questions
from assistant.evaluation.run import (
    EvalResult,
    compare,
    format_comparison,
    format_table,
    load_result,
    render_text,
    run_evaluation,
)
from assistant.models import Chunk, Citation, Filters, Hit

DOCS = {
    "a.txt": "Alpha kommun har en digitaliseringsstrategi. Budgeten är 5 mnkr. "
    "Revisorerna rekommenderar en handlingsplan.",
    "b.txt": "Beta kommun saknar strategi. Beta har en fond på 2 mnkr.",
}
SENTENCES = {
    "a1": ("a.txt", "Alpha kommun har en digitaliseringsstrategi."),
    "a2": ("a.txt", "Budgeten är 5 mnkr."),
    "a3": ("a.txt", "Revisorerna rekommenderar en handlingsplan."),
    "b1": ("b.txt", "Beta kommun saknar strategi."),
    "b2": ("b.txt", "Beta har en fond på 2 mnkr."),
}
Q1 = "Har Alpha en strategi för digitalisering?"
Q2 = "Which municipalities have money set aside?"
Q3 = "Vad kostar molntjänsterna?"
QUESTIONS = [
    {"id": "q1", "question": Q1, "lang": "sv", "kind": "fact",
     "relevant": [{"doc": "a.txt", "quote": "Alpha kommun har en digitaliseringsstrategi."}]},
    {"id": "q2", "question": Q2, "lang": "en", "kind": "cross",
     "relevant": [{"doc": "a.txt", "quote": "Budgeten är 5 mnkr."},
                  {"doc": "b.txt", "quote": "Beta har en fond på 2 mnkr."}]},
    {"id": "q3", "question": Q3, "lang": "sv", "kind": "unanswerable", "relevant": []},
]  # fmt: skip
# Rankings per retriever and question, as chunk ids.
CURRENT = {
    "bm25": {Q1: ["a1", "b1"], Q2: ["b1", "a2", "b2"], Q3: ["a3"]},
    "dense": {Q1: ["b1", "b2"], Q2: ["a2"], Q3: []},
    "hybrid": {Q1: ["a1", "b1"], Q2: ["b1", "a2", "b2"], Q3: ["a3"]},
}
PREVIOUS = {
    "bm25": {Q1: ["b1"], Q2: ["a2", "b2"], Q3: ["a3"]},
    "dense": {Q1: ["b1", "b2"], Q2: ["a2"], Q3: []},
}


def chunk(cid: str) -> Chunk:
    doc, text = SENTENCES[cid]
    start = DOCS[doc].index(text)
    return Chunk(id=cid, doc=doc, ordinal=0, start=start, end=start + len(text), text=text,
                 index_text=text, section=["Avsnitt"], page=1)  # fmt: skip


@dataclass
class FakeSearcher:
    rankings: dict[str, dict[str, list[str]]]
    calls: list[tuple[str, int, str]] = field(default_factory=list)

    def search(
        self, query: str, k: int = 10, filters: Filters | None = None, retriever: str = "hybrid"
    ) -> list[Hit]:
        self.calls.append((query, k, retriever))
        ids = self.rankings[retriever][query][:k]
        return [Hit(chunk=chunk(c), score=1.0 / r, rank=r) for r, c in enumerate(ids, start=1)]


@dataclass
class FakeAnswer:
    text: str
    abstained: bool
    citations: list[Citation]


def fake_answerer(question: str) -> FakeAnswer:
    cited = {Q1: ["a1"], Q2: ["a2", "b1"], Q3: []}[question]
    cites = [Hit(chunk=chunk(c), score=0.5, rank=1).citation(n) for n, c in enumerate(cited, 1)]
    return FakeAnswer(text="svar" if cites else "", abstained=not cites, citations=cites)


@pytest.fixture
def questions(tmp_path: Path) -> list[ResolvedQuestion]:
    path = tmp_path / "questions.jsonl"
    path.write_text("\n".join(json.dumps(q) for q in QUESTIONS), encoding="utf-8")
    return load_questions(path, DOCS)


@pytest.fixture
def current(questions: list[ResolvedQuestion]) -> EvalResult:
    return run_evaluation(
        questions, FakeSearcher(CURRENT), ["bm25", "dense", "hybrid"], k=10,
        answerer=fake_answerer, settings={"embedder": "fake-hash-64", "chunk_words": 180},
    )  # fmt: skip


def test_ranking_metrics_by_hand(current: EvalResult) -> None:
    bm25 = current.retriever("bm25")
    dense = current.retriever("dense")
    assert bm25 is not None and dense is not None
    q2 = bm25.questions[1].ranking_metrics
    assert q2["hit@1"] == 0.0 and q2["recall@5"] == 1.0 and q2["full@10"] == 1.0
    assert q2["mrr@10"] == 0.5
    assert q2["ndcg@10"] == pytest.approx((1 / 1.5849625 + 0.5) / (1 + 1 / 1.5849625))
    assert bm25.questions[2].ranking_metrics["recall@5"] is None  # unanswerable
    assert bm25.overall["hit@1"] == 0.5 and bm25.overall["mrr@10"] == 0.75
    assert bm25.overall["recall@5"] == 1.0
    assert dense.overall["hit@1"] == 0.5 and dense.overall["recall@5"] == 0.25
    assert dense.overall["full@10"] == 0.0


def test_groups_per_language_and_kind(current: EvalResult) -> None:
    bm25 = current.retriever("bm25")
    assert bm25 is not None
    assert bm25.per_lang["sv"]["hit@1"] == 1.0 and bm25.per_lang["en"]["hit@1"] == 0.0
    assert set(bm25.per_kind) == {"fact", "cross", "unanswerable"}
    assert bm25.per_kind["cross"]["mrr@10"] == 0.5


def test_passages_keep_doc_span_and_text(current: EvalResult) -> None:
    bm25 = current.retriever("bm25")
    assert bm25 is not None
    first = bm25.questions[0].passages[0]
    assert (first.doc, first.section, first.page, first.score) == ("a.txt", "Avsnitt", 1, 1.0)
    assert DOCS["a.txt"][first.start : first.end] == first.text


def test_answers_are_scored_on_the_hybrid_row_only(current: EvalResult) -> None:
    hybrid, bm25 = current.retriever("hybrid"), current.retriever("bm25")
    assert hybrid is not None and bm25 is not None
    assert all(q.answer is None and q.answer_metrics is None for q in bm25.questions)
    q2 = hybrid.questions[1]
    assert q2.answer is not None and [c.doc for c in q2.answer.citations] == ["a.txt", "b.txt"]
    assert q2.answer_metrics == {
        "citation_precision": 0.5, "answer_recall": 0.5,
        "abstention_accuracy": None, "false_abstention": 0.0,
        "set_recall": None, "wrong_boards": None,
    }  # fmt: skip
    assert hybrid.overall["citation_precision"] == 0.75
    assert hybrid.overall["answer_recall"] == 0.75
    assert hybrid.overall["abstention_accuracy"] == 1.0
    assert hybrid.overall["false_abstention"] == 0.0
    assert "citation_precision" not in bm25.overall
    assert current.settings["answers"] is True


def test_settings_are_recorded(current: EvalResult) -> None:
    assert current.settings == {
        "embedder": "fake-hash-64", "chunk_words": 180, "retrievers": ["bm25", "dense", "hybrid"],
        "k": 10, "questions": 3, "answers": True,
    }  # fmt: skip


def test_progress_counts_searches_and_answers(questions: list[ResolvedQuestion]) -> None:
    seen: list[tuple[int, int]] = []
    run_evaluation(questions, FakeSearcher(CURRENT), ["bm25", "hybrid"], answerer=fake_answerer,
                   progress=lambda done, total: seen.append((done, total)))  # fmt: skip
    assert seen == [(i, 9) for i in range(1, 10)]


def test_other_k_is_searched_and_reported(questions: list[ResolvedQuestion]) -> None:
    searcher = FakeSearcher(CURRENT)
    result = run_evaluation(questions, searcher, ["bm25"], k=2)
    assert {k for _, k, _ in searcher.calls} == {2}
    metrics = result.retrievers[0].questions[1].ranking_metrics
    assert metrics["recall@2"] == 0.5 and metrics["full@2"] == 0.0
    assert "R@2" in render_text(format_table(result))


def test_bad_k_is_a_clear_error(questions: list[ResolvedQuestion]) -> None:
    with pytest.raises(ConfigError, match="k must be at least 1"):
        run_evaluation(questions, FakeSearcher(CURRENT), ["bm25"], k=0)


def test_json_round_trip(current: EvalResult, tmp_path: Path) -> None:
    path = tmp_path / "results.json"
    path.write_text(current.to_json(), encoding="utf-8")
    loaded = load_result(path)
    assert loaded == current
    assert json.loads(path.read_text(encoding="utf-8"))["format"] == "granska-eval"


@pytest.mark.parametrize("content", ['{"retrievers": "x"}', "[1, 2]", "not json", ""])
def test_a_file_that_is_not_results_is_refused(tmp_path: Path, content: str) -> None:
    path = tmp_path / "other.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(GranskaError) as err:
        load_result(path)
    message = str(err.value)
    assert "\n" not in message and str(path) in message and "granska eval" in message


def test_the_question_file_is_not_a_results_file(tmp_path: Path) -> None:
    path = tmp_path / "questions.jsonl"
    path.write_text("\n".join(json.dumps(q) for q in QUESTIONS), encoding="utf-8")
    with pytest.raises(ConfigError, match="not a Granska evaluation results file"):
        load_result(path)


def test_missing_results_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read the results file"):
        load_result(tmp_path / "nope.json")


def cells(text: str) -> dict[str, list[str]]:
    """Table rows keyed by their first cell (later rows with the same key win)."""
    rows = [[c.strip() for c in line.split("│")[1:-1]] for line in text.splitlines()]
    return {row[0]: row for row in rows if row}


def test_table_rows_and_columns(current: EvalResult) -> None:
    text = render_text(format_table(current))
    rows = cells(text)
    assert "abstain acc" in text and "MRR@10" in text
    assert rows["bm25"][1:8] == ["3", "0.500", "1.000", "1.000", "1.000", "0.750", "0.847"]
    assert rows["bm25"][-6:] == ["–"] * 6
    assert rows["hybrid"][-6:] == ["0.750", "0.750", "1.000", "0.000", "–", "–"]
    assert "sv" not in rows and "fact" not in rows
    detailed = cells(render_text(format_table(current, detail=True)))
    assert detailed["sv"][:4] == ["sv", "2", "1.000", "1.000"]  # hybrid's, the last group
    assert detailed["unanswerable"][1:3] == ["1", "–"]
    assert detailed["unanswerable"][-4:] == ["1.000", "–", "–", "–"]


def test_table_without_answers_has_no_answer_columns(questions: list[ResolvedQuestion]) -> None:
    result = run_evaluation(questions, FakeSearcher(CURRENT), ["bm25", "hybrid"])
    assert "abstain" not in render_text(format_table(result))
    assert result.settings["answers"] is False


def test_compare_deltas_and_movers(current: EvalResult, questions: list[ResolvedQuestion]) -> None:
    previous = run_evaluation(questions, FakeSearcher(PREVIOUS), ["bm25", "dense"], k=5)
    comparison = compare(current, previous)
    bm25 = {d.metric: d for d in comparison.deltas["bm25"]}
    assert bm25["mrr@10"].previous == 0.5 and bm25["mrr@10"].current == 0.75
    assert bm25["mrr@10"].delta == pytest.approx(0.25)
    assert bm25["hit@1"].delta == 0.0
    assert [(c.retriever, c.id) for c in comparison.better] == [("bm25", "q1")]
    assert [(c.retriever, c.id) for c in comparison.worse] == [("bm25", "q2")]
    assert comparison.worse[0].mrr10 == (1.0, 0.5)
    assert all(d.delta == 0.0 for d in comparison.deltas["dense"] if d.delta is not None)
    assert comparison.only_current == ["hybrid"] and comparison.only_previous == []
    assert comparison.settings_changed["k"] == (5, 10)
    text = render_text(format_comparison(comparison))
    assert "Better (1):" in text and "Worse (1):" in text and "+0.250" in text
    assert "bm25 q1: R@5 0.000 → 1.000" in text
    assert "only now: hybrid" in text


def test_compare_with_itself_has_no_movers(current: EvalResult) -> None:
    comparison = compare(current, EvalResult.from_json(current.to_json()))
    assert comparison.better == [] and comparison.worse == []
    assert comparison.settings_changed == {}

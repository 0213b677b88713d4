"""The evaluation dev set resolves against the corpus and keeps its composition."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from assistant.evaluation.questions import ResolvedQuestion, load_questions, normalize_ws

REPO = Path(__file__).resolve().parent.parent
DEVSET = REPO / "eval" / "questions.jsonl"
KINDS = {"fact", "list", "cross", "judgement", "recommendation", "numeric", "table", "unanswerable"}


@pytest.fixture(scope="module")
def devset() -> list[ResolvedQuestion]:
    documents = {p.name: p.read_text(encoding="utf-8") for p in (REPO / "corpus").glob("*.txt")}
    return load_questions(DEVSET, documents)


def test_size_and_languages(devset: list[ResolvedQuestion]) -> None:
    langs = Counter(q.lang for q in devset)
    assert len(devset) >= 64
    assert langs["en"] >= 16
    assert langs["sv"] >= 32


def test_every_kind_is_represented(devset: list[ResolvedQuestion]) -> None:
    kinds = Counter(q.kind for q in devset)
    assert set(kinds) == KINDS
    assert kinds["unanswerable"] == 6
    assert kinds["list"] + kinds["cross"] >= 12
    assert min(kinds[k] for k in KINDS - {"unanswerable"}) >= 5


def test_cross_questions_span_municipalities(devset: list[ResolvedQuestion]) -> None:
    for q in devset:
        if q.kind == "cross":
            assert len({quote.doc for quote in q.quotes}) >= 2, q.id


def test_quotes_are_short_evidence(devset: list[ResolvedQuestion]) -> None:
    for q in devset:
        for quote in q.quotes:
            assert 30 <= len(normalize_ws(quote.quote)) <= 260, (q.id, quote.quote)


def test_every_answer_is_written(devset: list[ResolvedQuestion]) -> None:
    assert all(q.question.answer.strip() for q in devset)


def test_all_five_reports_are_used(devset: list[ResolvedQuestion]) -> None:
    used = {quote.doc for q in devset for quote in q.quotes}
    assert used == {p.name for p in (REPO / "corpus").glob("*.txt")}


TESTSET = REPO / "eval" / "test.jsonl"


@pytest.fixture(scope="module")
def testset() -> list[ResolvedQuestion]:
    documents = {p.name: p.read_text(encoding="utf-8") for p in (REPO / "corpus").glob("*.txt")}
    return load_questions(TESTSET, documents)


def test_held_out_split_has_the_kinds_the_answers_need(testset: list[ResolvedQuestion]) -> None:
    """The held-out split (never used to choose a rule or threshold) covers what auditors
    ask most: recommendations, set questions whose answer depends on polarity, numbers and
    dates, and near-miss questions the reports do not answer."""
    kinds = Counter(q.kind for q in testset)
    tags = Counter(t for q in testset for t in q.question.tags)
    assert len(testset) >= 60
    assert kinds["recommendation"] >= 10
    assert kinds["numeric"] >= 10
    polarity = [q for q in testset if "polarity" in q.question.tags]
    assert len(polarity) >= 10 and all(q.question.boards for q in polarity)
    assert tags["near-miss"] >= 10
    assert all(not q.answerable for q in testset if "near-miss" in q.question.tags)
    dev = DEVSET.read_text(encoding="utf-8")
    assert not any(f'"{q.question.question}"' in dev for q in testset)


def test_second_dev_set_loads_against_the_corpus() -> None:
    """``dev2.jsonl`` (written this issue to tune set, recommendation and near-miss rules
    on something other than the held-out split) loads: quotes are exact, kinds valid."""
    documents = {p.name: p.read_text(encoding="utf-8") for p in (REPO / "corpus").glob("*.txt")}
    dev2 = load_questions(REPO / "eval" / "dev2.jsonl", documents)
    assert len(dev2) >= 60
    assert sum(1 for q in dev2 if not q.answerable) >= 16
    held_out = TESTSET.read_text(encoding="utf-8")
    assert not any(f'"{q.question.question}"' in held_out for q in dev2)


def test_third_dev_set_loads_against_the_corpus() -> None:
    """``dev3.jsonl`` (written from the reports alone by someone who never ran the tool,
    to measure the rules on unseen questions before tuning on them) loads."""
    documents = {p.name: p.read_text(encoding="utf-8") for p in (REPO / "corpus").glob("*.txt")}
    dev3 = load_questions(REPO / "eval" / "dev3.jsonl", documents)
    assert len(dev3) >= 60
    assert sum(1 for q in dev3 if not q.answerable) >= 18
    held_out = TESTSET.read_text(encoding="utf-8")
    assert not any(f'"{q.question.question}"' in held_out for q in dev3)


def test_fourth_dev_set_loads_against_the_corpus() -> None:
    """``dev4.jsonl``: 30 polarity set questions written from the reports alone, every one
    with the boards (or municipalities) it expects."""
    documents = {p.name: p.read_text(encoding="utf-8") for p in (REPO / "corpus").glob("*.txt")}
    dev4 = load_questions(REPO / "eval" / "dev4.jsonl", documents)
    assert len(dev4) == 30
    assert all(q.question.kind == "list" and q.question.boards for q in dev4)


# The dev files in the order they were written; each is checked against all before it.
DEV_FILES = ("questions", *(f"dev{i}" for i in range(2, 21)))


@pytest.mark.parametrize(
    ("name", "unanswerable", "lists"),
    [
        ("dev5", 10, 16),
        ("dev6", 10, 16),
        ("dev7", 10, 16),
        ("dev8", 10, 16),
        ("dev9", 10, 16),
        ("dev10", 10, 16),
        ("dev11", 8, 14),
        ("dev12", 8, 14),
        ("dev13", 10, 16),
        ("dev14", 10, 16),
        ("dev15", 10, 16),
        ("dev16", 10, 16),
        ("dev17", 10, 16),
        ("dev18", 10, 16),
        ("dev19", 12, 16),
        ("dev20", 14, 14),
    ],
)
def test_later_dev_sets_load_against_the_corpus(name: str, unanswerable: int, lists: int) -> None:
    """``dev5.jsonl`` to ``dev20.jsonl``: 50 questions each of the held-out
    split's kinds, written from the reports alone and scored before any rule was tuned on
    them; none repeats a question of the held-out split or of an earlier dev file."""
    documents = {p.name: p.read_text(encoding="utf-8") for p in (REPO / "corpus").glob("*.txt")}
    questions = load_questions(REPO / "eval" / f"{name}.jsonl", documents)
    assert len(questions) == 50
    assert sum(1 for q in questions if not q.answerable) == unanswerable
    assert sum(1 for q in questions if q.question.kind == "list" and q.question.boards) == lists
    held_out = TESTSET.read_text(encoding="utf-8")
    assert not any(f'"{q.question.question}"' in held_out for q in questions)
    asked = {
        json.loads(line)["question"]
        for file in DEV_FILES[: DEV_FILES.index(name)]
        for line in (REPO / "eval" / f"{file}.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    }
    assert not {q.question.question for q in questions} & asked

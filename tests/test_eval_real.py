"""The dev set on the real corpus with the real model: floors that can fail.

One index of ``corpus/`` is built per test session with the default embedder (about a
minute on two cores); the embedding cache lives in pytest's cache folder, so later runs on
the same machine embed nothing.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.answer.compose import answer_question
from assistant.evaluation.questions import load_questions
from assistant.evaluation.run import EvalResult, run_evaluation
from assistant.indexing import build_index
from assistant.search.retriever import Retriever
from assistant.settings import Settings

REPO = Path(__file__).resolve().parent.parent

# What the default settings reach on eval/questions.jsonl (see the closing notes), less a
# margin for platform differences in the 4-bit engine. A change that loses more fails here.
# Measured 2026-11-24: hybrid R@5 0.844 MRR 0.716; bm25 0.823/0.694; dense 0.775/0.622.
# Measured 2026-11-25 (lead-ins quoted with their lists, template sentences demoted):
# citation precision 0.509, answer recall 0.772, abstention 1.0, false abstention 0.032.
# Measured 2026-11-26 (keyword lemmas on, 100 questions): hybrid R@5 0.849 MRR 0.739;
# bm25 0.824/0.714; citation precision 0.641, answer recall 0.753 (off: 0.624, 0.739).
FLOORS = {
    "hybrid": {"recall@5": 0.82, "mrr@10": 0.69, "full@10": 0.82},
    "bm25": {"recall@5": 0.79, "mrr@10": 0.66},
    "dense": {"recall@5": 0.74, "mrr@10": 0.59},
}
ANSWER_FLOORS = {"citation_precision": 0.48, "answer_recall": 0.74, "abstention_accuracy": 1.0}
FALSE_ABSTENTION_CEILING = 0.06
# English questions search Swedish reports: BM25 only sees the glossary's Swedish terms and
# the embedder crosses languages. Measured 2026-11-26 (hybrid, English queries embedded with
# their Swedish terms): R@5 sv 0.896, en 0.773 (gap 0.123; without the 12 cross-municipality
# questions sv 0.971, en 0.867). The gap grew from under 0.1 when section labels and Swedish
# lemmas lifted only the Swedish questions, so English also has floors of its own: a change
# that makes English worse fails here whatever it does to Swedish.
LANGUAGE_GAP = 0.13
ENGLISH_FLOORS = {"recall@5": 0.74, "mrr@10": 0.64}

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def result(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> EvalResult:
    cache = request.config.cache
    assert cache is not None
    persistent = Path(cache.mkdir("granska-embeddings"))
    index = tmp_path_factory.mktemp("real") / "index"
    index.mkdir()
    shutil.copytree(persistent, index / "cache")
    settings = Settings(corpus=REPO / "corpus", index=index)
    build_index(settings)
    shutil.copytree(index / "cache", persistent, dirs_exist_ok=True)
    retriever = Retriever.open(settings=settings)
    texts = {d.doc: d.text for d in retriever.documents.values()}
    questions = load_questions(REPO / "eval" / "questions.jsonl", texts)
    return run_evaluation(
        questions,
        retriever,
        ["bm25", "dense", "hybrid"],
        k=10,
        answerer=lambda q: answer_question(retriever, q, settings=settings),
    )


def test_floors(result: EvalResult) -> None:
    for name, floors in FLOORS.items():
        overall = result.retriever(name).overall
        for metric, floor in floors.items():
            assert overall[metric] >= floor, f"{name} {metric} {overall[metric]:.3f} < {floor}"


def test_hybrid_beats_both_single_retrievers(result: EvalResult) -> None:
    hybrid = result.retriever("hybrid").overall
    for name in ("bm25", "dense"):
        single = result.retriever(name).overall
        for metric in ("recall@5", "mrr@10"):
            assert hybrid[metric] > single[metric], f"hybrid {metric} <= {name}"


def test_languages_within_reach_of_each_other(result: EvalResult) -> None:
    per_lang = result.retriever("hybrid").per_lang
    assert abs(per_lang["sv"]["recall@5"] - per_lang["en"]["recall@5"]) <= LANGUAGE_GAP
    for metric, floor in ENGLISH_FLOORS.items():
        assert per_lang["en"][metric] >= floor, (
            f"en {metric} {per_lang['en'][metric]:.3f} < {floor}"
        )


def test_answer_metrics(result: EvalResult) -> None:
    overall = result.retriever("hybrid").overall
    for metric, floor in ANSWER_FLOORS.items():
        assert overall[metric] >= floor, f"{metric} {overall[metric]:.3f} < {floor}"
    assert overall["false_abstention"] <= FALSE_ABSTENTION_CEILING

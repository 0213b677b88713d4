"""Retrieval and answer metrics: hand-computed cases and a cross-check with ir-measures."""

from __future__ import annotations

import math
import random

import ir_measures
import pytest
from ir_measures import RR, R, nDCG

from assistant.evaluation.metrics import (
    ABSTENTION_ACCURACY,
    ANSWER_RECALL,
    CITATION_PRECISION,
    FALSE_ABSTENTION,
    HIT_AT_1,
    MRR_AT_10,
    NDCG_AT_10,
    SET_RECALL,
    WRONG_BOARDS,
    QuestionMetrics,
    SimplePassage,
    abstention_accuracy,
    aggregate,
    answer_metrics,
    answer_recall,
    citation_precision,
    false_abstention_rate,
    full_at_k,
    hit_at_1,
    mrr_at_k,
    ndcg_at_k,
    overall,
    passage_hits,
    per_kind,
    per_lang,
    ranking_metrics,
    recall_at_k,
)
from assistant.evaluation.questions import Kind, Lang, Question, Quote, ResolvedQuestion, find_quote

DOCS = {
    "a.txt": "Inledning. Nämnden har inte en\n\nfungerande intern kontroll. Slut på texten här.",
    "b.txt": "Rekommendationer: Kommunstyrelsen bör ta fram en strategi. Övrigt innehåll.",
}


def resolve(
    qid: str, quotes: list[tuple[str, str]], lang: Lang = "sv", kind: Kind = "fact"
) -> ResolvedQuestion:
    question = Question(
        id=qid,
        question="?",
        lang=lang,
        kind=kind,
        relevant=[Quote(doc=d, quote=t) for d, t in quotes],
    )
    return ResolvedQuestion(question, [find_quote(DOCS[d], t) for d, t in quotes])


def passage(doc: str, start: int, end: int) -> SimplePassage:
    return SimplePassage(doc, start, end, DOCS[doc][start:end])


QA = resolve("qa", [("a.txt", "Nämnden har inte en fungerande intern kontroll.")])
UNANSWERABLE = resolve("qu", [], kind="unanswerable")


def span_of(question: ResolvedQuestion, i: int = 0) -> tuple[int, int]:
    (span,) = question.spans[i]
    return span


# --- relevance ----------------------------------------------------------------------------


def test_passage_containing_quote_hits_despite_whitespace() -> None:
    s, e = span_of(QA)
    assert DOCS["a.txt"][s:e].count("\n") == 2  # the document has a paragraph break inside
    assert passage_hits(passage("a.txt", 0, len(DOCS["a.txt"])), QA) == {0}
    # Text containment counts in any document and with any offsets (e.g. a copied report).
    copy = SimplePassage(
        "other.txt", 500, 560, "x Nämnden  har inte en fungerande\tintern kontroll. y"
    )
    assert passage_hits(copy, QA) == {0}


def test_overlap_of_half_the_quote_hits() -> None:
    s, e = span_of(QA)
    length = e - s
    half = (length + 1) // 2  # at least half
    assert passage_hits(passage("a.txt", s, s + half), QA) == {0}
    assert passage_hits(passage("a.txt", e - half, len(DOCS["a.txt"])), QA) == {0}
    assert passage_hits(passage("a.txt", 0, s + half), QA) == {0}


def test_overlap_of_less_than_half_does_not_hit() -> None:
    s, e = span_of(QA)
    short = (e - s - 1) // 2  # strictly less than half
    assert 2 * short < e - s
    assert passage_hits(passage("a.txt", s, s + short), QA) == set()
    assert passage_hits(passage("a.txt", e - short, len(DOCS["a.txt"])), QA) == set()
    assert passage_hits(passage("a.txt", 0, s), QA) == set()  # adjacent, no overlap


def test_same_span_in_another_document_never_hits() -> None:
    s, e = span_of(QA)
    assert passage_hits(SimplePassage("b.txt", s, e, DOCS["b.txt"][s:e]), QA) == set()


def test_exactly_half_of_an_even_length_span_hits() -> None:
    q = resolve("q", [("a.txt", "Slut på texten")])  # 14 characters
    s, e = span_of(q)
    assert e - s == 14
    assert passage_hits(passage("a.txt", s + 7, len(DOCS["a.txt"])), q) == {0}
    assert passage_hits(passage("a.txt", s + 8, len(DOCS["a.txt"])), q) == set()


def test_any_occurrence_counts() -> None:
    docs_b = DOCS["b.txt"]
    q = resolve("q", [("b.txt", "en")])  # several occurrences
    assert len(q.spans[0]) >= 2
    last_s, last_e = q.spans[0][-1]
    assert passage_hits(SimplePassage("b.txt", last_s, last_e, "x"), q) == {0}
    assert docs_b[last_s:last_e] == "en"


def test_unanswerable_question_is_never_hit() -> None:
    assert passage_hits(passage("a.txt", 0, 20), UNANSWERABLE) == set()


# --- ranking metrics by hand ----------------------------------------------------------------


def test_hits_at_ranks_2_and_4_of_3_quotes() -> None:
    hits: list[set[int]] = [set(), {0}, set(), {2}, set(), {1}]
    assert hit_at_1(hits, 3) == 0.0
    assert recall_at_k(hits, 3, 5) == pytest.approx(2 / 3)
    assert recall_at_k(hits, 3, 10) == 1.0
    assert full_at_k(hits, 3, 5) == 0.0
    assert full_at_k(hits, 3, 10) == 1.0
    assert mrr_at_k(hits, 3) == 0.5
    # DCG  = 1/log2(3) + 1/log2(5) + 1/log2(7) = 0.63093 + 0.43068 + 0.35621 = 1.41782
    # IDCG = 1/log2(2) + 1/log2(3) + 1/log2(4) = 1 + 0.63093 + 0.5 = 2.13093
    # nDCG = 1.41782 / 2.13093 = 0.66535
    assert ndcg_at_k(hits, 3) == pytest.approx(0.66535, abs=1e-5)
    assert ndcg_at_k(hits[:5], 3) == pytest.approx(1.06161 / 2.13093, abs=1e-5)


def test_duplicate_passages_of_one_quote_do_not_inflate_ndcg() -> None:
    # Ranks 1, 2, 3 all hit quote 0; only rank 1 gains. Quote 1 is hit at rank 4.
    hits: list[set[int]] = [{0}, {0}, {0}, {1}]
    # DCG = 1 + 1/log2(5) = 1.43068; IDCG = 1 + 1/log2(3) = 1.63093
    assert ndcg_at_k(hits, 2) == pytest.approx(1.43068 / 1.63093, abs=1e-5)
    assert recall_at_k(hits, 2, 3) == 0.5
    assert hit_at_1(hits, 2) == 1.0
    assert mrr_at_k(hits, 2) == 1.0


def test_one_passage_covering_two_quotes_gains_once() -> None:
    hits: list[set[int]] = [{0, 1}]
    assert ndcg_at_k(hits, 2) == pytest.approx(1 / (1 + 1 / math.log2(3)))
    assert full_at_k(hits, 2, 5) == 1.0


def test_ideal_dcg_is_capped_at_k_quotes() -> None:
    hits = [{i} for i in range(10)]
    assert ndcg_at_k(hits, 12) == pytest.approx(1.0)
    assert recall_at_k(hits, 12, 10) == pytest.approx(10 / 12)


def test_mrr_ignores_hits_below_rank_10() -> None:
    hits: list[set[int]] = [set()] * 10 + [{0}]
    assert mrr_at_k(hits, 1) == 0.0
    assert ndcg_at_k(hits, 1) == 0.0
    assert mrr_at_k(hits, 1, k=11) == pytest.approx(1 / 11)


def test_empty_ranking() -> None:
    assert hit_at_1([], 2) == 0.0
    assert recall_at_k([], 2, 5) == 0.0
    assert mrr_at_k([], 2) == 0.0
    assert ndcg_at_k([], 2) == 0.0


def test_unanswerable_has_no_ranking_metrics() -> None:
    for value in (
        hit_at_1([], 0),
        recall_at_k([], 0, 5),
        full_at_k([], 0, 5),
        mrr_at_k([], 0),
        ndcg_at_k([], 0),
    ):
        assert value is None
    m = ranking_metrics(UNANSWERABLE, [passage("a.txt", 0, 10)])
    assert set(m.values.values()) == {None}


def test_ranking_metrics_from_passages() -> None:
    q = resolve("q2", [("a.txt", "intern kontroll"), ("b.txt", "bör ta fram en strategi")])
    (sa, ea), (sb, eb) = span_of(q, 0), span_of(q, 1)
    ranking = [
        passage("b.txt", 0, 10),  # miss
        passage("a.txt", sa - 3, ea),  # quote 0
        passage("a.txt", sa, ea + 5),  # quote 0 again
        passage("b.txt", sb, eb),  # quote 1
    ]
    m = ranking_metrics(q, ranking, ks=(1, 3, 5))
    assert (m.id, m.lang, m.kind) == ("q2", "sv", "fact")
    assert m.values == {
        HIT_AT_1: 0.0,
        "recall@1": 0.0, "recall@3": 0.5, "recall@5": 1.0,
        "full@1": 0.0, "full@3": 0.0, "full@5": 1.0,
        MRR_AT_10: 0.5,
        NDCG_AT_10: pytest.approx((1 / math.log2(3) + 1 / math.log2(5)) / (1 + 1 / math.log2(3))),
    }  # fmt: skip
    assert set(ranking_metrics(q, ranking).values) == {
        HIT_AT_1, "recall@5", "recall@10", "full@5", "full@10", MRR_AT_10, NDCG_AT_10,
    }  # fmt: skip


# --- aggregation -------------------------------------------------------------------------------


def test_aggregate_skips_none_and_groups() -> None:
    rows = [
        QuestionMetrics("1", "sv", "fact", {"m": 1.0, "n": None}),
        QuestionMetrics("2", "sv", "list", {"m": 0.0, "n": None}),
        QuestionMetrics("3", "en", "fact", {"m": 0.5, "n": 1.0}),
        QuestionMetrics("4", "en", "unanswerable", {"m": None, "n": 0.0}),
    ]
    assert aggregate(rows) == overall(rows) == {"m": 0.5, "n": 0.5}
    assert per_lang(rows) == {"en": {"m": 0.5, "n": 0.5}, "sv": {"m": 0.5}}
    assert per_kind(rows) == {
        "fact": {"m": 0.75, "n": 1.0},
        "list": {"m": 0.0},
        "unanswerable": {"n": 0.0},
    }
    assert aggregate(rows, by=lambda m: "all") == {"all": {"m": 0.5, "n": 0.5}}
    assert aggregate([]) == {}


def test_merged_combines_values() -> None:
    a = QuestionMetrics("1", "sv", "fact", {"x": 1.0})
    b = QuestionMetrics("1", "sv", "fact", {"y": 0.0})
    assert a.merged(b).values == {"x": 1.0, "y": 0.0}
    with pytest.raises(ValueError):
        a.merged(QuestionMetrics("2", "sv", "fact"))


# --- answer metrics ------------------------------------------------------------------------------


def test_answer_metrics() -> None:
    q = resolve("q2", [("a.txt", "intern kontroll"), ("b.txt", "bör ta fram en strategi")])
    sa, ea = span_of(q, 0)
    good = passage("a.txt", sa, ea)
    bad = passage("b.txt", 0, 10)
    assert citation_precision(q, [good, bad, good]) == pytest.approx(2 / 3)
    assert answer_recall(q, [good, bad, good]) == 0.5
    assert citation_precision(q, []) is None
    assert answer_recall(q, []) == 0.0
    assert citation_precision(UNANSWERABLE, [bad]) is None
    assert answer_recall(UNANSWERABLE, [bad]) is None

    m = answer_metrics(q, [good], abstained=False)
    assert m.values == {
        CITATION_PRECISION: 1.0, ANSWER_RECALL: 0.5,
        ABSTENTION_ACCURACY: None, FALSE_ABSTENTION: 0.0,
        SET_RECALL: None, WRONG_BOARDS: None,
    }  # fmt: skip
    m = answer_metrics(UNANSWERABLE, [], abstained=True)
    assert m.values == {
        CITATION_PRECISION: None, ANSWER_RECALL: None,
        ABSTENTION_ACCURACY: 1.0, FALSE_ABSTENTION: None,
        SET_RECALL: None, WRONG_BOARDS: None,
    }  # fmt: skip


def test_set_metrics_count_boards_listed_against_their_sentence() -> None:
    from assistant.evaluation.questions import BoardRef, Question, ResolvedQuestion

    q = ResolvedQuestion(
        Question(
            id="s1",
            question="Vilka nämnder saknar planer?",
            lang="sv",
            kind="list",
            relevant=[Quote(doc="a.txt", quote="intern kontroll")],
            boards=[
                BoardRef(municipality="Alfa", board="kultur- och fritidsnämnden"),
                BoardRef(municipality="Alfa", board="socialnämnden"),
            ],
            not_boards=[BoardRef(municipality="Alfa", board="stadsbyggnadsnämnden")],
        ),
        [[(0, 15)]],
    )
    listed = [("Alfa", "Kultur- och fritidsnämnden"), ("alfa", "Stadsbyggnadsnämndens")]
    m = answer_metrics(q, [], abstained=False, listed=listed)
    assert m.values[SET_RECALL] == 0.5
    assert m.values[WRONG_BOARDS] == 1.0
    assert answer_metrics(q, [], False, [("Alfa", "socialnämnd")]).values[WRONG_BOARDS] == 0.0


def test_abstention_rates() -> None:
    u2 = resolve("u2", [], kind="unanswerable")
    outcomes = [(UNANSWERABLE, True), (u2, False), (QA, True), (QA, False), (QA, False)]
    assert abstention_accuracy(outcomes) == 0.5
    assert false_abstention_rate(outcomes) == pytest.approx(1 / 3)
    assert abstention_accuracy([(QA, True)]) is None
    rows = [answer_metrics(q, [], a) for q, a in outcomes]
    means = aggregate(rows)
    assert means[ABSTENTION_ACCURACY] == 0.5
    assert means[FALSE_ABSTENTION] == pytest.approx(1 / 3)


# --- cross-check with ir-measures ----------------------------------------------------------------


def test_matches_ir_measures_on_random_rankings() -> None:
    """Each passage hits at most one quote and no quote twice, so qrels model it exactly."""
    rng = random.Random(20240611)
    qrels: list[ir_measures.Qrel] = []
    run: list[ir_measures.ScoredDoc] = []
    ours: list[QuestionMetrics] = []
    for qi in range(20):
        qid = f"q{qi}"
        n_quotes = rng.randint(1, 12)
        words = [f"<w{qi}-{j}>" for j in range(n_quotes)]  # no word contains another
        doc = " ".join(f"{w} filler text." for w in words)
        question = Question(
            id=qid,
            question="?",
            lang="sv",
            kind="list",
            relevant=[Quote(doc="d.txt", quote=w) for w in words],
        )
        resolved = ResolvedQuestion(question, [find_quote(doc, w) for w in words])
        for j in range(n_quotes):
            qrels.append(ir_measures.Qrel(qid, f"{qid}-quote{j}", 1))

        # A ranking of 0-15 passages: some hit distinct quotes, the rest miss.
        length = rng.randint(1, 15)
        hit_quotes = rng.sample(range(n_quotes), k=min(n_quotes, rng.randint(0, length)))
        slots = rng.sample(range(length), k=len(hit_quotes))
        quote_at = dict(zip(slots, hit_quotes, strict=True))
        ranking: list[SimplePassage] = []
        for rank in range(length):
            if rank in quote_at:
                j = quote_at[rank]
                doc_id = f"{qid}-quote{j}"
                (s, e) = resolved.spans[j][0]
                ranking.append(SimplePassage("d.txt", s, e, doc[s:e]))
            else:
                doc_id = f"{qid}-miss{rank}"
                ranking.append(SimplePassage("other.txt", 0, 6, "filler"))
            assert len(passage_hits(ranking[-1], resolved)) == (rank in quote_at)
            run.append(ir_measures.ScoredDoc(qid, doc_id, float(100 - rank)))
        ours.append(ranking_metrics(resolved, ranking))

    theirs = ir_measures.calc_aggregate([RR @ 10, nDCG @ 10, R @ 5], qrels, run)
    mine = aggregate(ours)
    assert mine[MRR_AT_10] == pytest.approx(theirs[RR @ 10], abs=1e-9)
    assert mine[NDCG_AT_10] == pytest.approx(theirs[nDCG @ 10], abs=1e-9)
    assert mine["recall@5"] == pytest.approx(theirs[R @ 5], abs=1e-9)
    assert 0.0 < mine[NDCG_AT_10] < 1.0  # the sample is not degenerate

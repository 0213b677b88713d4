"""Run a question set against the retrievers (and optionally the answerer), report, compare.

``run_evaluation`` searches every question with every retriever, scores the rankings
against the gold quotes (see :mod:`assistant.evaluation.metrics`) and, given an answerer, scores the
hybrid answers too. The :class:`EvalResult` holds the settings, the aggregates and every
ranked passage, and round-trips through JSON (``granska eval --out``); :func:`compare`
diffs two results (``granska eval --compare``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, Protocol

from pydantic import BaseModel, Field, ValidationError
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from assistant.errors import ConfigError
from assistant.evaluation import metrics as m
from assistant.evaluation.questions import ResolvedQuestion
from assistant.models import Filters, Hit

FORMAT: Literal["granska-eval"] = "granska-eval"
ANSWERING_RETRIEVER = "hybrid"
Values = dict[str, float | None]


class Searcher(Protocol):
    def search(
        self, query: str, k: int = 10, filters: Filters | None = None, retriever: str = "hybrid"
    ) -> list[Hit]: ...


class AnswerLike(Protocol):
    """What the answerer returns (e.g. ``answer.Answer``); ``text`` is optional."""

    @property
    def abstained(self) -> bool: ...
    @property
    def citations(self) -> Sequence[m.Passage]: ...


Answerer = Callable[[str], AnswerLike]
Progress = Callable[[int, int], None]


class PassageRecord(BaseModel):
    doc: str
    start: int
    end: int
    page: int | None = None
    section: str = ""
    text: str
    score: float = 0.0


class AnswerRecord(BaseModel):
    text: str = ""
    abstained: bool
    citations: list[PassageRecord] = []


class QuestionResult(BaseModel):
    id: str
    question: str
    lang: str
    kind: str
    passages: list[PassageRecord]
    ranking_metrics: Values
    answer: AnswerRecord | None = None
    answer_metrics: Values | None = None

    def values(self) -> Values:
        return {**self.ranking_metrics, **(self.answer_metrics or {})}


class RetrieverResult(BaseModel):
    retriever: str
    seconds: float = Field(0.0, description="Wall-clock time of the searches (and answers).")
    overall: dict[str, float]
    per_lang: dict[str, dict[str, float]]
    per_kind: dict[str, dict[str, float]]
    questions: list[QuestionResult]


class EvalResult(BaseModel):
    """Everything ``granska eval --out`` writes."""

    format: Literal["granska-eval"] = FORMAT
    version: int = 1
    created: datetime = Field(default_factory=lambda: datetime.now(UTC))
    settings: dict[str, Any] = {}
    retrievers: list[RetrieverResult]

    def to_json(self) -> str:
        return self.model_dump_json(indent=2)

    @classmethod
    def from_json(cls, text: str, source: str = "results") -> EvalResult:
        """Parse a results file; anything else raises a one-line :class:`ConfigError`."""
        try:
            return cls.model_validate_json(text)
        except ValidationError as e:
            raise ConfigError(
                f"{source}: not a Granska evaluation results file ({e.error_count()} problems); "
                "make one with 'granska eval <questions> --out <file>'"
            ) from e

    def retriever(self, name: str) -> RetrieverResult | None:
        return next((r for r in self.retrievers if r.retriever == name), None)


def load_result(path: Path) -> EvalResult:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"{path}: cannot read the results file ({e})") from e
    return EvalResult.from_json(text, source=str(path))


def ranking_ks(k: int) -> tuple[int, ...]:
    return m.DEFAULT_KS if k in m.DEFAULT_KS else (*m.DEFAULT_KS, k)


def run_evaluation(
    questions: Sequence[ResolvedQuestion],
    searcher: Searcher,
    retrievers: Sequence[str],
    k: int = 10,
    answerer: Answerer | None = None,
    progress: Progress | None = None,
    settings: Mapping[str, Any] | None = None,
) -> EvalResult:
    """Search every question with every retriever and score the results.

    Args:
        questions: A resolved question set (:func:`assistant.evaluation.questions.load_questions`).
        searcher: Anything with ``search(query, k, filters, retriever) -> list[Hit]``.
        retrievers: Retriever names, e.g. ``["bm25", "dense", "hybrid"]``.
        k: Passages retrieved per question; recall/full are reported at 5, 10 and ``k``.
        answerer: Optional ``question -> Answer``; its answers are scored on the
            ``hybrid`` row only (and not at all when ``hybrid`` is not evaluated).
        progress: Called as ``progress(done, total)`` after every search and answer.
        settings: Extra settings to record (embedder id, chunk_words, question file, ...).
    """
    if k < 1:
        raise ConfigError(f"k must be at least 1, got {k}")
    ks = ranking_ks(k)
    answering = answerer is not None and ANSWERING_RETRIEVER in retrievers
    total = len(retrievers) * len(questions) + (len(questions) if answering else 0)
    done = 0
    results: list[RetrieverResult] = []
    for name in retrievers:
        started = time.perf_counter()
        rows: list[QuestionResult] = []
        for rq in questions:
            hits = searcher.search(rq.question.question, k=k, retriever=name)
            row = QuestionResult(
                id=rq.id,
                question=rq.question.question,
                lang=rq.lang,
                kind=rq.kind,
                passages=[_hit_record(h) for h in hits],
                ranking_metrics=m.ranking_metrics(rq, [h.chunk for h in hits], ks).values,
            )
            done += 1
            if progress:
                progress(done, total)
            if answerer is not None and name == ANSWERING_RETRIEVER:
                answer = answerer(rq.question.question)
                row.answer = _answer_record(answer)
                listed = [(b.municipality, b.board) for b in getattr(answer, "listed", [])]
                row.answer_metrics = m.answer_metrics(
                    rq, list(answer.citations), answer.abstained, listed
                ).values
                done += 1
                if progress:
                    progress(done, total)
            rows.append(row)
        results.append(_summarise(name, rows, time.perf_counter() - started))
    recorded = {
        **(settings or {}),
        "retrievers": list(retrievers),
        "k": k,
        "questions": len(questions),
        "answers": answering,
    }
    return EvalResult(settings=recorded, retrievers=results)


def _hit_record(hit: Hit) -> PassageRecord:
    c = hit.chunk
    return PassageRecord(
        doc=c.doc,
        start=c.start,
        end=c.end,
        page=c.page,
        section=c.section_path,
        text=c.text,
        score=hit.score,
    )


def _answer_record(answer: AnswerLike) -> AnswerRecord:
    cites = [
        PassageRecord(
            doc=c.doc,
            start=c.start,
            end=c.end,
            text=c.text,
            page=getattr(c, "page", None),
            section=getattr(c, "section", "") or "",
            score=getattr(c, "score", 0.0),
        )
        for c in answer.citations
    ]
    return AnswerRecord(
        text=str(getattr(answer, "text", "")), abstained=answer.abstained, citations=cites
    )


def _summarise(name: str, rows: list[QuestionResult], seconds: float) -> RetrieverResult:
    records = [m.QuestionMetrics(r.id, r.lang, r.kind, r.values()) for r in rows]
    return RetrieverResult(
        retriever=name,
        seconds=round(seconds, 3),
        overall=m.overall(records),
        per_lang=m.per_lang(records),
        per_kind=m.per_kind(records),
        questions=rows,
    )


# --- reporting ---------------------------------------------------------------------------

RANKING_COLUMNS = [
    (m.HIT_AT_1, "hit@1"),
    ("recall@5", "R@5"),
    ("recall@10", "R@10"),
    ("full@10", "full@10"),
    (m.MRR_AT_10, "MRR@10"),
    (m.NDCG_AT_10, "nDCG@10"),
]
ANSWER_COLUMNS = [
    (m.CITATION_PRECISION, "cite P"),
    (m.ANSWER_RECALL, "ans R"),
    (m.ABSTENTION_ACCURACY, "abstain acc"),
    (m.FALSE_ABSTENTION, "false abstain"),
    (m.SET_RECALL, "set R"),
    (m.WRONG_BOARDS, "wrong"),
]


def _columns(result: EvalResult) -> list[tuple[str, str]]:
    cols = list(RANKING_COLUMNS)
    k = int(result.settings.get("k", 10))
    if k not in m.DEFAULT_KS:
        cols[3:3] = [(m.recall_name(k), f"R@{k}"), (m.full_name(k), f"full@{k}")]
    if any(r.questions and r.questions[0].answer_metrics is not None for r in result.retrievers):
        cols += ANSWER_COLUMNS
    return cols


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def format_table(result: EvalResult, detail: bool = False) -> Table:
    """One row per retriever; with ``detail`` also a row per language and per kind."""
    cols = _columns(result)
    table = Table(title=f"Evaluation, k={result.settings.get('k', '?')}")
    table.add_column("retriever")
    table.add_column("n", justify="right")
    for _, label in cols:
        table.add_column(label, justify="right")
    for r in result.retrievers:
        table.add_row(
            r.retriever,
            str(len(r.questions)),
            *(_fmt(r.overall.get(key)) for key, _ in cols),
            style="bold",
        )
        if not detail:
            continue
        for attr, groups in (("lang", r.per_lang), ("kind", r.per_kind)):
            for group, values in groups.items():
                n = sum(1 for q in r.questions if getattr(q, attr) == group)
                table.add_row(f"  {group}", str(n), *(_fmt(values.get(key)) for key, _ in cols))
    return table


class MetricDelta(BaseModel):
    metric: str
    previous: float | None
    current: float | None

    @property
    def delta(self) -> float | None:
        if self.previous is None or self.current is None:
            return None
        return self.current - self.previous


class QuestionChange(BaseModel):
    retriever: str
    id: str
    question: str
    recall5: tuple[float | None, float | None]
    mrr10: tuple[float | None, float | None]


class Comparison(BaseModel):
    deltas: dict[str, list[MetricDelta]] = Field(description="Retriever -> metric deltas.")
    better: list[QuestionChange]
    worse: list[QuestionChange]
    settings_changed: dict[str, tuple[Any, Any]]
    only_current: list[str] = Field(description="Retrievers evaluated only now.")
    only_previous: list[str]


def compare(current: EvalResult, previous: EvalResult) -> Comparison:
    """Per-metric deltas for retrievers in both results, and per-question movers.

    A question got better when its recall@5 rose, or stayed equal while its MRR@10 rose
    (worse: the reverse). Unanswerable questions have neither and never move.
    """
    deltas: dict[str, list[MetricDelta]] = {}
    better: list[QuestionChange] = []
    worse: list[QuestionChange] = []
    for cur in current.retrievers:
        prev = previous.retriever(cur.retriever)
        if prev is None:
            continue
        names = list(dict.fromkeys([*cur.overall, *prev.overall]))
        deltas[cur.retriever] = [
            MetricDelta(metric=n, previous=prev.overall.get(n), current=cur.overall.get(n))
            for n in names
        ]
        before = {q.id: q for q in prev.questions}
        for q in cur.questions:
            if q.id not in before:
                continue
            old = before[q.id].ranking_metrics
            new = q.ranking_metrics
            change = QuestionChange(
                retriever=cur.retriever,
                id=q.id,
                question=q.question,
                recall5=(old.get("recall@5"), new.get("recall@5")),
                mrr10=(old.get(m.MRR_AT_10), new.get(m.MRR_AT_10)),
            )
            sign = _direction(change)
            if sign > 0:
                better.append(change)
            elif sign < 0:
                worse.append(change)
    keys = sorted(set(current.settings) | set(previous.settings))
    changed = {
        key: (previous.settings.get(key), current.settings.get(key))
        for key in keys
        if previous.settings.get(key) != current.settings.get(key)
    }
    cur_names = [r.retriever for r in current.retrievers]
    prev_names = [r.retriever for r in previous.retrievers]
    return Comparison(
        deltas=deltas,
        better=better,
        worse=worse,
        settings_changed=changed,
        only_current=[n for n in cur_names if n not in prev_names],
        only_previous=[n for n in prev_names if n not in cur_names],
    )


def _direction(change: QuestionChange) -> int:
    for old, new in (change.recall5, change.mrr10):
        if old is not None and new is not None and abs(new - old) > 1e-9:
            return 1 if new > old else -1
    return 0


def format_comparison(comparison: Comparison) -> Group:
    """A delta table (current vs previous) and the lists of improved and worsened questions."""
    parts: list[RenderableType] = []
    if comparison.settings_changed:
        changed = ", ".join(
            f"{k}: {a!r} → {b!r}"
            for k, a, b in ((k, *v) for k, v in comparison.settings_changed.items())
        )
        parts.append(Text(f"Settings changed: {changed}", style="yellow"))
    table = Table(title="Change against the previous results")
    table.add_column("retriever")
    table.add_column("metric")
    table.add_column("previous", justify="right")
    table.add_column("current", justify="right")
    table.add_column("Δ", justify="right")
    for name, rows in comparison.deltas.items():
        for d in rows:
            delta = d.delta
            style = "" if not delta else ("green" if delta > 0 else "red")
            shown = "–" if delta is None else f"{delta:+.3f}"
            table.add_row(
                name, d.metric, _fmt(d.previous), _fmt(d.current), Text(shown, style=style)
            )
    parts.append(table)
    for title, changes in (("Better", comparison.better), ("Worse", comparison.worse)):
        lines = [f"{title} ({len(changes)}):"] + [
            f"  {c.retriever} {c.id}: R@5 {_fmt(c.recall5[0])} → {_fmt(c.recall5[1])}, "
            f"MRR@10 {_fmt(c.mrr10[0])} → {_fmt(c.mrr10[1])}  {c.question}"
            for c in changes
        ]
        parts.append(Text("\n".join(lines)))
    for label, names in (
        ("only now", comparison.only_current),
        ("only before", comparison.only_previous),
    ):
        if names:
            parts.append(Text(f"Retrievers evaluated {label}: {', '.join(names)}"))
    return Group(*parts)


def render_text(renderable: RenderableType, width: int = 160) -> str:
    """Plain text of a rich renderable (for logs and tests)."""
    console = Console(width=width, record=True, color_system=None, force_terminal=False)
    with console.capture() as capture:
        console.print(renderable)
    return capture.get()

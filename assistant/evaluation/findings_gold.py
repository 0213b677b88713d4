"""The findings register against hand-made gold: every recommendation of the reports.

``eval/findings.jsonl`` holds one line per distinct recommendation, found by reading the
reports: ``doc``, ``addressees``, ``lead_in`` (or null), ``quote`` (the item's full text)
and ``also_at`` (differently worded copies). Quotes are exact substrings modulo
whitespace, located with :func:`assistant.evaluation.questions.find_quote`.

A gold recommendation is *found* when an extracted recommendation of the same document has
a span covering at least half of one of its occurrences; it is *complete* when that span
covers the whole item and, if the gold has a lead-in, the finding carries a lead-in too.
An extracted recommendation is *correct* when it is some gold recommendation.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assistant.errors import QuestionSetError
from assistant.evaluation.questions import find_quote
from assistant.models import Finding, FindingSpan

Span = tuple[int, int]


class GoldRecommendation(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)
    id: str
    doc: str
    municipality: str = ""
    addressees: list[str] = []
    lead_in: str | None = None
    quote: str = Field(min_length=1)
    also_at: list[str] = []


@dataclass(frozen=True)
class RegisterScore:
    gold: int
    extracted: int
    found: int
    complete: int
    correct: int
    missed: list[str]
    incomplete: list[str]
    wrong: list[str]

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 0.0

    @property
    def precision(self) -> float:
        return self.correct / self.extracted if self.extracted else 0.0

    @property
    def completeness(self) -> float:
        return self.complete / self.found if self.found else 0.0


def load_gold(path: Path) -> list[GoldRecommendation]:
    """Read the gold file; a bad line is a one-line error naming it."""
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            out.append(GoldRecommendation.model_validate(json.loads(line)))
        except (ValueError, ValidationError) as e:
            raise QuestionSetError(f"{path}:{n}: not a gold recommendation ({e})") from None
    return out


def score_register(
    gold: Sequence[GoldRecommendation],
    findings: Sequence[Finding],
    documents: Mapping[str, str],
) -> RegisterScore:
    """Recall, precision and completeness of the extracted recommendations."""
    recs = [f for f in findings if f.kind == "recommendation" and f.doc in documents]
    occurrences: dict[str, list[Span]] = {}
    for g in gold:
        text = documents.get(g.doc, "")
        occurrences[g.id] = [s for q in (g.quote, *g.also_at) for s in find_quote(text, q)]
    found = complete = 0
    missed, incomplete = [], []
    matched: set[str] = set()
    for g in gold:
        hits = [f for f in recs if f.doc == g.doc and _covers(f.spans, occurrences[g.id], 0.5)]
        if not hits:
            missed.append(g.id)
            continue
        found += 1
        matched.update(f.id for f in hits)
        whole = any(_covers(f.spans, occurrences[g.id], 0.95) for f in hits)
        led = g.lead_in is None or any(f.lead_in for f in hits)
        if whole and led:
            complete += 1
        else:
            incomplete.append(g.id)
    wrong = [f.text[:80] for f in recs if f.id not in matched]
    return RegisterScore(
        gold=len(gold),
        extracted=len(recs),
        found=found,
        complete=complete,
        correct=len(recs) - len(wrong),
        missed=missed,
        incomplete=incomplete,
        wrong=wrong,
    )


def _covers(spans: Sequence[FindingSpan], targets: Sequence[Span], share: float) -> bool:
    return any(
        min(s.end, e) - max(s.start, b) >= share * (e - b) for s in spans for b, e in targets
    )

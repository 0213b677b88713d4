"""A reranking stage between retrieval and answering.

- ``FindingsReranker`` (the built-in default) uses the findings register: for a question
  that wants recommendations, judgements or boards with a property, passages that hold
  findings of that kind move up. No model, no download.
- ``CrossEncoderReranker`` scores (question, passage) pairs with a sentence-transformers
  ``CrossEncoder`` read from a local folder (``GRANSKA_RERANKER=st:/path/to/model``), for
  users who have a multilingual cross-encoder on disk. It never downloads weights.
- ``"off"`` keeps the fused ranking as it is.
"""

from __future__ import annotations

import bisect
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from assistant.errors import ConfigError
from assistant.models import Finding, FindingKind, Hit

# The finding kinds each question intent wants to see first.
WANTED: dict[str, tuple[FindingKind, ...]] = {
    "recommendation": ("recommendation",),
    "judgement": ("assessment",),
    "set": ("assessment", "observation"),
}


class Reranker(Protocol):
    name: str

    def rerank(self, query: str, hits: list[Hit], intent: str | None = None) -> list[Hit]: ...


def _renumbered(hits: Sequence[Hit], scores: Sequence[float]) -> list[Hit]:
    order = sorted(range(len(hits)), key=lambda i: (-scores[i], hits[i].rank))
    return [
        hits[i].model_copy(update={"rank": r, "score": float(scores[i])})
        for r, i in enumerate(order, start=1)
    ]


class NoReranker:
    name = "off"

    def rerank(self, query: str, hits: list[Hit], intent: str | None = None) -> list[Hit]:
        return hits


class FindingsReranker:
    """Passages holding a finding of the kind the question wants gain ``bonus`` on their
    fused score: about the gap between neighbouring ranks of reciprocal rank fusion, so
    the move is local (a relevant passage a rank or two down comes up; an irrelevant one
    holding a finding does not jump the list)."""

    name = "findings"

    def __init__(self, findings: Sequence[Finding], bonus: float = 0.0005) -> None:
        self.bonus = bonus
        self._spans: dict[tuple[str, str], tuple[list[int], list[int]]] = {}
        grouped: dict[tuple[str, str], list[tuple[int, int]]] = {}
        for f in findings:
            for span in f.spans:
                grouped.setdefault((f.kind, f.doc), []).append((span.start, span.end))
        for key, spans in grouped.items():
            spans.sort()
            self._spans[key] = ([s for s, _ in spans], [e for _, e in spans])

    def holds(self, kind: FindingKind, doc: str, start: int, end: int) -> bool:
        """Whether ``doc[start:end]`` overlaps a finding of ``kind``."""
        starts, ends = self._spans.get((kind, doc), ([], []))
        i = bisect.bisect_left(starts, end)
        return any(ends[j] > start for j in range(max(0, i - 8), i))

    def rerank(self, query: str, hits: list[Hit], intent: str | None = None) -> list[Hit]:
        kinds = WANTED.get(intent or "", ())
        if not kinds or not hits:
            return hits
        scores = [
            h.score
            + (
                self.bonus
                if any(self.holds(k, h.chunk.doc, h.chunk.start, h.chunk.end) for k in kinds)
                else 0.0
            )
            for h in hits
        ]
        return _renumbered(hits, scores)


class CrossEncoderReranker:
    """A sentence-transformers cross-encoder from a local folder."""

    def __init__(self, path: str) -> None:
        folder = Path(path).expanduser()
        if not folder.is_dir():
            raise ConfigError(
                f"reranker 'st:{path}': no model folder there; give the path of a "
                "sentence-transformers CrossEncoder saved on disk"
            )
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        try:
            from sentence_transformers import CrossEncoder
        except ImportError as e:
            raise ConfigError(
                "reranker 'st:…' needs sentence-transformers: install it with "
                "\".venv/bin/pip install torch==2.13.0 && .venv/bin/pip install -e '.[st]'\""
            ) from e
        try:
            self.model = CrossEncoder(str(folder), device="cpu", local_files_only=True)
        except Exception as e:  # the library raises many kinds for a bad folder
            raise ConfigError(f"reranker 'st:{path}': cannot load the model ({e})") from e
        self.name = f"st:{folder.name}"

    def rerank(self, query: str, hits: list[Hit], intent: str | None = None) -> list[Hit]:
        if not hits:
            return hits
        scores = self.model.predict([(query, h.chunk.text) for h in hits], show_progress_bar=False)
        return _renumbered(hits, [float(s) for s in scores])


def make_reranker(spec: str, findings: Sequence[Finding] = ()) -> Reranker:
    """``"off"``, ``"findings"`` (default) or ``"st:<path>"``.

    Raises:
        ConfigError: An unknown spec, or a cross-encoder that cannot be loaded.
    """
    spec = (spec or "off").strip()
    if spec == "off":
        return NoReranker()
    if spec == "findings":
        return FindingsReranker(findings)
    if spec.startswith("st:") and len(spec) > 3:
        return CrossEncoderReranker(spec[3:])
    raise ConfigError(f"reranker '{spec}': use 'off', 'findings' or 'st:<path to a model>'")

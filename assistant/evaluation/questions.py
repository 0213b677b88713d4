"""Evaluation question sets: a JSONL file of questions with gold quotes.

Each non-blank line of the file is one JSON object::

    {"id": "q1", "question": "...", "lang": "sv", "kind": "fact",
     "relevant": [{"doc": "<corpus file name>", "quote": "<exact substring>"}],
     "answer": "<reference answer>"}

Gold evidence is given as *quotes* rather than chunk ids so that the question set does
not depend on how documents are chunked. A quote must occur in the named document's text
(the text the user sees); the comparison ignores differences in whitespace. Loading
resolves every quote to the character spans of all its occurrences in that text.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from assistant.errors import QuestionSetError

Lang = Literal["sv", "en"]
Kind = Literal[
    "fact", "list", "cross", "judgement", "recommendation", "numeric", "table", "unanswerable"
]
Span = tuple[int, int]

_WS = re.compile(r"\s+")
_SHOWN_QUOTE = 60


class Quote(BaseModel):
    """A piece of gold evidence: ``quote`` occurs (modulo whitespace) in document ``doc``."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    doc: str = Field(min_length=1)
    quote: str = Field(min_length=1)


class BoardRef(BaseModel):
    """A board of a municipality, as the report names it; an empty ``board`` stands for
    the municipality itself (a set question over municipalities: "Vilka kommuner saknar …")."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    municipality: str = Field(min_length=1)
    board: str = ""


class Question(BaseModel):
    """One evaluation question as written in the question file.

    ``boards`` is the expected answer set of a set question ("Vilka nämnder saknar …");
    ``not_boards`` are boards the reports say the opposite of, which an answer must never
    list. ``tags`` mark sub-kinds ("polarity", "date", "amount", "near-miss").
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(min_length=1)
    question: str = Field(min_length=1)
    lang: Lang
    kind: Kind
    relevant: list[Quote]
    answer: str = ""
    tags: list[str] = []
    boards: list[BoardRef] = []
    not_boards: list[BoardRef] = []

    @model_validator(mode="after")
    def _relevant_matches_kind(self) -> Question:
        if self.kind == "unanswerable" and self.relevant:
            raise ValueError("an unanswerable question must have an empty 'relevant' list")
        if self.kind != "unanswerable" and not self.relevant:
            raise ValueError(f"a '{self.kind}' question needs at least one relevant quote")
        return self


@dataclass(frozen=True)
class ResolvedQuestion:
    """A question whose quotes have been located in their documents.

    Attributes:
        question: The validated question.
        spans: For each quote of ``question.relevant`` (same order), the ``[start, end)``
            offsets of every occurrence in the original document text. Never empty for a
            question returned by :func:`load_questions`.
    """

    question: Question
    spans: list[list[Span]]

    @property
    def id(self) -> str:
        return self.question.id

    @property
    def lang(self) -> str:
        return self.question.lang

    @property
    def kind(self) -> str:
        return self.question.kind

    @property
    def quotes(self) -> list[Quote]:
        return self.question.relevant

    @property
    def answerable(self) -> bool:
        return bool(self.question.relevant)

    @cached_property
    def normalized_quotes(self) -> list[str]:
        """The quotes with whitespace normalised by :func:`normalize_ws`."""
        return [normalize_ws(q.quote) for q in self.question.relevant]


def normalize_ws(text: str) -> str:
    """Collapse every run of whitespace to one space and strip both ends."""
    return _WS.sub(" ", text).strip()


@dataclass(frozen=True)
class NormalizedText:
    """Whitespace-collapsed text with a map back to the original offsets.

    ``text[i]`` was produced by ``original[starts[i]:ends[i]]``: one character, or a whole
    run of whitespace for a collapsed space.
    """

    text: str
    starts: list[int]
    ends: list[int]

    @classmethod
    def of(cls, original: str) -> NormalizedText:
        parts: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        pos = 0
        for m in _WS.finditer(original):
            s, e = m.span()
            parts.append(original[pos:s])
            starts.extend(range(pos, s))
            ends.extend(range(pos + 1, s + 1))
            parts.append(" ")
            starts.append(s)
            ends.append(e)
            pos = e
        parts.append(original[pos:])
        starts.extend(range(pos, len(original)))
        ends.extend(range(pos + 1, len(original) + 1))
        return cls("".join(parts), starts, ends)

    def find_all(self, quote: str) -> list[Span]:
        """All (possibly overlapping) occurrences of ``quote``, as original offsets.

        ``quote`` is normalised with :func:`normalize_ws` first; an empty quote has no
        occurrences.
        """
        needle = normalize_ws(quote)
        if not needle:
            return []
        found: list[Span] = []
        i = self.text.find(needle)
        while i >= 0:
            found.append((self.starts[i], self.ends[i + len(needle) - 1]))
            i = self.text.find(needle, i + 1)
        return found


def find_quote(document: str, quote: str) -> list[Span]:
    """Whitespace-insensitive search: the original ``[start, end)`` of every occurrence."""
    return NormalizedText.of(document).find_all(quote)


def load_questions(path: Path, documents: Mapping[str, str]) -> list[ResolvedQuestion]:
    """Read, validate and resolve a JSONL question file.

    Args:
        path: The question file (UTF-8, an optional BOM is accepted).
        documents: Corpus file name -> document text as shown to the user.

    Returns:
        The questions in file order, with every quote located.

    Raises:
        QuestionSetError: The file cannot be read or has problems. The message lists all
            problems found, one per line as ``<file>:<line>: <problem>``, after a summary
            line ``<file>: <n> problems``.
    """
    shown = str(path)
    text = _read_text(path)
    normalized: dict[str, NormalizedText] = {}
    problems: list[str] = []
    first_line: dict[str, int] = {}
    resolved: list[ResolvedQuestion] = []

    for lineno, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if not line:
            continue
        where = f"{shown}:{lineno}"
        try:
            obj: Any = json.loads(line)
        except json.JSONDecodeError as e:
            problems.append(f"{where}: invalid JSON: {e.msg} (column {e.colno})")
            continue
        if not isinstance(obj, dict):
            problems.append(f"{where}: expected a JSON object, got {type(obj).__name__}")
            continue

        qid = obj.get("id")
        if isinstance(qid, str) and qid:
            if qid in first_line:
                problems.append(
                    f"{where}: duplicate id '{qid}' (first used on line {first_line[qid]})"
                )
            else:
                first_line[qid] = lineno

        try:
            question = Question.model_validate(obj)
        except ValidationError as e:
            problems.extend(f"{where}: {msg}" for msg in _pydantic_problems(e))
            continue

        spans, quote_problems = _resolve(question, documents, normalized)
        problems.extend(f"{where}: {msg}" for msg in quote_problems)
        if not quote_problems:
            resolved.append(ResolvedQuestion(question, spans))

    if not problems and not first_line:
        problems.append(f"{shown}: the file contains no questions")
    if problems:
        count = f"{len(problems)} problem" + ("" if len(problems) == 1 else "s")
        raise QuestionSetError("\n".join([f"{shown}: {count}", *problems]))
    return resolved


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as e:
        raise QuestionSetError(f"{path}: cannot read the question file: {e.strerror}") from e
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        raise QuestionSetError(
            f"{path}: not UTF-8 text (invalid byte 0x{data[e.start]:02x} on line {line}); "
            "save the file as UTF-8"
        ) from e


def _pydantic_problems(error: ValidationError) -> list[str]:
    out: list[str] = []
    for err in error.errors():
        loc = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in err["loc"])
        msg = str(err["msg"]).removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            msg = "unknown field"
        elif err["type"] == "missing":
            msg = "missing field"
        out.append(f"{loc.lstrip('.')}: {msg}" if loc else msg)
    return out


def _resolve(
    question: Question,
    documents: Mapping[str, str],
    cache: dict[str, NormalizedText],
) -> tuple[list[list[Span]], list[str]]:
    spans: list[list[Span]] = []
    problems: list[str] = []
    for i, quote in enumerate(question.relevant):
        label = f"relevant[{i}]"
        if quote.doc not in documents:
            close = difflib.get_close_matches(quote.doc, list(documents), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            problems.append(f"{label}: unknown document '{quote.doc}'{hint}")
            spans.append([])
            continue
        if not normalize_ws(quote.quote):
            problems.append(f"{label}: the quote is blank")
            spans.append([])
            continue
        if quote.doc not in cache:
            cache[quote.doc] = NormalizedText.of(documents[quote.doc])
        found = cache[quote.doc].find_all(quote.quote)
        if not found:
            problems.append(
                f"{label}: quote not found in '{quote.doc}': \"{_shorten(quote.quote)}\""
            )
        spans.append(found)
    return spans, problems


def _shorten(quote: str) -> str:
    flat = normalize_ws(quote)
    return flat if len(flat) <= _SHOWN_QUOTE else flat[: _SHOWN_QUOTE - 1] + "…"

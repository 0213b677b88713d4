"""Answers made of verified quotes: every sentence shown is checked against its source.

Without a language model the answer is composed only of fixed connecting phrases
(``phrases.py``) and sentences copied verbatim from retrieved passages, each followed by
``[n]``. Set questions ("vilka nämnder …") become a list of the boards or municipalities
named in the quoted evidence. Weak evidence gives an abstention that still shows the
closest passages. With ``Settings.llm_base_url`` and ``llm_model`` set, a local model
phrases the answer from the numbered passages (``llm.py``); on any failure the extractive
answer is used with a one-line notice.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from pydantic import BaseModel

from assistant.answer.conversation import Conversation, Turn, resolve_followup
from assistant.answer.phrases import phrase, source_phrase
from assistant.errors import ConfigError, EndpointError
from assistant.ingest.sentences import (
    STOPWORDS,
    Span,
    find_boards,
    is_mostly_markup,
    key_terms,
    matched_terms,
    normalize_space,
    split_lines,
    split_sentences,
    tokens,
    with_lists,
    word_set,
)
from assistant.models import Citation, Filters, Hit
from assistant.search.glossary import swedish_terms
from assistant.settings import Settings, get_settings

MAX_QUESTION_CHARS = 1000
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")
_SET_OF_PLACES = re.compile(r"\b(kommuner(na)?|municipalit(y|ies))\b", re.IGNORECASE)
_PLACE = re.compile(
    r"(?<!\w)(?i:i|in|för|från|from|of|hos|at|about|om)\s+([A-ZÅÄÖ][^\W\d_]+(?:-[A-ZÅÄÖ][^\W\d_]+)?)"
    r"|(?<!\w)([A-ZÅÄÖ][^\W\d_]+?)s?\s+(?i:kommun|municipality)(?!\w)"
)
NOT_PLACES = word_set("Sverige Sweden Europa Europe English Swedish Svenska Granska")
DEFAULT_MIN_DENSE = 0.0
MIN_WORDS = 4
MAX_PASSAGES = 2
MAX_WORDS = 120
# Larger than any overlap (<= 1) plus rank prior (<= 0.5): template text comes last.
TEMPLATE_PENALTY = 2.0


@dataclass(frozen=True)
class AbstainPolicy:
    """Thresholds of the abstention decision (calibrate on the dev set).

    Attributes:
        min_overlap: Least share of the question's key terms that the best of the top
            ``top_n`` passages must contain (Swedish questions).
        soft_overlap: Below this share a Swedish question also needs a best dense
            cosine of at least ``min_dense``.
        min_dense: See ``soft_overlap``.
        min_overlap_en: Least share for English questions, whose key terms are the Swedish
            glossary terms of their words (``glossary.swedish_terms``).
        top_n: How many of the best hits count as evidence.
    """

    min_overlap: float = 0.5
    soft_overlap: float = 0.6
    min_dense: float = 0.85
    min_overlap_en: float = 0.3
    top_n: int = 3

    @classmethod
    def from_settings(cls, settings: Settings) -> AbstainPolicy:
        return cls(
            min_overlap=settings.abstain_min_overlap,
            min_dense=settings.abstain_min_dense,
            min_overlap_en=settings.abstain_min_overlap_en,
        )


def abstain_reason(
    hits: list[Hit],
    terms: list[str],
    lang: str,
    policy: AbstainPolicy,
    missing_places: list[str] | None = None,
) -> str | None:
    """Why the evidence is too weak to answer, or None when it is good enough.

    Reasons: ``"unknown_place"`` (the question names a municipality without a report),
    ``"no_hits"``, ``"low_overlap"``, ``"low_dense"``.
    """
    if missing_places:
        return "unknown_place"
    if not hits:
        return "no_hits"
    top = hits[: policy.top_n]
    if not terms:
        return None
    best = max(len(matched_terms(terms, h.chunk.text)) for h in top) / len(terms)
    if lang == "en":
        return "low_overlap" if best < policy.min_overlap_en else None
    if best < policy.min_overlap:
        return "low_overlap"
    dense = max((h.scores.get("dense", 0.0) for h in top), default=0.0)
    if best < policy.soft_overlap and dense < policy.min_dense:
        return "low_dense"
    return None


_NAME = re.compile(r"(?<![\w-])([A-ZÅÄÖ][\w-]*)")
_ODD_NAME = re.compile(r"^(?:[A-ZÅÄÖ]{2,}\w*|[A-ZÅÄÖ]\w*[a-zåäö][A-ZÅÄÖ]\w*)$")


def question_terms(text: str, lang: str, exclude: frozenset[str]) -> list[str]:
    """Stemmed key terms to look for in Swedish passages.

    English questions are mapped to Swedish through the glossary; their acronyms and
    names ("PwC", "SKL") are kept as they are.
    """
    if lang != "en":
        return key_terms(text, lang, exclude)
    names = " ".join(m.group(1) for m in _NAME.finditer(text) if _ODD_NAME.match(m.group(1)))
    return key_terms(f"{swedish_terms(text)} {names}", "sv", exclude)


def unknown_names(
    question: str, lang: str, hits: list[Hit], knows: Callable[[str], bool]
) -> list[str]:
    """Names in the question that no indexed document contains ("ChatGPT", "Microsoft").

    Acronyms and camel-case names count in any language; in a Swedish question every
    capitalised word but the first does (Swedish capitalises only proper nouns).
    """
    seen = {t for h in hits for t in tokens(h.chunk.text)}
    out: list[str] = []
    for i, m in enumerate(_NAME.finditer(question)):
        name = m.group(1).strip("-")
        odd = bool(_ODD_NAME.match(name))
        proper = lang != "en" and m.start() > 0 and i > 0
        if not (odd or proper) or len(name) < 3:
            continue
        parts = [p.casefold() for p in name.split("-") if p]
        if any(_known(p, knows, seen) for p in parts) or name in out:
            continue
        out.append(name)
    return out


def _known(word: str, knows: Callable[[str], bool], seen: set[str]) -> bool:
    """In the corpus or the passages, also as a genitive ("Avestas", "KPMG:s")."""
    base = word.removesuffix(":s").removesuffix("s") if len(word) > 4 else word
    return any(w in seen or knows(w) for w in {word, base, word.removesuffix(":s")})


def unknown_places(question: str, known: list[str], hits: list[Hit]) -> list[str]:
    """Capitalised place names in the question ("i Malmö", "Malmö kommun") that are no
    municipality of the corpus and occur in none of the passages."""
    known_folded = {m.casefold() for m in known}
    seen = {t for h in hits for t in tokens(h.chunk.text)}
    missing: list[str] = []
    for m in _PLACE.finditer(question):
        name = m.group(1) or m.group(2)
        folded = name.casefold()
        if (
            folded in known_folded
            or (folded.endswith("s") and folded[:-1] in known_folded)
            or name in NOT_PLACES
            or folded in STOPWORDS
            or folded in seen
            or find_boards(name)
            or name in missing
        ):
            continue
        missing.append(name)
    return missing


@dataclass(frozen=True)
class Candidate:
    """A sentence (or table row) of a retrieved passage, scored for the question."""

    hit: Hit
    span: Span
    score: float
    matched: frozenset[str]
    header: str | None = None

    def display(self) -> str:
        """The quote with internal whitespace normalised (table cells joined by " | ")."""
        if self.hit.chunk.kind == "table":
            return _cells(self.span.text)
        return normalize_space(self.span.text)

    def boards(self) -> list[str]:
        return find_boards(self.span.text)

    def source_phrase(self, lang: str) -> str:
        c = self.hit.chunk
        return source_phrase(lang, c.municipality, c.year, c.doc_type, c.doc)


def _cells(row: str) -> str:
    return " | ".join(normalize_space(c) for c in row.split("\t") if c.strip())


def candidates(
    hits: list[Hit], terms: list[str], is_template: Callable[[str], bool] | None = None
) -> list[Candidate]:
    """Every quotable sentence of ``hits``, scored by key-term overlap plus a rank prior.

    A lead-in ending in a colon comes with the list that follows it. Sentences for which
    ``is_template`` is true (boilerplate shared by several reports) score below all others.
    """
    pool: list[Candidate] = []
    for hit in hits:
        chunk = hit.chunk
        table = chunk.kind == "table"
        header = chunk.table_header
        if table:
            spans = split_lines(chunk.text)
        else:
            spans = with_lists(chunk.text, split_sentences(chunk.text), MAX_WORDS)
        for i, span in enumerate(spans):
            words = len(span.text.split())
            if table and header and normalize_space(span.text) == normalize_space(header):
                continue
            if words < (2 if table else MIN_WORDS) or words > MAX_WORDS:
                continue
            if is_mostly_markup(span.text) and not table:
                continue
            matched = frozenset(matched_terms(terms, span.text))
            overlap = len(matched) / len(terms) if terms else 0.0
            prior = 1.0 / (hit.rank + 1) - 0.001 * i
            penalty = TEMPLATE_PENALTY if is_template and is_template(span.text) else 0.0
            shown = _cells(header) if table and header else None
            pool.append(Candidate(hit, span, overlap + prior - penalty, matched, shown))
    pool.sort(key=lambda c: (-c.score, c.hit.rank, c.span.start))
    return pool


def _similar(a: str, b: str) -> bool:
    ta, tb = set(tokens(a)), set(tokens(b))
    return bool(ta and tb) and len(ta & tb) / len(ta | tb) >= 0.8


def _overlaps(a: Candidate, b: Candidate) -> bool:
    """Both quote the same stretch of one passage (a list item and its lead-in block)."""
    return (
        a.hit.chunk.id == b.hit.chunk.id and a.span.start < b.span.end and b.span.start < a.span.end
    )


def select(
    pool: list[Candidate],
    max_n: int,
    min_n: int,
    max_passages: int | None = None,
    floor_ratio: float = 0.5,
) -> list[Candidate]:
    """The best candidates: within ``floor_ratio`` of the best score (at least ``min_n``
    when available), from at most ``max_passages`` passages, never two near-identical
    sentences and never two quotes of the same stretch of text."""
    if not pool:
        return []
    needs_terms = any(c.matched for c in pool)
    floor = pool[0].score * floor_ratio
    chosen: list[Candidate] = []
    passages: set[str] = set()
    for cand in pool:
        if len(chosen) >= max_n:
            break
        if max_passages and cand.hit.chunk.id not in passages and len(passages) >= max_passages:
            continue
        if needs_terms and not cand.matched:
            continue
        if cand.score < floor and len(chosen) >= min_n:
            break
        if any(_similar(cand.span.text, c.span.text) or _overlaps(cand, c) for c in chosen):
            continue
        chosen.append(cand)
        passages.add(cand.hit.chunk.id)
    return chosen


class QueryView(Protocol):
    """What ``answer_question`` reads of ``query.QueryInfo``."""

    text: str
    lang: str
    municipalities: list[str]
    years: list[int]
    wants_set: bool


class Searcher(Protocol):
    """``retriever.Retriever`` or a test fake."""

    @property
    def municipalities(self) -> list[str]: ...

    def analyze(self, query: str) -> Any: ...

    def search(
        self, query: str, k: int = 10, filters: Filters | None = None, retriever: str = "hybrid"
    ) -> list[Hit]: ...


class EmptyQuestionError(ConfigError):
    """The question is empty once control characters and spaces are removed."""


class Quote(BaseModel):
    """A quoted span: ``document.text[start:end] == text`` (absolute offsets)."""

    n: int
    doc: str
    start: int
    end: int
    text: str


class Answer(BaseModel):
    question: str
    resolved_question: str
    text: str
    abstained: bool
    language: Literal["sv", "en"]
    mode: Literal["extractive", "llm"] = "extractive"
    citations: list[Citation] = []
    quotes: list[Quote] = []
    hits: list[Hit] = []
    filters: Filters = Filters()
    notice: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answer": {
                "text": self.text,
                "abstained": self.abstained,
                "language": self.language,
                "mode": self.mode,
            },
            "citations": [
                {
                    "n": c.n,
                    "doc": c.doc,
                    "municipality": c.municipality,
                    "section": c.section,
                    "page": c.page,
                    "start": c.start,
                    "end": c.end,
                    "text": c.text,
                    "score": c.score,
                }
                for c in self.citations
            ],
        }

    def to_json_text(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False, indent=2)


def clean_question(question: str) -> tuple[str, bool]:
    """Control characters out, whitespace normalised, cut at ``MAX_QUESTION_CHARS``.

    Returns the cleaned question and whether it was truncated.

    Raises:
        EmptyQuestionError: Nothing is left to ask.
    """
    text = normalize_space(_CONTROL.sub(" ", question or ""))
    if not text:
        raise EmptyQuestionError(
            "the question is empty; ask e.g. 'Vilka nämnder saknar mål för digitalisering?'"
        )
    if len(text) <= MAX_QUESTION_CHARS:
        return text, False
    cut = text[:MAX_QUESTION_CHARS]
    return (cut.rsplit(" ", 1)[0] if " " in cut[-50:] else cut), True


@dataclass
class _Built:
    """An answer text under construction: passages get numbers as they are first cited."""

    lang: str
    numbers: dict[str, int] = field(default_factory=dict)
    citations: list[Citation] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)

    def cite(self, hit: Hit) -> int:
        key = hit.chunk.id
        if key not in self.numbers:
            self.numbers[key] = len(self.numbers) + 1
            self.citations.append(hit.citation(self.numbers[key]))
        return self.numbers[key]

    def quote(self, cand: Candidate, with_header: bool = True) -> str:
        """``”sentence” [n]`` after checking the sentence against the passage."""
        chunk = cand.hit.chunk
        if chunk.text[cand.span.start : cand.span.end] != cand.span.text:
            raise AssertionError(f"quote does not match passage {chunk.id}")  # pragma: no cover
        n = self.cite(cand.hit)
        start = chunk.start + cand.span.start
        self.quotes.append(
            Quote(
                n=n,
                doc=chunk.doc,
                start=start,
                end=start + len(cand.span.text),
                text=cand.span.text,
            )
        )
        shown = cand.display()
        shows_header = cand.header and with_header
        context = phrase(self.lang, "table", header=cand.header) + " " if shows_header else ""
        return f"{context}{phrase(self.lang, 'open')}{shown}{phrase(self.lang, 'close')} [{n}]"


def _grouped_quotes(built: _Built, chosen: list[Candidate]) -> list[str]:
    """One paragraph per source document, sentences in document order."""
    order: list[str] = []
    by_doc: dict[str, list[Candidate]] = {}
    for cand in chosen:
        if cand.hit.chunk.doc not in by_doc:
            order.append(cand.hit.chunk.doc)
        by_doc.setdefault(cand.hit.chunk.doc, []).append(cand)
    paragraphs = []
    for doc in order:
        group = sorted(by_doc[doc], key=lambda c: c.hit.chunk.start + c.span.start)
        shown: set[str] = set()
        quoted_parts = []
        for c in group:
            quoted_parts.append(built.quote(c, with_header=c.hit.chunk.id not in shown))
            shown.add(c.hit.chunk.id)
        quoted = " ".join(quoted_parts)
        paragraphs.append(f"{group[0].source_phrase(built.lang)} {quoted}")
    return paragraphs


def _set_lines(built: _Built, chosen: list[Candidate], places: bool) -> list[str]:
    """ "- Botkyrka: Utbildningsnämnden [1]" per board (or "- Botkyrka [1]" per municipality)."""
    entries: dict[tuple[str, str], list[int]] = {}
    for cand in chosen:
        where = cand.hit.chunk.municipality or cand.hit.chunk.doc
        names = [""] if places else cand.boards()
        for name in names:
            refs = entries.setdefault((where, name), [])
            n = built.cite(cand.hit)
            if n not in refs:
                refs.append(n)
    lines = []
    for (where, name), refs in sorted(entries.items(), key=lambda e: (e[0][0], min(e[1]))):
        marks = " ".join(f"[{n}]" for n in refs)
        lines.append(f"- {where}: {name} {marks}" if name else f"- {where} {marks}")
    return lines


def compose_extractive(
    question: str,
    lang: str,
    wants_set: bool,
    hits: list[Hit],
    terms: list[str],
    max_sentences: int = 5,
    is_template: Callable[[str], bool] | None = None,
) -> tuple[str, list[Citation], list[Quote]]:
    """The extractive answer text, its citations (numbered 1..n) and the quoted spans."""
    built = _Built(lang)
    pool = candidates(hits, terms, is_template)
    if not pool:
        return phrase(lang, "no_hits"), [], []
    parts: list[str] = []
    if not terms:
        parts.append(phrase(lang, "broad"))
    if wants_set and terms:
        chosen = select(pool, max_n=8, min_n=1)
        places = bool(_SET_OF_PLACES.search(question))
        lines = _set_lines(built, chosen, places)
        if lines:
            parts.append(phrase(lang, "set_places" if places else "set_boards"))
            parts.append("\n".join(lines))
        else:
            parts.append(phrase(lang, "set_none"))
        chosen = chosen[:max_sentences]
        parts.append(phrase(lang, "evidence"))
    else:
        chosen = select(
            pool, max_n=max_sentences, min_n=1, max_passages=MAX_PASSAGES, floor_ratio=0.8
        )
    parts.extend(_grouped_quotes(built, chosen))
    return "\n\n".join(parts), built.citations, built.quotes


def _abstention(lang: str, hits: list[Hit], reason: str | None, n: int = 3) -> tuple[str, list]:
    text = phrase(lang, "no_answer")
    if reason:
        text += " " + reason
    if hits:
        text += " " + phrase(lang, "closest")
    return text, [h.citation(i) for i, h in enumerate(hits[:n], start=1)]


def answer_question(
    searcher: Searcher,
    question: str,
    k: int = 8,
    filters: Filters | None = None,
    conversation: Conversation | None = None,
    settings: Settings | None = None,
) -> Answer:
    """Answer ``question`` from the passages ``searcher`` finds.

    A short follow-up is resolved against the last turn of ``conversation``, and the
    new turn is appended to it (the caller saves the conversation).

    Raises:
        EmptyQuestionError: The question is empty.
    """
    settings = settings or get_settings()
    asked, truncated = clean_question(question)
    known = list(searcher.municipalities)
    previous = conversation.last if conversation else None
    resolution = resolve_followup(asked, previous, known)
    resolved = resolution.question
    info: QueryView = searcher.analyze(resolved)
    lang = resolution.language or info.lang
    if lang not in ("sv", "en"):
        lang = "sv"
    active = resolution.filters.merged(filters or Filters())
    if not active.municipality and info.municipalities:
        active = active.model_copy(update={"municipality": list(info.municipalities)})
    hits = searcher.search(resolved, k=k, filters=active)
    exclude = frozenset(m.casefold() for m in known)
    terms = question_terms(info.text, lang, exclude)
    notices = [phrase(lang, "truncated", n=MAX_QUESTION_CHARS)] if truncated else []

    missing = unknown_places(resolved, known, hits) if not info.municipalities else []
    knows = getattr(searcher, "knows", None)
    strangers = unknown_names(resolved, lang, hits, knows) if knows and not missing else []
    reason = abstain_reason(
        hits, terms, lang, AbstainPolicy.from_settings(settings), missing or strangers
    )
    answer = Answer(
        question=asked,
        resolved_question=resolved,
        text="",
        abstained=reason is not None,
        language="en" if lang == "en" else "sv",
        hits=hits,
        filters=active,
    )
    if reason is not None:
        detail = None
        if missing:
            detail = phrase(lang, "no_report", place=", ".join(missing))
        elif strangers:
            detail = phrase(lang, "not_mentioned", names=", ".join(strangers))
        answer.text, answer.citations = _abstention(lang, hits, detail)
    else:
        answer.text, answer.citations, answer.quotes = compose_extractive(
            resolved,
            lang,
            bool(info.wants_set),
            hits,
            terms,
            is_template=getattr(searcher, "is_template", None),
        )
        if settings.llm_base_url and settings.llm_model:
            notices.extend(_try_llm(answer, hits, settings))
    answer.notice = " ".join(notices) or None
    if conversation is not None:
        conversation.turns.append(
            Turn(
                question=asked,
                resolved_question=resolved,
                filters=resolution.filters.merged(filters or Filters())
                if resolution.is_followup
                else (filters or Filters()).model_copy(
                    update={"municipality": active.municipality}
                ),
                language=answer.language,
                answer=answer.text,
                abstained=answer.abstained,
                citations=answer.citations,
            )
        )
    return answer


def _try_llm(answer: Answer, hits: list[Hit], settings: Settings) -> list[str]:
    """Replace the extractive text by a generated one; return notices."""
    from assistant.answer.llm import generate_answer

    try:
        result = generate_answer(answer.resolved_question, answer.language, hits, settings)
    except EndpointError as err:
        return [phrase(answer.language, "llm_fallback", reason=str(err))]
    answer.text = result.text
    answer.mode = "llm"
    answer.quotes = []
    answer.citations = [hits[i].citation(n) for n, i in enumerate(result.used, start=1)]
    if result.removed:
        return [phrase(answer.language, "bad_markers", markers=" ".join(result.removed))]
    return []

"""An answer under construction: numbered citations and verified verbatim quotes.

Every quote is checked against its source before it is shown; passages and finding spans
get numbers in the order they are first cited.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from pydantic import BaseModel

from assistant.answer.phrases import phrase
from assistant.findings.extract import SENTENCE_COPY_SIMILARITY
from assistant.findings.text import content_stems, copy_similarity, shown
from assistant.ingest.sentences import (
    across_page_break,
    split_sentences,
    with_examples,
)
from assistant.models import Citation, FindingSpan, Hit


class Quote(BaseModel):
    """A quoted span: ``document.text[start:end] == text`` (absolute offsets)."""

    n: int
    doc: str
    start: int
    end: int
    text: str


def whole_with_examples(
    text: str, start: int, end: int, is_verb: Callable[[str], bool]
) -> tuple[int, int]:
    """``start``/``end`` widened over the examples a quoted sentence goes on with as a
    fragment of it ("… faller ut. Exempelvis avseende informationssäkerhet, arbetsmiljö
    …"), or back over the sentence a quoted fragment gives examples of; unchanged
    otherwise."""
    first = text.rfind("\n", 0, start) + 1
    last = text.find("\n", end)
    last = len(text) if last < 0 else last
    lines = text[first:last]
    sentences = split_sentences(lines)
    for span in with_examples(lines, sentences, is_verb):
        a, b = first + span.start, first + span.end
        if a < end and start < b and span not in sentences:
            start, end = min(start, a), max(end, b)
    return start, end


class QuoteMismatch(AssertionError):
    """A quote is not the text at its offsets: a bug, never shown to a user."""


DocumentText = Callable[[str], str | None]


@dataclass
class Cited:
    """Citations and quotes of one answer; ``text_of(doc)`` gives a document's text."""

    lang: str
    text_of: DocumentText
    numbers: dict[str, int] = field(default_factory=dict)
    citations: list[Citation] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    # Each quote's content stems, computed once: every candidate sentence is checked
    # against the quotes before it.
    _stems: dict[tuple[str, int, int], frozenset[str]] = field(default_factory=dict, repr=False)

    def cite(self, hit: Hit) -> int:
        key = hit.chunk.id
        if key not in self.numbers:
            self.numbers[key] = len(self.numbers) + 1
            self.citations.append(hit.citation(self.numbers[key]))
        return self.numbers[key]

    def cite_span(
        self,
        doc: str,
        start: int,
        end: int,
        *,
        municipality: str | None,
        section: str,
        page: int | None,
    ) -> int:
        """Cite ``doc[start:end]`` (a finding's block) as a source of its own."""
        key = f"{doc}:{start}:{end}"
        if key not in self.numbers:
            text = self.text_of(doc)
            if text is None or end > len(text):
                raise QuoteMismatch(f"{doc}[{start}:{end}] is not in the index")
            n = len(self.numbers) + 1
            self.numbers[key] = n
            self.citations.append(
                Citation(
                    n=n,
                    doc=doc,
                    municipality=municipality,
                    section=section,
                    page=page,
                    start=start,
                    end=end,
                    text=text[start:end],
                )
            )
        return self.numbers[key]

    def quote_span(self, n: int, doc: str, start: int, end: int) -> str:
        """ "”text” [n]" for ``doc[start:end]``, recorded as a quote of citation ``n``."""
        text = self.text_of(doc)
        if text is None or end > len(text) or start >= end:
            raise QuoteMismatch(f"{doc}[{start}:{end}] cannot be quoted")
        shown_text = self.record(n, doc, across_page_break(text, start, end))
        return f"{phrase(self.lang, 'open')}{shown_text}{phrase(self.lang, 'close')} [{n}]"

    def record(self, n: int, doc: str, pieces: Sequence[tuple[int, int]]) -> str:
        """Records the ``pieces`` of ``doc`` as quotes of citation ``n``; returns the text
        shown for them, one quote: the halves of a sentence a page's running header
        splits, without the header."""
        text = self.text_of(doc) or ""
        for start, end in pieces:
            self.quotes.append(Quote(n=n, doc=doc, start=start, end=end, text=text[start:end]))
        return " ".join(shown(text[a:b]) for a, b in pieces)

    def quote_block(
        self, doc: str, spans: Sequence[FindingSpan], municipality: str | None
    ) -> list[str]:
        """Consecutive spans of ``doc`` (an assessment's reasons or grounds) cited together
        as one source, from the first span's start to the last's end, each quoted."""
        first, last = spans[0], spans[-1]
        n = self.cite_span(
            doc,
            first.start,
            last.end,
            municipality=municipality,
            section=first.section_path,
            page=first.page,
        )
        return [self.quote_span(n, doc, s.start, s.end) for s in spans]

    def checkpoint(self) -> tuple[int, int]:
        """How many citations and quotes there are, for ``restore``."""
        return len(self.citations), len(self.quotes)

    def restore(self, point: tuple[int, int]) -> None:
        """Drops the citations and quotes recorded since ``checkpoint`` gave ``point``: an
        answer that quoted sentences it then does not show has no sources for them."""
        citations, quotes = point
        self.numbers = {key: n for key, n in self.numbers.items() if n <= citations}
        del self.citations[citations:]
        del self.quotes[quotes:]

    def quotes_copy(self, doc: str, text: str, start: int | None = None) -> bool:
        """Whether the answer already quotes ``text`` of ``doc``: at ``start``, word for
        word, or as a copy elsewhere in the report (the summary's, the conclusions' and the
        assessment section's "Vår bedömning är att …")."""
        own = [q for q in self.quotes if q.doc == doc]
        if not own:
            return False
        flat = " ".join(text.split())
        stems = content_stems(text)
        for q in own:
            if q.start == start or " ".join(q.text.split()) == flat:
                return True
            if start is not None and q.start <= start and start + len(text) <= q.end:
                return True  # part of a quote (a sentence a page break split, shown whole)
            key = (q.doc, q.start, q.end)
            if key not in self._stems:
                self._stems[key] = content_stems(q.text)
            if copy_similarity(self._stems[key], stems) >= SENTENCE_COPY_SIMILARITY:
                return True
        return False

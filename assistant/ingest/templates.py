"""Template text: sentences that recur verbatim in the reports of different municipalities.

An auditing firm reuses its disclaimers ("Detta dokument har upprättats enbart för …",
"KPMG AB tar inte ansvar för …") and background paragraphs across the reports it writes.
Such a sentence says nothing about the municipality whose report it stands in, so answers
quote it only when nothing else in the retrieved passages matches the question.
"""

from __future__ import annotations

from collections.abc import Iterable

from assistant.ingest.sentences import normalize_space, split_sentences
from assistant.models import Document

MIN_WORDS = 6


def sentence_key(text: str) -> str:
    """A case- and whitespace-insensitive key of a sentence (exact: no hash collisions)."""
    return normalize_space(text).casefold()


def document_place(doc: Document) -> str:
    """Whose report ``doc`` is, for template detection (a document without a
    municipality counts as its own)."""
    return (doc.meta.municipality or doc.doc).casefold()


def sentence_keys(doc: Document, min_words: int = MIN_WORDS) -> list[str]:
    """Keys of the sentences of ``doc`` with at least ``min_words`` words, in order."""
    return [
        sentence_key(span.text)
        for span in split_sentences(doc.text)
        if len(span.text.split()) >= min_words
    ]


def template_keys(documents: Iterable[Document], min_words: int = MIN_WORDS) -> frozenset[str]:
    """Keys of the sentences of at least ``min_words`` words that occur in documents of
    two or more municipalities (a document without one counts as its own)."""
    owner: dict[str, str] = {}
    shared: set[str] = set()
    for doc in documents:
        place = document_place(doc)
        for key in sentence_keys(doc, min_words):
            first = owner.setdefault(key, place)
            if first != place:
                shared.add(key)
    return frozenset(shared)

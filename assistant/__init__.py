"""Granska core: ingest audit reports, index them, search and answer with citations.

Only light re-exports live here so that importing a submodule stays cheap; the heavy parts
are ``assistant.indexing.build_index``, ``assistant.search.retriever.Retriever`` and
``assistant.answer.compose.answer_question``.
"""

from assistant.errors import (
    ConfigError,
    DocumentError,
    EndpointError,
    GranskaError,
    IndexFolderError,
    QuestionSetError,
)
from assistant.models import Chunk, Citation, CopyRef, DocMeta, Document, Filters, Hit, PageStart
from assistant.settings import Settings, get_settings

__all__ = [
    "Chunk",
    "Citation",
    "ConfigError",
    "CopyRef",
    "DocMeta",
    "Document",
    "DocumentError",
    "EndpointError",
    "Filters",
    "GranskaError",
    "Hit",
    "IndexFolderError",
    "PageStart",
    "QuestionSetError",
    "Settings",
    "get_settings",
]

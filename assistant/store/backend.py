"""The one storage interface the retriever reads through, and the choice of back end.

Two implementations: the index folder (``folder_reader.FolderIndex``, everything in
memory, the default) and PostgreSQL + pgvector (``pg_reader.PgIndex``, selected by
``GRANSKA_DATABASE_URL`` / ``--database-url``). Rows are the chunks' positions in build
order; both back ends number them alike, so rankings compare one to one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Protocol

import numpy as np

from assistant.models import Chunk, Document, Filters, Finding
from assistant.store.folder import Manifest

if TYPE_CHECKING:
    from assistant.settings import Settings


class IndexReader(Protocol):
    """A built index, read-only: documents, chunks, vectors, keyword index, findings,
    manifest."""

    @property
    def location(self) -> str:
        """Where the index lives, for messages (never a password)."""
        ...

    @property
    def manifest(self) -> Manifest: ...

    @property
    def documents(self) -> Mapping[str, Document]:
        """Document name -> document (the PostgreSQL back end reads texts on demand)."""
        ...

    def facets(self) -> tuple[list[str], list[int], list[str]]:
        """The sorted municipalities, years and document types of the documents."""
        ...

    def chunks(self, rows: Iterable[int]) -> dict[int, Chunk]: ...

    def group_rows(self, groups: Sequence[str]) -> dict[str, list[int]]:
        """The rows of each near-duplicate group, in row order."""
        ...

    def dense(self, qvec: np.ndarray, k: int, filters: Filters) -> list[tuple[int, float]]:
        """The ``k`` nearest rows that pass ``filters`` (as many as pass, up to ``k``)."""
        ...

    def keyword(self, query: str, k: int, filters: Filters) -> list[tuple[int, float]]:
        """BM25: rows with a positive score that pass ``filters``, best first."""
        ...

    def knows(self, word: str) -> bool: ...

    def template_keys(self) -> frozenset[str]: ...

    def findings(self) -> list[Finding]:
        """Recommendations, assessments, observations and responses, in document order
        (none for an index built before findings existed)."""
        ...


def database_selected(settings: Settings) -> bool:
    return bool(settings.database_url)


def open_reader(settings: Settings) -> IndexReader:
    """The live index of the configured back end.

    Raises:
        IndexFolderError / DatabaseError: nothing built yet, or the index is unusable.
    """
    if database_selected(settings):
        from assistant.store.pg_reader import PgIndex

        assert settings.database_url is not None
        return PgIndex.open(settings.database_url, settings)
    from assistant.store.folder_reader import FolderIndex

    return FolderIndex.open(settings.index)

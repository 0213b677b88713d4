"""The PostgreSQL reader's chunk cache, without a server: making room never loses the
chunks of the call that made it (found by benchmarks/bench_postgres.py at 1M chunks)."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from assistant.models import Chunk
from assistant.store import pg_reader


def chunk(row: int) -> dict[str, Any]:
    text = f"Avsnitt {row}."
    return Chunk(
        id=f"d.txt#{row}",
        doc="d.txt",
        ordinal=row,
        start=0,
        end=len(text),
        text=text,
        index_text=text,
    ).model_dump(mode="json")


def test_a_full_cache_keeps_the_rows_of_the_call(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pg_reader, "CHUNK_CACHE", 4)
    index = object.__new__(pg_reader.PgIndex)
    index._lock = threading.RLock()
    index._chunks = {}
    index.generation = 1
    queries: list[list[int]] = []

    def query(_sql: Any, params: tuple[list[int]]) -> list[tuple[int, dict[str, Any]]]:
        queries.append(list(params[0]))
        return [(row, chunk(row)) for row in params[0]]

    index._query = query  # type: ignore[method-assign]
    assert set(index.chunks([1, 2, 3])) == {1, 2, 3}
    # Rows 1 and 2 are cached; 4 and 5 are not, and the cache is too small for all five.
    got = index.chunks([1, 2, 4, 5])
    assert set(got) == {1, 2, 4, 5}
    assert queries == [[1, 2, 3], [4, 5]]
    assert got[2].text == "Avsnitt 2."

"""Near-duplicate passages within and across documents share a group id.

The reports repeat themselves (a summary in the cover letter, the summary section and the
conclusions; each Eskilstuna board response twice). Chunks are compared by word
5-shingles of their cleaned text (without the context prefix) through an inverted index,
so the work grows with the number of shared shingles, not with the square of the chunks.
"""

from __future__ import annotations

import re
import zlib
from collections import defaultdict
from collections.abc import Sequence

from assistant.models import Chunk

SHINGLE = 5
MIN_CONTAINMENT = 0.8
MIN_SIZE_RATIO = 0.5
MAX_POSTINGS = 64
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def shingles(text: str, size: int = SHINGLE) -> frozenset[int]:
    words = _WORD.findall(text.casefold())
    if len(words) < size:
        return frozenset([zlib.crc32(" ".join(words).encode())]) if words else frozenset()
    return frozenset(
        zlib.crc32(" ".join(words[i : i + size]).encode()) for i in range(len(words) - size + 1)
    )


def _body(chunk: Chunk) -> str:
    """The index text without its first line (the municipality/title/section prefix)."""
    return chunk.index_text.split("\n", 1)[1] if "\n" in chunk.index_text else chunk.index_text


def assign_groups(chunks: Sequence[Chunk]) -> list[Chunk]:
    """Copies of the chunks where near-duplicates share ``group`` (the smallest id).

    Two chunks are near-duplicates when the smaller one's shingles are at least 80 %
    contained in the larger one's and it has at least half its shingles. Groups are the
    connected components of that relation. Singletons get ``group=None``.
    """
    sets = [shingles(_body(c)) for c in chunks]
    postings: dict[int, list[int]] = defaultdict(list)
    for i, s in enumerate(sets):
        for h in s:
            postings[h].append(i)
    parent = list(range(len(chunks)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, s in enumerate(sets):
        if len(s) < 3:
            continue
        shared: dict[int, int] = defaultdict(int)
        for h in s:
            rows = postings[h]
            if len(rows) > MAX_POSTINGS:
                continue
            for j in rows:
                if j > i:
                    shared[j] += 1
        for j, n in shared.items():
            small, large = sorted((len(s), len(sets[j])))
            if small >= MIN_SIZE_RATIO * large and n >= MIN_CONTAINMENT * small:
                parent[find(j)] = find(i)
    members: dict[int, list[int]] = defaultdict(list)
    for i in range(len(chunks)):
        members[find(i)].append(i)
    out = [c.model_copy(update={"group": None}) if c.group else c for c in chunks]
    for rows in members.values():
        if len(rows) < 2:
            continue
        group = min(chunks[r].id for r in rows)
        for r in rows:
            out[r] = chunks[r].model_copy(update={"group": group})
    return out

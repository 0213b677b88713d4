"""The questions a user asked, kept across sessions in the data folder (``paths.py``).

One JSON string per line, appended as questions are asked, so a crash loses at most the
question being written and the file never needs rewriting on every question. The file is
compacted (duplicates and the oldest entries dropped) when it grows past twice the limit.
Unreadable lines are skipped: a damaged history must never stop the app.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from assistant.paths import ensure_dir

MAX_ENTRIES = 500


def load_history(path: Path, limit: int = MAX_ENTRIES) -> list[str]:
    """The last ``limit`` distinct questions, oldest first (missing file: none)."""
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    questions: list[str] = []
    for line in lines:
        try:
            value = json.loads(line)
        except ValueError:
            continue
        if isinstance(value, str) and value.strip():
            questions.append(value)
    return _distinct_tail(questions, limit)


def append_history(path: Path, question: str, limit: int = MAX_ENTRIES) -> None:
    """Add ``question`` to the history file.

    Raises:
        OSError: The file cannot be written (the caller tells the user once).
    """
    ensure_dir(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as f:
        f.write(json.dumps(question, ensure_ascii=False) + "\n")
    if path.stat().st_size > limit * 400:  # cheap check; compact only when it may be long
        kept = load_history(path, limit)
        if len(kept) < sum(1 for _ in path.open(encoding="utf-8", errors="replace")):
            tmp = path.with_suffix(".tmp")
            tmp.write_text(
                "".join(json.dumps(q, ensure_ascii=False) + "\n" for q in kept), encoding="utf-8"
            )
            os.replace(tmp, path)


def _distinct_tail(questions: list[str], limit: int) -> list[str]:
    """The last ``limit`` questions, each once (at its latest position), oldest first."""
    seen: set[str] = set()
    out: list[str] = []
    for q in reversed(questions):
        if q not in seen:
            seen.add(q)
            out.append(q)
        if len(out) >= limit:
            break
    return out[::-1]

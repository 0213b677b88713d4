"""Follow-up questions without a language model, and conversations saved as JSON.

``resolve_followup("och i Huddinge?", previous, municipalities)`` turns a short follow-up
into a full question by carrying over the previous turn's topic and filters: a new
municipality, year or board replaces the old one (or is appended when the previous
question named none). A full new question is left alone.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, ValidationError

from assistant.errors import ConfigError
from assistant.ingest.sentences import BOARD, find_boards, normalize_space, word_set
from assistant.models import Citation, Filters
from assistant.paths import ensure_dir

NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
MAX_FOLLOWUP_WORDS = 8

# Lead-ins that mark a follow-up, longest first; the language they imply.
_LEAD_INS: tuple[tuple[str, str], ...] = (
    ("hur ser det ut", "sv"),
    ("hur är det med", "sv"),
    ("hur är det", "sv"),
    ("vad gäller", "sv"),
    ("och", "sv"),
    ("men", "sv"),
    ("samma", "sv"),
    ("även", "sv"),
    ("what about", "en"),
    ("how about", "en"),
    ("and what about", "en"),
    ("same for", "en"),
    ("and", "en"),
    ("but", "en"),
    ("also", "en"),
)
_PADDING = re.compile(r"^(?:i|in|för|for|med|with|the|år|year|om|about)\s+", re.IGNORECASE)
_TRAILERS = re.compile(r"(?:\s+(?:då|then|also|också|too)|\s*[?!.,])+\s*$", re.IGNORECASE)
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_EN_BOARD = re.compile(
    r"\b((?:[a-z-]+\s+(?:and\s+)?){0,3}(?:board|committee|council))\b", re.IGNORECASE
)
_EN_FUNCTION = word_set(
    "a an the of for in on at to does do did has have had is are was were which what how "
    "who whose and or about with its their"
)
_FILLER = word_set("i in för for med with the år year om about och and samt")


class Turn(BaseModel):
    question: str
    resolved_question: str
    filters: Filters = Filters()
    language: str = "sv"
    answer: str = ""
    abstained: bool = False
    citations: list[Citation] = []


class Conversation(BaseModel):
    """The turns so far. ``answer_question`` appends a turn; the caller saves."""

    name: str = "default"
    turns: list[Turn] = []

    @property
    def last(self) -> Turn | None:
        return self.turns[-1] if self.turns else None

    def save(self, folder: Path) -> Path:
        """Write ``folder/NAME.json`` atomically and return its path."""
        path = conversation_path(folder, self.name)
        ensure_dir(folder)
        try:
            tmp = path.with_suffix(".json.tmp")
            tmp.write_text(self.model_dump_json(indent=2), encoding="utf-8")
            os.replace(tmp, path)
        except OSError as e:
            raise ConfigError(
                f"{folder}: cannot save conversation '{self.name}' ({e.strerror or e}; "
                "a read-only folder?); set GRANSKA_DATA_DIR to a writable folder or ask "
                "without --conversation"
            ) from e
        return path

    @classmethod
    def load(cls, folder: Path, name: str, legacy: Path | None = None) -> Conversation:
        """The saved conversation ``name``, or a new empty one if none is saved yet.

        ``legacy`` is a folder where older versions kept conversations; one found only
        there is read from it (and saved to ``folder`` by the next ``save``).

        Raises:
            ConfigError: An invalid name or a file that is not a saved conversation.
        """
        path = conversation_path(folder, name)
        if not path.exists() and legacy is not None:
            old = conversation_path(legacy, name)
            if old.exists():
                path = old
        if not path.exists():
            return cls(name=name)
        try:
            conv = cls.model_validate(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError, ValidationError):
            raise ConfigError(
                f"{path}: not a readable conversation; delete it or choose another name"
            ) from None
        return conv.model_copy(update={"name": name})


@dataclass(frozen=True)
class SavedConversation:
    """One saved conversation as a list shows it."""

    name: str
    path: Path
    modified: datetime
    turns: int
    first_question: str


def list_conversations(folder: Path) -> list[SavedConversation]:
    """The conversations saved in ``folder``, most recently changed first.

    Files that are not readable conversations are left out (and left alone).
    """
    found: list[SavedConversation] = []
    try:
        paths = sorted(folder.glob("*.json"))
    except OSError:
        return []
    for path in paths:
        if not NAME.match(path.stem):
            continue
        try:
            conv = Conversation.model_validate_json(path.read_bytes())
            modified = datetime.fromtimestamp(path.stat().st_mtime, UTC)
        except (OSError, ValueError):
            continue
        first = conv.turns[0].question if conv.turns else ""
        found.append(SavedConversation(path.stem, path, modified, len(conv.turns), first))
    found.sort(key=lambda c: (c.modified, c.name), reverse=True)
    return found


def conversation_path(folder: Path, name: str) -> Path:
    if not NAME.match(name):
        raise ConfigError(
            f"conversation name '{name[:40]}' is invalid; use 1-64 letters, digits, - or _"
        )
    return folder / f"{name}.json"


@dataclass(frozen=True)
class Resolution:
    """``question`` as resolved against the previous turn."""

    question: str
    is_followup: bool
    filters: Filters
    language: str | None = None


def _strip_lead_in(text: str) -> tuple[str, str | None]:
    low = text.casefold()
    for lead, lang in sorted(_LEAD_INS, key=lambda item: -len(item[0])):
        if low == lead or low.startswith(lead + " "):
            return text[len(lead) :].strip(), lang
    return text, None


def _core(question: str) -> tuple[str, str | None]:
    """The new element of a follow-up ("Huddinge" from "och i Huddinge?") and its language."""
    core = _TRAILERS.sub("", normalize_space(question))
    core, lang = _strip_lead_in(core)
    core = _TRAILERS.sub("", core)
    while (stripped := _PADDING.sub("", core)) != core:
        core = stripped
    return core.strip(), lang


def _municipality_in(text: str, municipalities: list[str]) -> str | None:
    for name in sorted(municipalities, key=len, reverse=True):
        if re.search(rf"(?<!\w){re.escape(name)}s?(?!\w)", text, re.IGNORECASE):
            return name
    return None


def _replace_or_append(text: str, old: str | None, new: str, suffix: str) -> str:
    if old:
        return re.sub(re.escape(old), lambda _: new, text, count=1, flags=re.IGNORECASE)
    base = text.rstrip(" ?.!")
    end = text[len(base) :].strip() or "?"
    return f"{base} {suffix}{end}"


def _board(text: str) -> str | None:
    """The first board named in ``text``: Swedish ("socialnämnden") or English."""
    boards = find_boards(text)
    if boards:
        return boards[0]
    for m in _EN_BOARD.finditer(text):
        words = m.group(1).split()
        while len(words) > 1 and words[0].casefold() in _EN_FUNCTION:
            words.pop(0)
        if len(words) > 1:
            return " ".join(words)
    return None


def _remainder(core: str, parts: list[str]) -> list[str]:
    """Words of ``core`` besides the recognised municipality, years, board and filler."""
    rest = BOARD.sub(" ", core)
    for part in parts:
        rest = re.sub(re.escape(part) + r"s?", " ", rest, flags=re.IGNORECASE)
    rest = _YEAR.sub(" ", rest)
    return [w for w in re.findall(r"\w+", rest) if w.casefold() not in _FILLER]


def resolve_followup(question: str, previous: Turn | None, municipalities: list[str]) -> Resolution:
    """Resolve a short follow-up against ``previous``; anything else is returned as is.

    A follow-up is at most ``MAX_FOLLOWUP_WORDS`` words and either starts with a lead-in
    ("och", "hur är det", "what about", "and") or consists only of a municipality, a year
    or a board name.
    """
    plain = Resolution(question, False, Filters())
    if previous is None or len(question.split()) > MAX_FOLLOWUP_WORDS:
        return plain
    core, lang = _core(question)
    if not core:
        return plain
    place = _municipality_in(core, municipalities)
    years = [int(y) for y in _YEAR.findall(core)]
    board = _board(core)
    if not (place or years or board):
        return (
            plain
            if lang is None
            else Resolution(
                f"{previous.resolved_question.rstrip(' ?.!')} – {core}?",
                True,
                previous.filters,
                lang or previous.language,
            )
        )
    parts = [p for p in (place, board) if p]
    if len(_remainder(core, parts)) > (1 if lang else 0):
        return plain  # more than a new element: a question of its own
    sv = previous.language != "en"
    resolved = previous.resolved_question
    filters = previous.filters
    if place:
        old = _municipality_in(resolved, municipalities)
        new = place
        if old and not re.search(rf"(?<!\w){re.escape(old)}(?!\w)", resolved, re.IGNORECASE):
            old, new = old + "s", place + "s"  # genitive: "Botkyrkas" → "Huddinges"
        resolved = _replace_or_append(resolved, old, new, f"i {place}" if sv else f"in {place}")
        filters = filters.model_copy(update={"municipality": [place]})
    if years:
        old_year = _YEAR.search(resolved)
        year = str(years[0])
        resolved = _replace_or_append(
            resolved,
            old_year.group() if old_year else None,
            year,
            f"år {year}" if sv else f"in {year}",
        )
        filters = filters.model_copy(update={"year": years})
    if board:
        old_board = _board(resolved)
        new_board = board[:1].lower() + board[1:]
        resolved = _replace_or_append(resolved, old_board, new_board, f"({new_board})")
    return Resolution(resolved, True, filters, lang or previous.language)

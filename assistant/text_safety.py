"""Make text from documents, file names and command lines safe to show and to print as JSON.

Documents and file names come from many hands: they can hold terminal escape sequences
(``ESC[2J`` clears the screen, ``ESC]0;…BEL`` sets the window title, OSC 8 makes links),
other control characters, and bytes that are not UTF-8. Nothing from a document may act
on the terminal, so everything shown (CLI and TUI, text and names) goes through
``safe_text`` or ``safe_name``. Both replace one character by one character, so offsets
into a document stay valid for highlighting. JSON is written by ``json_text`` /
``write_json``: always valid UTF-8, whatever the locale or ``PYTHONIOENCODING``.

This module has no dependencies: the CLI and the TUI use the same functions.
"""

from __future__ import annotations

import json
import re
import sys
from typing import IO, Any

REPLACEMENT = "\ufffd"
# C0 controls except tab and newline, DEL, the C1 controls and lone surrogates (file names
# and arguments that were not valid UTF-8 arrive as surrogate escapes).
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_UNSAFE_IN_NAME = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
# What json.dumps(ensure_ascii=False) leaves unescaped but a terminal or a strict
# UTF-8 decoder would trip on: DEL, C1 controls, line/paragraph separators, surrogates.
_JSON_ESCAPE = re.compile(r"[\x7f-\x9f\u2028\u2029]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _picture(match: re.Match[str]) -> str:
    """A visible stand-in for a control character: its Unicode control picture (␛ for
    ESC, ␇ for BEL, ␡ for DEL), or U+FFFD for C1 controls and broken bytes."""
    code = ord(match.group(0))
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    return REPLACEMENT


def safe_text(text: str) -> str:
    """``text`` with every control character except tab and newline made visible.

    One character in, one character out: spans and highlights computed on the original
    text still line up.
    """
    return _UNSAFE.sub(_picture, text)


def safe_name(text: str) -> str:
    """Like ``safe_text`` but for one-line labels (file names, error messages): tabs and
    newlines are made visible too, so a name can never break a line or a table."""
    return _UNSAFE_IN_NAME.sub(_picture, text)


_SPACES = re.compile(r"[\t\n\r\x0b\x0c]")


def typed_line(text: str) -> str:
    """What a one-line input box keeps of typed or pasted ``text``: line breaks and tabs
    become spaces, other control characters are dropped."""
    return _UNSAFE_IN_NAME.sub("", _SPACES.sub(" ", text))


def has_unsafe(text: str) -> bool:
    """Whether ``text`` holds a character that ``safe_text`` would replace."""
    return _UNSAFE.search(text) is not None


def from_argv(text: str) -> str:
    """A command-line argument as proper text: bytes that were not UTF-8 (which Python
    passes on as surrogate escapes) become U+FFFD instead of breaking the output."""
    if not _SURROGATE.search(text):
        return text
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _clean_for_json(obj: Any) -> Any:
    if isinstance(obj, str):
        return _SURROGATE.sub(REPLACEMENT, obj)
    if isinstance(obj, dict):
        return {_clean_for_json(k): _clean_for_json(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_clean_for_json(v) for v in obj]
    return obj


def json_text(obj: Any, indent: int | None = 2) -> str:
    """``obj`` as JSON that encodes to valid UTF-8 and holds no raw control character.

    Non-ASCII text stays readable (``ensure_ascii=False``); C0 controls are escaped by
    JSON itself, DEL, C1 controls and U+2028/U+2029 are written as ``\\uXXXX`` escapes,
    lone surrogates become U+FFFD. Values that JSON does not know are written as ``str``.
    """
    text = json.dumps(_clean_for_json(obj), ensure_ascii=False, indent=indent, default=str)
    return _JSON_ESCAPE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


def write_json(obj: Any, stream: IO[str] | None = None) -> None:
    """Print ``obj`` as JSON (one document and a newline) encoded as UTF-8.

    The bytes go to the stream's binary buffer when it has one, so neither the locale nor
    ``PYTHONIOENCODING`` can change or break the encoding.
    """
    out = stream if stream is not None else sys.stdout
    data = (json_text(obj) + "\n").encode("utf-8")
    buffer = getattr(out, "buffer", None)
    if buffer is None:
        out.write(data.decode("utf-8"))
        out.flush()
        return
    out.flush()
    buffer.write(data)
    buffer.flush()

"""A conversation as a clean Markdown document (the app's export).

Answers and quotes are document text, which can hold HTML residue (``<ul style=…>``,
``<i>``), entities and characters that Markdown would read as formatting or links. The
export is meant to be read in any Markdown viewer exactly as Granska showed it, so
``markdown_text`` turns such text into plain Markdown: tags are dropped (block tags become
spaces), entities decoded, and Markdown's special characters escaped with a backslash.
The ``[n]`` citation markers and the answers' own "- " list lines are kept as they are.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from assistant.ingest.sentences import word_set
from assistant.models import Citation, Filters
from assistant.ui_text import filters_text, source_label, ui

_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)\b[^<>]*>|<!--.*?-->", re.DOTALL)
_BLOCK_TAGS = word_set(
    "address article aside blockquote br dd div dl dt figcaption figure footer h1 h2 h3 h4 "
    "h5 h6 header hr li main nav ol p pre section table tbody td tfoot th thead tr ul"
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")
# Inline Markdown syntax; "[n]" markers are matched first and kept.
_INLINE = re.compile(r"(\[\d+\])|([\\`*_\[\]<~])|(&(?=#?\w+;))")
_LINE_START = re.compile(r"^(#{1,6}(?=\s|$)|[-+=>]|\d+(?=[.)](?:\s|$)))")


def strip_html(text: str) -> str:
    """Text without HTML tags or comments; block-level tags become a space, inline tags
    ("<i>", "<span style=…>") disappear, and entities ("&amp;") are decoded."""

    def replace(m: re.Match[str]) -> str:
        name = (m.group(2) or "").lower()
        return " " if name in _BLOCK_TAGS else ""

    return html.unescape(_TAG.sub(replace, text))


def markdown_text(text: str, keep_lists: bool = False) -> str:
    """``text`` as Markdown that renders to exactly that text (see the module docstring).

    With ``keep_lists`` a line starting with "- " stays a list item (answers use them);
    otherwise every line's leading Markdown syntax is escaped too.
    """
    plain = _CONTROL.sub(" ", strip_html(text))
    lines = []
    for line in plain.splitlines():
        line = " ".join(line.split())
        bullet = ""
        if keep_lists and line.startswith("- "):
            bullet, line = "- ", line[2:]
        escaped = _INLINE.sub(_escape_inline, line)
        lines.append(bullet + _LINE_START.sub(_escape_line_start, escaped, count=1))
    return "\n".join(lines).strip("\n")


def _escape_inline(m: re.Match[str]) -> str:
    if m.group(1):
        return m.group(1)
    return "\\" + (m.group(2) or m.group(3))


def _escape_line_start(m: re.Match[str]) -> str:
    mark = m.group(1)
    if mark[0].isdigit():
        return f"{mark}\\"  # "1." -> "1\." (the separator is escaped, not the digits)
    return f"\\{mark}"


def one_line(text: str) -> str:
    """``markdown_text`` on one line (quotes, questions, labels)."""
    return markdown_text(" ".join(strip_html(text).split()))


@dataclass(frozen=True)
class ExportTurn:
    """One question and its answer, as the export shows them."""

    question: str
    answer: str
    resolved_question: str = ""
    filters: Filters = field(default_factory=Filters)
    filter_note: str | None = None
    notice: str | None = None
    citations: Sequence[Citation] = ()


def conversation_markdown(
    turns: Sequence[ExportTurn], now: datetime, lang: str = "sv", show_scores: bool = False
) -> str:
    """The conversation with its sources, including how each follow-up was interpreted."""
    out = [f"# {one_line(ui(lang, 'export_heading', when=f'{now:%Y-%m-%d %H:%M}'))}", ""]
    for i, turn in enumerate(turns, start=1):
        out += [f"## {ui(lang, 'export_question', n=i)}", "", one_line(turn.question), ""]
        about = []
        resolved = turn.resolved_question.strip()
        if resolved and " ".join(resolved.split()) != " ".join(turn.question.split()):
            about.append(ui(lang, "interpreted_as", question=resolved))
        if turn.filter_note:
            about.append(turn.filter_note)
        elif not turn.filters.is_empty():
            about.append(filters_text(turn.filters, lang))
        out += [f"*{one_line(line)}*  " for line in about]
        if about:
            out[-1] = out[-1].rstrip()
            out.append("")
        if turn.notice:
            out += [f"> {one_line(turn.notice)}", ""]
        out += [f"### {ui(lang, 'export_answer')}", "", markdown_text(turn.answer, True), ""]
        if turn.citations:
            out += [f"### {ui(lang, 'export_sources')}", ""]
            for c in turn.citations:
                label = one_line(source_label(c, lang, show_scores))
                out += [f"- {label}", f"  > {one_line(c.text)}"]
            out.append("")
    return "\n".join(out)

"""Granska in the terminal: ask questions, read the cited sources, filter, rebuild the index.

Run ``granska``, ``granska tui`` or ``python tui.py``. All slow work (loading the index and
model, answering, rebuilding, listing saved conversations) runs in thread workers that post
one result message back, so the screen never freezes. Document and question text is always
shown literally: it goes into ``Content`` objects, never into markup or Markdown, and control
characters (terminal escape codes in documents and file names) are made visible by
``text_safety`` first.

Screen text comes from ``assistant.ui_text`` (Swedish and English side by side); the
language is ``Settings.ui_language``, or with ``auto`` that of the last question. Question
history and conversations are kept in the user's data folder (``assistant.paths``).
"""

from __future__ import annotations

import re
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, cast

from rich.segment import Segment
from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.dom import DOMNode
from textual.events import Click, Key, Paste
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.strip import Strip
from textual.widgets import (
    Button,
    DataTable,
    Footer,
    Header,
    Input,
    Label,
    LoadingIndicator,
    OptionList,
    ProgressBar,
    Select,
    SelectionList,
    Static,
)
from textual.widgets.option_list import Option

from assistant import paths
from assistant.errors import GranskaError
from assistant.findings.register import REGISTER_KINDS, select_findings, to_csv, to_markdown
from assistant.history import append_history, load_history
from assistant.models import Citation, CopyRef, Document, Filters, Finding, FindingKind
from assistant.settings import Settings, get_settings
from assistant.text_safety import safe_name, safe_text, typed_line
from assistant.ui_text import UI, age_text, filters_text, source_label, ui

if TYPE_CHECKING:
    from assistant.answer.conversation import Conversation, SavedConversation
    from assistant.indexing import BuildProgress, BuildReport
    from assistant.search.retriever import Retriever

__all__ = ["age_text", "create_app", "filters_text", "passage_blocks", "source_label"]

Clock = Callable[[], datetime]
Answerer = Callable[..., Any]

PHASES = {
    "scan": "phase_scan",
    "ocr": "phase_ocr",
    "embed": "phase_embed",
    "write": "phase_write",
}
HIGHLIGHT = "bold on $warning 35%"
CONTEXT = "on $warning 12%"
FOUND = "on $accent 35%"
FOUND_CURRENT = "bold reverse"
MARKER_STYLE = "bold $accent"
_MARKER = re.compile(r"\[\d+\]")


def _utcnow() -> datetime:
    return datetime.now(UTC)


def passage_blocks(text: str, start: int, end: int) -> tuple[str, str, str, int, int]:
    """Split ``text`` at line breaks into before / the lines holding ``[start, end)`` / after.

    Returns the three parts and the passage span relative to the middle part.
    """
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    a = text.rfind("\n", 0, start) + 1
    b = text.find("\n", max(end - 1, a))
    b = len(text) if b == -1 else b
    before = text[: a - 1] if a > 0 else ""
    after = text[b + 1 :] if b < len(text) else ""
    return before, text[a:b], after, start - a, end - a


def relabel(node: DOMNode, lang: str) -> None:
    """Footer labels of ``node``'s key bindings in ``lang``.

    A binding's ``id`` names its text: ``key_<id>`` (label) and ``tip_<id>`` (tooltip) in
    ``ui_text.UI``. Textual has no public call to change a binding's description, so the
    node's own (per-instance) binding lists are replaced; the class's stay as declared.
    """
    table = node._bindings.key_to_bindings
    for key, bindings in list(table.items()):
        table[key] = [_relabelled(b, lang) for b in bindings]
    node.refresh_bindings()


def _relabelled(binding: Binding, lang: str) -> Binding:
    # Textual adds the palette's own binding (Ctrl+P, "palette") without an id.
    name = binding.id or ("palette" if binding.action.endswith("command_palette") else None)
    if not name or f"key_{name}" not in UI:
        return binding
    tip = ui(lang, f"tip_{name}") if f"tip_{name}" in UI else binding.tooltip
    return replace(binding, description=ui(lang, f"key_{name}"), tooltip=tip)


@dataclass
class Turn:
    question: str
    answer: Any = None
    status: str = "pending"  # pending | done | cancelled | failed
    note: str | None = None  # e.g. a kept manual filter that the question contradicts


@dataclass
class SavedAnswer:
    """A turn of a saved conversation, shaped like an answer for ``TurnView``."""

    question: str
    resolved_question: str
    text: str
    abstained: bool
    language: str
    citations: list[Citation]
    filters: Filters
    notice: str | None = None
    quotes: list[Any] = field(default_factory=list)
    hits: list[Any] = field(default_factory=list)

    @classmethod
    def from_turn(cls, turn: Any) -> SavedAnswer:
        return cls(
            question=turn.question,
            resolved_question=turn.resolved_question,
            text=turn.answer,
            abstained=turn.abstained,
            language=turn.language,
            citations=list(turn.citations),
            filters=turn.filters,
        )


# ---------------------------------------------------------------- messages


class IndexReady(Message):
    def __init__(self, retriever: Retriever) -> None:
        super().__init__()
        self.retriever = retriever


class IndexMissing(Message):
    def __init__(self, reason: str, exists: bool) -> None:
        super().__init__()
        self.reason = reason
        self.exists = exists


class AnswerReady(Message):
    def __init__(self, token: int, answer: Any, conversation: Any) -> None:
        super().__init__()
        self.token = token
        self.answer = answer
        self.conversation = conversation


class AskFailed(Message):
    def __init__(self, token: int, error: str) -> None:
        super().__init__()
        self.token = token
        self.error = error


class BuildProgressed(Message):
    def __init__(self, progress: BuildProgress) -> None:
        super().__init__()
        self.progress = progress


class BuildDone(Message):
    def __init__(self, report: BuildReport, retriever: Retriever) -> None:
        super().__init__()
        self.report = report
        self.retriever = retriever


class BuildFailed(Message):
    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


class OpenSource(Message):
    def __init__(self, turn: int, n: int) -> None:
        super().__init__()
        self.turn = turn
        self.n = n


class ConversationsListed(Message):
    def __init__(self, items: list[SavedConversation]) -> None:
        super().__init__()
        self.items = items


class FindingsLoaded(Message):
    """The index's findings, or None for an index built before findings existed."""

    def __init__(self, findings: list[Finding] | None) -> None:
        super().__init__()
        self.findings = findings


class FindingsFailed(Message):
    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


# ---------------------------------------------------------------- chat widgets


class SafeInput(Input):
    """A one-line input box that typed or pasted control characters (escape codes) never
    reach: line breaks and tabs become spaces, the rest are dropped."""

    def replace(self, text: str, start: int, end: int) -> None:
        super().replace(typed_line(text), start, end)


class QuestionInput(SafeInput):
    """The question box: Up/Down walk the history; 1-9 in an empty box open a source.

    Enter hands over exactly the text typed so far and empties the box at once, so text
    typed while the app is still busy with the previous question starts a new one. A
    paste of several lines becomes one question.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.history: list[str] = []
        self._pos = 0

    def remember(self, question: str) -> None:
        if not self.history or self.history[-1] != question:
            self.history.append(question)
        self._pos = len(self.history)

    def load(self, history: list[str]) -> None:
        """The saved questions (the history file may have been edited by hand: the box
        never shows a control character)."""
        self.history = [typed_line(q) for q in history]
        self._pos = len(self.history)

    async def action_submit(self) -> None:
        value = self.value
        self.value = ""
        self._pos = len(self.history)
        self.post_message(self.Submitted(self, value))

    def _on_paste(self, event: Paste) -> None:
        event.prevent_default()
        event.stop()
        text = " ".join(line.strip() for line in event.text.splitlines() if line.strip())
        if not text:
            return
        before = self.value[: self.cursor_position]
        if event.text[:1].isspace() and before and not before[-1].isspace():
            text = " " + text  # " i\nHuddinge" pasted after "vad nu": keep the word gap
        selection = self.selection
        if selection.is_empty:
            self.insert_text_at_cursor(text)
        else:
            self.replace(text, *selection)

    async def _on_key(self, event: Key) -> None:
        if event.key == "enter":
            # Submit here, in order with the typed characters: as an app binding, Enter
            # would run only after characters typed later had already been inserted.
            event.stop()
            event.prevent_default()
            await self.action_submit()
            return
        if event.key in ("up", "down") and self.history:
            step = -1 if event.key == "up" else 1
            self._pos = max(0, min(len(self.history), self._pos + step))
            self.value = self.history[self._pos] if self._pos < len(self.history) else ""
            self.cursor_position = len(self.value)
            event.stop()
            event.prevent_default()
            return
        if not self.value and event.character and event.character in "123456789":
            event.stop()
            event.prevent_default()
            await self.app.run_action(f"source({event.character})")
            return
        await super()._on_key(event)


class ChatView(VerticalScroll):
    """The conversation, anchored to its end (also across a resize) until the user scrolls.

    It can take focus (Tab) to scroll with the keyboard; typing a letter there moves the
    focus back to the question box with that letter, instead of dropping it.
    """

    def on_key(self, event: Key) -> None:
        char = event.character
        if not (char and event.is_printable) or char in "123456789?":
            return  # digits and "?" keep their bindings (sources, help)
        event.stop()
        event.prevent_default()
        box = self.app.query_one(QuestionInput)
        box.focus()
        box.insert_text_at_cursor(char)

    def on_paste(self, event: Paste) -> None:
        """A paste into the conversation goes to the question box too."""
        event.stop()
        box = self.app.query_one(QuestionInput)
        box.focus()
        box.post_message(Paste(event.text))


def answer_content(text: str) -> Content:
    """The answer as plain text with its ``[n]`` markers in bold.

    Not Markdown: quotes must show exactly as in the source, and a report's ``2*3`` or
    ``<b>`` would otherwise turn into emphasis or vanish.
    """
    shown = safe_text(text)
    content = Content(shown)
    for m in _MARKER.finditer(shown):
        content = content.stylize(MARKER_STYLE, m.start(), m.end())
    return content


class AnswerText(Static):
    """The answer in one widget, as plain text (see ``answer_content``)."""

    def __init__(self, source: str, **kwargs: Any) -> None:
        super().__init__(answer_content(source), **kwargs)
        self.source = source


class SourceLine(Static):
    def __init__(self, turn: int, citation: Citation, lang: str, show_score: bool) -> None:
        super().__init__(
            Content(safe_name(source_label(citation, lang, show_score))), classes="source"
        )
        self.turn = turn
        self.n = citation.n

    def on_click(self, event: Click) -> None:
        event.stop()
        self.post_message(OpenSource(self.turn, self.n))


class TurnView(Vertical):
    def __init__(self, index: int, question: str) -> None:
        super().__init__(classes="turn")
        self.index = index
        self.question = question

    def compose(self) -> ComposeResult:
        yield Static(
            Content.assemble(("› ", "bold $accent"), safe_text(self.question)), classes="question"
        )
        yield LoadingIndicator()

    async def show_answer(
        self, answer: Any, show_score: bool = False, note: str | None = None
    ) -> None:
        """The answer with, above it, how the question was read (follow-up, filters) and
        any notice ("question shortened"), then its sources. Labels follow the answer's
        language."""
        await self.query(LoadingIndicator).remove()
        lang = getattr(answer, "language", "sv")
        widgets: list[Static] = []
        about = []
        resolved = getattr(answer, "resolved_question", "") or self.question
        if resolved.strip() != self.question.strip():
            about.append(ui(lang, "interpreted_as", question=resolved))
        if note:
            about.append(note)
        elif not answer.filters.is_empty():
            about.append(filters_text(answer.filters, lang))
        if about:
            widgets.append(Static(Content(safe_name(" · ".join(about))), classes="turn-filters"))
        if answer.notice:
            widgets.append(Static(Content(safe_text(answer.notice)), classes="notice"))
        text = AnswerText(answer.text, classes="answer")
        text.set_class(bool(answer.abstained), "abstained")
        widgets.append(text)
        if answer.citations:
            widgets.append(Static(Content(ui(lang, "sources_hint")), classes="sources-head"))
        widgets += [SourceLine(self.index, c, lang, show_score) for c in answer.citations]
        await self.mount_all(widgets)

    async def show_note(self, note: str, css: str) -> None:
        await self.query(LoadingIndicator).remove()
        await self.mount(Static(Content(safe_text(note)), classes=css))


# ---------------------------------------------------------------- screens


@dataclass(frozen=True)
class _Block:
    """One of the viewer's three text blocks: where it starts in the document, its text,
    and its content with the cited passage marked."""

    id: str
    base: int
    text: str
    content: Content


class FindInput(SafeInput):
    """The viewer's search box: Enter or Down goes to the next match, Up to the previous."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "screen.find_step(1)", show=False),
        Binding("up", "screen.find_step(-1)", show=False),
    ]


class SourceScreen(Screen[None]):
    """The whole document, scrolled to the cited passage, which is highlighted.

    ``n``/``p`` step through the answer's sources (replacing this screen, never stacking
    another); ``/`` searches the document.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Tillbaka", id="back"),
        Binding("c", "to_passage", "Till stället", id="to_passage"),
        Binding("n", "step(1)", "Nästa källa", id="next"),
        Binding("p", "step(-1)", "Förra källa", id="previous"),
        Binding("slash,ctrl+f", "find", "Sök", id="find"),
    ]

    def __init__(
        self,
        document: Document,
        citation: Citation,
        marks: list[tuple[int, int]],
        copies: list[CopyRef],
        *,
        turn: int | None = None,
        count: int = 1,
        lang: str = "sv",
    ) -> None:
        """Show ``document`` around ``citation``; ``marks`` are the quoted sentences in it.

        ``turn`` and ``count`` say which answer the citation belongs to and how many
        sources it has (for next/previous); without ``turn`` there is no stepping.
        """
        super().__init__()
        self.document = document
        self.citation = citation
        self.marks = marks
        self.copies = copies
        self.turn = turn
        self.count = count
        self.lang = lang
        self.matches: list[tuple[int, int]] = []
        self.current = -1
        relabel(self, lang)
        doc, c = document, citation
        start = min([c.start, *(a for a, _ in marks)])
        end = max([c.end, *(b for _, b in marks)])
        # safe_text keeps every character's position, so the offsets below stay exact.
        before, block, after, s, e = passage_blocks(safe_text(doc.text), start, end)
        passage = Content(block).stylize(CONTEXT, s, e)
        for a, b in marks:
            passage = passage.stylize(HIGHLIGHT, a - start + s, b - start + s)
        base = start - s
        self.blocks = [
            _Block("before", 0, before, Content(before)),
            _Block("passage", base, block, passage),
            _Block("after", base + len(block) + 1, after, Content(after)),
        ]

    def compose(self) -> ComposeResult:
        doc, c, lang = self.document, self.citation, self.lang
        meta = doc.meta
        page = c.page or doc.page_at(c.start)
        where = " · ".join(
            p
            for p in (
                ui(lang, "source_n", n=c.n, count=self.count),
                ui(lang, "page", page=page) if page else "",
                c.section,
                ui(lang, "ocr_page") if page in doc.ocr_pages else "",
            )
            if p
        )
        title = safe_name(meta.title or doc.doc)
        about = safe_name(
            ", ".join(str(v) for v in (meta.municipality, meta.year, meta.doc_type) if v)
        )
        head = Content.assemble(
            (title, "bold"), f"  ({about})" if about else "", "\n", safe_name(doc.doc)
        )
        yield Static(head, id="viewer-title")
        yield Static(Content(safe_name(where)), id="viewer-where")
        with VerticalScroll(id="doc"):
            for block in self.blocks:
                yield Static(block.content, id=block.id, classes="doctext")
        if self.copies:
            yield Static(Content(ui(lang, "copies_head")), id="copies-head")
            for i, copy in enumerate(self.copies[:5]):
                label = " · ".join(
                    p
                    for p in (
                        copy.doc,
                        ui(lang, "page", page=copy.page) if copy.page else "",
                        copy.section,
                    )
                    if p
                )
                yield CopyLine(Content(f"  {safe_name(label)}"), copy=copy, id=f"copy-{i}")
        with Horizontal(id="find-bar"):
            yield FindInput(placeholder=ui(lang, "find_placeholder"), id="find")
            yield Static("", id="find-status")
        yield Footer()

    def on_mount(self) -> None:
        for block in self.blocks:
            self.query_one(f"#{block.id}").display = bool(block.text)
        self.query_one("#find-bar").display = False
        self.call_after_refresh(self.action_to_passage)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "step":
            return self.turn is not None and self.count > 1
        return True

    def action_to_passage(self) -> None:
        scroll = self.query_one("#doc", VerticalScroll)
        passage = self.query_one("#passage")
        scroll.scroll_to(y=max(0, passage.virtual_region.y - 2), animate=False)

    def action_close(self) -> None:
        bar = self.query_one("#find-bar")
        if bar.display:
            bar.display = False
            self.matches, self.current = [], -1
            self._paint()
            return
        self.app.pop_screen()

    def action_step(self, delta: int) -> None:
        if self.turn is not None:
            cast(GranskaApp, self.app).open_source(self.turn, self.citation.n + delta)

    def action_find(self) -> None:
        self.query_one("#find-bar").display = True
        self.query_one("#find", Input).focus()

    @on(Input.Changed, "#find")
    def _find_changed(self, event: Input.Changed) -> None:
        query = " ".join(event.value.split())
        if not query:
            self.matches, self.current = [], -1
        else:
            # Whitespace in the query matches any run of whitespace (line breaks included).
            pattern = r"\s+".join(re.escape(w) for w in query.split())
            found = re.finditer(pattern, self.document.text, re.IGNORECASE)
            self.matches = [m.span() for m in found]
            self.current = 0 if self.matches else -1
        self._paint()
        self._scroll_to_match()

    @on(Input.Submitted, "#find")
    def _find_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_find_step(1)

    def action_find_step(self, delta: int) -> None:
        if not self.matches:
            return
        self.current = (self.current + delta) % len(self.matches)
        self._paint()
        self._scroll_to_match()

    def _paint(self) -> None:
        """Redraw the blocks with the search matches marked (the current one strongest)."""
        for block in self.blocks:
            content = block.content
            end = block.base + len(block.text)
            for i, (a, b) in enumerate(self.matches):
                if a < end and b > block.base:
                    style = FOUND_CURRENT if i == self.current else FOUND
                    content = content.stylize(
                        style, max(a, block.base) - block.base, b - block.base
                    )
            self.query_one(f"#{block.id}", Static).update(content)
        status = self.query_one("#find-status", Static)
        if self.matches:
            status.update(ui(self.lang, "find_count", i=self.current + 1, n=len(self.matches)))
        else:
            has_query = bool(self.query_one("#find", Input).value.strip())
            status.update(ui(self.lang, "find_none") if has_query else "")

    def _scroll_to_match(self) -> None:
        if self.current < 0:
            return
        start = self.matches[self.current][0]
        block = next(b for b in reversed(self.blocks) if b.text and start >= b.base)
        widget = self.query_one(f"#{block.id}", Static)
        width = max(1, widget.content_region.width)
        line = len(Content(block.text[: start - block.base]).wrap(width)) - 1
        scroll = self.query_one("#doc", VerticalScroll)
        scroll.scroll_to(y=max(0, widget.virtual_region.y + line - 2), animate=False)


class CopyLine(Static):
    def __init__(self, content: Content, *, copy: CopyRef, id: str) -> None:
        super().__init__(content, id=id, classes="copy")
        self.copy = copy

    def on_click(self) -> None:
        cast(GranskaApp, self.app).open_copy(self.copy)


class MessageScreen(ModalScreen[bool]):
    """A modal with a literal message and one or two buttons; dismisses with True on OK."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(False)", "Stäng")]

    def __init__(self, title: str, message: str, ok: str = "OK", cancel: str | None = None) -> None:
        super().__init__()
        self.title_text, self.message, self.ok, self.cancel = title, message, ok, cancel

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Content(safe_name(self.title_text)), classes="dialog-title")
            yield Static(Content(safe_text(self.message)), classes="dialog-body")
            with Horizontal(classes="buttons"):
                yield Button(Content(self.ok), variant="primary", id="ok")
                if self.cancel:
                    yield Button(Content(self.cancel), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#ok").focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "ok")


class ChoiceScreen(ModalScreen["str | None"]):
    """A question with named choices; dismisses with the chosen id, or None on Esc."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "Avbryt")]

    def __init__(self, title: str, message: str, choices: list[tuple[str, str]]) -> None:
        super().__init__()
        self.title_text, self.message, self.choices = title, message, choices

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(Content(safe_name(self.title_text)), classes="dialog-title")
            yield Static(Content(safe_text(self.message)), classes="dialog-body")
            with Horizontal(classes="buttons"):
                for i, (choice, label) in enumerate(self.choices):
                    yield Button(
                        Content(safe_name(label)),
                        variant="primary" if i == 0 else "default",
                        id=f"choice-{choice}",
                    )

    def on_mount(self) -> None:
        self.query(Button).first().focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss((event.button.id or "").removeprefix("choice-"))


class FilterList(SelectionList[Any]):
    """A selection list whose boxes show a check mark when on, not only another colour."""

    ON, OFF = "✓", " "

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        segments = list(strip)
        if len(segments) < 4:
            return strip
        try:
            option = self.get_option_at_index(self.scroll_offset.y + y)
        except Exception:  # past the last option
            return strip
        mark = self.ON if option.value in self.selected else self.OFF
        segments[1] = Segment(mark, segments[1].style)
        return Strip(segments, strip.cell_length)


class FilterScreen(ModalScreen["Filters | None"]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "Avbryt")]

    def __init__(
        self,
        current: Filters,
        municipalities: list[str],
        years: list[int],
        doc_types: list[str],
        lang: str = "sv",
    ) -> None:
        super().__init__()
        self.current = current
        self.options = municipalities, years, doc_types
        self.lang = lang

    def compose(self) -> ComposeResult:
        munis, years, types = self.options
        cur, lang = self.current, self.lang
        with Vertical(classes="dialog wide", id="filter-dialog"):
            yield Label(ui(lang, "filter_title"), classes="dialog-title")
            with Horizontal(id="filter-lists"):
                muni_sel = FilterList(
                    *[(Content(safe_name(m)), m, m in cur.municipality) for m in munis],
                    id="f-municipality",
                )
                year_sel = FilterList(*[(str(y), y, y in cur.year) for y in years], id="f-year")
                type_sel = FilterList(
                    *[(Content(safe_name(t)), t, t in cur.doc_type) for t in types], id="f-doc_type"
                )
                muni_sel.border_title = ui(lang, "municipality")
                year_sel.border_title = ui(lang, "year")
                type_sel.border_title = ui(lang, "doc_type")
                yield muni_sel
                yield year_sel
                yield type_sel
            with Horizontal(classes="buttons"):
                yield Button(ui(lang, "apply"), variant="primary", id="apply")
                yield Button(ui(lang, "clear"), id="clear")
                yield Button(ui(lang, "cancel"), id="cancel")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "apply":
            self.dismiss(
                Filters(
                    municipality=list(self.query_one("#f-municipality", SelectionList).selected),
                    year=list(self.query_one("#f-year", SelectionList).selected),
                    doc_type=list(self.query_one("#f-doc_type", SelectionList).selected),
                )
            )
        elif event.button.id == "clear":
            self.dismiss(Filters())
        else:
            self.dismiss(None)


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,f1,q", "dismiss", "Stäng")]

    def __init__(self, lang: str = "sv") -> None:
        super().__init__()
        self.lang = lang

    def compose(self) -> ComposeResult:
        lang = self.lang
        rows = [
            ("Enter", ui(lang, "help_enter")),
            ("Upp / Ned" if lang != "en" else "Up / Down", ui(lang, "help_history")),
            ("1–9", ui(lang, "help_sources")),
            ("Esc", ui(lang, "help_escape")),
            ("n, p, /", ui(lang, "help_viewer")),
        ]
        for b in GranskaApp.BINDINGS:
            if isinstance(b, Binding) and b.show and b.id:
                rows.append((_key_label(b.key), ui(lang, f"tip_{b.id}")))
        rows.append(("?", ui(lang, "help_question_mark")))
        rows.append(("Ctrl+P", ui(lang, "help_palette")))
        rows.append(("Ctrl+Q", ui(lang, "help_quit")))
        body = Content("\n").join(
            Content.assemble((f"{key:<12}", "bold $accent"), text) for key, text in rows
        )
        with Vertical(classes="dialog wide"):
            yield Label(ui(lang, "help_title"), classes="dialog-title")
            yield Static(body, classes="dialog-body")

    def on_click(self) -> None:
        self.dismiss()


class ExportScreen(ModalScreen["Path | None"]):
    """Asks where to save the export; the default path in the data folder is filled in."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "Avbryt")]

    def __init__(
        self,
        default: Path,
        lang: str = "sv",
        *,
        title: str | None = None,
        prompt: str | None = None,
    ) -> None:
        """``title`` and ``prompt`` default to those of the conversation export."""
        super().__init__()
        self.default = default
        self.lang = lang
        self.title_text = title or ui(lang, "export_title")
        self.prompt = prompt or ui(lang, "export_prompt", folder=default.parent)

    def compose(self) -> ComposeResult:
        lang = self.lang
        with Vertical(classes="dialog wide"):
            yield Label(Content(safe_name(self.title_text)), classes="dialog-title")
            yield Static(Content(safe_text(self.prompt)), classes="dialog-body")
            yield SafeInput(str(self.default), id="export-path")
            with Horizontal(classes="buttons"):
                yield Button(ui(lang, "save"), variant="primary", id="save")
                yield Button(ui(lang, "cancel"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#export-path", Input).focus()

    def _chosen(self) -> Path | None:
        text = self.query_one("#export-path", Input).value.strip()
        return Path(text).expanduser() if text else None

    @on(Input.Submitted, "#export-path")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(self._chosen())

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(self._chosen() if event.button.id == "save" else None)


class ConversationsScreen(ModalScreen["str | None"]):
    """The saved conversations, newest first; Enter (or a click) reopens one.

    The list is read in a worker: the folder can hold many conversations.
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "Avbryt")]

    def __init__(self, folder: Path, lang: str = "sv") -> None:
        super().__init__()
        self.folder = folder
        self.lang = lang

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(ui(self.lang, "conversations_title"), classes="dialog-title")
            yield LoadingIndicator()
            yield OptionList(id="conversations")
            yield Static("", id="conversations-empty", classes="dialog-body")

    def on_mount(self) -> None:
        self.query_one("#conversations").display = False
        self.query_one("#conversations-empty").display = False
        self._list()

    @work(thread=True, exclusive=True, group="conversations")
    def _list(self) -> None:
        from assistant.answer.conversation import list_conversations

        self.post_message(ConversationsListed(list_conversations(self.folder)))

    def on_conversations_listed(self, message: ConversationsListed) -> None:
        self.query(LoadingIndicator).remove()
        options = self.query_one("#conversations", OptionList)
        if not message.items:
            empty = self.query_one("#conversations-empty", Static)
            empty.update(Content(ui(self.lang, "conversations_none", folder=self.folder)))
            empty.display = True
            return
        for item in message.items:
            when = f"{item.modified.astimezone():%Y-%m-%d %H:%M}"
            first = " ".join(item.first_question.split())
            first = first if len(first) <= 60 else first[:59] + "…"
            row = ui(self.lang, "conversation_row", when=when, n=item.turns, first=first)
            options.add_option(Option(Content(row), id=item.name))
        options.display = True
        options.highlighted = 0
        options.focus()

    @on(OptionList.OptionSelected, "#conversations")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)


# ---------------------------------------------------------------- findings register

ALL = "all"  # the kind filter's "every kind the register lists"
ROW_TEXT = 90  # characters of a finding's text in its table row; the detail shows it all


def finding_source(f: Finding, lang: str = "sv") -> str:
    """Where a finding stands: "huddinge-2023.txt · s. 4" (the page when it is known)."""
    page = f.primary.page
    return f.doc + (" · " + ui(lang, "page", page=page) if page else "")


def finding_cells(f: Finding, lang: str = "sv") -> list[Text]:
    """One table row: kind, municipality, boards, verdict, text (trimmed), section, source.

    Cells are ``Text`` objects: a plain string in a DataTable is read as console markup,
    and a report's "[x]" must show as written."""
    text = f.full_text if len(f.full_text) <= ROW_TEXT else f.full_text[: ROW_TEXT - 1] + "…"
    values = [
        ui(lang, f"kind_{f.kind}"),
        f.municipality or "",
        ", ".join(f.boards),
        f.verdict or "",
        text,
        f.primary.section_path,
        finding_source(f, lang),
    ]
    return [Text(safe_name(v), no_wrap=True, overflow="ellipsis") for v in values]


def finding_detail(f: Finding, lang: str = "sv") -> Content:
    """The highlighted finding in full, with where it stands, for the area under the table."""
    about = [
        ui(lang, f"kind_{f.kind}"),
        " ".join(str(v) for v in (f.municipality, f.year) if v),
        ui(lang, "finding_to", boards=", ".join(f.boards)) if f.boards else "",
        ui(lang, "finding_verdict", verdict=f.verdict) if f.verdict else "",
        f.primary.section_path,
        finding_source(f, lang),
        ui(lang, "finding_places", n=len(f.spans)) if len(f.spans) > 1 else "",
    ]
    line = safe_name(" · ".join(p for p in about if p))
    return Content.assemble((line, "bold $text-accent"), "\n", safe_text(f.full_text))


# Columns and their widths in cells; the text column takes the rest, but never less than
# TEXT_MIN (the section and source then scroll into view; the detail area shows them too).
COLUMNS = (
    ("col_kind", 14),
    ("municipality", 12),
    ("col_boards", 16),
    ("col_verdict", 14),
    ("col_text", 0),
    ("col_section", 18),
    ("col_source", 24),
)
TEXT_MIN = 32


def column_widths(width: int) -> list[tuple[str, int]]:
    """The register's columns for a screen ``width`` cells wide."""
    room = width - 2 * len(COLUMNS) - 2 - sum(w for _, w in COLUMNS)  # padding, scrollbar
    return [(key, w or max(TEXT_MIN, room)) for key, w in COLUMNS]


class FindingsScreen(Screen[None]):
    """The findings register as a table: filter by kind, municipality and board, read a
    finding in full, open the report at it (Enter or a click), export the rows shown.

    The filters are the register's own (``findings.register.select_findings``, the board
    matched as ``granska findings --board`` matches it) and the export its own CSV and
    Markdown, so the screen and the command line never disagree. The findings are read in
    a worker: on the PostgreSQL back end that is a query.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Tillbaka", id="back"),
        Binding("ctrl+f", "filter", "Nämnd", id="findings_board"),
        Binding("ctrl+s", "export('csv')", "CSV", id="export_csv"),
        Binding("ctrl+l", "export('markdown')", "Markdown", id="export_markdown"),
    ]

    def __init__(self, retriever: Retriever, lang: str = "sv") -> None:
        super().__init__()
        self.retriever = retriever
        self.lang = lang
        self.findings: list[Finding] = []  # every finding the register lists
        self.rows: list[Finding] = []  # those that pass the filters, in table order
        self.loaded = False
        relabel(self, lang)

    def compose(self) -> ComposeResult:
        lang = self.lang
        yield Static(Content(ui(lang, "findings_title")), id="findings-title")
        with Horizontal(id="findings-filters"):
            kinds = [(ui(lang, "findings_all_kinds"), ALL)]
            kinds += [(ui(lang, f"kind_{k}"), k) for k in REGISTER_KINDS]
            yield Select(kinds, allow_blank=False, value=ALL, id="findings-kind")
            yield Select[str](
                [], prompt=ui(lang, "findings_all_places"), id="findings-municipality"
            )
            yield SafeInput(placeholder=ui(lang, "findings_board"), id="findings-board")
            yield Static("", id="findings-count")
        yield LoadingIndicator(id="findings-loading")
        yield DataTable(cursor_type="row", zebra_stripes=True, id="findings-table")
        with VerticalScroll(id="findings-detail-box"):
            yield Static("", id="findings-detail")
        yield Static("", id="findings-message")
        yield Footer()

    def on_mount(self) -> None:
        for widget in ("#findings-filters", "#findings-table", "#findings-detail-box"):
            self.query_one(widget).display = False
        self.query_one("#findings-message", Static).update(
            Content(ui(self.lang, "findings_loading"))
        )
        self._load()

    @work(thread=True, exclusive=True, group="findings")
    def _load(self) -> None:
        try:
            if self.retriever.index.manifest.findings_version == 0:
                self.post_message(FindingsLoaded(None))
                return
            found = self.retriever.findings
        except Exception as e:
            self.post_message(FindingsFailed(cast(GranskaApp, self.app)._describe(e)))
            return
        self.post_message(FindingsLoaded(select_findings(found, kind=REGISTER_KINDS)))

    def on_findings_loaded(self, message: FindingsLoaded) -> None:
        self.query_one("#findings-loading").remove()
        if not message.findings:
            key = "findings_old_index" if message.findings is None else "findings_none"
            self._say(ui(self.lang, key))
            return
        self.findings = message.findings
        self.loaded = True
        places = sorted({f.municipality for f in self.findings if f.municipality})
        self.query_one("#findings-municipality", Select).set_options(
            (Content(safe_name(m)), m) for m in places
        )
        self.query_one("#findings-message").display = False
        for widget in ("#findings-filters", "#findings-table", "#findings-detail-box"):
            self.query_one(widget).display = True
        self.refilter()
        self.query_one("#findings-table").focus()

    def on_findings_failed(self, message: FindingsFailed) -> None:
        self.query_one("#findings-loading").remove()
        self._say(ui(self.lang, "findings_failed", reason=message.error))

    def _say(self, text: str) -> None:
        box = self.query_one("#findings-message", Static)
        box.update(Content(safe_text(text)))
        box.display = True

    # -- filters

    def chosen(self) -> tuple[tuple[str, ...], str | None, str | None]:
        """The kinds, municipality and board the filters ask for (None: any)."""
        kind = self.query_one("#findings-kind", Select).value
        place = self.query_one("#findings-municipality", Select).value
        board = self.query_one("#findings-board", Input).value.strip()
        kinds = REGISTER_KINDS if kind == ALL or kind == Select.NULL else (str(kind),)
        return kinds, (str(place) if place != Select.NULL else None), board or None

    @on(Select.Changed)
    @on(Input.Changed, "#findings-board")
    def _filters_changed(self) -> None:
        if self.loaded:
            self.refilter()

    @on(Input.Submitted, "#findings-board")
    def _board_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#findings-table").focus()

    def refilter(self) -> None:
        """Fill the table with the findings that pass the filters; the highlighted finding
        stays highlighted when it still passes."""
        kinds, place, board = self.chosen()
        rows = select_findings(
            self.findings,
            kind=cast("tuple[FindingKind, ...]", kinds),
            municipality=place,
            board=board,
        )
        table = self.query_one("#findings-table", DataTable)
        current = self.current()
        table.clear(columns=True)
        for key, width in column_widths(self.size.width):
            table.add_column(ui(self.lang, key), width=width, key=key)
        for f in rows:
            table.add_row(*finding_cells(f, self.lang), key=f.id)
        self.rows = rows
        keep = next((i for i, f in enumerate(rows) if current and f.id == current.id), 0)
        if rows:
            table.move_cursor(row=keep, animate=False)
        count = ui(self.lang, "findings_count", shown=len(rows), total=len(self.findings))
        self.query_one("#findings-count", Static).update(Content(count))
        self._show_detail()

    def current(self) -> Finding | None:
        """The highlighted finding."""
        table = self.query_one("#findings-table", DataTable)
        if not self.rows or not 0 <= table.cursor_row < len(self.rows):
            return None
        return self.rows[table.cursor_row]

    def _show_detail(self) -> None:
        f = self.current()
        text = finding_detail(f, self.lang) if f else Content(ui(self.lang, "findings_no_match"))
        self.query_one("#findings-detail", Static).update(text)

    def on_resize(self) -> None:
        if self.loaded:
            self.refilter()  # the text column takes the room there is

    def action_filter(self) -> None:
        self.query_one("#findings-board", Input).focus()

    @on(DataTable.RowHighlighted, "#findings-table")
    def _highlighted(self) -> None:
        self._show_detail()

    # -- the report at a finding

    @on(DataTable.RowSelected, "#findings-table")
    def _selected(self, event: DataTable.RowSelected) -> None:
        f = self.current()
        if f is not None:
            self.open_finding(f)

    def open_finding(self, f: Finding) -> None:
        """The report at the finding's first place, its lead-in and text marked; the other
        places it stands (summary, conclusions, cover letter) are listed to open."""
        app = cast(GranskaApp, self.app)
        try:
            document = self.retriever.document(f.doc)
        except (GranskaError, KeyError) as e:
            app.show_error(str(e))
            return
        span = f.primary
        start, end = span.block
        citation = Citation(
            n=1,
            doc=f.doc,
            municipality=f.municipality,
            section=span.section_path,
            page=span.page,
            start=start,
            end=end,
            text=document.text[start:end],
        )
        marks = [(span.start, span.end)]
        if span.lead_start is not None and span.lead_end is not None:
            marks.insert(0, (span.lead_start, span.lead_end))
        copies = [
            CopyRef(doc=f.doc, start=a, end=b, page=s.page, section=s.section_path)
            for s in f.spans[1:]
            for a, b in [s.block]
        ]
        app.push_screen(SourceScreen(document, citation, marks, copies, lang=self.lang))

    # -- export and close

    def action_export(self, fmt: str) -> None:
        """Ask where to save the rows shown (filtered) as CSV or Markdown, written by the
        register's own formatters: the file equals ``granska findings --csv|--markdown``."""
        app = cast(GranskaApp, self.app)
        if not self.rows:
            app.notify(ui(self.lang, "findings_nothing"), severity="warning", markup=False)
            return
        text = to_csv(self.rows) if fmt == "csv" else to_markdown(self.rows)
        suffix = "csv" if fmt == "csv" else "md"
        now = app.clock().astimezone()
        default = paths.exports_dir(app.settings) / f"granska-findings-{now:%Y%m%d-%H%M%S}.{suffix}"
        prompt = ui(
            self.lang,
            "findings_export_prompt",
            n=len(self.rows),
            format="CSV" if fmt == "csv" else "Markdown",
            folder=default.parent,
        )
        dialog = ExportScreen(
            default, self.lang, title=ui(self.lang, "findings_export_title"), prompt=prompt
        )
        write = partial(app.save_text, text=text)
        app.push_screen(dialog, partial(app._export_chosen, default, write=write))

    def action_close(self) -> None:
        self.app.pop_screen()


# ---------------------------------------------------------------- command palette


def _key_label(key: str) -> str:
    return "+".join(part.capitalize() for part in key.split("+"))


class GranskaCommands(Provider):
    """Every command of the palette (Ctrl+P), in the app's current language."""

    def _commands(self) -> Iterator[tuple[str, str, Callable[[], Any]]]:
        app = cast(GranskaApp, self.app)
        t = app.t
        r = app.retriever
        if r is not None:
            for m in r.municipalities:
                callback = partial(app.set_filter, "municipality", m)
                yield t("cmd_filter_place", value=m), t("cmd_filter_place_help"), callback
            for y in r.years:
                callback = partial(app.set_filter, "year", y)
                yield t("cmd_filter_year", value=y), t("cmd_filter_year_help"), callback
            for d in r.doc_types:
                callback = partial(app.set_filter, "doc_type", d)
                yield t("cmd_filter_type", value=d), t("cmd_filter_type_help"), callback
        yield t("cmd_clear"), t("cmd_clear_help"), app.clear_filters
        yield t("cmd_findings"), t("cmd_findings_help"), app.action_findings
        screen = self.screen  # the screen the palette was opened on
        if isinstance(screen, FindingsScreen) and screen.rows:
            help_text = t("cmd_findings_export_help")
            yield t("cmd_findings_csv"), help_text, partial(screen.action_export, "csv")
            yield t("cmd_findings_markdown"), help_text, partial(screen.action_export, "markdown")
        yield t("cmd_conversations"), t("cmd_conversations_help"), app.action_conversations
        yield t("cmd_rebuild"), t("cmd_rebuild_help"), app.action_rebuild
        yield t("cmd_export"), t("cmd_export_help"), app.action_export
        yield t("cmd_new"), t("cmd_new_help"), app.action_new_conversation
        yield t("cmd_theme"), "", app.action_toggle_theme
        yield t("cmd_help"), t("cmd_help_help"), app.action_help
        yield t("cmd_quit"), t("cmd_quit_help"), app.exit

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(Content(name), callback, text=name, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, text=name, help=help_text)


# ---------------------------------------------------------------- the app


@dataclass
class _BuildState:
    cancel: threading.Event = field(default_factory=threading.Event)
    last_post: float = 0.0


class GranskaApp(App[None]):
    TITLE = "Granska"
    CSS_PATH = "tui.tcss"
    # One provider with every command, so the palette speaks one language (Textual's own
    # system commands are English only).
    COMMANDS: ClassVar[set[Any]] = {GranskaCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+f", "filters", "Filter", id="filters"),
        Binding("ctrl+r", "rebuild", "Bygg om", id="rebuild"),
        Binding("ctrl+s", "export", "Exportera", id="export"),
        Binding("ctrl+o", "conversations", "Samtal", id="conversations"),
        Binding("f2", "findings", "Fynd", id="findings"),
        Binding("ctrl+n", "new_conversation", "Ny", id="new"),
        Binding("ctrl+t", "toggle_theme", "Tema", id="theme"),
        Binding("f1", "help", "Hjälp", id="help"),
        Binding("question_mark", "help", "Hjälp", show=False),
        Binding("escape", "cancel", "Avbryt", show=False),
        *[Binding(str(n), f"source({n})", show=False) for n in range(1, 10)],
    ]

    def __init__(
        self,
        settings: Settings,
        *,
        retriever: Retriever | None = None,
        embedder: Any = None,
        answerer: Answerer | None = None,
        clock: Clock | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.retriever = retriever
        self.embedder = embedder
        self.answerer = answerer
        self.clock = clock or _utcnow
        self.filters = Filters()
        self.turns: list[Turn] = []
        self.conversation: Any = None
        self._token = 0
        self._build: _BuildState | None = None
        self._loading = retriever is None
        self._lang = "sv"
        self._warned: set[str] = set()

    # -- language

    @property
    def lang(self) -> str:
        """The screen language: the setting, or with ``auto`` that of the last question."""
        chosen = self.settings.ui_language
        return self._lang if chosen == "auto" else chosen

    def t(self, key: str, **values: object) -> str:
        """Screen text ``key`` in the current language."""
        return ui(self.lang, key, **values)

    def _follow_language(self, question: str) -> None:
        from assistant.search.query import detect_language

        lang = detect_language(question)
        if lang != self._lang:
            self._lang = lang
            self._apply_language()

    def _apply_language(self) -> None:
        """Put the screen text of the main screen in the current language."""
        self.query_one("#welcome", Static).update(Content(self.t("welcome")))
        self.query_one(QuestionInput).placeholder = self.t("placeholder")
        self.sub_title = filters_text(self.filters, self.lang)
        relabel(self, self.lang)
        if self.retriever is not None:
            self._update_status()
        elif self._loading:
            self.query_one("#status", Static).update(Content(self.t("loading_index")))

    # -- layout and startup

    def compose(self) -> ComposeResult:
        yield Header()
        with ChatView(id="chat"):
            yield Static(Content(self.t("welcome")), id="welcome")
        with Horizontal(id="build"):
            yield Label("", id="build-label")
            yield ProgressBar(id="build-bar", show_eta=False)
        # No select-all on focus: text typed into the conversation is handed over to the
        # box (ChatView) and must not be replaced by the next key.
        yield QuestionInput(placeholder=self.t("placeholder"), id="question", select_on_focus=False)
        yield Static(Content(self.t("loading_index")), id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.theme = "textual-dark"
        self._apply_language()
        self.query_one("#build").display = False
        self.query_one("#chat").anchor()
        box = self.query_one(QuestionInput)
        box.load(load_history(paths.history_file(self.settings)))
        box.focus()
        self.set_interval(30, self._update_status)
        if self.retriever is not None:
            self._new_conversation()
            self._update_status()
        else:
            self.call_after_refresh(self._load_index)

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(cast("App[object]", self)):
            palette = CommandPalette(placeholder=self.t("palette_placeholder"))
            self.push_screen(palette)

    def get_system_commands(self, screen: Screen[Any]) -> Iterator[SystemCommand]:
        """None: ``GranskaCommands`` has them all, in the screen language."""
        return iter(())

    @work(thread=True, exclusive=True, group="load")
    def _load_index(self) -> None:
        try:
            from assistant.store import folder as index_store
            from assistant.store.postgres import NoIndexYet

            root = self.settings.index
            in_folder = not self.settings.database_url
            if in_folder and not (root.is_dir() and index_store.current_build(root) is not None):
                self.post_message(IndexMissing("", exists=False))
                return
            try:
                retriever = self._open_retriever()
            except NoIndexYet:
                self.post_message(IndexMissing("", exists=False))
                return
            if self.answerer is None:
                # Import the answer code now, off the first question: a large import in a
                # worker holds the interpreter lock long enough to stall a frame.
                import assistant.answer.compose  # noqa: F401

                retriever.is_template("")  # collects the corpus's template sentences once
        except Exception as e:
            self.post_message(IndexMissing(self._describe(e), exists=True))
            return
        self.post_message(IndexReady(retriever))

    def _open_retriever(self) -> Retriever:
        """Load the model (once) and the live index; runs in a worker thread."""
        from assistant.search.retriever import Retriever

        if self.embedder is None:
            from assistant.search.embedders import make_embedder

            self.embedder = make_embedder(self.settings.embedder, self.settings.embed_batch)
        return Retriever.open(self.settings.index, embedder=self.embedder, settings=self.settings)

    def _describe(self, error: Exception) -> str:
        """The one-line message for the user; unexpected errors also go to the log."""
        if isinstance(error, GranskaError):
            return str(error)
        self.log.error(repr(error))
        return self.t("unexpected_error", kind=type(error).__name__, error=error)

    def on_index_ready(self, message: IndexReady) -> None:
        self.retriever = message.retriever
        self._loading = False
        self._new_conversation()
        self._update_status()
        if self.turns and self.turns[-1].status == "pending":
            self._dispatch(self.turns[-1].question)

    def on_index_missing(self, message: IndexMissing) -> None:
        self._loading = False
        self.query_one("#status", Static).update(Content(self.t("no_index_loaded")))
        if self.turns and self.turns[-1].status == "pending":
            self._cancel_pending()
        if message.exists:
            text = self.t("index_broken", reason=message.reason)
        else:
            text = self.t("index_none", corpus=self.settings.corpus)
        offer = MessageScreen(
            self.t("index_missing_title"),
            text,
            ok=self.t("build_index"),
            cancel=self.t("not_now"),
        )
        self.push_screen(offer, lambda build: self.action_rebuild() if build else None)

    def _update_status(self) -> None:
        r = self.retriever
        if r is None:
            return
        parts = [
            self.t("documents", n=len(r.documents)),
            self.t("passages", n=r.n_chunks),
            safe_name(r.model_id),
            age_text(r.built_at, self.clock(), self.lang),
        ]
        if self._build is not None:
            parts.append(self.t("building"))
        self.query_one("#status", Static).update(Content(" · ".join(parts)))

    def _new_conversation(self) -> None:
        try:
            from assistant.answer.conversation import Conversation
        except ImportError:
            self.conversation = None
        else:
            stamp = f"{self.clock().astimezone():%Y%m%d-%H%M%S}"
            self.conversation = Conversation(name=f"app-{stamp}-{secrets.token_hex(3)}")

    def _warn_once(self, key: str, message: str) -> None:
        """A warning that would repeat on every question (a full disk) is shown once."""
        if key not in self._warned:
            self._warned.add(key)
            self.notify(message, severity="warning", timeout=10, markup=False)

    # -- asking

    @on(Input.Submitted, "#question")
    async def ask(self, event: Input.Submitted) -> None:
        question = " ".join(event.value.split())
        if not question:
            return
        box = self.query_one(QuestionInput)
        if self.retriever is None and not self._loading:
            box.value = event.value  # give the text back; there is nothing to ask yet
            self.notify(self.t("no_index_to_ask"), severity="warning", markup=False)
            return
        self._follow_language(question)
        box.remember(question)
        self._save_history(question)
        named = self._contradicted(question)
        if not named:
            await self._start_turn(question)
            return
        current = ", ".join(self.filters.municipality)
        names = ", ".join(named)
        choice = ChoiceScreen(
            self.t("conflict_title"),
            self.t("conflict_body", named=names, current=current),
            [
                ("switch", self.t("conflict_switch", named=names)),
                ("keep", self.t("conflict_keep", current=current)),
            ],
        )
        self.push_screen(choice, partial(self._resolve_conflict, question, named))

    def _contradicted(self, question: str) -> list[str]:
        """Municipalities the question names that the manual filter leaves out.

        With "Filter: Örebro" set, "Hur många e-tjänster finns i Avesta?" would be
        answered from Örebro without a word; the user is asked instead.
        """
        if self.retriever is None or not self.filters.municipality:
            return []
        from assistant.search.query import analyze_query

        named = analyze_query(question, self.retriever.municipalities).municipalities
        chosen = {m.casefold() for m in self.filters.municipality}
        return [m for m in named if m.casefold() not in chosen]

    async def _resolve_conflict(self, question: str, named: list[str], choice: str | None) -> None:
        if choice is None:  # Esc: not asked after all; the text goes back into the box
            box = self.query_one(QuestionInput)
            if not box.value:
                box.value = question
                box.cursor_position = len(question)
            return
        if choice == "switch":
            self._apply_filters(self.filters.model_copy(update={"municipality": named}))
            await self._start_turn(question)
            return
        note = self.t(
            "conflict_note", filters=filters_text(self.filters, self.lang), named=", ".join(named)
        )
        await self._start_turn(question, note=note)

    async def _start_turn(self, question: str, note: str | None = None) -> None:
        self._cancel_pending()
        self.turns.append(Turn(question, note=note))
        view = TurnView(len(self.turns) - 1, question)
        chat = self.query_one("#chat")
        await chat.mount(view)
        chat.scroll_end(animate=False)
        if self.retriever is not None:  # else it starts when the index is loaded
            self._dispatch(question)

    def _save_history(self, question: str) -> None:
        try:
            append_history(paths.history_file(self.settings), question)
        except (OSError, GranskaError) as e:
            self._warn_once("history", self.t("history_failed", reason=_reason(e)))

    def _save_conversation(self) -> None:
        conv = self.conversation
        if conv is None or not getattr(conv, "turns", None):
            return
        try:
            conv.save(paths.conversations_dir(self.settings))
        except (OSError, GranskaError) as e:
            self._warn_once("conversation", self.t("conversation_failed", reason=_reason(e)))

    def _dispatch(self, question: str) -> None:
        self._token += 1
        # The worker gets a copy, so a cancelled turn never enters the conversation.
        conversation = self.conversation.model_copy(deep=True) if self.conversation else None
        self._answer(self._token, question, self.filters.model_copy(), conversation)

    @work(thread=True, exclusive=True, group="ask")
    def _answer(self, token: int, question: str, filters: Filters, conversation: Any) -> None:
        try:
            answerer: Answerer
            if self.answerer is None:
                from assistant.answer.compose import answer_question

                answerer = cast(Answerer, answer_question)
            else:
                answerer = self.answerer
            answer = answerer(
                self.retriever,
                question,
                k=8,
                filters=None if filters.is_empty() else filters,
                conversation=conversation,
                settings=self.settings,
            )
        except Exception as e:
            self.post_message(AskFailed(token, self._describe(e)))
            return
        self.post_message(AnswerReady(token, answer, conversation))

    async def on_answer_ready(self, message: AnswerReady) -> None:
        if message.token != self._token or self.turns[-1].status != "pending":
            return
        turn = self.turns[-1]
        turn.answer, turn.status = message.answer, "done"
        self.conversation = message.conversation
        await self._turn_view(-1).show_answer(message.answer, self.settings.debug, turn.note)
        self.sub_title = self._subtitle(message.answer.filters)
        self.query_one("#chat").scroll_end(animate=False)
        self._save_conversation()

    async def on_ask_failed(self, message: AskFailed) -> None:
        if message.token != self._token or self.turns[-1].status != "pending":
            return
        self.turns[-1].status = "failed"
        await self._turn_view(-1).show_note(self.t("no_answer_error"), "note")
        self.show_error(message.error)

    def _subtitle(self, used: Filters) -> str:
        text = filters_text(self.filters, self.lang)
        if used != self.filters and not used.is_empty():
            text = self.t("from_question", filters=filters_text(used, self.lang))
        return text

    def _turn_view(self, index: int) -> TurnView:
        return list(self.query(TurnView))[index]

    def _cancel_pending(self) -> bool:
        if not self.turns or self.turns[-1].status != "pending":
            return False
        self.turns[-1].status = "cancelled"
        self._token += 1
        self.workers.cancel_group(self, "ask")
        self.call_next(self._turn_view(-1).show_note, self.t("cancelled"), "note")
        return True

    def action_cancel(self) -> None:
        if self._cancel_pending():
            return
        if self._build is not None:
            self._build.cancel.set()
            self.query_one("#build-label", Label).update(self.t("cancelling"))

    # -- sources

    def action_source(self, n: int) -> None:
        screen = self.screen
        if isinstance(screen, SourceScreen) and screen.turn is not None:
            self.open_source(screen.turn, n)  # the answer being read, not the latest one
            return
        for i in range(len(self.turns) - 1, -1, -1):
            if self.turns[i].status == "done":
                self.open_source(i, n)
                return

    def on_open_source(self, message: OpenSource) -> None:
        self.open_source(message.turn, message.n)

    def open_source(self, turn_index: int, n: int) -> None:
        """Show source ``n`` of a turn's answer; an open source viewer is replaced."""
        answer = self.turns[turn_index].answer
        cited = [c for c in answer.citations if c.n == n]
        if not cited or self.retriever is None:
            return
        c = cited[0]
        quotes = getattr(answer, "quotes", [])
        marks = [(q.start, q.end) for q in quotes if q.n == n and q.doc == c.doc]
        copies = next(
            (
                list(h.copies)
                for h in getattr(answer, "hits", [])
                if h.chunk.doc == c.doc and h.chunk.start <= c.start and c.end <= h.chunk.end
            ),
            [],
        )
        try:
            document = self.retriever.document(c.doc)
        except (GranskaError, KeyError) as e:
            self.show_error(str(e))
            return
        lang = getattr(answer, "language", self.lang)
        count = len(answer.citations)
        self._show_viewer(
            SourceScreen(
                document,
                c,
                marks or [(c.start, c.end)],
                copies,
                turn=turn_index,
                count=count,
                lang=lang,
            )
        )

    def _show_viewer(self, viewer: SourceScreen) -> None:
        if isinstance(self.screen, SourceScreen):
            self.switch_screen(viewer)  # one Esc always gets back to the answers
        else:
            self.push_screen(viewer)

    def open_copy(self, copy: CopyRef) -> None:
        if self.retriever is None:
            return
        try:
            document = self.retriever.document(copy.doc)
        except GranskaError as e:
            self.show_error(str(e))
            return
        c = Citation(
            n=1,
            doc=copy.doc,
            municipality=document.meta.municipality,
            section=copy.section,
            page=copy.page,
            start=copy.start,
            end=copy.end,
            text=document.text[copy.start : copy.end],
        )
        self._show_viewer(SourceScreen(document, c, [(copy.start, copy.end)], [], lang=self.lang))

    # -- filters

    def action_filters(self) -> None:
        r = self.retriever
        if r is None:
            self.notify(self.t("index_not_loaded"), severity="warning", markup=False)
            return
        screen = FilterScreen(self.filters, r.municipalities, r.years, r.doc_types, self.lang)
        self.push_screen(screen, self._apply_filters)

    def _apply_filters(self, filters: Filters | None) -> None:
        if filters is not None:
            self.filters = filters
            self.sub_title = filters_text(filters, self.lang)

    def set_filter(self, name: str, value: str | int) -> None:
        self._apply_filters(self.filters.model_copy(update={name: [value]}))

    def clear_filters(self) -> None:
        self._apply_filters(Filters())

    # -- rebuild

    def action_rebuild(self) -> None:
        if self._build is not None:
            self.notify(self.t("build_running"), markup=False)
            return
        self._build = _BuildState()
        self.query_one("#build").display = True
        self.query_one("#build-label", Label).update(self.t("preparing"))
        self.query_one("#build-bar", ProgressBar).update(total=None, progress=0)
        self._update_status()
        self._rebuild(self._build)

    @work(thread=True, exclusive=True, group="build")
    def _rebuild(self, state: _BuildState) -> None:
        def progress(p: BuildProgress) -> None:
            now = time.monotonic()
            if p.phase == "embed" and p.done < p.total and now - state.last_post < 0.05:
                return
            state.last_post = now
            self.post_message(BuildProgressed(p))

        try:
            from assistant.indexing import build_index
            from assistant.search.embedders import make_embedder

            if self.embedder is None:
                self.embedder = make_embedder(self.settings.embedder, self.settings.embed_batch)
            report = build_index(
                self.settings, embedder=self.embedder, progress=progress, cancel=state.cancel
            )
            retriever = self._open_retriever()
        except Exception as e:
            self.post_message(BuildFailed(self._describe(e)))
            return
        self.post_message(BuildDone(report, retriever))

    def on_build_progressed(self, message: BuildProgressed) -> None:
        p = message.progress
        label = self.t(PHASES.get(p.phase, "phase_done"))
        if p.phase != "done":
            label += f" {p.done}/{p.total}"
        self.query_one("#build-label", Label).update(Content(label))
        self.query_one("#build-bar", ProgressBar).update(total=max(p.total, 1), progress=p.done)

    def on_build_done(self, message: BuildDone) -> None:
        self._build = None
        self._loading = False
        self.query_one("#build").display = False
        self.retriever = message.retriever
        if self.conversation is None:
            self._new_conversation()
        self._update_status()
        r = message.report
        summary = (
            self.t("index_current", docs=r.documents, chunks=r.chunks)
            if r.noop
            else self.t(
                "index_new",
                docs=r.documents,
                chunks=r.chunks,
                embedded=r.embedded,
                secs=f"{r.seconds:.1f}",
            )
        )
        if r.repaired:
            summary = self.t("index_repaired", what=r.repaired, summary=summary)
        self.notify(summary, title=self.t("index_title"), markup=False)
        if r.warnings:
            lines = "\n".join(
                f"• {safe_name(name)}: {safe_name(reason)}" for name, reason in r.warnings
            )
            self.notify(
                lines, title=self.t("warnings_title"), severity="warning", timeout=15, markup=False
            )
        if r.failed:
            lines = "\n".join(
                f"• {safe_name(name)}: {safe_name(reason)}" for name, reason in r.failed
            )
            self.notify(
                self.t("skipped_files", n=len(r.failed), lines=lines),
                title=self.t("skipped_title"),
                severity="warning",
                timeout=15,
                markup=False,
            )

    def on_build_failed(self, message: BuildFailed) -> None:
        cancelled = self._build is not None and self._build.cancel.is_set()
        self._loading = False
        self._build = None
        self.query_one("#build").display = False
        self._update_status()
        if cancelled:
            self.notify(self.t("build_cancelled"), markup=False)
        else:
            self.show_error(message.error)

    # -- export

    def action_export(self) -> None:
        if not any(t.status == "done" for t in self.turns):
            self.notify(self.t("nothing_to_export"), severity="warning", markup=False)
            return
        now = self.clock().astimezone()
        default = paths.exports_dir(self.settings) / f"granska-{now:%Y%m%d-%H%M%S}.md"
        self.push_screen(ExportScreen(default, self.lang), partial(self._export_chosen, default))

    def _export_chosen(
        self, default: Path, path: Path | None, write: Callable[..., None] | None = None
    ) -> None:
        """Save to the chosen ``path`` with ``write(path, create=...)`` (the conversation
        unless told otherwise): a folder gets the default name, an existing file is only
        overwritten when confirmed."""
        if path is None:
            return
        write = write or self.write_export
        if not path.is_absolute():
            path = Path.cwd() / path
        if path.is_dir():
            path = path / default.name
        if path.exists():
            confirm = MessageScreen(
                self.t("export_exists_title"),
                self.t("export_exists", path=path),
                ok=self.t("overwrite"),
                cancel=self.t("cancel"),
            )
            self.push_screen(confirm, lambda ok: write(path) if ok else None)
            return
        write(path, create=path.parent == default.parent)

    def write_export(self, path: Path, create: bool = False) -> None:
        """Write the conversation as Markdown to ``path``."""
        from assistant.answer.export import conversation_markdown

        text = conversation_markdown(
            self.export_turns(), self.clock().astimezone(), self.lang, self.settings.debug
        )
        self.save_text(path, create, text=text)

    def save_text(self, path: Path, create: bool = False, *, text: str) -> None:
        """Write an export to ``path``; the default folder is created, any other folder
        must exist (a typo should not create folders)."""
        if create:
            try:
                paths.ensure_dir(path.parent)
            except GranskaError as e:
                self.show_error(str(e))
                return
        elif not path.parent.is_dir():
            self.show_error(self.t("no_folder", folder=path.parent))
            return
        try:
            path.write_text(text, encoding="utf-8")
        except OSError as e:
            self.show_error(self.t("write_failed", path=path, reason=e.strerror or e))
            return
        self.notify(self.t("saved", path=path), title="Export", markup=False)

    def export_turns(self) -> list[Any]:
        from assistant.answer.export import ExportTurn

        out = []
        for turn in self.turns:
            if turn.status != "done":
                continue
            a = turn.answer
            out.append(
                ExportTurn(
                    question=turn.question,
                    answer=a.text,
                    resolved_question=getattr(a, "resolved_question", "") or "",
                    filters=a.filters,
                    filter_note=turn.note,
                    notice=a.notice,
                    citations=list(a.citations),
                )
            )
        return out

    # -- conversations

    def action_new_conversation(self) -> None:
        self._cancel_pending()
        self.turns.clear()
        self.query(TurnView).remove()
        self._new_conversation()
        self.clear_filters()

    def action_conversations(self) -> None:
        if not isinstance(self.screen, ConversationsScreen):
            screen = ConversationsScreen(paths.conversations_dir(self.settings), self.lang)
            self.push_screen(screen, self._reopen)

    async def _reopen(self, name: str | None) -> None:
        if name:
            await self.open_conversation(name)

    async def open_conversation(self, name: str) -> None:
        """Show a saved conversation's turns; new questions continue it (and save to it)."""
        from assistant.answer.conversation import Conversation

        try:
            conv: Conversation = Conversation.load(paths.conversations_dir(self.settings), name)
        except GranskaError as e:
            self.show_error(str(e))
            return
        self._cancel_pending()
        self.turns.clear()
        await self.query(TurnView).remove()
        self.clear_filters()
        chat = self.query_one("#chat")
        for saved in conv.turns:
            answer = SavedAnswer.from_turn(saved)
            self.turns.append(Turn(saved.question, answer, "done"))
            view = TurnView(len(self.turns) - 1, saved.question)
            await chat.mount(view)
            await view.show_answer(answer, self.settings.debug)
        self.conversation = conv
        if conv.turns and self.settings.ui_language == "auto":
            self._lang = "en" if conv.turns[-1].language == "en" else "sv"
            self._apply_language()
        chat.scroll_end(animate=False)
        self.notify(self.t("conversation_opened", name=name), markup=False)

    # -- findings register

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if isinstance(self.screen, FindingsScreen):
            # Not the register again, and 1-9 open an answer's sources, not a finding.
            return action not in ("findings", "source")
        return True

    def action_findings(self) -> None:
        """The findings register; from a report opened in it, back to it."""
        if self.retriever is None:
            self.notify(self.t("index_not_loaded"), severity="warning", markup=False)
            return
        if any(isinstance(s, FindingsScreen) for s in self.screen_stack):
            while not isinstance(self.screen, FindingsScreen):
                self.pop_screen()
            return
        self.push_screen(FindingsScreen(self.retriever, self.lang))

    # -- help, theme, errors

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.lang))

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.theme == "textual-dark" else "textual-dark"

    def show_error(self, message: str) -> None:
        self.push_screen(MessageScreen(self.t("error_title"), message))


def _reason(error: Exception) -> str:
    return (
        str(error)
        if isinstance(error, GranskaError)
        else (getattr(error, "strerror", None) or str(error))
    )


def create_app(
    settings: Settings | None = None,
    *,
    retriever: Retriever | None = None,
    embedder: Any = None,
    answerer: Answerer | None = None,
    clock: Clock | None = None,
) -> GranskaApp:
    """The app, for the CLI and for tests (inject a retriever, embedder, answerer, clock)."""
    return GranskaApp(
        settings or get_settings(),
        retriever=retriever,
        embedder=embedder,
        answerer=answerer,
        clock=clock,
    )


def run(settings: Settings | None = None) -> None:
    create_app(settings).run()


if __name__ == "__main__":
    run()

"""Granska in the terminal: ask questions, read the cited sources, filter, rebuild the index.

Run ``granska``, ``granska tui`` or ``python tui.py``. All slow work (loading the index and
model, answering, rebuilding) runs in thread workers that post one result message back, so
the screen never freezes. Document and question text is always shown literally: it goes
into ``Content`` objects, never into markup strings.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, cast

from rich.markdown import Markdown as RichMarkdown
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.events import Click, Key
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import (
    Button,
    Footer,
    Header,
    Input,
    Label,
    LoadingIndicator,
    ProgressBar,
    SelectionList,
    Static,
)

from assistant.errors import GranskaError
from assistant.models import Citation, CopyRef, Document, Filters
from assistant.settings import Settings, get_settings

if TYPE_CHECKING:
    from assistant.indexing import BuildProgress, BuildReport
    from assistant.search.retriever import Retriever

Clock = Callable[[], datetime]
Answerer = Callable[..., Any]

PHASES = {
    "scan": "Läser dokument",
    "ocr": "Läser skannade sidor (OCR)",
    "embed": "Beräknar vektorer",
    "write": "Skriver index",
}
HIGHLIGHT = "bold on $warning 35%"
CONTEXT = "on $warning 12%"


def _utcnow() -> datetime:
    return datetime.now(UTC)


def age_text(built_at: datetime | None, now: datetime) -> str:
    """Swedish relative age: ``byggt nyss``, ``byggt för 3 min sedan`` ..."""
    if built_at is None:
        return "ålder okänd"
    if built_at.tzinfo is None:
        built_at = built_at.replace(tzinfo=UTC)
    minutes = int((now - built_at).total_seconds() // 60)
    if minutes < 1:
        return "byggt nyss"
    if minutes < 60:
        return f"byggt för {minutes} min sedan"
    if minutes < 48 * 60:
        return f"byggt för {minutes // 60} h sedan"
    return f"byggt för {minutes // 1440} dagar sedan"


def filters_text(filters: Filters) -> str:
    parts = [*filters.municipality, *map(str, filters.year), *filters.doc_type]
    return "Filter: " + ", ".join(parts) if parts else "Alla dokument"


def source_label(c: Citation) -> str:
    parts = [c.municipality or "–", c.doc]
    if c.section:
        parts.append(c.section)
    if c.page is not None:
        parts.append(f"s. {c.page}")
    parts.append(f"{c.score:.3f}")
    return f"[{c.n}] " + " · ".join(parts)


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


@dataclass
class Turn:
    question: str
    answer: Any = None
    status: str = "pending"  # pending | done | cancelled | failed


def export_markdown(turns: list[Turn], now: datetime) -> str:
    """The conversation with its sources as a Markdown document."""
    out = [f"# Granska – samtal {now:%Y-%m-%d %H:%M}", ""]
    for i, turn in enumerate(t for t in turns if t.status == "done"):
        answer = turn.answer
        out += [f"## Fråga {i + 1}", "", turn.question, "", "### Svar", "", answer.text, ""]
        if not answer.filters.is_empty():
            out += [f"*{filters_text(answer.filters)}*", ""]
        if answer.citations:
            out += ["### Källor", ""]
            for c in answer.citations:
                quote = " ".join(c.text.split())
                out += [f"- {source_label(c)}", f"  > {quote}"]
            out.append("")
    return "\n".join(out)


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


# ---------------------------------------------------------------- chat widgets


class QuestionInput(Input):
    """The question box: Up/Down walk the history; 1-9 in an empty box open a source."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.history: list[str] = []
        self._pos = 0

    def remember(self, question: str) -> None:
        if not self.history or self.history[-1] != question:
            self.history.append(question)
        self._pos = len(self.history)

    async def _on_key(self, event: Key) -> None:
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


class AnswerText(Static):
    """The answer, rendered as Markdown in one widget.

    Rich's Markdown renderer lays out in one pass; Textual's Markdown widget mounts a
    widget per block and stalled the event loop for over 100 ms on long answers.
    Text in ``[...]`` is Markdown text, never console markup.
    """

    def __init__(self, source: str, **kwargs: Any) -> None:
        super().__init__(RichMarkdown(source, hyperlinks=False), **kwargs)
        self.source = source


class SourceLine(Static):
    def __init__(self, turn: int, citation: Citation) -> None:
        super().__init__(Content(source_label(citation)), classes="source")
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
        yield Static(Content.assemble(("› ", "bold $accent"), self.question), classes="question")
        yield LoadingIndicator()

    async def show_answer(self, answer: Any) -> None:
        await self.query(LoadingIndicator).remove()
        widgets: list[Static] = []
        about = []
        resolved = getattr(answer, "resolved_question", self.question)
        if resolved.strip() != self.question.strip():
            about.append(f"Tolkad som: {resolved}")
        if not answer.filters.is_empty():
            about.append(filters_text(answer.filters))
        if about:
            widgets.append(Static(Content(" · ".join(about)), classes="turn-filters"))
        text = AnswerText(answer.text, classes="answer")
        text.set_class(bool(answer.abstained), "abstained")
        widgets.append(text)
        if answer.notice:
            widgets.append(Static(Content(answer.notice), classes="notice"))
        if answer.citations:
            hint = "Källor – klicka eller tryck 1–9 i tom frågeruta:"
            widgets.append(Static(Content(hint), classes="sources-head"))
        widgets += [SourceLine(self.index, c) for c in answer.citations]
        await self.mount_all(widgets)

    async def show_note(self, note: str, css: str) -> None:
        await self.query(LoadingIndicator).remove()
        await self.mount(Static(Content(note), classes=css))


# ---------------------------------------------------------------- screens


class SourceScreen(Screen[None]):
    """The whole document, scrolled to the cited passage, which is highlighted."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "app.pop_screen", "Tillbaka"),
        Binding("c", "to_passage", "Till stället"),
    ]

    def __init__(
        self,
        document: Document,
        citation: Citation,
        marks: list[tuple[int, int]],
        copies: list[CopyRef],
    ) -> None:
        """Show ``document`` around ``citation``; ``marks`` are the quoted sentences in it."""
        super().__init__()
        self.document = document
        self.citation = citation
        self.marks = marks
        self.copies = copies

    def compose(self) -> ComposeResult:
        doc, c = self.document, self.citation
        meta = doc.meta
        page = c.page or doc.page_at(c.start)
        where = " · ".join(
            p
            for p in (
                f"källa [{c.n}]",
                f"s. {page}" if page else "",
                c.section,
                "skannad sida, text läst med OCR: jämför med originalet"
                if page in doc.ocr_pages
                else "",
            )
            if p
        )
        title = meta.title or doc.doc
        about = ", ".join(str(v) for v in (meta.municipality, meta.year, meta.doc_type) if v)
        head = Content.assemble((title, "bold"), f"  ({about})" if about else "", "\n", doc.doc)
        yield Static(head, id="viewer-title")
        yield Static(Content(where), id="viewer-where")
        start = min([c.start, *(a for a, _ in self.marks)])
        end = max([c.end, *(b for _, b in self.marks)])
        before, block, after, s, e = passage_blocks(doc.text, start, end)
        passage = Content(block).stylize(CONTEXT, s, e)
        for a, b in self.marks:
            passage = passage.stylize(HIGHLIGHT, a - start + s, b - start + s)
        with VerticalScroll(id="doc"):
            yield Static(Content(before), id="before", classes="doctext")
            yield Static(passage, id="passage", classes="doctext")
            yield Static(Content(after), id="after", classes="doctext")
        if self.copies:
            yield Static(Content("Samma stycke finns även i:"), id="copies-head")
            for i, copy in enumerate(self.copies[:5]):
                label = " · ".join(
                    p for p in (copy.doc, f"s. {copy.page}" if copy.page else "", copy.section) if p
                )
                yield CopyLine(Content(f"  {label}"), copy=copy, id=f"copy-{i}")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#before").display = bool(self.query_one("#before", Static).content)
        self.query_one("#after").display = bool(self.query_one("#after", Static).content)
        self.call_after_refresh(self.action_to_passage)

    def action_to_passage(self) -> None:
        scroll = self.query_one("#doc", VerticalScroll)
        passage = self.query_one("#passage")
        scroll.scroll_to(y=max(0, passage.virtual_region.y - 2), animate=False)


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
            yield Label(Content(self.title_text), classes="dialog-title")
            yield Static(Content(self.message), classes="dialog-body")
            with Horizontal(classes="buttons"):
                yield Button(self.ok, variant="primary", id="ok")
                if self.cancel:
                    yield Button(self.cancel, id="cancel")

    def on_mount(self) -> None:
        self.query_one("#ok").focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "ok")


class FilterScreen(ModalScreen["Filters | None"]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "Avbryt")]

    def __init__(
        self, current: Filters, municipalities: list[str], years: list[int], doc_types: list[str]
    ) -> None:
        super().__init__()
        self.current = current
        self.options = municipalities, years, doc_types

    def compose(self) -> ComposeResult:
        munis, years, types = self.options
        cur = self.current
        with Vertical(classes="dialog wide"):
            yield Label("Filter", classes="dialog-title")
            with Horizontal(id="filter-lists"):
                muni_sel: SelectionList[str] = SelectionList(
                    *[(m, m, m in cur.municipality) for m in munis], id="f-municipality"
                )
                year_sel: SelectionList[int] = SelectionList(
                    *[(str(y), y, y in cur.year) for y in years], id="f-year"
                )
                type_sel: SelectionList[str] = SelectionList(
                    *[(t, t, t in cur.doc_type) for t in types], id="f-doc_type"
                )
                muni_sel.border_title, year_sel.border_title = "Kommun", "År"
                type_sel.border_title = "Typ"
                yield muni_sel
                yield year_sel
                yield type_sel
            with Horizontal(classes="buttons"):
                yield Button("Använd", variant="primary", id="apply")
                yield Button("Rensa", id="clear")
                yield Button("Avbryt", id="cancel")

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

    def compose(self) -> ComposeResult:
        rows = [
            ("Enter", "ställ frågan"),
            ("Upp / Ned", "tidigare frågor"),
            ("1–9", "öppna källa (i tom frågeruta) – eller klicka på källan"),
            ("Esc", "avbryt pågående svar eller bygge; stäng källvisaren"),
        ]
        for b in GranskaApp.BINDINGS:
            if isinstance(b, Binding) and b.show:
                rows.append((_key_label(b.key), b.tooltip or b.description))
        rows.append(("?", "hjälp, när frågerutan inte har fokus"))
        rows.append(("Ctrl+P", "kommandopaletten: filter, bygg om, export, tema"))
        rows.append(("Ctrl+Q", "avsluta"))
        body = Content("\n").join(
            Content.assemble((f"{key:<12}", "bold $accent"), text) for key, text in rows
        )
        with Vertical(classes="dialog wide"):
            yield Label("Hjälp – Granska   (Esc stänger)", classes="dialog-title")
            yield Static(body, classes="dialog-body")

    def on_click(self) -> None:
        self.dismiss()


# ---------------------------------------------------------------- command palette


def _key_label(key: str) -> str:
    return "+".join(part.capitalize() for part in key.split("+"))


class GranskaCommands(Provider):
    """Filters, rebuild, export and theme from the command palette (Ctrl+P)."""

    def _commands(self) -> Iterator[tuple[str, str, Callable[[], Any]]]:
        app = cast(GranskaApp, self.app)
        r = app.retriever
        if r is not None:
            for m in r.municipalities:
                yield (
                    f"Filter: {m}",
                    "Sök bara i denna kommun",
                    partial(app.set_filter, "municipality", m),
                )
            for y in r.years:
                yield f"Filter: år {y}", "Sök bara detta år", partial(app.set_filter, "year", y)
            for t in r.doc_types:
                yield (
                    f"Filter: typ {t}",
                    "Sök bara denna dokumenttyp",
                    partial(app.set_filter, "doc_type", t),
                )
        yield "Rensa filter", "Sök i alla dokument", app.clear_filters
        yield "Bygg om index", "Läs in ändrade filer i korpusmappen", app.action_rebuild
        yield "Exportera samtalet", "Spara frågor, svar och källor som Markdown", app.action_export
        yield "Ny konversation", "Glöm tidigare frågor och filter", app.action_new_conversation
        yield "Växla ljust/mörkt tema", "", app.action_toggle_theme

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)


# ---------------------------------------------------------------- the app


@dataclass
class _BuildState:
    cancel: threading.Event = field(default_factory=threading.Event)
    last_post: float = 0.0


class GranskaApp(App[None]):
    TITLE = "Granska"
    CSS_PATH = "tui.tcss"
    COMMANDS = App.COMMANDS | {GranskaCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+f", "filters", "Filter", tooltip="filter: kommun, år, dokumenttyp"),
        Binding("ctrl+r", "rebuild", "Bygg om", tooltip="bygg om indexet från korpusmappen"),
        Binding("ctrl+s", "export", "Exportera", tooltip="spara samtalet med källor (Markdown)"),
        Binding("ctrl+n", "new_conversation", "Ny", tooltip="ny konversation"),
        Binding("ctrl+t", "toggle_theme", "Tema", tooltip="växla mörkt/ljust tema"),
        Binding("f1", "help", "Hjälp", tooltip="den här hjälpen"),
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

    # -- layout and startup

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="chat"):
            yield Static(
                Content(
                    "Ställ en fråga om revisionsrapporterna, t.ex. ”Vilka brister fanns i "
                    "styrningen av digitaliseringen i Huddinge?” – svaren är citat med källor."
                ),
                id="welcome",
            )
        with Horizontal(id="build"):
            yield Label("", id="build-label")
            yield ProgressBar(id="build-bar", show_eta=False)
        yield QuestionInput(placeholder="Skriv din fråga och tryck Enter", id="question")
        yield Static("Läser in index …", id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.theme = "textual-dark"
        self.sub_title = filters_text(self.filters)
        self.query_one("#build").display = False
        self.query_one("#question").focus()
        self.set_interval(30, self._update_status)
        if self.retriever is not None:
            self._new_conversation()
            self._update_status()
        else:
            self.call_after_refresh(self._load_index)

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
        return f"Oväntat fel ({type(error).__name__}): {error}"

    def on_index_ready(self, message: IndexReady) -> None:
        self.retriever = message.retriever
        self._loading = False
        self._new_conversation()
        self._update_status()
        if self.turns and self.turns[-1].status == "pending":
            self._dispatch(self.turns[-1].question)

    def on_index_missing(self, message: IndexMissing) -> None:
        self._loading = False
        self.query_one("#status", Static).update(Content("Inget index inläst"))
        if self.turns and self.turns[-1].status == "pending":
            self._cancel_pending()
        if message.exists:
            text = f"{message.reason}\n\nBygga om indexet nu?"
        else:
            text = f"Det finns inget index än för {self.settings.corpus}. Bygga ett nu?"
        offer = MessageScreen("Index saknas", text, ok="Bygg index", cancel="Inte nu")
        self.push_screen(offer, lambda build: self.action_rebuild() if build else None)

    def _update_status(self) -> None:
        r = self.retriever
        if r is None:
            return
        parts = [
            f"{len(r.documents)} dokument",
            f"{r.n_chunks} avsnitt",
            r.model_id,
            age_text(r.built_at, self.clock()),
        ]
        if self._build is not None:
            parts.append("bygger nytt index …")
        self.query_one("#status", Static).update(Content(" · ".join(parts)))

    def _new_conversation(self) -> None:
        try:
            from assistant.answer.conversation import Conversation
        except ImportError:
            self.conversation = None
        else:
            self.conversation = Conversation()

    # -- asking

    @on(Input.Submitted, "#question")
    async def ask(self, event: Input.Submitted) -> None:
        question = event.value.strip()
        if not question:
            return
        box = self.query_one(QuestionInput)
        if self.retriever is None and not self._loading:
            self.notify("Det finns inget index att fråga än.", severity="warning", markup=False)
            return
        box.remember(question)
        box.value = ""
        self._cancel_pending()
        self.turns.append(Turn(question))
        view = TurnView(len(self.turns) - 1, question)
        chat = self.query_one("#chat")
        await chat.mount(view)
        chat.scroll_end(animate=False)
        if self.retriever is not None:  # else it starts when the index is loaded
            self._dispatch(question)

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
        await self._turn_view(-1).show_answer(message.answer)
        self.sub_title = self._subtitle(message.answer.filters)
        self.query_one("#chat").scroll_end(animate=False)

    async def on_ask_failed(self, message: AskFailed) -> None:
        if message.token != self._token or self.turns[-1].status != "pending":
            return
        self.turns[-1].status = "failed"
        await self._turn_view(-1).show_note("Inget svar – se felmeddelandet.", "note")
        self.show_error(message.error)

    def _subtitle(self, used: Filters) -> str:
        text = filters_text(self.filters)
        if used != self.filters and not used.is_empty():
            text = f"{filters_text(used)} (från frågan)"
        return text

    def _turn_view(self, index: int) -> TurnView:
        return list(self.query(TurnView))[index]

    def _cancel_pending(self) -> bool:
        if not self.turns or self.turns[-1].status != "pending":
            return False
        self.turns[-1].status = "cancelled"
        self._token += 1
        self.workers.cancel_group(self, "ask")
        self.call_next(self._turn_view(-1).show_note, "Avbruten", "note")
        return True

    def action_cancel(self) -> None:
        if self._cancel_pending():
            return
        if self._build is not None:
            self._build.cancel.set()
            self.query_one("#build-label", Label).update("Avbryter …")

    # -- sources

    def action_source(self, n: int) -> None:
        for i in range(len(self.turns) - 1, -1, -1):
            if self.turns[i].status == "done":
                self.open_source(i, n)
                return

    def on_open_source(self, message: OpenSource) -> None:
        self.open_source(message.turn, message.n)

    def open_source(self, turn_index: int, n: int) -> None:
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
                for h in answer.hits
                if h.chunk.doc == c.doc and h.chunk.start <= c.start and c.end <= h.chunk.end
            ),
            [],
        )
        try:
            document = self.retriever.document(c.doc)
        except GranskaError as e:
            self.show_error(str(e))
            return
        self.push_screen(SourceScreen(document, c, marks or [(c.start, c.end)], copies))

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
        self.push_screen(SourceScreen(document, c, [(copy.start, copy.end)], []))

    # -- filters

    def action_filters(self) -> None:
        r = self.retriever
        if r is None:
            self.notify("Indexet är inte inläst än.", severity="warning", markup=False)
            return
        screen = FilterScreen(self.filters, r.municipalities, r.years, r.doc_types)
        self.push_screen(screen, self._apply_filters)

    def _apply_filters(self, filters: Filters | None) -> None:
        if filters is not None:
            self.filters = filters
            self.sub_title = filters_text(filters)

    def set_filter(self, name: str, value: str | int) -> None:
        self._apply_filters(self.filters.model_copy(update={name: [value]}))

    def clear_filters(self) -> None:
        self._apply_filters(Filters())

    # -- rebuild

    def action_rebuild(self) -> None:
        if self._build is not None:
            self.notify("Ett bygge pågår redan.", markup=False)
            return
        self._build = _BuildState()
        self.query_one("#build").display = True
        self.query_one("#build-label", Label).update("Förbereder …")
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
        label = PHASES.get(p.phase, "Klart")
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
            f"Indexet är aktuellt: {r.documents} dokument, {r.chunks} avsnitt."
            if r.noop
            else f"Nytt index: {r.documents} dokument, {r.chunks} avsnitt "
            f"({r.embedded} nya vektorer) på {r.seconds:.1f} s."
        )
        self.notify(summary, title="Index", markup=False)
        if r.failed:
            lines = "\n".join(f"• {name}: {reason}" for name, reason in r.failed)
            self.notify(
                f"{len(r.failed)} fil(er) kunde inte läsas:\n{lines}",
                title="Hoppade över",
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
            self.notify("Bygget avbröts; det gamla indexet används.", markup=False)
        else:
            self.show_error(message.error)

    # -- export, help, theme, errors

    def action_export(self) -> None:
        now = self.clock().astimezone()
        if not any(t.status == "done" for t in self.turns):
            self.notify("Inget att exportera än.", severity="warning", markup=False)
            return
        path = Path.cwd() / f"granska-{now:%Y%m%d-%H%M%S}.md"
        try:
            path.write_text(export_markdown(self.turns, now), encoding="utf-8")
        except OSError as e:
            self.show_error(f"{path}: kunde inte skriva filen ({e.strerror})")
            return
        self.notify(f"Sparat: {path}", title="Export", markup=False)

    def action_new_conversation(self) -> None:
        self._cancel_pending()
        self.turns.clear()
        self.query(TurnView).remove()
        self._new_conversation()
        self.clear_filters()

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.theme == "textual-dark" else "textual-dark"

    def show_error(self, message: str) -> None:
        self.push_screen(MessageScreen("Fel", message))


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

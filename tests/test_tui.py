"""Behaviour tests for the Textual app (tui.py), driven with ``App.run_test`` and ``Pilot``.

The fake retriever/answerer below give fixed data (also used by the snapshot tests); the
tests at the end build a real index with ``FakeEmbedder`` and run the real core.
"""

from __future__ import annotations

import re
import sys
import threading
import types
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast

import pytest
from textual.command import CommandList, CommandPalette
from textual.content import Content
from textual.events import Key, Paste
from textual.pilot import Pilot
from textual.widgets import (
    Input,
    LoadingIndicator,
    ProgressBar,
    SelectionList,
    Static,
)

from assistant import paths
from assistant.errors import EndpointError, GranskaError
from assistant.models import Chunk, Citation, CopyRef, DocMeta, Document, Filters, Hit
from assistant.search.query import detect_language
from assistant.settings import get_settings
from tui import (
    HIGHLIGHT,
    AnswerText,
    ChoiceScreen,
    ExportScreen,
    FilterScreen,
    GranskaApp,
    HelpScreen,
    MessageScreen,
    QuestionInput,
    SourceLine,
    SourceScreen,
    TurnView,
    age_text,
    create_app,
    passage_blocks,
)

# ---------------------------------------------------------------- fakes

BUILT = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)
NOW = datetime(2026, 1, 15, 9, 3, tzinfo=UTC)

_FILLER = "Inledande stycke om kommunens organisation och uppdrag nummer {i}."


def _document(name: str, muni: str, year: int, passage: str, title: str) -> Document:
    paras = [_FILLER.format(i=i) for i in range(40)]
    paras.insert(30, passage)
    text = "\n\n".join(paras)
    return Document(
        doc=name,
        sha256="0" * 64,
        meta=DocMeta(municipality=muni, year=year, doc_type="granskning", title=title),
        text=text,
    )


DOCS = [
    _document(
        "huddinge-2023.txt",
        "Huddinge",
        2023,
        "Styrningen av digitaliseringen är otillräcklig. [bold]x[/] saknas i planen.",
        "Granskning av digitalisering",
    ),
    _document(
        "botkyrka-2020.txt",
        "Botkyrka",
        2020,
        "Botkyrka saknar en samlad strategi för digitalisering och uppföljning.",
        "Digitaliseringsarbetet",
    ),
]


@dataclass
class FakeQuote:
    n: int
    doc: str
    start: int
    end: int
    text: str


@dataclass
class FakeAnswer:
    question: str
    text: str
    citations: list[Citation]
    quotes: list[FakeQuote]
    hits: list[Hit]
    filters: Filters
    abstained: bool = False
    language: str = "sv"
    mode: str = "extractive"
    notice: str | None = None
    resolved_question: str = ""


@dataclass
class FakeRetriever:
    """Word-overlap search over ``DOCS``; every document's 31st paragraph is its passage."""

    documents: dict[str, Document] = field(default_factory=lambda: {d.doc: d for d in DOCS})
    model_id: str = "fake-hash-64"
    built_at: datetime = BUILT
    embedder: object = None

    @property
    def n_chunks(self) -> int:
        return 2 * len(self.documents)

    @property
    def municipalities(self) -> list[str]:
        return sorted({d.meta.municipality or "" for d in self.documents.values()})

    @property
    def years(self) -> list[int]:
        return sorted({d.meta.year or 0 for d in self.documents.values()})

    @property
    def doc_types(self) -> list[str]:
        return ["granskning"]

    def document(self, doc: str) -> Document:
        return self.documents[doc]

    def search(self, query: str, k: int = 10, filters: Filters | None = None) -> list[Hit]:
        words = set(re.findall(r"\w+", query.lower()))
        active = filters or Filters()
        named = [m for m in self.municipalities if m.lower() in words]
        if named and not active.municipality:
            active = Filters(municipality=named)
        hits = []
        for d in self.documents.values():
            para = d.text.split("\n\n")[30]
            start = d.text.index(para)
            chunk = Chunk(
                id=f"{d.doc}#30",
                doc=d.doc,
                ordinal=30,
                section=["3 Iakttagelser"],
                page=4,
                start=start,
                end=start + len(para),
                text=para,
                index_text=para,
                municipality=d.meta.municipality,
                year=d.meta.year,
                doc_type=d.meta.doc_type,
            )
            if not active.accepts(chunk):
                continue
            score = len(words & set(re.findall(r"\w+", para.lower()))) / 10
            copies = [CopyRef(doc="botkyrka-2020.txt", start=0, end=10, page=1)]
            hits.append(Hit(chunk=chunk, score=score, rank=1, copies=copies))
        hits.sort(key=lambda h: -h.score)
        return hits[:k]


class FakeAnswerer:
    """Answers with the first sentence of each hit; can be made to wait (for Esc tests)."""

    def __init__(self) -> None:
        self.gate: threading.Event | None = None
        self.text: str | None = None
        self.notice: str | None = None
        self.resolved: str | None = None
        self.calls: list[tuple[str, Filters | None]] = []

    def __call__(
        self,
        searcher: FakeRetriever,
        question: str,
        k: int = 8,
        filters: Filters | None = None,
        conversation: object = None,
        settings: object = None,
    ) -> FakeAnswer:
        self.calls.append((question, filters))
        if self.gate is not None:
            self.gate.wait(5)
        hits = searcher.search(question, k=k, filters=filters)
        used = filters or Filters()
        named = [m for m in searcher.municipalities if m.lower() in question.lower()]
        if named and not used.municipality:
            used = Filters(municipality=named)
        cites = [hit.citation(n) for n, hit in enumerate(hits, start=1)]
        quotes = []
        for c in cites:
            sentence = c.text.split(". ")[0].rstrip(".") + "."
            quotes.append(FakeQuote(c.n, c.doc, c.start, c.start + len(sentence), sentence))
        text = " ".join(f"{q.text} [{q.n}]" for q in quotes) or "Jag hittar inget svar."
        text = self.text or text
        return FakeAnswer(
            question,
            text,
            cites,
            quotes,
            hits,
            used,
            abstained=not cites,
            language=detect_language(question),
            notice=self.notice,
            resolved_question=self.resolved or question,
        )


# ---------------------------------------------------------------- tests

SIZE = (100, 30)
pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def make_app(answerer: FakeAnswerer | None = None, **kwargs: object) -> GranskaApp:
    return create_app(
        get_settings(),
        retriever=cast(Any, FakeRetriever()),
        answerer=answerer or FakeAnswerer(),
        clock=lambda: NOW,
        **kwargs,  # type: ignore[arg-type]
    )


async def ask(pilot: Pilot[None], question: str) -> None:
    pilot.app.query_one("#question", Input).value = question
    await pilot.press("enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def plain(widget: Static) -> str:
    return str(widget.render())


async def test_answer_shows_sources_and_status() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ask(pilot, "Hur är styrningen av digitaliseringen?")
        sources = [plain(s) for s in app.query(SourceLine)]
        assert len(sources) == 2
        assert sources[0].startswith("[1] Huddinge · huddinge-2023.txt · 3 Iakttagelser · s. 4")
        assert "Styrningen av digitaliseringen är otillräcklig" in app.query_one(AnswerText).source
        assert "byggt för 3 min sedan" in plain(app.query_one("#status", Static))
        assert "2 dokument" in plain(app.query_one("#status", Static))
        assert app.query_one("#question", Input).has_focus


async def test_key_1_opens_viewer_scrolled_to_highlighted_passage() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ask(pilot, "styrningen digitaliseringen Huddinge")
        await pilot.press("1")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SourceScreen)
        doc = screen.query_one("#doc")
        passage = screen.query_one("#passage", Static)
        assert doc.scroll_y > 0
        assert doc.can_view_partial(passage)
        content = passage.render()
        assert isinstance(content, Content)
        marked = [content.plain[s.start : s.end] for s in content.spans if s.style == HIGHLIGHT]
        assert marked == ["Styrningen av digitaliseringen är otillräcklig."]
        assert "[bold]x[/] saknas i planen" in content.plain
        assert "s. 4 · 3 Iakttagelser" in plain(screen.query_one("#viewer-where", Static))
        assert "botkyrka-2020.txt" in plain(screen.query_one("#copy-0", Static))
        await pilot.press("escape")
        assert not isinstance(app.screen, SourceScreen)


async def test_viewer_marks_text_read_by_ocr() -> None:
    scanned = {d.doc: d.model_copy(update={"ocr_pages": [4]}) for d in DOCS}
    app = create_app(
        get_settings(),
        retriever=cast(Any, FakeRetriever(documents=scanned)),
        answerer=FakeAnswerer(),
        clock=lambda: NOW,
    )
    async with app.run_test(size=SIZE) as pilot:
        await ask(pilot, "styrningen digitaliseringen Huddinge")
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, SourceScreen)
        where = plain(app.screen.query_one("#viewer-where", Static))
        assert "s. 4" in where and "OCR" in where
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ask(pilot, "styrningen digitaliseringen Huddinge")
        await pilot.press("1")
        await pilot.pause()
        assert "OCR" not in plain(app.screen.query_one("#viewer-where", Static))


async def test_click_on_source_opens_viewer() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ask(pilot, "digitalisering strategi Botkyrka")
        await pilot.click(SourceLine)
        await pilot.pause()
        assert isinstance(app.screen, SourceScreen)
        assert app.screen.document.doc == "botkyrka-2020.txt"


def screen_lines(app: GranskaApp) -> list[str]:
    """The characters on the terminal, line by line, as the user sees them."""
    strips = app.screen._compositor.render_strips()
    return ["".join(segment.text for segment in strip) for strip in strips]


async def test_markup_in_question_answer_and_document_is_literal() -> None:
    answerer = FakeAnswerer()
    answerer.text = "Citat: [bold]x[/] saknas [1]"
    app = make_app(answerer)
    question = "[link=http://x]y[/link] och [bold]x[/] Huddinge?"
    async with app.run_test(size=SIZE) as pilot:
        await ask(pilot, question)
        lines = screen_lines(app)
        assert any(f"› {question}" in line for line in lines)
        assert any("Citat: [bold]x[/] saknas [1]" in line for line in lines)
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, SourceScreen)
        assert any("[bold]x[/] saknas i planen" in line for line in screen_lines(app))


async def test_filter_panel_sets_filters_for_the_next_question() -> None:
    answerer = FakeAnswerer()
    app = make_app(answerer)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert isinstance(app.screen, FilterScreen)
        munis = app.screen.query_one("#f-municipality", SelectionList)
        munis.select("Botkyrka")
        await pilot.click("#apply")
        await pilot.pause()
        assert app.filters == Filters(municipality=["Botkyrka"])
        assert app.sub_title == "Filter: Botkyrka"
        await ask(pilot, "digitalisering")
        assert answerer.calls[-1][1] == Filters(municipality=["Botkyrka"])
        assert [s.n for s in app.query(SourceLine)] == [1]


async def test_filter_from_question_shows_in_subtitle() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ask(pilot, "Vad säger granskningen i Huddinge?")
        assert app.sub_title == "Filter: Huddinge (från frågan)"
        assert plain(app.query_one(".turn-filters", Static)) == "Filter: Huddinge"


async def test_command_palette_filter_and_clear() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*"Filter: Huddinge")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert app.filters == Filters(municipality=["Huddinge"])
        app.clear_filters()
        assert app.sub_title == "Alla dokument"


async def test_escape_cancels_and_drops_the_late_result() -> None:
    answerer = FakeAnswerer()
    answerer.gate = threading.Event()
    app = make_app(answerer)
    async with app.run_test(size=SIZE) as pilot:
        app.query_one("#question", Input).value = "digitalisering"
        await pilot.press("enter")
        await pilot.pause()
        assert app.query(LoadingIndicator)
        await pilot.press("escape")
        answerer.gate.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.turns[-1].status == "cancelled"
        assert not app.query(SourceLine)
        assert not app.query(LoadingIndicator)
        await ask(pilot, "digitalisering")
        assert app.turns[-1].status == "done"


async def test_history_with_up_and_down() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ask(pilot, "första")
        await ask(pilot, "andra")
        box = app.query_one("#question", Input)
        await pilot.press("up")
        assert box.value == "andra"
        await pilot.press("up")
        assert box.value == "första"
        await pilot.press("down", "down")
        assert box.value == ""


async def test_question_mark_types_and_f1_opens_help() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("v", "a", "d", "question_mark")
        assert app.query_one("#question", Input).value == "vad?"
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_digit_after_text_is_typed_not_opened() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ask(pilot, "digitalisering")
        await pilot.press("å", "r", "1")
        assert app.query_one("#question", Input).value == "år1"
        assert not isinstance(app.screen, SourceScreen)


async def test_error_is_shown_in_a_modal_and_ui_recovers() -> None:
    def failing(*_args: object, **_kwargs: object) -> FakeAnswer:
        raise EndpointError("http://localhost:11434: no answer within 20 s; check the endpoint")

    app = make_app(cast(Any, failing))
    async with app.run_test(size=SIZE) as pilot:
        await ask(pilot, "digitalisering")
        assert isinstance(app.screen, MessageScreen)
        assert "no answer within 20 s" in plain(app.screen.query_one(".dialog-body", Static))
        await pilot.press("enter")
        await pilot.pause()
        assert not app.query(LoadingIndicator)
        assert not app.query_one("#question", Input).disabled
        assert app.turns[-1].status == "failed"


async def test_export_asks_for_the_path_and_writes_clean_markdown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    answerer = FakeAnswerer()
    app = make_app(answerer)
    async with app.run_test(size=SIZE) as pilot:
        await ask(pilot, "styrningen i Huddinge")
        answerer.text = (
            '<ul style="margin:0"><li>Planen saknas</li></ul> enligt <i>rapporten</i> [1]'
        )
        answerer.resolved = "styrningen i Botkyrka"
        await ask(pilot, "och i Botkyrka?")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        field = app.screen.query_one("#export-path", Input)
        default = paths.exports_dir() / f"granska-{NOW.astimezone():%Y%m%d-%H%M%S}.md"
        assert field.value == str(default)
        assert str(default.parent) in " ".join(screen_lines(app))  # the folder is shown
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, ExportScreen)
    assert not list(tmp_path.glob("*.md"))  # nothing in the current folder
    text = default.read_text(encoding="utf-8")
    assert "## Fråga 1\n\nstyrningen i Huddinge" in text
    assert "- [1] Huddinge · huddinge-2023.txt · 3 Iakttagelser · s. 4" in text
    assert "> Styrningen av digitaliseringen är otillräcklig." in text
    assert "*Tolkad som: styrningen i Botkyrka*" in text
    assert "Planen saknas enligt rapporten [1]" in text
    assert not re.search(r"<\w|</", text)


async def test_export_to_a_chosen_path_and_escape_cancels(tmp_path: Path) -> None:
    app = make_app()
    target = tmp_path / "rapport.md"
    async with app.run_test(size=SIZE) as pilot:
        await ask(pilot, "styrningen i Huddinge")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ExportScreen)
        assert not paths.exports_dir().exists()
        await pilot.press("ctrl+s")
        await pilot.pause()
        app.screen.query_one("#export-path", Input).value = str(target)
        await pilot.press("enter")
        await pilot.pause()
        assert target.read_text(encoding="utf-8").startswith("# Granska")
        await pilot.press("ctrl+s")  # the same path again: asks before overwriting
        await pilot.pause()
        app.screen.query_one("#export-path", Input).value = str(target)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MessageScreen)
        await pilot.press("escape")
        await pilot.pause()
        app.query_one("#question", Input).focus()
        await pilot.press("ctrl+s")
        await pilot.pause()
        app.screen.query_one("#export-path", Input).value = str(tmp_path / "nej" / "x.md")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MessageScreen)  # a missing folder is an error
        assert "nej" in plain(app.screen.query_one(".dialog-body", Static))
        assert not (tmp_path / "nej").exists()


async def test_theme_toggles() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        assert app.theme == "textual-dark"
        await pilot.press("ctrl+t")
        assert app.theme == "textual-light"


def test_age_text() -> None:
    assert age_text(BUILT, BUILT) == "byggt nyss"
    assert age_text(BUILT, NOW) == "byggt för 3 min sedan"
    assert age_text(BUILT, BUILT + timedelta(hours=5)) == "byggt för 5 h sedan"
    assert age_text(BUILT, BUILT + timedelta(days=3)) == "byggt för 3 dagar sedan"
    assert age_text(None, NOW) == "ålder okänd"


def test_passage_blocks_split_at_line_breaks() -> None:
    text = "ett\n\ntvå tre fyra\nfem\n\nsex"
    start = text.index("tre")
    before, block, after, s, e = passage_blocks(text, start, start + 3)
    assert (before, block, after) == ("ett\n", "två tre fyra", "fem\n\nsex")
    assert block[s:e] == "tre"
    assert "\n".join([before, block, after]) == text


@dataclass
class FakeReport:
    documents: int = 3
    chunks: int = 9
    embedded: int = 9
    reused: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    repaired: str | None = None
    seconds: float = 0.5
    noop: bool = False


@dataclass
class FakeProgress:
    phase: str
    done: int
    total: int
    doc: str | None = None
    message: str = ""


class FakeIndexing:
    """Stands in for ``assistant.indexing``: reports progress, or waits to be cancelled."""

    def __init__(self, wait_for_cancel: bool = False) -> None:
        self.wait_for_cancel = wait_for_cancel
        self.started = threading.Event()
        self.seen: list[str] = []

    def build_index(self, settings: object, **kwargs: Any) -> FakeReport:
        progress, cancel = kwargs["progress"], kwargs["cancel"]
        self.started.set()
        if self.wait_for_cancel:
            cancel.wait(5)
            raise GranskaError("build cancelled")
        for i in range(3):
            progress(FakeProgress("scan", i, 3, doc=f"d{i}.txt"))
        progress(FakeProgress("embed", 9, 9))
        progress(FakeProgress("done", 1, 1))
        return FakeReport(failed=[("trasig.pdf", "not a readable PDF")])


@pytest.fixture
def fake_indexing(monkeypatch: pytest.MonkeyPatch) -> FakeIndexing:
    fake = FakeIndexing()
    module = types.ModuleType("assistant.indexing")
    module.build_index = fake.build_index  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "assistant.indexing", module)
    monkeypatch.setattr(GranskaApp, "_open_retriever", lambda self: FakeRetriever())
    return fake


async def test_rebuild_shows_progress_swaps_retriever_and_lists_failed_files(
    fake_indexing: FakeIndexing, monkeypatch: pytest.MonkeyPatch
) -> None:
    phases: list[tuple[str, float | None]] = []
    original = GranskaApp.on_build_progressed

    def spy(self: GranskaApp, message: Any) -> None:
        original(self, message)
        phases.append((message.progress.phase, self.query_one(ProgressBar).percentage))

    monkeypatch.setattr(GranskaApp, "on_build_progressed", spy)
    app = make_app(embedder=object())
    async with app.run_test(size=SIZE) as pilot:
        old = app.retriever
        await pilot.press("ctrl+r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert [p for p, _ in phases] == ["scan", "scan", "scan", "embed", "done"]
        assert phases[-2][1] == 1.0
        assert app.retriever is not old
        assert not app.query_one("#build").display
        messages = [n.message for n in app._notifications]
        assert any("Nytt index: 3 dokument, 9 avsnitt" in m for m in messages)
        assert any("trasig.pdf: not a readable PDF" in m for m in messages)


async def test_escape_cancels_a_build_and_keeps_the_old_index(
    fake_indexing: FakeIndexing,
) -> None:
    fake_indexing.wait_for_cancel = True
    app = make_app(embedder=object())
    async with app.run_test(size=SIZE) as pilot:
        old = app.retriever
        await pilot.press("ctrl+r")
        assert fake_indexing.started.wait(5)
        assert app.query_one("#build").display
        assert "bygger nytt index" in plain(app.query_one("#status", Static))
        await pilot.press("escape")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.retriever is old
        assert not app.query_one("#build").display
        assert any("avbröts" in n.message for n in app._notifications)
        assert not isinstance(app.screen, MessageScreen)


# ---------------------------------------------------------------- rough edges (issue 15)


async def test_typing_after_tab_goes_to_the_question_box() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ask(pilot, "digitalisering")
        box = app.query_one("#question", Input)
        await pilot.press("tab")
        assert not box.has_focus and app.query_one("#chat").has_focus
        await pilot.press("v", "a", "d", "space", "n", "u")
        assert box.has_focus
        assert box.value == "vad nu"
        await pilot.press("tab")
        app.query_one("#chat").post_message(Paste(" i\nHuddinge?"))
        await pilot.pause()
        assert box.has_focus and box.value == "vad nu i Huddinge?"


async def test_resize_keeps_the_latest_turn_in_view() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        for i in range(4):
            await ask(pilot, f"Hur är styrningen av digitaliseringen {i}?")
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.pause()
        chat = app.query_one("#chat")
        last = list(app.query(TurnView))[-1]
        assert chat.max_scroll_y > 0
        assert chat.scroll_y == chat.max_scroll_y
        assert chat.scrollable_content_region.contains_region(last.region)


async def test_screen_text_follows_the_language_of_the_last_question() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        assert "Skriv din fråga" in app.query_one("#question", Input).placeholder
        await ask(pilot, "What does the audit say about the governance of digitalisation?")
        lines = "\n".join(screen_lines(app))
        assert "Sources – click, or press 1–9" in lines
        assert "Källor" not in lines and "byggt" not in lines
        assert "2 documents" in plain(app.query_one("#status", Static))
        assert "Rebuild" in lines and "Bygg om" not in lines  # the footer
        assert app.query_one("#question", Input).placeholder.startswith("Type your question")
        await ask(pilot, "Vad säger granskningen om styrningen?")
        lines = "\n".join(screen_lines(app))
        assert "Bygg om" in lines and "2 dokument" in plain(app.query_one("#status", Static))


async def test_screen_language_setting_wins_over_the_question() -> None:
    app = create_app(
        get_settings(ui_language="en"),
        retriever=cast(Any, FakeRetriever()),
        answerer=FakeAnswerer(),
        clock=lambda: NOW,
    )
    async with app.run_test(size=SIZE) as pilot:
        await ask(pilot, "Vad säger granskningen om styrningen?")
        assert "Rebuild" in "\n".join(screen_lines(app))
        assert "built 3 min ago" in plain(app.query_one("#status", Static))


async def palette_commands(pilot: Pilot[None]) -> list[str]:
    await pilot.press("ctrl+p")
    palette = pilot.app.screen
    assert isinstance(palette, CommandPalette)
    commands = palette.query_one(CommandList)
    counts = [-1]
    for _ in range(200):  # the palette gathers its commands in the background
        await pilot.pause(0.05)
        counts.append(commands.option_count)
        if counts[-1] >= 8 and counts[-1] == counts[-2] == counts[-3]:
            break
    names = [str(o.prompt).split("\n")[0] for o in commands.options]
    placeholder = palette.query_one(Input).placeholder
    await pilot.press("escape")
    return [placeholder, *names]


async def test_command_palette_speaks_one_language() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        swedish = await palette_commands(pilot)
        assert "Sök kommandon …" in swedish and "Rensa filter" in swedish
        english_only = {"Keys", "Screenshot", "Theme", "Quit", "Search for commands…"}
        assert not english_only & set(swedish)
        await ask(pilot, "Which boards lack a plan for digitalisation?")
        english = await palette_commands(pilot)
        assert "Clear filters" in english and "Quit" in english
        assert "Rensa filter" not in english and "Avsluta" not in english


async def test_ranking_scores_are_shown_only_when_debugging() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ask(pilot, "Hur är styrningen av digitaliseringen?")
        label = plain(app.query(SourceLine).first())
        assert label.endswith("s. 4") and not re.search(r"\d\.\d{3}", label)
    debug = create_app(
        get_settings(debug=True),
        retriever=cast(Any, FakeRetriever()),
        answerer=FakeAnswerer(),
        clock=lambda: NOW,
    )
    async with debug.run_test(size=SIZE) as pilot:
        await ask(pilot, "Hur är styrningen av digitaliseringen?")
        assert re.search(r"· \d\.\d{3}$", plain(debug.query(SourceLine).first()))


@dataclass
class TypedRetriever(FakeRetriever):
    @property
    def doc_types(self) -> list[str]:
        return ["granskningsrapport", "svar på granskning"]


async def test_filter_boxes_show_their_state_and_labels_fit() -> None:
    app = create_app(
        get_settings(),
        retriever=cast(Any, TypedRetriever()),
        answerer=FakeAnswerer(),
        clock=lambda: NOW,
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+f")
        await pilot.pause()
        app.screen.query_one("#f-municipality", SelectionList).select("Huddinge")
        await pilot.pause()
        lines = screen_lines(app)
        on = next(line for line in lines if "Huddinge" in line)
        off = next(line for line in lines if "Botkyrka" in line)
        assert "✓" in on and "✓" not in off
        text = "\n".join(lines)
        assert "granskningsrapport" in text and "svar på granskning" in text


async def test_a_filter_the_question_contradicts_is_offered_to_switch() -> None:
    answerer = FakeAnswerer()
    app = make_app(answerer)
    async with app.run_test(size=SIZE) as pilot:
        app.set_filter("municipality", "Botkyrka")
        box = app.query_one("#question", Input)
        box.value = "Vad säger granskningen i Huddinge?"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        body = plain(app.screen.query_one(".dialog-body", Static))
        assert "Huddinge" in body and "Botkyrka" in body
        await pilot.click("#choice-switch")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.filters == Filters(municipality=["Huddinge"])
        assert answerer.calls[-1] == ("Vad säger granskningen i Huddinge?", app.filters)

        app.set_filter("municipality", "Botkyrka")
        box.value = "Och i Huddinge då?"
        await pilot.press("enter")
        await pilot.pause()
        await pilot.click("#choice-keep")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert answerer.calls[-1][1] == Filters(municipality=["Botkyrka"])
        note = plain(list(app.query(".turn-filters"))[-1])  # type: ignore[arg-type]
        assert note == "Filter: Botkyrka (frågan nämner Huddinge)"

        calls = len(answerer.calls)
        box.value = "Hur ser det ut i Huddinge?"
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert len(answerer.calls) == calls and box.value == "Hur ser det ut i Huddinge?"


async def test_a_notice_stands_above_the_answer() -> None:
    answerer = FakeAnswerer()
    answerer.notice = "Frågan kortades till 1000 tecken."
    app = make_app(answerer)
    async with app.run_test(size=SIZE) as pilot:
        await ask(pilot, "digitalisering " * 5)
        children = list(app.query_one(TurnView).children)
        kinds = [type(w).__name__ if not w.has_class("notice") else "notice" for w in children]
        assert kinds.index("notice") < kinds.index("AnswerText")


async def test_question_history_survives_a_restart() -> None:
    first = make_app()
    async with first.run_test(size=SIZE) as pilot:
        await ask(pilot, "första frågan")
        await ask(pilot, "andra frågan")
    assert paths.history_file().exists()
    second = make_app()
    async with second.run_test(size=SIZE) as pilot:
        box = second.query_one("#question", Input)
        await pilot.press("up")
        assert box.value == "andra frågan"
        await pilot.press("up")
        assert box.value == "första frågan"


async def test_source_viewer_steps_and_replaces_instead_of_stacking() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ask(pilot, "digitalisering styrningen strategi Huddinge Botkyrka")
        assert len(app.query(SourceLine)) == 2
        depth = len(app.screen_stack)
        for key in ("1", "2", "1", "2"):
            await pilot.press(key)
            await pilot.pause()
        assert isinstance(app.screen, SourceScreen) and app.screen.citation.n == 2
        assert len(app.screen_stack) == depth + 1
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, SourceScreen) and app.screen.citation.n == 1
        assert "källa [1] av 2" in plain(app.screen.query_one("#viewer-where", Static))
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, SourceScreen) and app.screen.citation.n == 2
        await pilot.press("n")  # past the last source: stays
        await pilot.pause()
        assert isinstance(app.screen, SourceScreen) and app.screen.citation.n == 2
        await pilot.press("escape")
        await pilot.pause()
        assert len(app.screen_stack) == depth and not isinstance(app.screen, SourceScreen)


async def test_find_in_the_document() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ask(pilot, "styrningen digitaliseringen Huddinge")
        await pilot.press("1")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SourceScreen)
        doc = screen.query_one("#doc")
        at_passage = doc.scroll_y
        await pilot.press("slash")
        await pilot.press(*"nummer 2.")
        await pilot.pause()
        assert doc.scroll_y < at_passage
        assert any("uppdrag nummer 2." in line for line in screen_lines(app))
        assert "träff 1 av 1" in plain(screen.query_one("#find-status", Static))
        screen.query_one("#find", Input).value = "uppdrag nummer"
        await pilot.pause()
        assert "träff 1 av 40" in plain(screen.query_one("#find-status", Static))
        await pilot.press("enter", "enter")
        assert "träff 3 av 40" in plain(screen.query_one("#find-status", Static))
        await pilot.press("up")
        assert "träff 2 av 40" in plain(screen.query_one("#find-status", Static))
        await pilot.press("escape")  # closes the search, not the viewer
        await pilot.pause()
        assert app.screen is screen and not screen.query_one("#find-bar").display
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, SourceScreen)


async def test_pasted_lines_become_one_question() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        box = app.query_one(QuestionInput)
        box.post_message(Paste("Vilka nämnder\nsaknar mål\r\n\nför digitalisering?\n"))
        await pilot.pause()
        assert box.value == "Vilka nämnder saknar mål för digitalisering?"


async def test_each_enter_submits_exactly_what_was_typed_before_it() -> None:
    answerer = FakeAnswerer()
    app = make_app(answerer)
    questions = [f"fråga {i} om digitalisering" for i in range(8)]
    async with app.run_test(size=SIZE) as pilot:
        for question in questions:  # faster than any typist: no pause between keys
            for char in question:
                key = "space" if char == " " else char
                app.post_message(Key(key, char))
            app.post_message(Key("enter", "\r"))
        for _ in range(200):  # until every key has been handled (a busy machine is slow)
            await pilot.pause()
            if len(app.turns) == len(questions) and app.turns[-1].status != "pending":
                break
            await app.workers.wait_for_complete()
        assert [t.question for t in app.turns] == questions
        assert app.turns[-1].status == "done"
        # An earlier question was cancelled by the next one, or answered first if the
        # machine was slow to deliver the keys; never merged with another one.
        assert all(t.status in ("cancelled", "done") for t in app.turns)
        assert {q for q, _ in answerer.calls} <= set(questions)
        assert answerer.calls[-1][0] == questions[-1]
        assert app.query_one("#question", Input).value == ""

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
from textual.content import Content
from textual.pilot import Pilot
from textual.widgets import (
    Input,
    LoadingIndicator,
    ProgressBar,
    SelectionList,
    Static,
)

from assistant.errors import EndpointError, GranskaError
from assistant.models import Chunk, Citation, CopyRef, DocMeta, Document, Filters, Hit
from assistant.settings import get_settings
from tui import (
    HIGHLIGHT,
    AnswerText,
    FilterScreen,
    GranskaApp,
    HelpScreen,
    MessageScreen,
    SourceLine,
    SourceScreen,
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
        return FakeAnswer(question, text, cites, quotes, hits, used, abstained=not cites)


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


async def test_export_writes_markdown_with_sources(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ask(pilot, "styrningen i Huddinge")
        await pilot.press("ctrl+s")
        await pilot.pause()
    files = list(tmp_path.glob("granska-*.md"))
    assert len(files) == 1
    text = files[0].read_text(encoding="utf-8")
    assert "## Fråga 1\n\nstyrningen i Huddinge" in text
    assert "- [1] Huddinge · huddinge-2023.txt · 3 Iakttagelser · s. 4" in text
    assert "> Styrningen av digitaliseringen är otillräcklig." in text


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

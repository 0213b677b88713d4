"""Hostile text on screen: escape codes in documents and file names, Markdown in quotes.

Every character that reaches the terminal (CLI output or the TUI's screen) must be free
of control characters other than newline, and quotes must show exactly as in the source.
"""

from __future__ import annotations

import re
import sys
import types
from pathlib import Path
from typing import Any, cast

import pytest
from test_text_safety import MARKDOWN_SPECIALS, rendered_markdown
from test_tui import DOCS, FakeAnswerer, FakeReport, FakeRetriever, ask, make_app, screen_lines
from textual.widgets import Input, SelectionList

from assistant.models import DocMeta, Document
from assistant.settings import get_settings
from tui import AnswerText, GranskaApp, SourceScreen, create_app

pytestmark = pytest.mark.anyio
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

EVIL_NAME = "\x1b[2J\x1b]0;pwned\x07rapport.txt"
EVIL_TEXT = (
    "Röd text \x1b[31mhär\x1b[0m och en \x1b]8;;http://evil.example\x1b\\länk\x1b]8;;\x1b\\. "
    "Skärmen \x1b[2Jrensas, C1 \x9b2J också, klocka \x07 och backsteg \x08x."
)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


# ---------------------------------------------------------------- the TUI


class EvilRetriever(FakeRetriever):
    def __init__(self) -> None:
        doc = DOCS[0]
        passage = doc.text.split("\n\n")[30]
        evil = Document(
            doc=EVIL_NAME,
            sha256="1" * 64,
            meta=DocMeta(
                municipality="Huddinge\x1b[31m",
                year=2023,
                doc_type="gransk\x1b]0;x\x07ning",
                title="Titel \x1b[2J",
            ),
            text=doc.text.replace(passage, passage + " " + EVIL_TEXT),
        )
        super().__init__(documents={evil.doc: evil})


def _assert_clean(lines: list[str]) -> None:
    bad = [line for line in lines if CONTROL.search(line)]
    assert not bad, bad[:3]


async def test_escape_codes_from_documents_and_names_never_reach_the_screen() -> None:
    answerer = FakeAnswerer()
    app = create_app(
        get_settings(),
        retriever=cast(Any, EvilRetriever()),
        answerer=answerer,
        clock=lambda: __import__("test_tui").NOW,
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await ask(pilot, "styrningen \x1b[2J digitaliseringen Huddinge")
        lines = screen_lines(app)
        _assert_clean(lines)
        assert any("␛[2J␛]0;pwned␇rapport.txt" in line for line in lines)
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, SourceScreen)
        lines = screen_lines(app)
        _assert_clean(lines)
        assert any("Röd text ␛[31mhär␛[0m" in line for line in lines)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("ctrl+f")
        await pilot.pause()
        _assert_clean(screen_lines(app))
        muni = app.screen.query_one("#f-municipality", SelectionList)
        assert muni.get_option_at_index(0).value == "Huddinge\x1b[31m"  # the value is intact
        await pilot.press("escape")
        await pilot.pause()
        app.show_error(f"{EVIL_NAME}: kan inte läsas\x1b[2J")
        await pilot.pause()
        _assert_clean(screen_lines(app))


async def test_highlight_stays_on_the_quote_after_escaping() -> None:
    app = create_app(
        get_settings(),
        retriever=cast(Any, EvilRetriever()),
        answerer=FakeAnswerer(),
        clock=lambda: __import__("test_tui").NOW,
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await ask(pilot, "styrningen digitaliseringen Huddinge")
        await pilot.press("1")
        await pilot.pause()
        passage = app.screen.query_one("#passage")
        content = passage.render()
        marked = [content.plain[s.start : s.end] for s in content.spans if "bold" in str(s.style)]
        assert marked == ["Styrningen av digitaliseringen är otillräcklig."]


async def test_quotes_show_exactly_as_in_the_source() -> None:
    """Every character Markdown treats specially, and HTML tags, show unchanged."""
    answerer = FakeAnswerer()
    answerer.text = "\n".join(f"”{line}” [1]" for line in MARKDOWN_SPECIALS)
    app = make_app(answerer)
    async with app.run_test(size=(120, 60)) as pilot:
        await ask(pilot, "Hur ökade kostnaderna i Huddinge?")
        widget = app.query_one(AnswerText)
        lines = [line.rstrip() for line in screen_lines(app)]
        for line in MARKDOWN_SPECIALS:
            quoted = f"”{line}” [1]"
            assert any(quoted in shown for shown in lines), quoted
        assert widget.source == answerer.text


async def test_export_shows_quotes_exactly_in_a_markdown_viewer() -> None:
    answerer = FakeAnswerer()
    answerer.text = "”ökade från 2*3 till 4*5 miljoner \x1b[31mkronor <b>x</b>” [1]"
    app = make_app(answerer)
    async with app.run_test(size=(100, 30)) as pilot:
        await ask(pilot, "Hur ökade kostnaderna i Huddinge?")
        await pilot.press("ctrl+s")
        await pilot.pause()
        target = Path(app.screen.query_one("#export-path", Input).value)
        await pilot.press("enter")
        await pilot.pause()
    text = target.read_text(encoding="utf-8")
    assert not CONTROL.search(text)
    shown = " ".join(rendered_markdown(text).split())
    # HTML residue is dropped by the export (issue 15); everything else is as written.
    assert "”ökade från 2*3 till 4*5 miljoner [31mkronor x” [1]" in shown


async def test_pasted_escape_codes_do_not_reach_the_question_box() -> None:
    from textual import events

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        box = app.query_one("#question", Input)
        box.post_message(events.Paste("styrningen \x1b[2J\x1b]0;x\x07 i\tHuddinge"))
        await pilot.pause()
        assert box.value == "styrningen [2J]0;x i Huddinge"
        _assert_clean(screen_lines(app))


async def test_history_search_box_and_export_path_never_hold_control_characters() -> None:
    """Every input box of the app (issue 15 added history, the viewer's search and the
    export path) drops control characters, whether typed, pasted or read from the history."""
    from textual import events

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        box = app.query_one("#question", Input)
        box.load(["styrningen \x1b[31mi Huddinge"])  # a hand-edited history file
        await pilot.press("up")
        assert box.value == "styrningen [31mi Huddinge"
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        await pilot.press("slash")
        await pilot.pause()
        find = app.screen.query_one("#find", Input)
        find.post_message(events.Paste("digital\x1b[2Jiseringen"))
        await pilot.pause()
        assert find.value == "digital[2Jiseringen"
        _assert_clean(screen_lines(app))
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        path = app.screen.query_one("#export-path", Input)
        path.post_message(events.Paste("/tmp/x\x1b]0;pwned\x07.md"))
        await pilot.pause()
        assert "\x1b" not in path.value and "\x07" not in path.value
        _assert_clean(screen_lines(app))


async def test_build_summary_shows_repairs_and_warnings_without_escape_codes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """After 'Bygg om index' the app says that a damaged index was repaired and lists the
    build's warnings (in the screen language), with file names filtered."""
    report = FakeReport(
        repaired="chunks.jsonl: checksum mismatch",
        warnings=[(EVIL_NAME, "3 bytes were not UTF-8 (first at byte 10)\x1b[2J")],
    )
    indexing = types.ModuleType("assistant.indexing")
    indexing.build_index = lambda settings, **kwargs: report  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "assistant.indexing", indexing)
    monkeypatch.setattr(GranskaApp, "_open_retriever", lambda self: FakeRetriever())
    app = make_app(embedder=object())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any(
            m.startswith("Indexet var skadat och har byggts om (chunks.jsonl: checksum mismatch)")
            for m in messages
        )
        assert any("␛[2J␛]0;pwned␇rapport.txt: 3 bytes were not UTF-8" in m for m in messages)
        assert not any(CONTROL.search(m.replace("\n", "")) for m in messages)
        _assert_clean(screen_lines(app))

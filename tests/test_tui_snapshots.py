"""Screenshots of the app with fixed fake data at fixed sizes (pytest-textual-snapshot).

Update after an intended change with ``pytest tests/test_tui_snapshots.py --snapshot-update``
and look at the SVGs in ``tests/__snapshots__/`` before committing them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from test_tui import make_app
from textual.pilot import Pilot
from textual.widgets import Input

SnapCompare = Callable[..., bool]
QUESTION = "Hur fungerar styrningen av digitaliseringen? [link=http://x]y[/link]"


async def steady(pilot: Pilot[None]) -> None:
    """Stop the text cursors blinking: on a busy machine the screenshot would otherwise
    catch a cursor on or off depending on when it was taken."""
    for screen in pilot.app.screen_stack:
        for box in screen.query(Input):
            box.cursor_blink = False
    await pilot.pause()


async def _ask(pilot: Pilot[None]) -> None:
    pilot.app.query_one("#question", Input).value = QUESTION
    await pilot.press("enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await steady(pilot)


def pressing(*keys: str) -> Callable[[Pilot[None]], Any]:
    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.press(*keys)
        await pilot.pause()
        await steady(pilot)

    return run_before


def test_answer_with_sources(snap_compare: SnapCompare) -> None:
    assert snap_compare(make_app(), terminal_size=(100, 30), run_before=_ask)


def test_answer_at_80x24_light(snap_compare: SnapCompare) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.press("ctrl+t")
        await _ask(pilot)

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run_before)


def test_source_viewer(snap_compare: SnapCompare) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await _ask(pilot)
        await pilot.press("1")
        await pilot.pause()
        await steady(pilot)

    assert snap_compare(make_app(), terminal_size=(100, 30), run_before=run_before)


def test_filter_panel(snap_compare: SnapCompare) -> None:
    assert snap_compare(make_app(), terminal_size=(100, 30), run_before=pressing("ctrl+f"))


def test_help_screen(snap_compare: SnapCompare) -> None:
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=pressing("f1"))


def test_english_answer_with_english_screen_text(snap_compare: SnapCompare) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        pilot.app.query_one("#question", Input).value = "How is digitalisation governed?"
        await pilot.press("enter")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await steady(pilot)

    assert snap_compare(make_app(), terminal_size=(100, 30), run_before=run_before)


def test_search_in_source_viewer(snap_compare: SnapCompare) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await _ask(pilot)
        await pilot.press("1")
        await pilot.pause()
        await pilot.press("slash", *"nummer 1")
        await pilot.pause()
        await steady(pilot)

    assert snap_compare(make_app(), terminal_size=(100, 30), run_before=run_before)

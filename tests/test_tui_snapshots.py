"""Screenshots of the app with fixed fake data at fixed sizes (pytest-textual-snapshot).

Update after an intended change with ``pytest tests/test_tui_snapshots.py --snapshot-update``
and look at the SVGs in ``tests/__snapshots__/`` before committing them.
"""

from __future__ import annotations

from collections.abc import Callable

from test_tui import make_app
from textual.pilot import Pilot
from textual.widgets import Input

SnapCompare = Callable[..., bool]
QUESTION = "Hur fungerar styrningen av digitaliseringen? [link=http://x]y[/link]"


async def _ask(pilot: Pilot[None]) -> None:
    pilot.app.query_one("#question", Input).value = QUESTION
    await pilot.press("enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


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

    assert snap_compare(make_app(), terminal_size=(100, 30), run_before=run_before)


def test_filter_panel(snap_compare: SnapCompare) -> None:
    assert snap_compare(make_app(), terminal_size=(100, 30), press=["ctrl+f", "_"])


def test_help_screen(snap_compare: SnapCompare) -> None:
    assert snap_compare(make_app(), terminal_size=(80, 24), press=["f1", "_"])


def test_english_answer_with_english_screen_text(snap_compare: SnapCompare) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        pilot.app.query_one("#question", Input).value = "How is digitalisation governed?"
        await pilot.press("enter")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(100, 30), run_before=run_before)


def test_search_in_source_viewer(snap_compare: SnapCompare) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await _ask(pilot)
        await pilot.press("1")
        await pilot.pause()
        await pilot.press("slash", *"nummer 1")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(100, 30), run_before=run_before)

"""The app on a real fixture index (fake embedder): the whole core under the UI."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FakeEmbedder
from textual.pilot import Pilot
from textual.widgets import Input, Static

from assistant.indexing import build_index
from assistant.settings import Settings
from tui import GranskaApp, MessageScreen, SourceLine, SourceScreen, create_app

SIZE = (100, 30)
pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


DOCS = {
    "alfa-2021.txt": "Granskning av digitalisering\n\nAlfa kommun\n\nSammanfattning\n\n"
    "Socialnämnden saknar en handlingsplan för digitalisering. Kommunstyrelsen bör ta fram "
    "en sådan plan under året.\n\nBakgrund\n\nGranskningen omfattar [bold]alla[/] nämnder.\n",
    "beta-2022.txt": "Granskning av IT-säkerhet\n\nBeta kommun\n\nBedömning\n\n"
    "Utbildningsnämnden har inte genomfört någon riskanalys av sina verksamhetssystem.\n",
}


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text in DOCS.items():
        (corpus / name).write_text(text, encoding="utf-8")
    return Settings(corpus=corpus, index=tmp_path / "index")


async def ask(pilot: Pilot[None], question: str) -> None:
    pilot.app.query_one("#question", Input).value = question
    await pilot.press("enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def ready(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def text_of(widget: Static) -> str:
    return str(widget.render())


async def test_ask_open_source_and_filter_on_real_index(settings: Settings) -> None:
    embedder = FakeEmbedder()
    build_index(settings, embedder=embedder)
    app: GranskaApp = create_app(settings, embedder=embedder)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert "2 dokument" in text_of(app.query_one("#status", Static))
        await ask(pilot, "Vilken nämnd saknar en handlingsplan för digitalisering?")
        sources = [text_of(s) for s in app.query(SourceLine)]
        assert sources and sources[0].startswith("[1] Alfa · alfa-2021.txt · Sammanfattning")
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, SourceScreen)
        assert app.screen.document.doc == "alfa-2021.txt"
        passage = text_of(app.screen.query_one("#passage", Static))
        assert "Socialnämnden saknar en handlingsplan" in passage
        await pilot.press("escape")
        await ask(pilot, "Har utbildningsnämnden gjort en riskanalys i Beta?")
        assert "Beta" in (app.sub_title or "")
        lines = list(app.query(SourceLine))
        last = [s for s in lines if s.turn == max(line.turn for line in lines)]
        assert last and all("Beta" in text_of(s) for s in last)


async def test_rebuild_from_the_app_picks_up_a_new_report(settings: Settings) -> None:
    embedder = FakeEmbedder()
    build_index(settings, embedder=embedder)
    (settings.corpus / "gamma-2023.txt").write_text(
        "Granskning av e-tjänster\n\nGamma kommun\n\nSammanfattning\n\n"
        "Kommunen erbjuder få e-tjänster till invånarna.\n",
        encoding="utf-8",
    )
    (settings.corpus / "trasig.pdf").write_bytes(b"%PDF-1.7 broken")
    app = create_app(settings, embedder=embedder)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        old = app.retriever
        await pilot.press("ctrl+r")
        await ready(pilot)
        assert app.retriever is not old and app.retriever is not None
        assert "gamma-2023.txt" in app.retriever.documents
        messages = " ".join(n.message for n in app._notifications)
        assert "trasig.pdf" in messages
        await ask(pilot, "Hur många e-tjänster erbjuder kommunen invånarna?")
        lines = list(app.query(SourceLine))
        assert text_of(lines[0]).startswith("[1] Gamma")


async def test_without_an_index_the_app_offers_to_build_one(settings: Settings) -> None:
    app = create_app(settings, embedder=FakeEmbedder())
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert isinstance(app.screen, MessageScreen)
        await pilot.press("enter")  # the default button builds
        await ready(pilot)
        await ready(pilot)
        assert app.retriever is not None and len(app.retriever.documents) == 2

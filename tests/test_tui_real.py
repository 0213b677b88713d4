"""The app on a real fixture index (fake embedder): the whole core under the UI."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FakeEmbedder, write_corpus
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static

from assistant import paths
from assistant.answer.conversation import Conversation
from assistant.indexing import build_index
from assistant.settings import Settings
from tui import (
    ConversationsScreen,
    GranskaApp,
    MessageScreen,
    SourceLine,
    SourceScreen,
    create_app,
)

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
    corpus = write_corpus(tmp_path / "corpus", DOCS)
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


async def test_conversations_are_saved_listed_and_reopened(settings: Settings) -> None:
    embedder = FakeEmbedder()
    build_index(settings, embedder=embedder)
    first = create_app(settings, embedder=embedder)
    async with first.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await ask(pilot, "Vilken nämnd saknar en handlingsplan för digitalisering i Alfa?")
        await ask(pilot, "och i Beta?")
        assert "Tolkad som:" in text_of(first.query(".turn-filters").last())  # type: ignore[arg-type]
    saved = list(paths.conversations_dir().glob("*.json"))
    assert len(saved) == 1

    second = create_app(settings, embedder=embedder)
    async with second.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+o")
        await ready(pilot)
        assert isinstance(second.screen, ConversationsScreen)
        rows = second.screen.query_one("#conversations", OptionList)
        assert rows.option_count == 1
        assert "2 frågor" in str(rows.get_option_at_index(0).prompt)
        await pilot.press("enter")
        await ready(pilot)
        assert not isinstance(second.screen, ConversationsScreen)
        assert [t.question for t in second.turns] == [
            "Vilken nämnd saknar en handlingsplan för digitalisering i Alfa?",
            "och i Beta?",
        ]
        assert len(second.query(SourceLine)) >= 2
        await pilot.press("1")  # a reopened answer's sources open
        await pilot.pause()
        assert isinstance(second.screen, SourceScreen)
        await pilot.press("escape")
        await ask(pilot, "och i Alfa?")  # a follow-up continues the reopened conversation
        resolved = second.turns[-1].answer.resolved_question
        assert "handlingsplan" in resolved and "Alfa" in resolved
    reopened = Conversation.load(paths.conversations_dir(), saved[0].stem)
    assert len(reopened.turns) == 3 and len(list(paths.conversations_dir().glob("*.json"))) == 1


async def test_a_file_skipped_before_is_not_rebuilt_again(settings: Settings) -> None:
    (settings.corpus / "trasig.pdf").write_bytes(b"%PDF-1.7 broken")
    embedder = FakeEmbedder()
    build_index(settings, embedder=embedder)
    app = create_app(settings, embedder=embedder)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        old = app.retriever
        assert old is not None
        await pilot.press("ctrl+r")
        await ready(pilot)
        messages = [n.message for n in app._notifications]
        assert any(m.startswith("Indexet är aktuellt") for m in messages)
        assert any("trasig.pdf" in m for m in messages)
        assert app.retriever is not None and app.retriever.built_at == old.built_at

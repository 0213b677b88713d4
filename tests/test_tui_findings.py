"""The findings register in the app (F2): the same rows, filters and exports as
``granska findings``, on a real index of the sample reports (fake embedder), and the
screen's messages for an index without findings.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest
from conftest import CORPUS, FakeEmbedder
from test_tui import DOCS, NOW, FakeAnswerer, FakeRetriever, screen_lines
from textual.content import Content
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select, Static

from assistant import paths
from assistant.cli import main
from assistant.findings.register import REGISTER_KINDS, select_findings
from assistant.indexing import build_index
from assistant.models import Finding, FindingSpan
from assistant.settings import Settings, get_settings
from tui import HIGHLIGHT, ExportScreen, FindingsScreen, GranskaApp, SourceScreen, create_app

SIZE = (120, 36)
pytestmark = pytest.mark.anyio
SnapCompare = Callable[..., bool]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="module")
def sample_index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The five sample reports indexed once for the module (about two seconds)."""
    index = tmp_path_factory.mktemp("findings") / "index"
    with pytest.MonkeyPatch.context() as env:
        for name in [n for n in __import__("os").environ if n.startswith("GRANSKA_")]:
            env.delenv(name)
        build_index(Settings(corpus=CORPUS, index=index), embedder=FakeEmbedder())
    yield index


@pytest.fixture
def settings(sample_index: Path) -> Settings:
    return Settings(corpus=CORPUS, index=sample_index)


def cli(capsys: pytest.CaptureFixture[str], settings: Settings, *argv: str) -> str:
    """What ``granska findings ARGV`` prints on the same index."""
    capsys.readouterr()
    code = main(["--index", str(settings.index), "--corpus", str(settings.corpus), *argv])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def cli_ids(capsys: pytest.CaptureFixture[str], settings: Settings, *argv: str) -> list[str]:
    return [f["id"] for f in json.loads(cli(capsys, settings, "findings", "--json", *argv))]


def app_for(settings: Settings, **kwargs: Any) -> GranskaApp:
    return create_app(settings, embedder=FakeEmbedder(), clock=lambda: NOW, **kwargs)


async def ready(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def loaded(pilot: Pilot[None]) -> None:
    """Until the index is loaded: the loading worker may start only after the first
    refresh, so one wait for the workers is not enough on a busy machine."""
    for _ in range(600):  # bounds a hang; a slow machine only waits longer
        await ready(pilot)
        if getattr(pilot.app, "retriever", None) is not None:
            return
        await pilot.pause(0.05)
    raise AssertionError("the index did not load")


async def open_register(pilot: Pilot[None]) -> FindingsScreen:
    await loaded(pilot)
    await pilot.press("f2")
    await ready(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, FindingsScreen)
    return screen


def table_ids(screen: FindingsScreen) -> list[str]:
    table = screen.query_one("#findings-table", DataTable)
    return [str(key.value) for key in table.rows]


def text(screen: FindingsScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def set_select(pilot: Pilot[None], screen: FindingsScreen, which: str, value: str) -> None:
    screen.query_one(f"#findings-{which}", Select).value = value
    await pilot.pause()


async def type_board(pilot: Pilot[None], screen: FindingsScreen, board: str) -> None:
    box = screen.query_one("#findings-board", Input)
    box.focus()
    box.value = ""
    await pilot.press(*board)
    await pilot.pause()


# ---------------------------------------------------------------- on the sample reports


async def test_f2_opens_the_register_with_the_rows_of_granska_findings(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = cli_ids(capsys, settings)
    assert len(expected) > 100  # the five reports hold a real register
    app = app_for(settings)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_register(pilot)
        assert table_ids(screen) == expected
        n = len(expected)
        assert text(screen, "#findings-count") == f"{n} av {n} fynd"
        first = screen.findings[0]
        detail = text(screen, "#findings-detail")
        assert first.full_text in detail and first.doc in detail
        assert "Rekommendation" in "\n".join(screen_lines(app))
        await pilot.press("escape")
        assert not isinstance(app.screen, FindingsScreen)


async def test_palette_opens_the_register_in_english(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    n = len(cli_ids(capsys, settings))  # before the app runs: it takes over stdout
    english = settings.model_copy(update={"ui_language": "en"})
    app = app_for(english)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"Findings register")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await ready(pilot)
        screen = app.screen
        assert isinstance(screen, FindingsScreen)
        assert text(screen, "#findings-count") == f"{n} of {n} findings"
        shown = "\n".join(screen_lines(app))
        for label in ("Findings register", "Kind", "Municipality", "Board(s)", "Verdict"):
            assert label in shown
        assert "Fynd" not in shown and "Kommun " not in shown
        assert "Recommendation" in shown and "Back" in shown


async def test_filters_give_the_rows_of_the_cli_filters(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    assessments = cli_ids(capsys, settings, "--kind", "assessment")
    both = cli_ids(capsys, settings, "--kind", "assessment", "--municipality", "Huddinge")
    board = cli_ids(capsys, settings, "--board", "SOCIALNÄMND")
    app = app_for(settings)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_register(pilot)
        total = len(screen.findings)

        await set_select(pilot, screen, "kind", "assessment")
        assert table_ids(screen) == assessments and 0 < len(assessments) < total
        assert text(screen, "#findings-count") == f"{len(assessments)} av {total} fynd"

        await set_select(pilot, screen, "municipality", "Huddinge")
        assert table_ids(screen) == both and 0 < len(both) < len(assessments)

        await set_select(pilot, screen, "kind", "all")
        await set_select(pilot, screen, "municipality", Select.NULL)  # type: ignore[arg-type]
        await type_board(pilot, screen, "SOCIALNÄMND")
        assert table_ids(screen) == board and 0 < len(board) < total
        # the register's own matching: "Samtliga nämnder" concerns the social board too
        register = select_findings(screen.findings, kind=REGISTER_KINDS, board="socialnämnd")
        assert table_ids(screen) == [f.id for f in register]

        await set_select(pilot, screen, "municipality", "Huddinge")
        await type_board(pilot, screen, "ingen sådan nämnd")
        assert table_ids(screen) == []  # no "Samtliga nämnder" in Huddinge's report
        assert text(screen, "#findings-count") == f"0 av {total} fynd"
        assert "Inga fynd passar filtret" in text(screen, "#findings-detail")


async def test_enter_opens_the_report_at_the_finding_and_escape_keeps_filters(
    settings: Settings,
) -> None:
    app = app_for(settings)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_register(pilot)
        await set_select(pilot, screen, "kind", "recommendation")
        await set_select(pilot, screen, "municipality", "Örebro")
        rows = list(screen.rows)
        # a recommendation with a lead-in ("Vi rekommenderar ... att:") and its item
        pick = next(i for i, f in enumerate(rows) if f.lead_in and i > 0)
        table = screen.query_one("#findings-table", DataTable)
        table.focus()
        await pilot.press(*["down"] * pick)
        assert screen.current() == rows[pick]
        await pilot.press("enter")
        await pilot.pause()

        viewer = app.screen
        assert isinstance(viewer, SourceScreen)
        finding = rows[pick]
        content = viewer.query_one("#passage", Static).render()
        assert isinstance(content, Content)
        marked = [" ".join(content.plain[s.start : s.end].split()) for s in content.spans]
        marked = [m for m, s in zip(marked, content.spans, strict=True) if s.style == HIGHLIGHT]
        assert finding.text in marked and cast(str, finding.lead_in) in marked
        assert finding.doc in str(viewer.query_one("#viewer-title", Static).render())

        await pilot.press("escape")
        assert app.screen is screen
        assert screen.query_one("#findings-kind", Select).value == "recommendation"
        assert screen.query_one("#findings-municipality", Select).value == "Örebro"
        assert screen.rows == rows and screen.current() == finding


async def test_a_finding_in_several_places_lists_the_others_to_open(settings: Settings) -> None:
    app = app_for(settings)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_register(pilot)
        index = next(i for i, f in enumerate(screen.rows) if len(f.spans) > 1)
        finding = screen.rows[index]
        screen.open_finding(finding)
        await pilot.pause()
        viewer = app.screen
        assert isinstance(viewer, SourceScreen)
        assert [(c.start, c.end) for c in viewer.copies] == [s.block for s in finding.spans[1:]]
        await pilot.click("#copy-0")
        await pilot.pause()
        other = app.screen
        assert isinstance(other, SourceScreen) and other is not viewer
        assert (other.citation.start, other.citation.end) == finding.spans[1].block
        await pilot.press("escape")
        assert app.screen is screen  # a copy replaces the viewer; one Esc to the register


async def test_exports_equal_the_cli_csv_and_markdown(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ("findings", "--municipality", "Eskilstuna", "--board", "kommunstyrelsen")
    expected = {fmt: cli(capsys, settings, *args, fmt) for fmt in ("--csv", "--markdown")}
    app = app_for(settings)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_register(pilot)
        await set_select(pilot, screen, "municipality", "Eskilstuna")
        await type_board(pilot, screen, "kommunstyrelsen")
        assert 0 < len(screen.rows) < len(screen.findings)

        for key, fmt, suffix in (("ctrl+s", "--csv", "csv"), ("ctrl+l", "--markdown", "md")):
            await pilot.press(key)
            await pilot.pause()
            dialog = app.screen
            assert isinstance(dialog, ExportScreen)
            assert dialog.default.parent == paths.exports_dir(settings)
            assert re.fullmatch(rf"granska-findings-\d{{8}}-\d{{6}}\.{suffix}", dialog.default.name)
            assert f"{len(screen.rows)} " in str(dialog.query_one(".dialog-body", Static).render())
            await pilot.press("enter")
            await pilot.pause()
            assert app.screen is screen
            written = dialog.default.read_text(encoding="utf-8")
            assert written == expected[fmt]


async def test_palette_on_the_register_offers_its_exports(settings: Settings) -> None:
    app = app_for(settings)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_register(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"Exportera fynden som Markdown")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportScreen) and dialog.default.suffix == ".md"
        await pilot.press("escape")
        assert app.screen is screen


async def test_digits_in_the_register_do_not_open_an_answer_source(settings: Settings) -> None:
    app = app_for(settings)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        pilot.app.query_one("#question", Input).value = "Vilka rekommendationer fick Örebro?"
        await pilot.press("enter")
        await ready(pilot)
        await pilot.press("f2")
        await ready(pilot)
        screen = app.screen
        assert isinstance(screen, FindingsScreen)
        await pilot.press("1")
        await pilot.pause()
        assert app.screen is screen


async def test_export_asks_before_overwriting(settings: Settings, tmp_path: Path) -> None:
    target = tmp_path / "register.csv"
    target.write_text("old", encoding="utf-8")
    app = app_for(settings)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_register(pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
        app.screen.query_one("#export-path", Input).value = str(target)
        await pilot.press("enter")
        await pilot.pause()
        assert target.read_text(encoding="utf-8") == "old"  # not yet: asked first
        await pilot.click("#ok")
        await pilot.pause()
        assert target.read_text(encoding="utf-8").startswith("kind,municipality,")
        assert app.screen is screen


async def test_a_report_without_findings_says_so(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "alfa-2021-protokoll.txt").write_text(
        "Protokoll\n\nAlfa kommun\n\nMötet öppnades klockan nio. Fem ledamöter var där.\n",
        encoding="utf-8",
    )
    settings = Settings(corpus=corpus, index=tmp_path / "index")
    build_index(settings, embedder=FakeEmbedder())
    app = app_for(settings)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_register(pilot)
        assert "inga fynd" in text(screen, "#findings-message")
        assert not screen.query_one("#findings-table").display
        await pilot.press("ctrl+s")  # nothing to export: a warning, no dialog
        await pilot.pause()
        assert app.screen is screen


# ---------------------------------------------------------------- fixed fake findings


def _span(doc: str, sentence: str, section: list[str], page: int | None) -> FindingSpan:
    text = next(d.text for d in DOCS if d.doc == doc)
    start = text.index(sentence)
    return FindingSpan(start=start, end=start + len(sentence), section=section, page=page)


FINDINGS = [
    Finding(
        id="a1",
        kind="assessment",
        doc="huddinge-2023.txt",
        municipality="Huddinge",
        year=2023,
        boards=["Kommunstyrelsen"],
        text="Styrningen av digitaliseringen är otillräcklig.",
        verdict="inte tillräcklig",
        polarity="negative",
        spans=[
            _span(
                "huddinge-2023.txt",
                "Styrningen av digitaliseringen är otillräcklig.",
                ["3 Iakttagelser"],
                4,
            )
        ],
    ),
    Finding(
        id="r1",
        kind="recommendation",
        doc="huddinge-2023.txt",
        municipality="Huddinge",
        year=2023,
        boards=["Socialnämnden"],
        text="[bold]x[/] saknas i planen.",
        spans=[_span("huddinge-2023.txt", "[bold]x[/] saknas i planen.", ["3 Iakttagelser"], 4)],
    ),
    Finding(
        id="s1",
        kind="response",
        doc="botkyrka-2020.txt",
        municipality="Botkyrka",
        year=2020,
        boards=["Kommunstyrelsen"],
        text="Botkyrka saknar en samlad strategi för digitalisering och uppföljning.",
        spans=[
            _span(
                "botkyrka-2020.txt",
                "Botkyrka saknar en samlad strategi för digitalisering och uppföljning.",
                [],
                None,
            )
        ],
    ),
    Finding(
        id="o1",
        kind="observation",
        doc="botkyrka-2020.txt",
        municipality="Botkyrka",
        text="Botkyrka saknar en samlad strategi",
        spans=[_span("botkyrka-2020.txt", "Botkyrka saknar en samlad strategi", [], None)],
    ),
]


@dataclass
class FindingsRetriever(FakeRetriever):
    """The chat tests' fake index with findings, or with an index from before findings."""

    found: list[Finding] = field(default_factory=lambda: list(FINDINGS))
    findings_version: int = 1
    fail: bool = False

    @property
    def index(self) -> Any:
        return SimpleNamespace(manifest=SimpleNamespace(findings_version=self.findings_version))

    @property
    def findings(self) -> list[Finding]:
        if self.fail:
            raise OSError(5, "Input/output error")
        return self.found

    def document(self, doc: str) -> Any:
        return self.documents[doc]


def fake_app(retriever: FindingsRetriever) -> GranskaApp:
    return create_app(
        get_settings(),
        retriever=cast(Any, retriever),
        answerer=FakeAnswerer(),
        clock=lambda: NOW,
    )


async def test_finding_text_is_shown_literally() -> None:
    app = fake_app(FindingsRetriever())
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_register(pilot)
        assert table_ids(screen) == ["a1", "r1", "s1"]  # observations are not listed
        await pilot.press("down")
        assert "[bold]x[/] saknas i planen." in text(screen, "#findings-detail")
        assert "[bold]x[/] saknas i planen." in "\n".join(screen_lines(app))


async def test_an_index_from_before_findings_says_rebuild() -> None:
    app = fake_app(FindingsRetriever(findings_version=0))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_register(pilot)
        assert "Bygg om indexet (Ctrl+R)" in text(screen, "#findings-message")
        assert table_ids(screen) == []


async def test_a_failing_read_is_one_message_in_the_screen() -> None:
    app = fake_app(FindingsRetriever(fail=True))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_register(pilot)
        message = text(screen, "#findings-message")
        assert message.startswith("Fyndregistret kunde inte läsas") and "Input/output" in message
        assert not screen.query("#findings-loading")
        await pilot.press("escape")
        assert not isinstance(app.screen, FindingsScreen)


async def test_f2_without_an_index_is_a_warning(tmp_path: Path) -> None:
    app = create_app(Settings(corpus=tmp_path / "corpus", index=tmp_path / "index"))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("escape")  # the offer to build an index
        await pilot.press("f2")
        await pilot.pause()
        assert not isinstance(app.screen, FindingsScreen)


def test_register_screen_snapshot(snap_compare: SnapCompare) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await open_register(pilot)
        await pilot.press("down")
        await pilot.pause()

    assert snap_compare(
        fake_app(FindingsRetriever()), terminal_size=(100, 30), run_before=run_before
    )


async def test_escape_codes_in_findings_never_reach_the_screen() -> None:
    """Findings quote document text and name files, boards and places from the corpus: the
    register shows control characters as visible symbols (issue 14), and the board filter
    box drops typed or pasted ones."""
    from textual import events

    evil = FINDINGS[0].model_copy(
        update={
            "municipality": "Huddinge\x1b[31m",
            "boards": ["Kommun\x1b]0;pwned\x07styrelsen"],
            "text": FINDINGS[0].text + " \x1b[2J\x9b",
            "verdict": "brister\x07",
        }
    )
    app = fake_app(FindingsRetriever(found=[evil, *FINDINGS[1:]]))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_register(pilot)
        lines = screen_lines(app)
        assert not [line for line in lines if re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", line)]
        assert "␛[2J" in text(screen, "#findings-detail")
        board = screen.query_one("#findings-board", Input)
        board.post_message(events.Paste("Kommun\x1b[2Jstyrelsen"))
        await pilot.pause()
        assert board.value == "Kommun[2Jstyrelsen"

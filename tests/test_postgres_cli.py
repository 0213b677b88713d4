"""Every command on the shared index: 'granska db init', index, search, ask, eval and the
app, selected by GRANSKA_DATABASE_URL or --database-url (the bundled model, a tiny corpus)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import READER_PASSWORD, WRITER_PASSWORD, FakeEmbedder, new_database, write_corpus
from pg_server import LocalServer
from test_cli import DOCS, run

from assistant.settings import Settings


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    corpus = write_corpus(tmp_path / "corpus", DOCS)
    monkeypatch.setenv("GRANSKA_CORPUS", str(corpus))
    monkeypatch.setenv("GRANSKA_INDEX", str(tmp_path / "index"))
    return tmp_path


def test_every_command_on_the_database(
    env: Path, pg: LocalServer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = new_database(pg, init=False)
    monkeypatch.setenv("GRANSKA_DB_WRITER_PASSWORD", WRITER_PASSWORD)
    monkeypatch.setenv("GRANSKA_DB_READER_PASSWORD", READER_PASSWORD)
    code, out, err = run(capsys, "--database-url", db.admin, "db", "init")
    assert code == 0 and "granska_writer" in out and "granska_reader" in out, err
    assert pg.password not in out + err and WRITER_PASSWORD not in out + err
    writer = pg.url("granska_writer", WRITER_PASSWORD, db.name)
    reader = pg.url("granska_reader", READER_PASSWORD, db.name)

    code, _, err = run(capsys, "--database-url", reader, "search", "riskanalys")
    assert code == 1 and "granska index" in err and READER_PASSWORD not in err
    code, _, err = run(capsys, "--database-url", reader, "index")
    assert code == 1 and "may only read" in err and len(err.strip().splitlines()) == 1

    monkeypatch.setenv("GRANSKA_DATABASE_URL", writer)
    code, out, err = run(capsys, "index")
    assert code == 0 and "Indexed 2 documents" in out, err
    assert not (env / "index").exists()  # nothing went to the index folder
    code, out, _ = run(capsys, "index")
    assert "up to date" in out
    code, out, _ = run(capsys, "index", "--status")
    assert "Documents: 2" in out and f"/{db.name} (generation 1)" in out
    assert WRITER_PASSWORD not in out

    monkeypatch.setenv("GRANSKA_DATABASE_URL", reader)
    code, out, _ = run(capsys, "search", "riskanalys av verksamhetssystem", "--json", "--k", "1")
    hit = json.loads(out)["hits"][0]
    assert code == 0 and hit["doc"] == "beta-2022-granskning.txt"
    assert DOCS[hit["doc"]][hit["start"] : hit["end"]] == hit["text"]
    code, out, _ = run(capsys, "ask", "Har socialnämnden en handlingsplan?", "--json")
    answer = json.loads(out)
    assert code == 0 and not answer["answer"]["abstained"]
    assert answer["citations"][0]["doc"] == "alfa-2021-granskning.txt"

    code, out, err = run(capsys, "findings", "--json")
    assert code == 0, err
    monkeypatch.delenv("GRANSKA_DATABASE_URL")
    assert run(capsys, "index")[0] == 0  # the same corpus in an index folder
    assert run(capsys, "findings", "--json")[1] == out
    monkeypatch.setenv("GRANSKA_DATABASE_URL", reader)

    questions = env / "q.jsonl"
    row = {
        "id": "q1",
        "question": "Vem saknar handlingsplan för digitalisering?",
        "lang": "sv",
        "kind": "fact",
        "relevant": [{"doc": "alfa-2021-granskning.txt", "quote": "ingen handlingsplan"}],
    }
    questions.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    code, out, _ = run(capsys, "eval", str(questions), "--out", str(env / "r.json"))
    saved = json.loads((env / "r.json").read_text())
    assert code == 0 and saved["retrievers"][2]["overall"]["recall@5"] == 1.0


@pytest.mark.anyio
async def test_the_app_builds_and_answers_from_the_database(env: Path, pg: LocalServer) -> None:
    from conftest import PgDatabase

    from tui import MessageScreen, SourceLine, SourceScreen, create_app

    db: PgDatabase = new_database(pg)
    settings = Settings(corpus=env / "corpus", index=env / "index", database_url=db.writer)
    app = create_app(settings, embedder=FakeEmbedder())
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, MessageScreen)  # nothing built yet: offers to build
        await pilot.press("enter")
        for _ in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause()
        assert app.retriever is not None and len(app.retriever.documents) == 2
        assert not (env / "index").exists()
        app.query_one("#question").value = "Vilken nämnd saknar en handlingsplan?"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert [s for s in app.query(SourceLine)]
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, SourceScreen)
        assert app.screen.document.doc == "alfa-2021-granskning.txt"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"

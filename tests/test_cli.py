"""The granska command end to end on a tiny corpus with the real (bundled) model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.cli import main

DOCS = {
    "alfa-2021-granskning.txt": "Granskning av digitalisering\n\nAlfa kommun\n\nSammanfattning\n\n"
    "Revisorerna bedömer att kommunstyrelsen saknar en digitaliseringsstrategi. "
    "Socialnämnden har ingen handlingsplan för digitalisering.\n",
    "beta-2022-granskning.txt": "Granskning av IT-säkerhet\n\nBeta kommun\n\nBedömning\n\n"
    "Utbildningsnämnden har inte genomfört någon riskanalys av sina verksamhetssystem.\n",
}


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text in DOCS.items():
        (corpus / name).write_text(text, encoding="utf-8")
    monkeypatch.setenv("GRANSKA_CORPUS", str(corpus))
    monkeypatch.setenv("GRANSKA_INDEX", str(tmp_path / "index"))
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_corpus_json(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (env / "corpus" / "trasig.pdf").write_bytes(b"%PDF-1.4 broken")
    code, out, _ = run(capsys, "corpus", "--json")
    data = json.loads(out)
    assert code == 0
    assert [d["doc"] for d in data["documents"]] == sorted(DOCS)
    assert data["documents"][0]["municipality"] == "Alfa" and data["documents"][0]["chunks"] >= 1
    assert len(data["warnings"]) == 1 and "trasig.pdf" in data["warnings"][0]


def test_index_status_search_and_ask(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "search", "riskanalys")
    assert code == 1 and "granska index" in err and "Traceback" not in err
    code, out, _ = run(capsys, "index")
    assert code == 0 and "Indexed 2 documents" in out
    code, out, _ = run(capsys, "index")
    assert "up to date" in out
    code, out, _ = run(capsys, "index", "--status")
    assert "Documents: 2" in out and "nothing" in out
    code, out, _ = run(capsys, "search", "riskanalys av verksamhetssystem", "--json", "--k", "1")
    hit = json.loads(out)["hits"][0]
    assert hit["doc"] == "beta-2022-granskning.txt"
    text = DOCS[hit["doc"]]
    assert text[hit["start"] : hit["end"]] == hit["text"]
    code, out, _ = run(capsys, "search", "handlingsplan", "--municipality", "Beta", "--json")
    assert all(h["municipality"] == "Beta" for h in json.loads(out)["hits"])
    code, out, _ = run(capsys, "ask", "Har socialnämnden en handlingsplan?", "--json")
    answer = json.loads(out)
    assert set(answer) == {"question", "answer", "citations"}
    assert set(answer["answer"]) == {"text", "abstained", "language", "mode", "intent", "listed"}
    code, out, _ = run(capsys, "search", "[bold]x[/]")
    assert code == 0


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["search", "x", "--k", "0"], "--k 0"),
        (["--embedder", "word2vec", "index"], "word2vec"),
        (["--corpus", "/nonexistent/folder", "index"], "/nonexistent/folder"),
    ],
)
def test_errors_are_one_line(
    env: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, _, err = run(capsys, *argv)
    assert code == 1 and message in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_eval_writes_results_and_compares(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    questions = env / "q.jsonl"
    rows = [
        {
            "id": "q1",
            "question": "Vem saknar handlingsplan för digitalisering?",
            "lang": "sv",
            "kind": "fact",
            "relevant": [
                {
                    "doc": "alfa-2021-granskning.txt",
                    "quote": "Socialnämnden har ingen handlingsplan",
                }
            ],
        },
        {
            "id": "q2",
            "question": "Has any board done a risk analysis?",
            "lang": "en",
            "kind": "fact",
            "relevant": [
                {"doc": "beta-2022-granskning.txt", "quote": "genomfört någon riskanalys"}
            ],
        },
        {
            "id": "q3",
            "question": "Hur många simhallar har Malmö?",
            "lang": "sv",
            "kind": "unanswerable",
            "relevant": [],
        },
    ]
    questions.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n")
    assert run(capsys, "index")[0] == 0
    out_file = env / "r.json"
    code, out, _ = run(capsys, "eval", str(questions), "--out", str(out_file))
    assert code == 0 and "hybrid" in out and out_file.exists()
    saved = json.loads(out_file.read_text())
    assert [r["retriever"] for r in saved["retrievers"]] == ["bm25", "dense", "hybrid"]
    code, out, _ = run(capsys, "eval", str(questions), "--compare", str(out_file))
    assert code == 0
    questions.write_text('{"id": "x"}\n')
    code, _, err = run(capsys, "eval", str(questions))
    assert code == 1 and "q.jsonl:1" in err

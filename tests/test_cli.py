"""The granska command end to end on a tiny corpus with the real (bundled) model."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import write_corpus

from assistant import paths
from assistant.cli import build_parser, main, question_first

DOCS = {
    "alfa-2021-granskning.txt": "Granskning av digitalisering\n\nAlfa kommun\n\nSammanfattning\n\n"
    "Revisorerna bedömer att kommunstyrelsen saknar en digitaliseringsstrategi. "
    "Socialnämnden har ingen handlingsplan för digitalisering.\n",
    "beta-2022-granskning.txt": "Granskning av IT-säkerhet\n\nBeta kommun\n\nBedömning\n\n"
    "Utbildningsnämnden har inte genomfört någon riskanalys av sina verksamhetssystem.\n",
}


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    corpus = write_corpus(tmp_path / "corpus", DOCS)
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


# ---------------------------------------------------------------- rough edges (issue 15)


def _child_env(env: Path) -> dict[str, str]:
    return {
        **os.environ,
        "GRANSKA_CORPUS": str(env / "corpus"),
        "GRANSKA_INDEX": str(env / "index"),
        "PYTHONWARNINGS": "default",
    }


@pytest.mark.parametrize("argv", [["search", "riskanalys", "--json"], ["corpus"]])
def test_a_closed_pipe_ends_quietly(
    env: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    assert run(capsys, "index")[0] == 0
    proc = subprocess.Popen(
        [sys.executable, "-m", "assistant.cli", *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_child_env(env),
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # like `| head` that has already quit
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 141
    assert err == ""


def test_unknown_filter_values_are_errors_that_list_the_known_ones(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "index")[0] == 0
    code, _, err = run(capsys, "search", "handlingsplan", "--municipality", "Stockholm")
    assert code == 1 and "--municipality Stockholm" in err and "known: Alfa, Beta" in err
    assert len(err.strip().splitlines()) == 1
    code, _, err = run(capsys, "ask", "Vem saknar handlingsplan?", "--year", "1999")
    assert code == 1 and "--year 1999" in err and "2021, 2022" in err
    _, out, _ = run(capsys, "corpus", "--json")
    types = sorted({d["doc_type"] for d in json.loads(out)["documents"] if d["doc_type"]})
    code, _, err = run(capsys, "search", "x", "--doc-type", "protokoll")
    assert code == 1 and "--doc-type protokoll" in err and ", ".join(types) in err
    code, out, _ = run(capsys, "search", "handlingsplan", "--municipality", "beta", "--json")
    hits = json.loads(out)["hits"]
    assert code == 0 and hits and {h["municipality"] for h in hits} == {"Beta"}


def test_a_question_starting_with_a_dash_is_a_question(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "index")[0] == 0
    code, out, err = run(capsys, "ask", "-digitalisering", "--json")
    assert code == 0, err
    assert json.loads(out)["question"] == "-digitalisering"
    code, out, err = run(capsys, "search", "--k", "1", "-handlingsplan", "--json")
    assert code == 0 and json.loads(out)["query"] == "-handlingsplan"


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["ask", "-x"], ["ask", "--", "-x"]),
        (["--index", "i", "ask", "-x", "--json"], ["--index", "i", "ask", "--json", "--", "-x"]),
        (["search", "--municipality", "A", "-x"], ["search", "--municipality", "A", "--", "-x"]),
        (["ask", "fråga", "-x"], ["ask", "fråga", "-x"]),  # argparse reports the stray option
        (["ask", "-h"], ["ask", "-h"]),
        (["ask", "-5"], ["ask", "-5"]),  # argparse already takes a negative number
        (["ask", "--", "-x"], ["ask", "--", "-x"]),
        (["corpus", "-x"], ["corpus", "-x"]),
    ],
)
def test_question_first(argv: list[str], expected: list[str]) -> None:
    assert question_first(argv, build_parser()) == expected


def test_each_warning_is_one_line_when_stderr_is_not_a_terminal(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    long_name = "mycket-lång-filnamn-för-en-trasig-granskningsrapport-från-kommunen-2023.pdf"
    (env / "corpus" / long_name).write_bytes(b"%PDF-1.4 broken")
    (env / "corpus" / "tom.txt").write_text("\n", encoding="utf-8")
    for argv in (["corpus"], ["index"]):
        code, _, err = run(capsys, *argv)
        lines = err.strip().splitlines()
        assert code == 0 and len(lines) == 2, lines
        assert all(line.startswith("warning: ") for line in lines)
        assert any(long_name in line and len(line) > 80 for line in lines)


def test_index_says_what_it_did_and_remembers_a_skipped_file(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (env / "corpus" / "trasig.pdf").write_bytes(b"%PDF-1.4 broken")
    code, out, err = run(capsys, "index")
    assert code == 0 and "Indexed 2 documents" in out and "1 file skipped" in out
    assert "trasig.pdf" in err
    code, out, _ = run(capsys, "index")
    assert out.startswith("Index up to date: 2 documents") and "; 1 file skipped" in out
    code, out, _ = run(capsys, "index", "--status")
    assert "Stale:     nothing" in out and "Skipped:   trasig.pdf" in out
    code, out, _ = run(capsys, "index", "--full")
    assert out.startswith("Rebuilt 2 documents") and "(full rebuild; 0 documents changed;" in out
    assert "+2 new" not in out


def test_ask_keeps_conversations_in_the_data_folder(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "index")[0] == 0
    code, _, _ = run(capsys, "ask", "Har socialnämnden en handlingsplan?", "--conversation", "c1")
    assert code == 0
    assert (paths.conversations_dir() / "c1.json").exists()
    assert not (env / "index" / "conversations").exists()
    # A conversation saved by an older version under index/conversations/ is still read.
    legacy = env / "index" / "conversations"
    shutil.copytree(paths.conversations_dir(), legacy)
    (paths.conversations_dir() / "c1.json").rename(legacy / "gammal.json")
    code, _, _ = run(capsys, "ask", "och i Beta?", "--conversation", "gammal", "--json")
    assert code == 0
    saved = json.loads((paths.conversations_dir() / "gammal.json").read_text(encoding="utf-8"))
    assert [t["question"] for t in saved["turns"]] == [
        "Har socialnämnden en handlingsplan?",
        "och i Beta?",
    ]
    assert saved["turns"][1]["resolved_question"] != "och i Beta?"

"""The granska command with hostile input: escape codes never reach the terminal, JSON is
always valid UTF-8, a damaged or read-only index folder is one clear line, never a traceback.

The commands run in a child process (real stdout encoding, real argv bytes) with the fake
embedder swapped in for the bundled model.
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FakeEmbedder

from assistant.cli import main
from assistant.indexing import build_index
from assistant.settings import Settings
from assistant.store import folder as store

TESTS = Path(__file__).parent
RUNNER = f"""
import sys
sys.path.insert(0, {str(TESTS)!r})
from conftest import FakeEmbedder
import assistant.indexing, assistant.search.retriever
assistant.indexing.make_embedder = assistant.search.retriever.make_embedder = (
    lambda *a, **k: FakeEmbedder()
)
from assistant.cli import main
sys.exit(main(sys.argv[1:]))
"""
EVIL_NAME = "\x1b[2J\x1b]0;pwned\x07-2021-granskning.txt"
EVIL_TEXT = (
    "Granskning av digitalisering\n\nSammanfattning\n\n"
    "Revisorerna bedömer att \x1b[31mkommunstyrelsen\x1b[0m saknar en digitaliseringsstrategi. "
    "Se \x1b]8;;http://evil.example\x1b\\länken\x1b]8;;\x1b\\ och \x9b2J rensa.\n\n"
    + "Nämnderna har inte följt upp arbetet med e-tjänster och digitala verktyg. " * 12
    + "\n"
)
GOOD = (
    "Granskning av IT-säkerhet\n\nBeta kommun\n\nBedömning\n\n"
    "Utbildningsnämnden har inte genomfört någon riskanalys av sina verksamhetssystem.\n"
)
CONTROL_BYTES = [bytes([c]) for c in [*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F]]
C1_UTF8 = [chr(c).encode() for c in range(0x80, 0xA0)]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / EVIL_NAME).write_text(EVIL_TEXT, encoding="utf-8")
    (corpus / "beta-2022-granskning.txt").write_text(GOOD, encoding="utf-8")
    return Settings(corpus=corpus, index=tmp_path / "index")


def granska(
    settings: Settings, *args: str | bytes, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("GRANSKA_", "LC_"))}
    base.pop("PYTHONIOENCODING", None)
    full = {
        **base,
        "PYTHONPATH": str(TESTS.parent),
        "GRANSKA_CORPUS": str(settings.corpus),
        "GRANSKA_INDEX": str(settings.index),
        **(env or {}),
    }
    return subprocess.run(
        [sys.executable, "-c", RUNNER, *args], env=full, capture_output=True, timeout=300
    )


def _no_escapes(data: bytes) -> None:
    found = [b for b in CONTROL_BYTES if b in data] + [b for b in C1_UTF8 if b in data]
    assert not found, (found, data[:300])


def test_escape_codes_never_reach_the_terminal(settings: Settings) -> None:
    for args in (
        ["corpus"],
        ["index"],
        ["index", "--status"],
        ["search", "kommunstyrelsen digitaliseringsstrategi"],
        ["ask", "Saknar kommunstyrelsen en digitaliseringsstrategi?"],
    ):
        done = granska(settings, *args)
        assert done.returncode == 0, done.stderr
        _no_escapes(done.stdout.replace(b"\n", b""))
        _no_escapes(done.stderr.replace(b"\n", b""))
    done = granska(settings, "search", "kommunstyrelsen digitaliseringsstrategi")
    assert "␛[2J␛]0;pwned␇-2021-granskning.txt" in done.stdout.decode()


ENCODINGS = [
    {"PYTHONIOENCODING": "utf-8"},
    {"LC_ALL": "C.UTF-8"},
    {"LC_ALL": "C"},
    {"PYTHONIOENCODING": "latin-1"},
    {"PYTHONIOENCODING": "ascii"},
]


@pytest.mark.parametrize("env", ENCODINGS, ids=lambda e: ",".join(f"{k}={v}" for k, v in e.items()))
def test_json_output_is_always_valid_utf8(settings: Settings, env: dict[str, str]) -> None:
    build_index(settings, embedder=FakeEmbedder())
    query = "digitaliseringsstrategi för kommunstyrelsen".encode() + b" \xff?"
    commands = [["search", query, "--json"], ["ask", query, "--json"]]
    if env == ENCODINGS[-1]:
        commands += [["corpus", "--json"], ["index", "--json"]]
    for args in commands:
        done = granska(settings, *args, env=env)
        assert done.returncode == 0, done.stderr
        assert b"Traceback" not in done.stderr
        data = json.loads(done.stdout.decode("utf-8"))  # strict: raises on invalid UTF-8
        _no_escapes(done.stdout.replace(b"\n", b""))
        if args[0] == "search":
            assert data["query"] == "digitaliseringsstrategi för kommunstyrelsen \ufffd?"
            assert data["hits"] and any("␛" not in h["doc"] for h in data["hits"])
            assert {h["doc"] for h in data["hits"]} >= {EVIL_NAME}  # data stays exact


def test_text_output_in_an_ascii_terminal_is_not_a_traceback(settings: Settings) -> None:
    build_index(settings, embedder=FakeEmbedder())
    done = granska(settings, "search", "riskanalys", env={"PYTHONIOENCODING": "ascii"})
    assert done.returncode == 0 and b"Traceback" not in done.stderr
    assert b"riskanalys" in done.stdout


def test_a_damaged_index_is_one_line_and_granska_index_repairs_it(settings: Settings) -> None:
    build_index(settings, embedder=FakeEmbedder())
    (settings.index / store.CURRENT).write_bytes(os.urandom(64))
    done = granska(settings, "search", "riskanalys")
    err = done.stderr.decode()
    assert done.returncode == 1 and b"Traceback" not in done.stderr
    assert err.count("\n") == 1 and err.startswith("granska: ") and "granska index" in err
    done = granska(settings, "index")
    assert done.returncode == 0, done.stderr
    assert "Repaired the index" in done.stdout.decode()
    assert granska(settings, "search", "riskanalys").returncode == 0


def _fake_embedder(monkeypatch: pytest.MonkeyPatch) -> None:
    import assistant.indexing
    import assistant.search.retriever

    monkeypatch.setattr(assistant.indexing, "make_embedder", lambda *a, **k: FakeEmbedder())
    monkeypatch.setattr(assistant.search.retriever, "make_embedder", lambda *a, **k: FakeEmbedder())


def test_read_only_folders_are_one_line(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _fake_embedder(monkeypatch)
    build_index(settings, embedder=FakeEmbedder())
    monkeypatch.setenv("GRANSKA_CORPUS", str(settings.corpus))
    monkeypatch.setenv("GRANSKA_INDEX", str(settings.index))
    real_replace = os.replace

    def read_only(src: object, dst: object) -> None:
        if "conversations" in str(dst):
            raise OSError(errno.EROFS, "Read-only file system", str(dst))
        real_replace(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", read_only)
    code = main(["ask", "Vilka nämnder saknar riskanalys?", "--conversation", "mote"])
    err = capsys.readouterr().err
    assert code == 1 and err.count("\n") == 1 and "read-only" in err and "mote" in err
    monkeypatch.setattr(os, "replace", real_replace)

    def no_lock(root: Path) -> int:
        raise OSError(errno.EACCES, "Permission denied", str(root / store.LOCK))

    monkeypatch.setattr(store, "_open_lock", no_lock)
    code = main(["index"])
    lines = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert code == 1 and len(lines) == 1 and "read-only" in lines[0]


def test_filter_errors_and_skipped_files_show_no_escape_codes(settings: Settings) -> None:
    """Issue 15's messages (unknown --municipality lists the known ones, index --status lists
    skipped files) name municipalities and files from the corpus: filtered like the rest."""
    (settings.corpus / "metadata.toml").write_text(
        '["beta-2022-granskning.txt"]\nmunicipality = "Beta\\u001b[31m"\n', encoding="utf-8"
    )
    (settings.corpus / "\x1b[2Jtrasig.pdf").write_bytes(b"not a pdf \x1b[2J")
    build_index(settings, embedder=FakeEmbedder())
    done = granska(settings, "search", "riskanalys", "--municipality", "Ingen\x1b[2Jstans")
    err = done.stderr.decode()
    assert done.returncode == 1 and err.count("\n") == 1 and "known: " in err
    assert "Beta␛[31m" in err and "Ingen␛[2Jstans" in err
    _no_escapes(done.stderr.replace(b"\n", b""))
    done = granska(settings, "index", "--status")
    assert done.returncode == 0, done.stderr
    assert "Skipped:   ␛[2Jtrasig.pdf: " in done.stdout.decode()
    _no_escapes(done.stdout.replace(b"\n", b""))

"""The user's data folder (``paths.py``) and the question history kept in it."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from assistant import paths
from assistant.history import append_history, load_history
from assistant.settings import Settings, get_settings


def test_tests_never_touch_the_real_data_folder() -> None:
    real = Path.home() / ".local" / "share" / "granska"
    assert paths.data_dir() != real
    assert "data" in paths.data_dir().parts[-1]


def test_data_dir_env_then_xdg_then_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("GRANSKA_DATA_DIR", str(tmp_path / "mine"))
    assert paths.data_dir() == tmp_path / "mine"
    assert paths.data_dir(Settings(data_dir=tmp_path / "given")) == tmp_path / "given"
    monkeypatch.setenv("GRANSKA_DATA_DIR", "")  # empty: as if unset
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert paths.data_dir() == tmp_path / "xdg" / "granska"
    monkeypatch.setenv("XDG_DATA_HOME", "relative/path")  # invalid per the XDG spec
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert paths.data_dir() == tmp_path / "home" / ".local" / "share" / "granska"
    monkeypatch.delenv("XDG_DATA_HOME")
    assert paths.data_dir() == tmp_path / "home" / ".local" / "share" / "granska"
    settings = get_settings()
    assert paths.history_file(settings).parent == paths.conversations_dir(settings).parent
    assert paths.exports_dir(settings).name == "exports"
    assert paths.legacy_conversations_dir(settings) == settings.index / "conversations"


def test_history_round_trip_is_private_and_forgiving(tmp_path: Path) -> None:
    path = tmp_path / "data" / "history.jsonl"
    assert load_history(path) == []
    for q in ["första", "andra\nrad", "första", "[bold]x[/] 🙂"]:
        append_history(path, q)
    assert load_history(path) == ["andra\nrad", "första", "[bold]x[/] 🙂"]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    with path.open("a", encoding="utf-8") as f:
        f.write('{"not": "a string"}\nnot json\n\n')
    append_history(path, "tredje")
    assert load_history(path) == ["andra\nrad", "första", "[bold]x[/] 🙂", "tredje"]
    assert load_history(path, limit=2) == ["[bold]x[/] 🙂", "tredje"]


def test_history_is_compacted_when_it_grows(tmp_path: Path) -> None:
    path = tmp_path / "history.jsonl"
    for i in range(60):
        append_history(path, f"fråga {i % 20} " + "x" * 200, limit=10)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) < 60
    assert [json.loads(line)[:8] for line in lines[-3:]] == ["fråga 17", "fråga 18", "fråga 19"]
    assert len(load_history(path, limit=10)) == 10


def test_an_unwritable_data_folder_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    with pytest.raises(Exception, match="GRANSKA_DATA_DIR"):
        append_history(blocker / "history.jsonl", "x")

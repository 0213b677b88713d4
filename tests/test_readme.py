"""The README's claims checked against the code: settings, the data folder, make run."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from assistant import paths
from assistant.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_setting_the_readme_names_exists() -> None:
    """Each ``GRANSKA_X`` is a setting, or a variable the code reads itself (secrets)."""
    named = set(re.findall(r"GRANSKA_([A-Z0-9_]+)", README))
    fields = {name.upper() for name in Settings.model_fields}
    code = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "assistant").rglob("*.py"))
    read = set(re.findall(r"environ(?:\.get)?\(\s*\"GRANSKA_([A-Z0-9_]+)\"", code))
    assert named and named <= fields | read, named - fields - read


def test_readme_says_where_the_data_folder_and_exports_are(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("GRANSKA_DATA_DIR")
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    default = paths.data_dir()
    shown = "~/" + default.relative_to(tmp_path).as_posix()
    assert f"`{shown}`" in README and "`$XDG_DATA_HOME/granska`" in README
    export = paths.exports_dir().relative_to(default).as_posix()
    assert f"`{export}/granska-YYYYMMDD-HHMMSS.md`" in README


def test_first_make_run_builds_the_index_as_the_readme_says() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    run = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert run.index("granska index") < run.index("granska tui")
    assert "builds the index" in README
    test = makefile.split("\n$(VENV)/.installed-test:", 1)[1].split("\n\n", 1)[0]
    assert "torch==2.13.0" in test and "[test,st]" in test
    assert "installs PyTorch" in README and "sentence-transformers" in README


def test_license_is_an_spdx_expression() -> None:
    """A ``license = {text = ...}`` table makes setuptools >= 77 warn on every install."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "MIT"
    assert not any(c.startswith("License ::") for c in project.get("classifiers", []))

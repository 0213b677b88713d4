"""The core library never imports Textual: each ``assistant`` module, alone in a fresh
interpreter, leaves ``textual`` out of ``sys.modules``."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import pytest

import assistant

MODULES = sorted(m.name for m in pkgutil.walk_packages(assistant.__path__, prefix="assistant."))
PROBE = (
    "import importlib, sys; importlib.import_module(sys.argv[1]); "
    "print(sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.')))"
)


def test_modules_found() -> None:
    assert {
        "assistant.models",
        "assistant.errors",
        "assistant.settings",
        "assistant.search.retriever",
        "assistant.answer.compose",
    } <= set(MODULES)


@pytest.mark.parametrize("module", MODULES)
def test_core_module_does_not_import_textual(module: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, module], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, f"{module} failed to import:\n{done.stderr[-2000:]}"
    assert done.stdout.strip() == "[]", f"{module} imports {done.stdout.strip()}"


def test_probe_detects_textual() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, "tui"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "'textual'" in done.stdout

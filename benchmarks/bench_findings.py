"""Findings extraction cost against a full build, and warm `ask` latency by intent.

    .venv/bin/python benchmarks/bench_findings.py --index index            # extraction + ask
    .venv/bin/python benchmarks/bench_findings.py --index index --full-build  # + a cold build

Extraction is measured on its own (median of --repeat runs over the corpus). With
--full-build, a build from an empty folder and an empty embedding cache is timed too and
the extraction's share of it reported (target: at most 10 %). Warm `ask` latency is taken
over the questions of eval/questions.jsonl on an existing index (target: p95 at most 1 s).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.answer.compose import answer_question  # noqa: E402
from assistant.findings.extract import extract_findings  # noqa: E402
from assistant.indexing import build_index  # noqa: E402
from assistant.ingest.corpus import corpus_files, read_document  # noqa: E402
from assistant.ingest.metadata import load_metadata  # noqa: E402
from assistant.search.retriever import Retriever  # noqa: E402
from assistant.settings import Settings  # noqa: E402


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--index", type=Path, default=ROOT / "index")
    parser.add_argument("--questions", type=Path, default=ROOT / "eval" / "questions.jsonl")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--full-build", action="store_true")
    args = parser.parse_args()

    meta = load_metadata(args.corpus)
    documents = [read_document(p, args.corpus, meta) for p in corpus_files(args.corpus)]
    size = sum(len(d.text.encode()) for d in documents)
    runs, count = [], 0
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        count = sum(len(extract_findings(d)) for d in documents)
        runs.append(time.perf_counter() - t0)
    extract = statistics.median(runs)
    print(f"extraction: {count} findings from {len(documents)} documents ({size / 1e6:.2f} MB)")
    print(
        f"extraction time: median {extract:.3f} s over {args.repeat} runs "
        f"({min(runs):.3f}–{max(runs):.3f} s), {size / 1e6 / extract:.1f} MB/s"
    )
    if args.full_build:
        with tempfile.TemporaryDirectory(prefix="granska-bench-") as tmp:
            settings = Settings(corpus=args.corpus, index=Path(tmp) / "index")
            t0 = time.perf_counter()
            report = build_index(settings)
            build = time.perf_counter() - t0
        print(f"full build (empty cache): {build:.1f} s, {report.chunks} chunks embedded")
        print(f"extraction share of a full build: {extract / build:.1%} (target <= 10 %)")

    settings = Settings(corpus=args.corpus, index=args.index)
    retriever = Retriever.open(args.index, settings=settings)
    questions = [
        json.loads(line)["question"]
        for line in args.questions.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    for q in questions[:5]:
        answer_question(retriever, q, settings=settings)  # warm up
    times: dict[str, list[float]] = defaultdict(list)
    for q in questions:
        t0 = time.perf_counter()
        answer = answer_question(retriever, q, settings=settings)
        ms = (time.perf_counter() - t0) * 1000
        times[answer.intent].append(ms)
        times["all"].append(ms)
    print(f"warm ask over {len(questions)} questions:")
    for intent, values in sorted(times.items(), key=lambda kv: kv[0] != "all"):
        print(
            f"  {intent:<15} n={len(values):<4} p50 {pct(values, 50):7.1f} ms"
            f"   p95 {pct(values, 95):7.1f} ms   max {max(values):7.1f} ms"
        )


if __name__ == "__main__":
    main()

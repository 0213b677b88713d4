"""Index and search benchmark: one command, one table.

    .venv/bin/python benchmarks/bench.py [--repeat 3] [--scales 10000,200000] [--corpus corpus]

Measures, on this machine:
- full build of the corpus (chunks/s) against the bare encoder on the same chunks (ratio),
  alternating the two so that machine noise hits both alike;
- no-op rebuild, and rebuild after adding one report (how many chunks were embedded);
- warm query latency p50/p95 per retriever, cold ``granska search`` to first result;
- peak memory (max RSS) of the process;
- at synthetic scale (random unit vectors + generated Swedish-like text): hybrid query
  p50/p95, memory and index size on disk.
Times are medians over ``--repeat`` runs (and over many queries for latencies).
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.indexing import build_index  # noqa: E402
from assistant.ingest.chunking import chunk_document  # noqa: E402
from assistant.ingest.corpus import corpus_files, read_document  # noqa: E402
from assistant.ingest.dedup import assign_groups  # noqa: E402
from assistant.ingest.metadata import load_metadata  # noqa: E402
from assistant.models import Chunk  # noqa: E402
from assistant.search.bm25 import BM25Index  # noqa: E402
from assistant.search.embedders import make_embedder  # noqa: E402
from assistant.search.retriever import Retriever  # noqa: E402
from assistant.search.vectors import VectorIndex  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from assistant.store import folder as store  # noqa: E402
from assistant.store.folder_reader import FolderIndex  # noqa: E402

QUERIES = [
    "Vilka nämnder saknar planer för digitalisering?",
    "which boards lack digitalization plans?",
    "strategi för digitalisering",
    "Hur följer kommunstyrelsen upp digitaliseringsarbetet?",
    "IT kompetens i förvaltningen",
    "Vad rekommenderar revisorerna i Huddinge?",
    "How large is the digitalisation fund?",
    "informationssäkerhet och riskanalys",
]


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(np.array(values), q))


def folder_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def corpus_chunks(settings: Settings) -> list[Chunk]:
    meta = load_metadata(settings.corpus)
    chunks: list[Chunk] = []
    for path in corpus_files(settings.corpus):
        chunks.extend(
            chunk_document(read_document(path, settings.corpus, meta), settings.chunk_words)
        )
    return assign_groups(chunks)


def bench_build(corpus: Path, repeat: int, rows: list[tuple[str, str]]) -> Path:
    work = Path(tempfile.mkdtemp(prefix="granska-bench-"))
    base = Settings(corpus=corpus, index=work / "index")
    texts = [c.index_text for c in corpus_chunks(base)]
    embedder = make_embedder(base.embedder, base.embed_batch)
    embedder.embed_query("värm upp modellen")
    bare, built = [], []
    for i in range(repeat):
        t0 = time.perf_counter()
        for s in range(0, len(texts), base.embed_batch):
            embedder.embed_passages(texts[s : s + base.embed_batch])
        bare.append(time.perf_counter() - t0)
        settings = Settings(corpus=corpus, index=work / f"index-{i}")
        t0 = time.perf_counter()
        report = build_index(settings, embedder=embedder)
        built.append(time.perf_counter() - t0)
    n = report.chunks
    rows.append(("full build: chunks", f"{n} from {report.documents} documents"))
    rows.append(
        (
            "full build: time (median)",
            f"{statistics.median(built):.1f} s, {n / statistics.median(built):.2f} chunks/s",
        )
    )
    rows.append(
        (
            "bare encoder: time (median)",
            f"{statistics.median(bare):.1f} s, {len(texts) / statistics.median(bare):.2f} chunks/s",
        )
    )
    ratios = [b / t for b, t in zip(bare, built, strict=True)]
    rows.append(
        (
            "build / bare throughput",
            f"{statistics.median(ratios):.1%} (per run: {', '.join(f'{r:.1%}' for r in ratios)})",
        )
    )

    settings = Settings(corpus=corpus, index=work / "index-0")
    noop = []
    for _ in range(max(5, repeat)):
        t0 = time.perf_counter()
        assert build_index(settings, embedder=embedder).noop
        noop.append(time.perf_counter() - t0)
    rows.append(("no-op rebuild (median)", f"{statistics.median(noop) * 1000:.0f} ms"))

    grown = work / "corpus-plus-one"
    shutil.copytree(corpus, grown)
    victim = sorted(grown.glob("*.txt"))[-1]
    held = victim.read_bytes()
    victim.unlink()
    settings = Settings(corpus=grown, index=work / "index-grown")
    build_index(settings, embedder=embedder)
    victim.write_bytes(held)
    t0 = time.perf_counter()
    report = build_index(settings, embedder=embedder)
    rows.append(
        (
            "rebuild after adding one report",
            f"{time.perf_counter() - t0:.1f} s, "
            f"embedded {report.embedded} of {report.chunks} chunks "
            f"({report.added[0]} has {report.embedded} new)",
        )
    )
    return work / "index-0"


def bench_queries(corpus: Path, index: Path, rows: list[tuple[str, str]]) -> None:
    settings = Settings(corpus=corpus, index=index)
    r = Retriever.open(index, settings=settings)
    for q in QUERIES:  # warm up
        r.search(q, k=10)
    for name in ("bm25", "dense", "hybrid"):
        times = []
        for _ in range(10):
            for q in QUERIES:
                t0 = time.perf_counter()
                r.search(q, k=10, retriever=name)
                times.append((time.perf_counter() - t0) * 1000)
        rows.append(
            (f"warm query {name} p50 / p95", f"{pct(times, 50):.1f} / {pct(times, 95):.1f} ms")
        )
    from assistant.answer.compose import answer_question

    asks = []
    for _ in range(5):
        for q in QUERIES:
            t0 = time.perf_counter()
            answer_question(r, q, settings=settings)
            asks.append((time.perf_counter() - t0) * 1000)
    rows.append(("warm `ask` p50 / p95", f"{pct(asks, 50):.1f} / {pct(asks, 95):.1f} ms"))
    colds = []
    env = {**os.environ, "GRANSKA_INDEX": str(index), "GRANSKA_CORPUS": str(corpus)}
    exe = Path(sys.executable).parent / "granska"
    for _ in range(5):
        t0 = time.perf_counter()
        subprocess.run(
            [str(exe), "search", QUERIES[0], "--k", "1"], env=env, check=True, capture_output=True
        )
        colds.append(time.perf_counter() - t0)
    rows.append(("cold `granska search` (median of 5)", f"{statistics.median(colds):.2f} s"))


SYLLABLES = [
    "digi",
    "tal",
    "ise",
    "ring",
    "nämnd",
    "kom",
    "mun",
    "sty",
    "rel",
    "se",
    "plan",
    "stra",
    "te",
    "gi",
    "upp",
    "följ",
    "ning",
    "verk",
    "sam",
    "het",
    "ut",
    "bild",
    "vård",
    "om",
    "sorg",
    "säker",
    "it",
    "e",
    "tjänst",
    "mål",
    "bud",
    "get",
]


def swedish_like(rng: random.Random, words: int) -> str:
    return " ".join(
        "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 4))) for _ in range(words)
    )


def bench_scale(n: int, rows: list[tuple[str, str]]) -> None:
    rng = random.Random(n)
    vecs = np.random.default_rng(n).standard_normal((n, 384)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    texts = [swedish_like(rng, 60) for _ in range(n)]
    munis = ["Alfa", "Beta", "Gamma", "Delta", "Epsilon"]
    before = rss_mb()
    chunks = [
        Chunk(
            id=f"c{i}",
            doc=f"d{i // 200}.txt",
            ordinal=i % 200,
            start=0,
            end=len(t),
            text=t,
            index_text=t,
            municipality=munis[i % 5],
            year=2020,
        )
        for i, t in enumerate(texts)
    ]
    settings = Settings(corpus=Path("."), index=Path(tempfile.mkdtemp(prefix="granska-scale-")))
    t0 = time.perf_counter()
    vectors = VectorIndex.build(vecs, exact_max=settings.exact_max)
    bm25 = BM25Index.build(texts)
    build_s = time.perf_counter() - t0
    folder = settings.index / "b-scale"
    folder.mkdir()
    vectors.save(folder / "vectors")
    bm25.save(folder / "bm25")
    store.write_jsonl(folder / "chunks.jsonl", chunks)
    size = folder_mb(folder)
    embedder = make_embedder(settings.embedder)
    manifest = store.Manifest(
        model_id=embedder.model_id,
        dim=384,
        normalized=True,
        chunk_words=180,
        built_at=datetime.now(UTC),
        n_chunks=n,
    )
    r = Retriever(FolderIndex(folder, manifest, [], chunks, vectors, bm25), embedder, settings)
    queries = [swedish_like(rng, 6) for _ in range(40)]
    for q in queries[:5]:
        r.search(q, k=10)
    times: dict[str, list[float]] = {"hybrid": [], "hybrid+filter": []}
    for q in queries:
        t0 = time.perf_counter()
        r.search(q, k=10)
        times["hybrid"].append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        r.search(q + " i Gamma", k=10)
        times["hybrid+filter"].append((time.perf_counter() - t0) * 1000)
    for name, ts in times.items():
        rows.append(
            (f"{n:,} chunks: {name} p50 / p95", f"{pct(ts, 50):.1f} / {pct(ts, 95):.1f} ms")
        )
    rows.append(
        (
            f"{n:,} chunks: build, memory, disk",
            f"{build_s:.1f} s ({vectors.kind}), +{rss_mb() - before:.0f} MB max RSS, "
            f"{size:.0f} MB on disk",
        )
    )
    shutil.rmtree(settings.index, ignore_errors=True)
    del r, chunks, vectors, bm25, vecs, texts
    gc.collect()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--scales", default="10000,200000")
    args = parser.parse_args()
    rows: list[tuple[str, str]] = []
    index = bench_build(args.corpus, args.repeat, rows)
    bench_queries(args.corpus, index, rows)
    rows.append(("peak memory after corpus benchmarks", f"{rss_mb():.0f} MB max RSS"))
    for n in [int(s) for s in args.scales.split(",") if s]:
        bench_scale(n, rows)
    width = max(len(k) for k, _ in rows)
    print(f"\nGranska benchmark ({os.cpu_count()} cores, {datetime.now():%Y-%m-%d %H:%M})")
    for k, v in rows:
        print(f"{k:<{width}}  {v}")
    shutil.rmtree(index.parent, ignore_errors=True)


if __name__ == "__main__":
    main()

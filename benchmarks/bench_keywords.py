"""Keyword analyzer variants, by retrieval metrics on the dev and the held-out question set.

    .venv/bin/python benchmarks/bench_keywords.py --index /tmp/kw-idx [--repeat 3]

Needs a built index of ``corpus/`` (``granska --index DIR index``). For each variant of the
Swedish analyzer (``assistant/search/bm25.py``) the BM25 side is rebuilt in memory from the
index's own chunks (``chunks.jsonl``); the dense side is the built one, unchanged, and each
question is embedded once for all variants. Variants:

- ``stems``: today's analyzer (Snowball stems, stopwords, corpus-vocabulary compounds);
- ``+lemmas``: the stem of each word's simplemma lemma as an extra term;
- ``+compounds``: compounds the corpus vocabulary cannot split, split with wordfreq's
  common Swedish words;
- ``+both``.

Prints hit@1, recall@5 and MRR@10 for the ``bm25`` and ``hybrid`` retrievers, overall and
by language, the dev set (``eval/questions.jsonl``, used to choose) beside the test set
(``eval/test.jsonl``, never used to choose), then the cost: the median time to build the
BM25 index per variant, and the median first-use load time and memory of each word list
(in a fresh process, over ``--repeat`` runs).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.evaluation import metrics as m  # noqa: E402
from assistant.evaluation.questions import ResolvedQuestion, load_questions  # noqa: E402
from assistant.evaluation.run import RetrieverResult, run_evaluation  # noqa: E402
from assistant.search.bm25 import BM25Index, KeywordOptions  # noqa: E402
from assistant.search.embedders import Embedder  # noqa: E402
from assistant.search.retriever import Retriever  # noqa: E402
from assistant.settings import get_settings  # noqa: E402
from assistant.store.folder_reader import FolderIndex  # noqa: E402

VARIANTS = {
    "stems": KeywordOptions(),
    "+lemmas": KeywordOptions(lemmas=True),
    "+compounds": KeywordOptions(compounds=True),
    "+both": KeywordOptions(lemmas=True, compounds=True),
}
RETRIEVERS = ("bm25", "hybrid")
METRICS = ((m.HIT_AT_1, "hit@1"), ("recall@5", "R@5"), (m.MRR_AT_10, "MRR@10"))
LOADS = {
    "simplemma lemmas": "lexicons.lemma('nämnderna')",
    "wordfreq words": "bm25._lexicon_splitter()",
}


class MemoEmbedder:
    """The index's embedder, embedding each question once for all variants."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.model_id = inner.model_id
        self.dim = inner.dim
        self.normalized = inner.normalized
        self._queries: dict[str, np.ndarray] = {}

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self.inner.embed_passages(texts)

    def embed_query(self, text: str) -> np.ndarray:
        if text not in self._queries:
            self._queries[text] = self.inner.embed_query(text)
        return self._queries[text]


def groups(result: RetrieverResult) -> dict[str, dict[str, float]]:
    return {"all": result.overall, **result.per_lang}


def first_use(call: str, repeat: int) -> tuple[float, float]:
    """Median seconds and resident megabytes that ``call`` adds in a fresh interpreter."""
    snippet = (
        "import time\n"
        "from assistant.search import bm25, lexicons\n"
        "def rss(): return int(open('/proc/self/statm').read().split()[1]) * 4096 / 1e6\n"
        "before = rss(); started = time.perf_counter()\n"
        f"{call}\n"
        "print(time.perf_counter() - started, rss() - before)\n"
    )
    runs = []
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, "-c", snippet], cwd=ROOT, check=True, capture_output=True, text=True
        ).stdout.split()
        runs.append((float(out[0]), float(out[1])))
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, default=None, help="index folder (default: index/)")
    parser.add_argument("--dev", type=Path, default=ROOT / "eval" / "questions.jsonl")
    parser.add_argument("--test", type=Path, default=ROOT / "eval" / "test.jsonl")
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing (median)")
    args = parser.parse_args()

    settings = get_settings(index=args.index)
    retriever = Retriever.open(settings=settings)
    if not isinstance(retriever.index, FolderIndex):
        raise SystemExit("bench_keywords needs an index folder (--index DIR), not a database")
    folder = retriever.index
    retriever.embedder = MemoEmbedder(retriever.embedder)
    texts = {d.doc: d.text for d in retriever.documents.values()}
    sets: dict[str, list[ResolvedQuestion]] = {
        "dev": load_questions(args.dev, texts),
        "test": load_questions(args.test, texts),
    }
    chunk_texts = [c.index_text for c in folder.chunk_list]

    scores: dict[tuple[str, str, str], dict[str, dict[str, float]]] = {}
    per_question: dict[tuple[str, str, str], dict[str, float]] = {}
    build_seconds: dict[str, float] = {}
    n_lang: dict[tuple[str, str], int] = {}
    for variant, options in VARIANTS.items():
        timings = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            bm25 = BM25Index.build(chunk_texts, options)
            timings.append(time.perf_counter() - started)
        build_seconds[variant] = statistics.median(timings)
        folder.bm25 = bm25
        for split, questions in sets.items():
            result = run_evaluation(questions, retriever, RETRIEVERS, k=args.k)
            for r in result.retrievers:
                scores[(variant, split, r.retriever)] = groups(r)
                per_question[(variant, split, r.retriever)] = {
                    q.id: mrr
                    for q in r.questions
                    if (mrr := q.ranking_metrics.get(m.MRR_AT_10)) is not None
                }
                for lang in groups(r):
                    n_lang[(split, lang)] = sum(
                        1
                        for q in r.questions
                        if q.ranking_metrics.get(m.HIT_AT_1) is not None and lang in ("all", q.lang)
                    )
        print(f"{variant}: done", file=sys.stderr)

    labels = [label for _, label in METRICS]
    header = (
        f"{'retriever':9} {'lang':5} {'variant':11} | dev "
        + " ".join(f"{x:>6}" for x in labels)
        + " | test "
        + " ".join(f"{x:>6}" for x in labels)
    )
    print(f"Keyword analyzer variants, k={args.k} (dev: {args.dev.name}, test: {args.test.name})")
    print(
        "answerable questions: "
        + ", ".join(f"{split} {lang} {n}" for (split, lang), n in sorted(n_lang.items()))
    )
    print(header)
    print("-" * len(header))
    for name in RETRIEVERS:
        for lang in ("all", "sv", "en"):
            for variant in VARIANTS:
                cells = []
                for split in ("dev", "test"):
                    values = scores[(variant, split, name)].get(lang, {})
                    cells.append(
                        " ".join(f"{values.get(key, float('nan')):6.3f}" for key, _ in METRICS)
                    )
                print(f"{name:9} {lang:5} {variant:11} |     {cells[0]} |      {cells[1]}")
            print()
    print("Questions whose MRR@10 rose / fell against 'stems' (all languages):")
    for name in RETRIEVERS:
        for variant in list(VARIANTS)[1:]:
            cells = []
            for split in ("dev", "test"):
                base = per_question[("stems", split, name)]
                now = per_question[(variant, split, name)]
                up = sum(1 for q, v in now.items() if v > base[q] + 1e-9)
                down = sum(1 for q, v in now.items() if v < base[q] - 1e-9)
                cells.append(f"{split} +{up}/-{down}")
            print(f"  {name:9} {variant:11} {'   '.join(cells)}")
    print(f"BM25 build of {len(chunk_texts)} chunks, median of {args.repeat}:")
    for variant, seconds in build_seconds.items():
        print(f"  {variant:11} {seconds:6.2f} s  ({seconds / build_seconds['stems']:.1f}x)")
    print(f"First use in a fresh process (load of the word list), median of {args.repeat}:")
    for label, call in LOADS.items():
        seconds, megabytes = first_use(call, args.repeat)
        print(f"  {label:17} {seconds:6.2f} s  {megabytes:6.1f} MB resident")


if __name__ == "__main__":
    main()

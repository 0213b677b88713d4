"""How far passage choice limits the answer metrics on a question set.

    .venv/bin/python benchmarks/answer_ceiling.py                     # eval/questions.jsonl, k=8
    .venv/bin/python benchmarks/answer_ceiling.py --k 5 --questions other.jsonl

Needs a built index of the corpus (``granska index``). Over the answerable questions it
prints the answers' citation precision and answer recall, then what citing passages of the
same hybrid ranking could reach:

* the first passage only (precision = recall = hit@1 on one-quote questions);
* the best single passage among the top ``k``, chosen by an oracle that knows the quotes;
* every passage of the top ``k`` that hits a quote (an oracle's perfect set).

Citation precision counts cited passages, so a precision of 0.8 with one cited passage
needs the first choice to be right four times in five, whatever phrases the answer.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.answer.compose import answer_question  # noqa: E402
from assistant.evaluation import metrics as m  # noqa: E402
from assistant.evaluation.questions import load_questions  # noqa: E402
from assistant.search.retriever import Retriever  # noqa: E402
from assistant.settings import get_settings  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=Path, default=ROOT / "eval" / "questions.jsonl")
    parser.add_argument("--k", type=int, default=8, help="passages the answer reads (ask's k)")
    args = parser.parse_args()
    settings = get_settings()
    retriever = Retriever.open(settings=settings)
    texts = {d.doc: d.text for d in retriever.documents.values()}
    questions = [q for q in load_questions(args.questions, texts) if q.answerable]

    rows: dict[str, list[tuple[float, float]]] = {
        "answers (granska ask)": [],
        "first passage only": [],
        "oracle: best single passage in top k": [],
        "oracle: every hitting passage in top k": [],
    }
    for q in questions:
        answer = answer_question(retriever, q.question.question, k=args.k, settings=settings)
        cited = list(answer.citations)
        rows["answers (granska ask)"].append(
            (m.citation_precision(q, cited) or 0.0, m.answer_recall(q, cited) or 0.0)
        )
        hits = m.hit_sets(q, [h.chunk for h in retriever.search(q.question.question, k=args.k)])
        n = len(q.quotes)
        first = hits[0] if hits else set()
        rows["first passage only"].append((float(bool(first)), len(first) / n))
        best = max((len(h) for h in hits), default=0)
        rows["oracle: best single passage in top k"].append((float(best > 0), best / n))
        covered = set().union(*hits) if hits else set()
        rows["oracle: every hitting passage in top k"].append(
            (float(bool(covered)), len(covered) / n)
        )

    width = max(len(name) for name in rows)
    print(f"{len(questions)} answerable questions, k={args.k}")
    print(f"{'':<{width}}  cite P  ans R")
    for name, values in rows.items():
        p = statistics.fmean(v[0] for v in values)
        r = statistics.fmean(v[1] for v in values)
        print(f"{name:<{width}}  {p:6.3f}  {r:5.3f}")


if __name__ == "__main__":
    main()

"""How well the loaders read real reports: ../shared/realdocs/ against the corpus .txt files.

Per file (DOCX, office PDF, two-column PDF, scanned PDF):

- words in order: the share of the .txt's words (markup removed, case folded) found in
  the same order in the loaded text (longest common subsequence of the word lists);
- bag recall: the share found anywhere, with multiplicity (the manifest's "recall");
- header/footer lines: lines of the indexed text (chunks' index text) that are the
  running header ("<municipality> kommun" + title) or a "Sida N av M" footer, beyond
  those the .txt itself holds;
- pages right: chunks whose page is the page where `pdftotext -f N -l N` holds the start
  of the chunk (best match of its first words);
- table rows intact: .txt table rows found as one line of the same tab-separated cells;
- U+FFFE / U+00AD / U+2010 marks left in the text;
- seconds to load, and for scans seconds per page of OCR (no cache).

``--parity`` adds the dev set's retrieval recall@5 on an index of the PDFs next to the
same on the .txt corpus (real model; embeddings cached with the tests' in .pytest_cache/).

    .venv/bin/python benchmarks/bench_realdocs.py [--realdocs ../shared/realdocs]
        [--only pdf-2col] [--parity] [--json out.json]
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from assistant.ingest.chunking import chunk_document  # noqa: E402
from assistant.ingest.loaders import load_file  # noqa: E402
from assistant.ingest.metadata import load_metadata  # noqa: E402
from assistant.ingest.ocr import OcrOptions  # noqa: E402
from assistant.models import Document  # noqa: E402

KINDS = ("docx", "pdf-office", "pdf-2col", "pdf-scanned")
_SUPERSCRIPTS = re.compile("[⁰¹²³⁴⁵⁶⁷⁸⁹]+")
_TOC_NUMBER = re.compile(r"\t\s*\d{1,3}[ \t]*$", re.M)
_WORD = re.compile(r"[^\W_]+")
_MARKUP = re.compile(r"\*\*|</?[A-Za-z][^>\n]*>|\[([^\]\n]*)\]\([^)\n]*\)")
_SEPARATOR_ROW = re.compile(r"^[-\t ]+$")
_TOC_ROW = re.compile(r"\t\s*\d{1,3}\s*$")
_FOOTER = re.compile(r"\bSida\s+\d+\s+av\s+\d+\b")


def strip_markup(text: str) -> str:
    text = _MARKUP.sub(lambda m: m.group(1) or " ", text)
    return "\n".join(ln for ln in text.split("\n") if not _SEPARATOR_ROW.match(ln) or not ln)


def words(text: str) -> list[str]:
    """Case-folded words; footnote marks (superscripts) and the page numbers of tables of
    contents ("title<TAB>12") left out: the PDFs number both anew."""
    flat = _TOC_NUMBER.sub("", text)
    flat = _SUPERSCRIPTS.sub(" ", flat).replace("\u2010", "-").casefold()
    return _WORD.findall(flat)


def in_order(reference: list[str], got: list[str]) -> float:
    matcher = difflib.SequenceMatcher(None, reference, got, autojunk=False)
    return sum(b.size for b in matcher.get_matching_blocks()) / max(1, len(reference))


def bag_recall(reference: list[str], got: list[str]) -> float:
    have = Counter(got)
    need = Counter(reference)
    return sum(min(n, have[w]) for w, n in need.items()) / max(1, len(reference))


def table_rows(txt: str) -> list[list[str]]:
    rows = []
    for line in strip_markup(txt).split("\n"):
        if "\t" not in line or _TOC_ROW.search(line) or _SEPARATOR_ROW.match(line):
            continue
        cells = [" ".join(words(c)) for c in line.split("\t")]
        if sum(1 for c in cells if c) >= 2:
            rows.append(cells)
    return rows


def rows_intact(expected: list[list[str]], text: str) -> tuple[int, int]:
    """Rows of the .txt found as one line with the same cells. A cell may hold more than
    the .txt's (which keeps some rows split where the original page broke them)."""
    lines = {
        tuple(c for c in (" ".join(words(c)) for c in line.split("\t")) if c)
        for line in text.split("\n")
        if "\t" in line
    }

    def holds(line: tuple[str, ...], row: tuple[str, ...]) -> bool:
        return len(line) == len(row) and all(r in c for r, c in zip(row, line, strict=True))

    found = 0
    for cells in expected:
        row = tuple(c for c in cells if c)
        found += row in lines or any(holds(line, row) for line in lines)
    return found, len(expected)


def pdftotext_pages(path: Path) -> list[list[str]]:
    """Words of each page by pdftotext (layout and reading-order modes), line-end hyphens
    joined (both spellings kept)."""
    modes = []
    for flag in ("-layout", "-raw"):
        out = subprocess.run(
            ["pdftotext", flag, str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
        modes.append(out.split("\f"))
    pages = []
    for parts in zip(*modes, strict=True):
        got: list[str] = []
        for page in parts:
            joined = re.sub(r"[-\u2010\u00ad]\s*\n\s*", "", page)
            kept = re.sub(r"[\u2010\u00ad]\s*\n\s*", "-", page)
            got += [*words(joined), "|", *words(kept), "|"]
        pages.append(got)
    return pages


def page_check(doc: Document, chunks: list, pages: list[list[str]]) -> tuple[int, int]:
    sets = [set(p) for p in pages]
    seqs = [" ".join(p) for p in pages]
    right = total = 0
    for c in chunks:
        head = words(c.text)[:8]
        if len(head) < 3:
            continue
        scores = []
        for s, seq in zip(sets, seqs, strict=True):
            score = sum(1 for w in head if w in s)
            if " ".join(head[:4]) in seq:
                score += 10
            scores.append(score)
        best = max(scores)
        total += 1
        # Right when the chunk's first words stand on its page (in order), or when no
        # page holds them in order and its page holds the most of them.
        right += c.page is not None and (scores[c.page - 1] >= 10 or scores[c.page - 1] == best)
    return right, total


def header_lines(doc: Document, chunks: list, txt_chunks: list) -> int:
    municipality = doc.meta.municipality or ""
    title = doc.meta.title or ""
    pieces = {f"{municipality} kommun".casefold(), title.casefold()}

    def count(cs: list) -> int:
        n = 0
        for c in cs:
            for line in c.index_text.split("\n")[1:]:
                flat = " ".join(line.replace("|", " ").split()).casefold()
                if (
                    _FOOTER.search(line)
                    or flat in pieces
                    or (municipality and flat == f"{municipality} kommun {title}".casefold())
                ):
                    n += 1
        return n

    return max(0, count(chunks) - count(txt_chunks))


def measure(realdocs: Path, corpus: Path, only: set[str] | None) -> list[dict]:
    meta = load_metadata(REPO / "corpus")
    rows: list[dict] = []
    for kind in KINDS:
        if only and kind not in only:
            continue
        for path in sorted((realdocs / kind).glob("*.*")):
            stem = path.stem
            txt_path = corpus / f"{stem}.txt"
            txt = txt_path.read_text(encoding="utf-8")
            ref = words(strip_markup(txt))
            with tempfile.TemporaryDirectory() as cache:
                started = time.perf_counter()
                loaded = load_file(path, OcrOptions(cache=Path(cache)))
                seconds = time.perf_counter() - started
            m = meta.get(f"{stem}.txt")
            doc = (
                Document(
                    doc=path.name,
                    sha256=loaded.raw_sha256,
                    meta=m,
                    text=loaded.text,
                    pages=loaded.pages,
                    headings=loaded.headings,
                    ocr_pages=loaded.ocr_pages,
                )
                if m
                else None
            )
            assert doc is not None
            txt_doc = Document(doc=txt_path.name, sha256="", meta=m, text=txt)
            chunks = chunk_document(doc)
            txt_chunks = chunk_document(txt_doc)
            got = words(loaded.text)
            row = {
                "kind": kind,
                "file": stem,
                "in_order": round(in_order(ref, got), 4),
                "bag_recall": round(bag_recall(ref, got), 4),
                "header_footer_lines": header_lines(doc, chunks, txt_chunks),
                "marks": sum(loaded.text.count(ch) for ch in "\ufffe\u00ad\u2010\x02"),
                "seconds": round(seconds, 2),
                "chunks": len(chunks),
                "sections": len(loaded.headings),
            }
            found, total = rows_intact(table_rows(txt), loaded.text)
            row["table_rows"] = f"{found}/{total}"
            if path.suffix == ".pdf":
                right, checked = page_check(doc, chunks, pdftotext_pages(path))
                if loaded.ocr_pages:
                    ocr_pages = len(loaded.ocr_pages)
                    row["ocr_s_per_page"] = round(seconds / ocr_pages, 2)
                    right, checked = page_check_ocr(doc, chunks)
                row["pages_right"] = f"{right}/{checked}"
            rows.append(row)
            print(_line(row), flush=True)
    return rows


def page_check_ocr(doc: Document, chunks: list) -> tuple[int, int]:
    """A scan has no text layer: check pages against the office PDF it was made from."""
    office = REPO.parent / "shared" / "realdocs" / "pdf-office" / doc.doc
    if not office.is_file() or shutil.which("pdftotext") is None:
        return 0, 0
    return page_check(doc, chunks, pdftotext_pages(office))


COLUMNS = [
    ("kind", 11),
    ("file", 46),
    ("in_order", 8),
    ("bag_recall", 10),
    ("header_footer_lines", 6),
    ("pages_right", 9),
    ("table_rows", 8),
    ("marks", 5),
    ("sections", 8),
    ("seconds", 7),
    ("ocr_s_per_page", 6),
]


def _line(row: dict) -> str:
    return " ".join(str(row.get(k, "—")).ljust(w) for k, w in COLUMNS)


def _no_ocr(folder: str, names: list[str]) -> list[str]:
    return ["ocr"] if "ocr" in names else []


def parity(realdocs: Path, corpus: Path, kinds: list[str]) -> dict[str, float]:
    """Dev-set retrieval recall@5 on the .txt corpus and on each PDF corpus."""
    from assistant.evaluation.questions import load_questions
    from assistant.evaluation.run import run_evaluation
    from assistant.indexing import build_index
    from assistant.search.retriever import Retriever
    from assistant.settings import Settings

    # The tests' embedding cache (test_eval_real.py, test_parity.py), when they have run.
    cache = REPO / ".pytest_cache" / "d" / "granska-embeddings"
    cache.mkdir(parents=True, exist_ok=True)
    results: dict[str, float] = {}
    questions_text = (REPO / "eval" / "questions.jsonl").read_text(encoding="utf-8")
    metadata = (REPO / "corpus" / "metadata.toml").read_text(encoding="utf-8")
    for kind in ["txt", *kinds]:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "corpus"
            folder.mkdir()
            suffix = ".txt" if kind == "txt" else ".pdf"
            source = corpus if kind == "txt" else realdocs / kind
            for path in sorted(source.glob(f"*{suffix}")):
                shutil.copy(path, folder / path.name)
            (folder / "metadata.toml").write_text(
                metadata.replace('.txt"]', f'{suffix}"]'), encoding="utf-8"
            )
            index = Path(tmp) / "index"
            index.mkdir()
            shutil.copytree(cache, index / "cache", dirs_exist_ok=True)
            settings = Settings(corpus=folder, index=index)
            started = time.perf_counter()
            build_index(settings)
            built = time.perf_counter() - started
            shutil.copytree(index / "cache", cache, dirs_exist_ok=True, ignore=_no_ocr)
            retriever = Retriever.open(settings=settings)
            texts = {d.doc: d.text for d in retriever.documents.values()}
            qfile = Path(tmp) / "questions.jsonl"
            qfile.write_text(questions_text.replace('.txt"', f'{suffix}"'), encoding="utf-8")
            questions = load_questions(qfile, texts)
            result = run_evaluation(questions, retriever, ["hybrid", "bm25", "dense"], k=10)
            for name in ("hybrid", "bm25", "dense"):
                results[f"{kind} {name} recall@5"] = round(
                    result.retriever(name).overall["recall@5"], 4
                )
            print(
                f"{kind:11} recall@5 hybrid {results[f'{kind} hybrid recall@5']:.3f} "
                f"bm25 {results[f'{kind} bm25 recall@5']:.3f} "
                f"dense {results[f'{kind} dense recall@5']:.3f} (build {built:.0f} s)",
                flush=True,
            )
    return results


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--realdocs", type=Path, default=REPO.parent / "shared" / "realdocs")
    ap.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    ap.add_argument("--only", action="append", choices=KINDS)
    ap.add_argument("--parity", action="store_true", help="also the dev-set parity (slow)")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    print(" ".join(h.ljust(w) for h, w in COLUMNS))
    rows = measure(args.realdocs, args.corpus, set(args.only) if args.only else None)
    out: dict = {"files": rows}
    if args.parity:
        out["parity"] = parity(args.realdocs, args.corpus, ["pdf-office", "pdf-2col"])
    if args.json:
        args.json.write_text(json.dumps(out, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

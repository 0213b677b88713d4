"""Golden tests on real documents: ../shared/realdocs/ as pandoc, LibreOffice and WeasyPrint
made them from the corpus reports (see its MANIFEST.md).

Every DOCX and text-layer PDF must give back the report's words in order, exact citation
spans, the right pages, the sections of its heading styles or bookmarks, whole table rows,
and no running header, footer or hyphenation mark in any chunk.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from assistant.ingest.chunking import chunk_document
from assistant.ingest.corpus import read_document
from assistant.ingest.metadata import load_metadata
from assistant.models import Chunk, Document

REPO = Path(__file__).resolve().parent.parent
REALDOCS = REPO.parent / "shared" / "realdocs"
CORPUS = REPO.parent / "shared" / "corpus"
KINDS = ("docx", "pdf-office", "pdf-2col")
REPORTS = (
    "avesta-2021-granskning-digitalisering",
    "botkyrka-2020-granskning-digitaliseringsarbetet",
    "eskilstuna-2023-svar-granskning-digitalisering",
    "huddinge-2023-granskning-digitalisering",
    "orebro-2018-granskning-digitalisering",
)
# Heading paragraphs per report (Heading 1-4 in the DOCX; MANIFEST.md's structure table).
HEADINGS = {
    "avesta-2021-granskning-digitalisering": 19,
    "botkyrka-2020-granskning-digitaliseringsarbetet": 21,
    "eskilstuna-2023-svar-granskning-digitalisering": 117,
    "huddinge-2023-granskning-digitalisering": 27,
    "orebro-2018-granskning-digitalisering": 32,
}
MARKS = "\ufffe\u00ad\u2010\x02"
_WORD = re.compile(r"[^\W_]+")
_MARKUP = re.compile(r"\*\*|</?[A-Za-z][^>\n]*>|\[([^\]\n]*)\]\([^)\n]*\)")
_NOT_COMPARED = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+|\t\s*\d{1,3}[ \t]*$", re.M)  # note marks, TOC pages

pytestmark = pytest.mark.skipif(
    not REALDOCS.is_dir(), reason="../shared/realdocs is not beside the repository"
)


def words(text: str) -> list[str]:
    text = _MARKUP.sub(lambda m: m.group(1) or " ", text)
    return _WORD.findall(_NOT_COMPARED.sub(" ", text).casefold())


_loaded: dict[tuple[str, str], tuple[Document, list[Chunk]]] = {}


def load(kind: str, report: str) -> tuple[Document, list[Chunk]]:
    """The fixture as a Document with the corpus metadata, and its chunks (cached)."""
    key = (kind, report)
    if key not in _loaded:
        folder = REALDOCS / kind
        path = next(folder.glob(f"{report}.*"))
        meta = load_metadata(REPO / "corpus").get(f"{report}.txt")
        assert meta is not None
        doc = read_document(path, folder, {path.name: meta})
        _loaded[key] = (doc, chunk_document(doc))
    return _loaded[key]


CASES = [(kind, report) for kind in KINDS for report in REPORTS]


@pytest.mark.parametrize(("kind", "report"), CASES)
def test_words_in_order_spans_marks_and_furniture(kind: str, report: str) -> None:
    doc, chunks = load(kind, report)
    reference = words((CORPUS / f"{report}.txt").read_text(encoding="utf-8"))
    got = words(doc.text)
    matcher = difflib.SequenceMatcher(None, reference, got, autojunk=False)
    in_order = sum(b.size for b in matcher.get_matching_blocks()) / len(reference)
    assert in_order >= 0.99, f"{kind}/{report}: {in_order:.4f} of the words in order"
    assert not any(m in doc.text for m in MARKS)
    assert chunks
    title = doc.meta.title or ""
    running = f"{doc.meta.municipality} kommun {title}".casefold()
    for c in chunks:
        assert doc.text[c.start : c.end] == c.text
        assert not any(m in c.index_text for m in MARKS)
        for line in c.index_text.split("\n")[1:]:
            flat = " ".join(line.replace("|", " ").split()).casefold()
            assert not re.search(r"\bsida \d+ av \d+\b", flat), (c.id, line)
            assert flat != running, (c.id, line)


@pytest.mark.parametrize(("kind", "report"), CASES)
def test_sections_from_heading_styles_and_bookmarks(kind: str, report: str) -> None:
    doc, _ = load(kind, report)
    expected = HEADINGS[report]
    # One LibreOffice bookmark in Eskilstuna points at a heading that the PDF splits.
    assert expected - 1 <= len(doc.headings) <= expected
    assert all(h.level <= 4 for h in doc.headings)


@pytest.mark.parametrize("kind", KINDS)
def test_botkyrka_golden_sections_pages_and_rows(kind: str) -> None:
    doc, chunks = load(kind, "botkyrka-2020-granskning-digitaliseringsarbetet")
    top = "Iakttagelser och bedömningar"
    question = "Är organisation och resurser ändamålsenliga för att nå uppsatta mål?"
    [judged] = [c for c in chunks if "en ny organisation är på plats sedan 1 mars" in c.text]
    assert judged.section == [top, question, "Bedömning"]
    pages = {"docx": None, "pdf-office": 7, "pdf-2col": 6}
    assert judged.page == pages[kind]
    lines = doc.text.split("\n")
    assert (
        "Samhällsbyggnadsnämnden\tAndelen (%) nya ansökningar/anmälningar via e-tjänsten på "
        "bygglov ökar.\t-\t20\t30\t60" in lines
    )
    assert "\tAndelen användare av felanmälningsappen ökar\t1 390\t1 700\t1 500\t1 800" in lines
    # Narrow cells: the board name whole, not "Samhäll|sbyggna|dsnämn|den".
    assert any(ln.startswith("Arbetsmarknads- och vuxenutbildningsnämnden\t") for ln in lines)
    tables = [c for c in chunks if c.kind == "table"]
    assert any(
        c.table_header == "Styrelse/nämnd\tMål/mått\tUtfall 2018\tMål 2019\tMål 2020\tMål 2023"
        for c in tables
    )
    # A row that a page break splits in the PDFs is one line again.
    assert any(
        ln.startswith("\tBostadsanpassningsprocessen kartläggs under 2019")
        and "En handlingsplan har påbörjats för att nå målet" in ln
        for ln in lines
    )
    # Hyphenation: soft hyphens joined, real hyphens kept, lists keep their "- ".
    assert "e-tjänsten" in doc.text and "etjänsten" not in doc.text
    assert "digitaliseringsarbetet" in doc.text
    assert sum(1 for ln in lines if ln.startswith("- ")) == 13
    assert "Sida " not in doc.text


def _page_words(path: Path) -> list[set[str]]:
    """Each page's words as pdfium reads them, words broken at a line end joined."""
    pdf = pdfium.PdfDocument(path)
    out = []
    try:
        for page in pdf:
            raw = page.get_textpage().get_text_range()
            raw = re.sub("[\ufffe\u00ad\x02]|[\u2010-][ ]?\r?\n", "", raw)
            out.append(set(_WORD.findall(raw.casefold())))
    finally:
        pdf.close()
    return out


@pytest.mark.parametrize(("kind", "report"), [c for c in CASES if c[0] != "docx"])
def test_pdf_chunk_pages(kind: str, report: str) -> None:
    """The words a chunk starts with stand on the page it names (and not all on another
    page that is the only one to hold them)."""
    doc, chunks = load(kind, report)
    pages = _page_words(next((REALDOCS / kind).glob(f"{report}.pdf")))
    wrong = []
    for c in chunks:
        head = [w for w in _WORD.findall(c.text.casefold()) if len(w) > 3][:6]
        if len(head) < 4 or c.page is None:
            wrong.append(c.id) if c.page is None else None
            continue
        scores = [sum(w in p for w in head) for p in pages]
        if scores[c.page - 1] < max(scores) and scores[c.page - 1] < len(head) - 1:
            wrong.append((c.page, scores, c.text[:60]))
    assert not wrong, wrong
    assert [p.page for p in doc.pages] == list(range(1, len(pages) + 1))


@pytest.mark.parametrize("kind", KINDS)
def test_footnote_follows_the_paragraph_that_cites_it(kind: str) -> None:
    doc, chunks = load(kind, "eskilstuna-2023-svar-granskning-digitalisering")
    paras = doc.text.split("\n\n")
    [i] = [i for i, p in enumerate(paras) if "Processer och arbetssätt utvecklas inte" in p]
    mark = paras[i].split(" ", 1)[0]
    assert mark and all(ch in "⁰¹²³⁴⁵⁶⁷⁸⁹" for ch in mark)
    assert f"digitisering{mark}" in paras[i - 1]
    [chunk] = [c for c in chunks if "Processer och arbetssätt utvecklas inte" in c.text]
    assert "form av digitisering" in chunk.text

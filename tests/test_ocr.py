"""Scanned PDFs: OCR with Tesseract (Swedish), cached by file hash, progress per page,
chunks marked as OCR, and a one-line warning naming the packages when Tesseract is absent.

Tests that run Tesseract are skipped only where it is not installed; CI installs it.
"""

from __future__ import annotations

import difflib
import io
import re
import subprocess
from collections import Counter
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from assistant.errors import DocumentError
from assistant.indexing import BuildProgress, build_index
from assistant.ingest import ocr
from assistant.ingest.chunking import chunk_document
from assistant.ingest.corpus import read_document, scan_corpus
from assistant.ingest.loaders import load_file
from assistant.ingest.ocr import OcrOptions
from assistant.settings import Settings

REPO = Path(__file__).resolve().parent.parent
SCANNED = REPO.parent / "shared" / "realdocs" / "pdf-scanned"
PAGES = [
    [
        "Granskning av digitaliseringsarbetet",
        "Kommunstyrelsen ska säkerställa att målen för",
        "digitaliseringen följs upp varje år.",
    ],
    ["Revisionell bedömning", "Nämnderna saknar en handlingsplan för e-tjänster."],
]
needs_tesseract = pytest.mark.skipif(
    not ocr.available(), reason="Tesseract with Swedish is not installed"
)


def scanned_pdf(path: Path, pages: list[list[str]] = PAGES) -> Path:
    """An image-only PDF: text typeset, rendered to a 200 dpi image, and put back as a
    picture (no fonts, no text layer), as a scanner makes it."""
    typeset = io.BytesIO()
    c = canvas.Canvas(typeset)
    for lines in pages:
        for i, line in enumerate(lines):
            c.setFont("Helvetica", 14)
            c.drawString(72, 740 - 24 * i, line)
        c.showPage()
    c.save()
    out = canvas.Canvas(str(path))
    pdf = pdfium.PdfDocument(typeset.getvalue())
    for page in pdf:
        width, height = page.get_size()
        image = page.render(scale=200 / 72, grayscale=True).to_pil()
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        out.setPageSize((width, height))
        out.drawImage(ImageReader(io.BytesIO(buffer.getvalue())), 0, 0, width, height)
        out.showPage()
    out.save()
    pdf.close()
    return path


def test_without_tesseract_a_scan_gets_one_line_naming_the_packages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ocr, "available", lambda language=ocr.LANGUAGE: False)
    path = scanned_pdf(tmp_path / "skannad.pdf")
    with pytest.raises(DocumentError) as info:
        load_file(path)
    message = str(info.value)
    assert message.startswith(str(path)) and "\n" not in message
    assert "tesseract-ocr tesseract-ocr-swe" in message
    (tmp_path / "rapport.txt").write_text("Kommunstyrelsen har en strategi.", encoding="utf-8")
    scan = scan_corpus(tmp_path)
    assert [d.doc for d in scan.documents] == ["rapport.txt"]
    assert [w.path for w in scan.warnings] == [str(path)]


def test_tesseract_missing_is_detected(monkeypatch: pytest.MonkeyPatch) -> None:
    ocr._languages.cache_clear()
    monkeypatch.setattr(ocr.shutil, "which", lambda _name: None)
    try:
        assert not ocr.available()
    finally:
        ocr._languages.cache_clear()


def test_tsv_words_in_points() -> None:
    tsv = (
        "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight"
        "\tconf\ttext\n"
        "4\t1\t1\t1\t1\t0\t300\t600\t900\t60\t-1\t\n"
        "5\t1\t1\t1\t1\t1\t300\t600\t400\t50\t96\tKommunen\n"
        "5\t1\t1\t1\t1\t2\t750\t610\t300\t50\t95\tsaknar\n"
        "5\t1\t1\t1\t1\t3\t1100\t610\t20\t50\t10\t \n"
    )
    words = ocr.parse_tsv(tsv, 72 / 300)
    assert [w.text for w in words] == ["Kommunen", "saknar"]
    assert words[0].x0 == pytest.approx(72) and words[0].top == pytest.approx(144)
    assert words[0].baseline == words[1].baseline == pytest.approx(660 * 72 / 300)
    assert words[0].line == words[1].line == 0


@needs_tesseract
def test_scan_read_by_ocr_once_and_marked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = scanned_pdf(tmp_path / "skannad.pdf")
    cache = tmp_path / "cache"
    seen: list[tuple[int, int]] = []
    loaded = load_file(path, OcrOptions(cache=cache, progress=lambda d, t: seen.append((d, t))))
    text = " ".join(loaded.text.split())
    assert "Kommunstyrelsen ska säkerställa att målen för digitaliseringen följs upp" in text
    assert "handlingsplan för e-tjänster" in text
    assert loaded.ocr_pages == [1, 2]
    assert seen == [(0, 2), (1, 2), (2, 2)]
    assert [p.page for p in loaded.pages] == [1, 2]
    assert loaded.text[loaded.pages[1].start :].startswith("Revisionell bedömning")
    assert len(list(cache.glob("*.json"))) == 1

    def no_tesseract(*args: object, **kwargs: object) -> None:
        raise AssertionError("OCR ran again although the file is cached")

    monkeypatch.setattr(ocr.subprocess, "run", no_tesseract)
    again = load_file(path, OcrOptions(cache=cache))
    assert again.text == loaded.text
    doc = read_document(path, tmp_path, {}, OcrOptions(cache=cache))
    chunks = chunk_document(doc, 12)
    assert chunks and all(c.ocr for c in chunks)
    assert all(doc.text[c.start : c.end] == c.text for c in chunks)
    assert [c.page for c in chunks] == sorted(c.page or 0 for c in chunks)


@needs_tesseract
def test_build_shows_ocr_progress_and_reuses_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_embedder: object
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    scanned_pdf(corpus / "skannad.pdf")
    (corpus / "rapport.txt").write_text("Kommunstyrelsen har en strategi.", encoding="utf-8")
    settings = Settings(corpus=corpus, index=tmp_path / "index")
    events: list[BuildProgress] = []
    report = build_index(settings, embedder=fake_embedder, progress=events.append)  # type: ignore[arg-type]
    assert report.documents == 2 and not report.failed
    ocr_events = [(e.done, e.total, e.doc) for e in events if e.phase == "ocr"]
    assert ocr_events[-1] == (2, 2, "skannad.pdf")
    assert len(ocr_events) == 3
    assert list((tmp_path / "index" / "cache" / "ocr").glob("*.json"))

    real_run = subprocess.run

    def only_cheap(args: list[str], *a: object, **kw: object) -> object:
        if "stdin" in args:
            raise AssertionError("OCR ran again although the file is cached")
        return real_run(args, *a, **kw)  # type: ignore[call-overload]

    monkeypatch.setattr(ocr.subprocess, "run", only_cheap)
    again = build_index(settings, embedder=fake_embedder, full=True)  # type: ignore[arg-type]
    assert again.documents == 2 and again.embedded == 0


def _words(text: str) -> list[str]:
    text = re.sub(
        r"\*\*|</?[A-Za-z][^>\n]*>|[⁰¹²³⁴⁵⁶⁷⁸⁹]+|\t\s*\d{1,3}[ \t]*$", " ", text, flags=re.M
    )
    return re.findall(r"[^\W_]+", text.casefold())


@pytest.mark.slow
@needs_tesseract
@pytest.mark.skipif(not SCANNED.is_dir(), reason="../shared/realdocs is not beside the repository")
def test_scanned_fixture_reads_like_the_report(tmp_path: Path) -> None:
    """The Botkyrka scan (9 pages, 200 dpi, skewed and noisy): at least 95 % of the
    report's words (90 % in order: table cells come in OCR's order); no running header or
    footer; every chunk marked OCR."""
    name = "botkyrka-2020-granskning-digitaliseringsarbetet"
    doc = read_document(SCANNED / f"{name}.pdf", SCANNED, {}, OcrOptions(cache=tmp_path))
    reference = _words((REPO.parent / "shared" / "corpus" / f"{name}.txt").read_text())
    got = _words(doc.text)
    have = Counter(got)
    recall = sum(min(n, have[w]) for w, n in Counter(reference).items()) / len(reference)
    assert recall >= 0.95, recall
    matcher = difflib.SequenceMatcher(None, reference, got, autojunk=False)
    assert sum(b.size for b in matcher.get_matching_blocks()) / len(reference) >= 0.9
    assert doc.ocr_pages == list(range(1, 10))
    assert not re.search(r"Sida \d+ av \d+", doc.text)
    chunks = chunk_document(doc)
    assert chunks and all(c.ocr for c in chunks)
    assert all(doc.text[c.start : c.end] == c.text for c in chunks)


@needs_tesseract
def test_a_failing_tesseract_names_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = scanned_pdf(tmp_path / "skannad.pdf")

    def broken(*args: object, **kwargs: object) -> subprocess.CompletedProcess[bytes]:
        return subprocess.CompletedProcess([], 1, b"", b"Error opening data file swe.traineddata")

    monkeypatch.setattr(ocr.subprocess, "run", broken)
    with pytest.raises(DocumentError) as info:
        load_file(path, OcrOptions(cache=tmp_path / "cache"))
    message = str(info.value)
    assert message.startswith(str(path)) and "\n" not in message
    assert "OCR failed (Error opening data file swe.traineddata)" in message

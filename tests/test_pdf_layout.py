"""PDF layout on small made-up documents: hyphenation by the document's words, running
headers without digits, two columns, ruled tables, bookmarks as headings."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.pdfgen import canvas

from assistant.ingest.chunking import chunk_document
from assistant.ingest.corpus import read_document
from assistant.ingest.hyphenation import Vocabulary, join_hyphenated, joins_unhyphenated
from assistant.ingest.loaders import load_file

VOCAB = Vocabulary(
    [
        "Kommunen har flera e-tjänster och en e-tjänst för bygglov.",
        "Digitaliseringen och digitaliseringsarbetet och utformningen av stödet.",
        "Samhällsbyggnadsnämnden och vård- och omsorgsnämnden.",
        "sju eller åtta",
    ]
)


@pytest.mark.parametrize(
    ("left", "right", "kind", "expected"),
    [
        ("digitali", "seringen", "soft", "digitaliseringen"),  # the joined word is known
        ("e", "tjänsten", "soft", "e-tjänsten"),  # "e-tjänst…" is how the report writes it
        ("vård", "och", "soft", "vård- och"),  # a shortened compound before "och"
        ("IT", "enheten", "soft", "IT-enheten"),  # an abbreviation keeps its hyphen
        ("ut", "format", "soft", "utformat"),  # known by its stem ("utformningen")
        ("sju", "åtta", "hard", "sju-åtta"),  # a real hyphen between two words
        ("ge", "nomföra", "soft", "genomföra"),  # unknown: a soft hyphen joins
        ("Open", "E", "soft", "Open-E"),  # a capital after the break
    ],
)
def test_line_end_hyphens_follow_the_document(
    left: str, right: str, kind: str, expected: str
) -> None:
    assert join_hyphenated(left, right, kind, VOCAB) == expected  # type: ignore[arg-type]


def test_words_broken_without_a_hyphen_in_narrow_cells() -> None:
    assert joins_unhyphenated("Samhäll", "sbyggnadsnämnden", VOCAB)
    assert joins_unhyphenated("Samhällsbyggnadsnämn", "den", VOCAB)
    assert not joins_unhyphenated("Kommunen", "har", VOCAB)  # both are words
    assert not joins_unhyphenated("Samhäll", "Kommunen", VOCAB)


HEADER = "Testkommun – Granskning av styrningen"
LEFT = [
    "Kommunstyrelsen har antagit en strategi",
    "för digitaliseringen. Strategin följs upp",
    "varje år av nämnderna.",
]
RIGHT = [
    "Revisorerna bedömer att uppföljningen",
    "är tillräcklig men att målen saknar",
    "tidsplan för genomförandet.",
]


def two_column_pdf(path: Path) -> Path:
    """Three pages with a running header (no digits), a page footer, two columns of text,
    a ruled table on page 2 and bookmarks for the headings."""
    c = canvas.Canvas(str(path))
    for page in range(1, 4):
        c.setFont("Helvetica", 9)
        c.drawString(60, 800, HEADER)
        c.drawString(480, 40, f"Sida {page} av 3")
        c.setFont("Helvetica-Bold", 14)
        heading = f"Avsnitt {page}"
        c.drawString(60, 740, heading)
        c.bookmarkPage(f"p{page}", fit="XYZ", top=755, left=60)
        c.addOutlineEntry(heading, f"p{page}", level=0)
        c.setFont("Helvetica", 10)
        for i, (a, b) in enumerate(zip(LEFT, RIGHT, strict=True)):
            c.drawString(60, 700 - 14 * i, f"{a}" if page != 3 else f"{a} {page}")
            c.drawString(320, 700 - 14 * i, b)
        if page == 2:
            rows = [("Nämnd", "Mål", "Utfall"), ("Socialnämnden", "50 %", "49 %")]
            xs, ys = [60, 220, 380, 540], [600, 580, 560]
            for x in xs:
                c.line(x, ys[0], x, ys[-1])
            for y in ys:
                c.line(xs[0], y, xs[-1], y)
            for r, row in enumerate(rows):
                for k, cell in enumerate(row):
                    c.drawString(xs[k] + 4, ys[r] - 14, cell)
        c.showPage()
    c.save()
    return path


def test_two_columns_header_footer_table_and_bookmarks(tmp_path: Path) -> None:
    path = two_column_pdf(tmp_path / "rapport.pdf")
    loaded = load_file(path)
    text = loaded.text
    assert "Testkommun" not in text and "Sida" not in text
    left = " ".join(LEFT)
    right = " ".join(RIGHT)
    page_1 = text[loaded.pages[0].start : loaded.pages[1].start]
    assert f"{left} {right}" in " ".join(page_1.split())  # left column first, then right
    assert "Nämnd\tMål\tUtfall\nSocialnämnden\t50 %\t49 %" in text
    assert [text[h.start : h.end] for h in loaded.headings] == [
        "Avsnitt 1",
        "Avsnitt 2",
        "Avsnitt 3",
    ]
    doc = read_document(path, tmp_path, {})
    chunks = chunk_document(doc, 20)
    assert [c.page for c in chunks] == sorted(c.page or 0 for c in chunks)
    assert {c.page for c in chunks} == {1, 2, 3}
    for c in chunks:
        assert doc.text[c.start : c.end] == c.text
        assert c.section == [f"Avsnitt {c.page}"]
    [table] = [c for c in chunks if c.kind == "table"]
    assert table.table_header == "Nämnd\tMål\tUtfall" and table.page == 2

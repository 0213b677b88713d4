"""Loaders: text encodings, PDF pages, DOCX structure, and every kind of bad input."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfgen import canvas

from assistant.errors import DocumentError
from assistant.ingest.chunking import chunk_document
from assistant.ingest.corpus import read_document
from assistant.ingest.loaders import load_file

SWEDISH = "Kommunstyrelsen bör säkerställa åtgärder för öppenhet."


def make_pdf(path: Path, pages: list[str], encrypt: str | None = None) -> Path:
    enc = StandardEncryption(encrypt, canPrint=0) if encrypt else None
    c = canvas.Canvas(str(path), encrypt=enc)
    for text in pages:
        if text:
            c.drawString(72, 720, text)
        else:
            c.rect(72, 600, 200, 100, fill=1)  # a drawing, no text: a "scanned" page
        c.showPage()
    c.save()
    return path


def errors_of(path: Path) -> str:
    with pytest.raises(DocumentError) as info:
        load_file(path)
    message = str(info.value)
    assert message.startswith(str(path)) and "\n" not in message
    return message


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (SWEDISH.encode("utf-8"), SWEDISH),
        (b"\xef\xbb\xbf" + SWEDISH.encode("utf-8"), SWEDISH),
        (SWEDISH.encode("cp1252"), SWEDISH),
        (b"Rad ett\r\nRad tv\xc3\xa5\rRad tre", "Rad ett\nRad två\nRad tre"),
    ],
    ids=["utf-8", "bom", "cp1252", "line-endings"],
)
def test_text_encodings(tmp_path: Path, raw: bytes, expected: str) -> None:
    path = tmp_path / "rapport.txt"
    path.write_bytes(raw)
    assert load_file(path).text == expected


def test_names_with_spaces_and_swedish_letters(tmp_path: Path) -> None:
    path = tmp_path / "granskning av nämnd åäö.md"
    path.write_text(SWEDISH, encoding="utf-8")
    doc = read_document(path, tmp_path, {})
    assert doc.doc == "granskning av nämnd åäö.md" and doc.text == SWEDISH


def test_pdf_pages_map_offsets(tmp_path: Path) -> None:
    texts = ["Sammanfattning sida ett.", "Bakgrund sida två.", "Bedömning sida tre."]
    loaded = load_file(make_pdf(tmp_path / "r.pdf", texts))
    assert [p.page for p in loaded.pages] == [1, 2, 3]
    for page, text in zip(loaded.pages, texts, strict=True):
        assert loaded.text[page.start :].startswith(text)
    doc = read_document(tmp_path / "r.pdf", tmp_path, {})
    chunks = chunk_document(doc, 4)  # one small chunk per page
    assert [c.page for c in chunks] == [1, 2, 3]


def test_docx_headings_paragraphs_and_tables(tmp_path: Path) -> None:
    d = docx.Document()
    d.add_heading("Sammanfattning", level=1)
    d.add_paragraph("Första stycket om mål.")
    d.add_paragraph("Andra stycket om uppföljning.")
    table = d.add_table(rows=2, cols=3)
    for r, row in enumerate([["Nämnd", "Mål", "Utfall"], ["Socialnämnden", "50 %", "49 %"]]):
        for i, cell in enumerate(row):
            table.rows[r].cells[i].text = cell
    path = tmp_path / "r.docx"
    d.save(str(path))
    loaded = load_file(path)
    assert loaded.text.split("\n\n") == [
        "Sammanfattning",
        "Första stycket om mål.",
        "Andra stycket om uppföljning.",
        "Nämnd\tMål\tUtfall\nSocialnämnden\t50 %\t49 %\n",
    ]
    chunks = chunk_document(read_document(path, tmp_path, {}), 180)
    assert chunks[0].section == ["Sammanfattning"]
    assert any(c.kind == "table" and c.table_header == "Nämnd\tMål\tUtfall" for c in chunks)


def test_empty_and_blank_files(tmp_path: Path) -> None:
    (tmp_path / "tom.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text(" \n\t\n", encoding="utf-8")
    assert "empty" in errors_of(tmp_path / "tom.txt")
    assert "empty" in errors_of(tmp_path / "blank.txt")


def test_binary_file_named_txt(tmp_path: Path) -> None:
    path = tmp_path / "bild.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    assert "binary" in errors_of(path)


def test_truncated_pdf(tmp_path: Path) -> None:
    full = make_pdf(tmp_path / "hel.pdf", ["Text på sidan."]).read_bytes()
    path = tmp_path / "trasig.pdf"
    path.write_bytes(full[: len(full) // 2])
    assert "damaged or truncated" in errors_of(path)


def test_encrypted_pdf(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "låst.pdf", ["Hemlig text."], encrypt="hemligt")
    assert "password" in errors_of(path)


def test_scanned_pdf_without_text(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "skannad.pdf", ["", ""])
    assert "OCR" in errors_of(path)


def test_docx_that_is_another_zip(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("bild.png", b"not a word document")
    path = tmp_path / "falsk.docx"
    path.write_bytes(buffer.getvalue())
    assert "not a valid Word document" in errors_of(path)
    (tmp_path / "text.docx").write_text("bara text", encoding="utf-8")
    assert "not a valid Word document" in errors_of(tmp_path / "text.docx")


def test_unsupported_extension(tmp_path: Path) -> None:
    path = tmp_path / "kalkyl.xlsx"
    path.write_bytes(b"PK\x03\x04")
    assert "unsupported file type '.xlsx'" in errors_of(path)


def test_unreadable_path(tmp_path: Path) -> None:
    folder = tmp_path / "mapp.txt"
    folder.mkdir()
    assert "cannot read" in errors_of(folder)

"""Golden test: the section path of every chunk of the five sample reports.

`tests/golden/sections.tsv` was reviewed by hand against the reports: numbered headings in
every report's style ("4.3. *Business case*", "3.1.5 Bedömning", unnumbered "Bedömning"),
numbered list items that are not headings ("1. Utifrån den genomförda granskningen
rekommenderar vi kommunstyrelsen att:"), and the parts of the compiled Eskilstuna document.
After a deliberate change, regenerate it with ``UPDATE_GOLDEN=1 pytest
tests/test_sections_golden.py`` and review the diff before committing.
"""

from __future__ import annotations

import os
from pathlib import Path

from assistant.ingest.chunking import chunk_document, outline
from assistant.ingest.corpus import read_document
from assistant.ingest.metadata import load_metadata

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"
GOLDEN = REPO / "tests" / "golden" / "sections.tsv"


def _rows() -> list[str]:
    meta = load_metadata(CORPUS)
    rows = []
    for path in sorted(CORPUS.glob("*.txt")):
        doc = read_document(path, CORPUS, meta)
        for c in chunk_document(doc, 180):
            head = " ".join(c.text.split())[:50]
            rows.append(f"{c.doc}\t{c.ordinal}\t{c.section_path}\t{head}")
    return rows


def test_every_chunk_has_its_reviewed_section_path() -> None:
    rows = _rows()
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text("\n".join(rows) + "\n", encoding="utf-8")
    expected = GOLDEN.read_text(encoding="utf-8").splitlines()
    assert rows == expected


def test_italic_headings_and_numbered_items() -> None:
    meta = load_metadata(CORPUS)
    orebro = read_document(CORPUS / "orebro-2018-granskning-digitalisering.txt", CORPUS, meta)
    titles = [h.title for h in outline(orebro)]
    assert "4.3. Business case" in titles and "5.2. Rekommendationer" in titles
    assert "4.4.2. Bedömning" in titles
    eskilstuna = read_document(
        CORPUS / "eskilstuna-2023-svar-granskning-digitalisering.txt", CORPUS, meta
    )
    assert not any(h.title.startswith("1. Utifrån") for h in outline(eskilstuna))
    huddinge = read_document(CORPUS / "huddinge-2023-granskning-digitalisering.txt", CORPUS, meta)
    assert "1. Samordnad verksamhetsutveckling" not in [h.title for h in outline(huddinge)]

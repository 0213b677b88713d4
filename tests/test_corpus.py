"""Corpus scanning and metadata: one broken file never stops the others."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.errors import ConfigError
from assistant.ingest.corpus import corpus_files, scan_corpus
from assistant.ingest.metadata import infer_meta, load_metadata

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
GOOD = "Granskning av IT-säkerhet\n\nAlfa kommun\n\nSammanfattning\n\nNämnden saknar en plan.\n"


def test_the_sample_corpus(tmp_path: Path) -> None:
    scan = scan_corpus(CORPUS, 180)
    assert not scan.warnings
    names = [d.doc for d in scan.documents]
    assert names == sorted(p.name for p in CORPUS.glob("*.txt"))
    munis = {d.meta.municipality for d in scan.documents}
    assert munis == {"Avesta", "Botkyrka", "Eskilstuna", "Huddinge", "Örebro"}
    assert all(d.meta.year and d.meta.auditor and d.meta.doc_type for d in scan.documents)
    assert len(scan.chunks) > 150


def test_broken_files_are_warnings_and_the_rest_is_read(tmp_path: Path) -> None:
    (tmp_path / "bra rapport åäö.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "tom.txt").write_bytes(b"")
    (tmp_path / "binär.txt").write_bytes(bytes(range(256)) * 20)
    (tmp_path / "kalkyl.xlsx").write_bytes(b"PK\x03\x04")
    (tmp_path / ".dold.txt").write_text(GOOD, encoding="utf-8")
    sub = tmp_path / "2023"
    sub.mkdir()
    (sub / "beta.md").write_text(GOOD.replace("Alfa", "Beta"), encoding="utf-8")
    scan = scan_corpus(tmp_path, 180)
    assert [d.doc for d in scan.documents] == ["2023/beta.md", "bra rapport åäö.txt"]
    reasons = {Path(w.path).name: w.reason for w in scan.warnings}
    assert set(reasons) == {"tom.txt", "binär.txt", "kalkyl.xlsx"}
    assert all(str(w).startswith(w.path) for w in scan.warnings)
    assert {c.doc for c in scan.chunks} == {"2023/beta.md", "bra rapport åäö.txt"}


def test_corpus_files_skip_hidden_and_metadata(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "metadata.toml").write_text("", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text(GOOD, encoding="utf-8")
    assert [p.name for p in corpus_files(tmp_path)] == ["a.txt"]


def test_metadata_file_overrides_inference(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "metadata.toml").write_text(
        '["a.txt"]\nmunicipality = "Gamma"\nyear = 2024\n', encoding="utf-8"
    )
    (doc,) = scan_corpus(tmp_path).documents
    assert doc.meta.municipality == "Gamma" and doc.meta.year == 2024
    assert doc.meta.title == "Granskning av IT-säkerhet"


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('["a.txt"\nyear = 1', "invalid TOML"),
        ('["a.txt"]\ncolour = "red"\n', "unknown field"),
        ('["a.txt"]\nyear = "förra året"\n', "year"),
    ],
)
def test_bad_metadata_is_a_clear_error(tmp_path: Path, toml: str, message: str) -> None:
    (tmp_path / "metadata.toml").write_text(toml, encoding="utf-8")
    with pytest.raises(ConfigError, match=message) as info:
        load_metadata(tmp_path)
    assert "metadata.toml" in str(info.value) and "\n" not in str(info.value)


def test_infer_meta_from_text_and_name() -> None:
    text = "Revisionsrapport\n\nPwC har granskat Sigtuna kommuns arbete. Sigtuna kommun\n2019-05-02"
    meta = infer_meta("sigtuna-granskning.txt", text)
    assert (meta.municipality, meta.year, meta.auditor) == ("Sigtuna", 2019, "PwC")
    assert meta.doc_type == "granskningsrapport"
    assert infer_meta("svar-2022.txt", "Text").doc_type == "svar på granskning"

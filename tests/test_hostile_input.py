"""Hostile and damaged corpus files: no hang, no garbled text, no surprise files, no monsters.

Each test reproduces a fault found by the fault run (issue 14) on a tiny corpus with the
deterministic fake embedder.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest
from conftest import FakeEmbedder

from assistant.indexing import build_index
from assistant.models import Chunk
from assistant.search import lexicons
from assistant.search.bm25 import MAX_COMPOUND, BM25Index, KeywordOptions, SwedishAnalyzer
from assistant.search.retriever import Retriever
from assistant.settings import Settings

GOOD = (
    "Granskning av digitalisering\n\nSammanfattning\n\n"
    "Revisorerna bedömer att kommunstyrelsen saknar en digitaliseringsstrategi.\n"
)


def _corpus(tmp_path: Path, files: dict[str, str | bytes]) -> Settings:
    corpus = tmp_path / "corpus"
    corpus.mkdir(exist_ok=True)
    for name, body in files.items():
        path = corpus / name
        if isinstance(body, bytes):
            path.write_bytes(body)
        else:
            path.write_text(body, encoding="utf-8")
    return Settings(corpus=corpus, index=tmp_path / "index")


def _chunks(r: Retriever) -> list[Chunk]:
    """Every chunk of a folder index, in row order."""
    return list(r.index.chunks(range(r.n_chunks)).values())


# ---------------------------------------------------------------- 1. a long word


def _split_work(analyzer: SwedishAnalyzer, word: str, monkeypatch: pytest.MonkeyPatch) -> int:
    calls = 0
    original = SwedishAnalyzer._known_head

    def counting(self: SwedishAnalyzer, head: str) -> bool:
        nonlocal calls
        calls += 1
        return original(self, head)

    monkeypatch.setattr(SwedishAnalyzer, "_known_head", counting)
    analyzer.terms(f"Granskning {word}")
    monkeypatch.setattr(SwedishAnalyzer, "_known_head", original)
    return calls


def test_compound_splitting_work_does_not_grow_with_word_length(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    vocabulary = ["granskning", "xxxx"]
    short = _split_work(SwedishAnalyzer(vocabulary), "x" * 2_000, monkeypatch)
    long = _split_work(SwedishAnalyzer(vocabulary), "x" * 20_000, monkeypatch)
    assert long == short  # bounded per token: not the square of its length
    assert SwedishAnalyzer(vocabulary).split("digitaliseringsstrategi") == ()  # unknown parts
    real = SwedishAnalyzer(["digitalisering", "strategi"])
    assert real.split("digitaliseringsstrategi") == ("digitalisering", "strategi")


def test_lemma_and_word_list_lookups_are_bounded_for_a_long_word(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The keyword options (simplemma lemmas, wordfreq compound parts) look up and split
    only words of sane length too: a 3,000,000-letter word costs one stem, nothing more."""
    looked_up: list[int] = []
    real_lemma, real_common = lexicons.lemma, lexicons.is_common

    def lemma(word: str) -> str:
        looked_up.append(len(word))
        return real_lemma(word)

    def is_common(word: str) -> bool:
        looked_up.append(len(word))
        return real_common(word)

    monkeypatch.setattr(lexicons, "lemma", lemma)
    monkeypatch.setattr(lexicons, "is_common", is_common)
    options = KeywordOptions(lemmas=True, compounds=True)
    analyzer = SwedishAnalyzer(["granskning", "xxxx"], options)
    short = _split_work(analyzer, "x" * 2_000, monkeypatch)
    long = _split_work(
        SwedishAnalyzer(["granskning", "xxxx"], options), "x" * 3_000_000, monkeypatch
    )
    assert long == short
    assert looked_up and max(looked_up) <= MAX_COMPOUND  # only "granskning" was looked up
    terms = analyzer.terms("Granskning " + "x" * 3_000_000)
    assert len(terms) == 2 and len(terms[1]) == 3_000_000  # one token, stemmed once
    assert analyzer.terms("revisorerna") == ["revisor", "revis"]  # the lemma still counts


def test_a_long_word_is_one_token_and_left_out_of_the_vocabulary() -> None:
    word = "x" * 5_000
    index = BM25Index.build([f"Granskning {word}", "Granskning av kommunen"])
    assert word not in index.analyzer.vocabulary
    assert index.search(word, k=2)[0][0] == 0  # still searchable, as one token


def test_a_3_million_letter_word_does_not_stop_the_build(
    tmp_path: Path, fake_embedder: FakeEmbedder
) -> None:
    settings = _corpus(
        tmp_path, {"ord.txt": "Granskning " + "x" * 3_000_000 + "\n", "bra.txt": GOOD}
    )
    report = build_index(settings, embedder=fake_embedder)
    assert report.documents == 2
    r = Retriever.open(settings.index, embedder=fake_embedder, settings=settings)
    assert r.search("digitaliseringsstrategi", k=1)[0].chunk.doc == "bra.txt"
    assert max(len(c.text) for c in _chunks(r)) <= settings.max_chunk_chars


# ---------------------------------------------------------------- 2. encodings

REPORT = (
    "Mål och strategier för digitalisering\n\n"
    "Revisorerna bedömer att nämnderna saknar mål för digitaliseringen – även i år. "
    "Kommunstyrelsen ska följa upp arbetet och återrapportera till fullmäktige.\n"
)


def test_one_bad_byte_does_not_garble_a_utf8_file(tmp_path: Path) -> None:
    from assistant.ingest.loaders import load_file

    path = tmp_path / "rapport.txt"
    raw = REPORT.encode("utf-8")
    path.write_bytes(raw + b"\xff")
    loaded = load_file(path)
    assert loaded.text.startswith("Mål och strategier för digitalisering")
    assert "Ã" not in loaded.text and loaded.text.endswith("\ufffd")
    (warning,) = loaded.warnings
    assert "1 byte(s)" in warning and f"at byte {len(raw)}" in warning


def test_a_single_cp1252_dash_does_not_garble_a_utf8_file(tmp_path: Path) -> None:
    from assistant.ingest.loaders import load_file

    path = tmp_path / "rapport.txt"
    raw = REPORT.encode("utf-8")
    path.write_bytes(raw.replace("– även".encode(), b"\x96 \xe4ven", 1))
    loaded = load_file(path)
    assert "för digitalisering" in loaded.text and "Ã" not in loaded.text
    assert "\ufffd \ufffdven" in loaded.text  # the two bad bytes, marked, not guessed
    assert "2 byte(s)" in loaded.warnings[0]


def test_a_cp1252_file_is_still_read_as_cp1252(tmp_path: Path) -> None:
    from assistant.ingest.loaders import load_file

    path = tmp_path / "rapport.txt"
    path.write_bytes(REPORT.encode("cp1252"))
    loaded = load_file(path)
    assert loaded.text == REPORT and not loaded.warnings


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_text_is_read_with_or_without_bom(tmp_path: Path, encoding: str) -> None:
    from assistant.ingest.loaders import load_file

    path = tmp_path / "rapport.txt"
    path.write_bytes(REPORT.encode(encoding))  # "utf-16" writes a BOM, the others do not
    loaded = load_file(path)
    assert loaded.text == REPORT and not loaded.warnings


def test_decoding_warnings_reach_the_build_report(
    tmp_path: Path, fake_embedder: FakeEmbedder
) -> None:
    settings = _corpus(tmp_path, {"bra.txt": GOOD, "trasig.txt": REPORT.encode() + b"\xff"})
    report = build_index(settings, embedder=fake_embedder)
    assert report.documents == 2
    assert [name for name, _ in report.warnings] == ["trasig.txt"]


# ---------------------------------------------------------------- 5. links and odd files


def _names(report: object) -> dict[str, str]:
    return dict(getattr(report, "failed", []))


def test_links_out_of_the_corpus_are_not_followed(
    tmp_path: Path, fake_embedder: FakeEmbedder
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("Hemligt lösenord: hunter2 i granskningen.\n", encoding="utf-8")
    settings = _corpus(tmp_path, {"bra.txt": GOOD})
    (settings.corpus / "x.txt").symlink_to(secret)
    (settings.corpus / "passwd.txt").symlink_to("/etc/passwd")
    report = build_index(settings, embedder=fake_embedder)
    skipped = _names(report)
    assert "outside the corpus folder" in skipped["x.txt"]
    assert "outside the corpus folder" in skipped["passwd.txt"]
    r = Retriever.open(settings.index, embedder=fake_embedder, settings=settings)
    assert set(r.documents) == {"bra.txt"}
    assert not r.search("hunter2 lösenord", k=5, retriever="bm25")


def test_a_link_inside_the_corpus_is_followed(tmp_path: Path, fake_embedder: FakeEmbedder) -> None:
    settings = _corpus(tmp_path, {"bra.txt": GOOD})
    (settings.corpus / "kopia.txt").symlink_to(settings.corpus / "bra.txt")
    report = build_index(settings, embedder=fake_embedder)
    assert report.documents == 2 and not report.failed


def test_loops_dangling_links_fifos_and_devices_are_skipped_with_a_warning(
    tmp_path: Path, fake_embedder: FakeEmbedder
) -> None:
    settings = _corpus(tmp_path, {"bra.txt": GOOD})
    corpus = settings.corpus
    (corpus / "loop-a.txt").symlink_to(corpus / "loop-b.txt")
    (corpus / "loop-b.txt").symlink_to(corpus / "loop-a.txt")
    (corpus / "borta.txt").symlink_to(corpus / "finns-inte.txt")
    (corpus / "noll.txt").symlink_to("/dev/zero")
    (corpus / "mapp").symlink_to("/etc")
    os.mkfifo(corpus / "pipe.txt")
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(corpus / "sock.txt"))
        report = build_index(settings, embedder=fake_embedder)
    skipped = _names(report)
    assert "loop" in skipped["loop-a.txt"] and "loop" in skipped["loop-b.txt"]
    assert "missing file" in skipped["borta.txt"]
    assert "outside the corpus folder" in skipped["noll.txt"]
    assert "link to a folder" in skipped["mapp"]
    assert "FIFO" in skipped["pipe.txt"] and "socket" in skipped["sock.txt"]
    assert report.documents == 1


def test_the_loader_never_blocks_on_a_fifo(tmp_path: Path) -> None:
    from assistant.errors import DocumentError
    from assistant.ingest.loaders import load_file

    os.mkfifo(tmp_path / "pipe.txt")
    with pytest.raises(DocumentError, match="not a regular file"):
        load_file(tmp_path / "pipe.txt")


def test_a_file_name_that_is_not_utf8_is_skipped_not_fatal(
    tmp_path: Path, fake_embedder: FakeEmbedder
) -> None:
    settings = _corpus(tmp_path, {"bra.txt": GOOD})
    bad = os.path.join(os.fsencode(settings.corpus), b"rapport-\xff.txt")
    with open(bad, "wb") as f:
        f.write(GOOD.encode())
    report = build_index(settings, embedder=fake_embedder)
    assert report.documents == 1
    ((_, reason),) = report.failed
    assert "not valid UTF-8" in reason


# ---------------------------------------------------------------- 6. size limits


def _bomb(path: Path, megabytes: int) -> None:
    """A .docx whose document.xml unpacks to ``megabytes`` MB but compresses to little."""
    import zipfile

    import docx

    document = docx.Document()
    document.add_paragraph("Granskning av digitalisering")
    document.save(str(path))
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    xml = parts["word/document.xml"].decode()
    filler = "<w:p><w:r><w:t>" + "x" * 1000 + "</w:t></w:r></w:p>"
    xml = xml.replace("<w:sectPr", filler * (megabytes * 1000) + "<w:sectPr", 1)
    parts["word/document.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


def test_a_docx_that_unpacks_to_too_much_is_skipped(
    tmp_path: Path, fake_embedder: FakeEmbedder
) -> None:
    settings = _corpus(tmp_path, {"bra.txt": GOOD})
    _bomb(settings.corpus / "bomb.docx", megabytes=12)
    assert (settings.corpus / "bomb.docx").stat().st_size < 200_000
    settings = settings.model_copy(update={"max_document_mb": 10})
    report = build_index(settings, embedder=fake_embedder)
    assert report.documents == 1
    (reason,) = [r for n, r in report.failed if n == "bomb.docx"]
    assert "unpacks to 12" in reason and "10 MB limit" in reason


def test_a_text_file_over_the_limit_is_skipped(tmp_path: Path, fake_embedder: FakeEmbedder) -> None:
    settings = _corpus(tmp_path, {"bra.txt": GOOD, "stor.txt": GOOD * 20_000})
    settings = settings.model_copy(update={"max_document_mb": 1})
    report = build_index(settings, embedder=fake_embedder)
    assert report.documents == 1 and "1 MB limit" in _names(report)["stor.txt"]


def test_a_sentence_that_never_ends_is_cut_into_bounded_chunks(
    tmp_path: Path, fake_embedder: FakeEmbedder
) -> None:
    words = " ".join(f"ord{i}" for i in range(60_000))
    settings = _corpus(tmp_path, {"lång.txt": f"Granskning\n\n{words}\n", "bra.txt": GOOD})
    report = build_index(settings, embedder=fake_embedder)
    assert [name for name, _ in report.warnings] == ["lång.txt"]
    assert "were cut into pieces" in report.warnings[0][1]
    r = Retriever.open(settings.index, embedder=fake_embedder, settings=settings)
    long = [c for c in _chunks(r) if c.doc == "lång.txt"]
    assert max(len(c.text) for c in long) <= settings.max_chunk_chars
    text = r.documents["lång.txt"].text
    assert all(text[c.start : c.end] == c.text for c in long)
    assert all(not c.text[0].isspace() and not c.text[-1].isspace() for c in long)
    covered = " ".join(c.text for c in long).split()
    assert covered == text.split()  # nothing lost, no word split

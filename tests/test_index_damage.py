"""A damaged index folder: no dead end, no traceback, no silent wrong result, no reading
outside the folder; races between readers and builds; full disks and read-only folders.

Every damage kind of the fault run (issue 14) is applied to a fresh build. Then opening
the index must fail with a clean message (or give exactly the right results), plain
``granska index`` must notice and repair it, and ``index --full`` must always rebuild.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from conftest import FakeEmbedder, write_corpus

from assistant.errors import GranskaError, IndexFolderError
from assistant.indexing import build_index, cache_folder
from assistant.search.embed_cache import EmbeddingCache
from assistant.search.retriever import Retriever
from assistant.settings import Settings
from assistant.store import folder as store

DOCS = {
    f"{place.lower()}-{year}-granskning.txt": (
        f"Granskning av digitalisering\n\n{place} kommun\n\nSammanfattning\n\n"
        f"Revisorerna i {place} bedömer att kommunstyrelsen {verb} en digitaliseringsstrategi. "
        f"Socialnämnden har {what} för digitalisering och e-tjänster.\n\n"
        f"Rekommendationer\n\nKommunstyrelsen bör följa upp {topic} årligen. "
        f"Utbildningsnämnden har inte genomfört någon riskanalys av {topic}.\n"
    )
    for place, year, verb, what, topic in [
        ("Alfa", 2021, "saknar", "ingen handlingsplan", "informationssäkerheten"),
        ("Beta", 2022, "har", "en tydlig plan", "verksamhetssystemen"),
        ("Gamma", 2023, "delvis har", "mål men inga aktiviteter", "e-arkivet"),
        ("Delta", 2020, "saknar", "inga mätbara mål", "upphandlingen av IT"),
    ]
}
QUERIES = [
    ("riskanalys av verksamhetssystemen", "hybrid"),
    ("handlingsplan för digitalisering", "bm25"),
    ("mål för e-tjänster", "dense"),
    ("informationssäkerheten i Alfa", "hybrid"),
]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    corpus = write_corpus(tmp_path / "corpus", DOCS)
    return Settings(corpus=corpus, index=tmp_path / "index", chunk_words=20)


def _open(settings: Settings) -> Retriever:
    return Retriever.open(settings.index, embedder=FakeEmbedder(), settings=settings)


def results(settings: Settings) -> list[list[tuple[str, int, int, float]]]:
    r = _open(settings)
    return [
        [
            (h.chunk.doc, h.chunk.start, h.chunk.end, round(h.score, 5))
            for h in r.search(q, k=5, retriever=kind)
        ]
        for q, kind in QUERIES
    ]


@pytest.fixture
def baseline(settings: Settings) -> list[list[tuple[str, int, int, float]]]:
    build_index(settings, embedder=FakeEmbedder())
    return results(settings)


def live(settings: Settings) -> Path:
    build = store.current_build(settings.index)
    assert build is not None
    return build


# ---------------------------------------------------------------- damage kinds


def _lines_edit(rel: str, edit: Callable[[list[str]], list[str]]) -> Callable[[Settings], None]:
    def damage(settings: Settings) -> None:
        path = live(settings) / rel
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        path.write_text("".join(edit(lines)), encoding="utf-8")

    return damage


def _swap(lines: list[str]) -> list[str]:
    return [lines[1], lines[0], *lines[2:]]


def _shift_text(lines: list[str]) -> list[str]:
    doc = json.loads(lines[0])
    doc["text"] = " " + doc["text"][:-1]  # same length, every offset now one off
    return [json.dumps(doc, ensure_ascii=False) + "\n", *lines[1:]]


def _vectors(edit: Callable[[np.ndarray], np.ndarray]) -> Callable[[Settings], None]:
    def damage(settings: Settings) -> None:
        import faiss

        path = live(settings) / "vectors" / "vectors.faiss"
        index = faiss.read_index(str(path))
        x = index.reconstruct_n(0, index.ntotal)
        fresh = faiss.IndexFlatIP(index.d)
        fresh.add(np.ascontiguousarray(edit(x.copy()), dtype=np.float32))
        faiss.write_index(fresh, str(path))

    return damage


def _shuffle_rows(x: np.ndarray) -> np.ndarray:
    return x[np.random.default_rng(1).permutation(len(x))]


def _nan_row(x: np.ndarray) -> np.ndarray:
    x[3] = np.nan
    return x


def _bm25(edit: Callable[[Path], None]) -> Callable[[Settings], None]:
    return lambda settings: edit(live(settings) / "bm25")


def _indices_out_of_range(folder: Path) -> None:
    path = folder / "indices.csc.index.npy"
    a = np.load(path)
    a[0] = 10_000
    np.save(path, a)


def _remap_ids(folder: Path) -> None:
    path = folder / "indices.csc.index.npy"
    a = np.load(path)
    n = int(a.max()) + 1
    np.save(path, np.roll(np.arange(n), 1)[a].astype(a.dtype))


def _params(**changes: object) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        path = folder / "params.index.json"
        params = json.loads(path.read_text())
        params.update(changes)
        path.write_text(json.dumps(params))

    return edit


def _keywords(**options: object) -> Callable[[Path], None]:
    """Another keyword-options record (issue 11's lemmas/compounds) in ``analyzer.json``:
    the keyword index would be searched with options it was not built with."""

    def edit(folder: Path) -> None:
        path = folder / "analyzer.json"
        meta = json.loads(path.read_text(encoding="utf-8"))
        assert meta["keywords"] != options
        meta["keywords"] = options
        path.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")

    return edit


def _current(content: bytes) -> Callable[[Settings], None]:
    return lambda settings: (settings.index / store.CURRENT).write_bytes(content)


def _current_dir(settings: Settings) -> None:
    (settings.index / store.CURRENT).unlink()
    (settings.index / store.CURRENT / "x").mkdir(parents=True)


def _link(rel: str, target: str) -> Callable[[Settings], None]:
    def damage(settings: Settings) -> None:
        path = live(settings) / rel if rel != store.CURRENT else settings.index / rel
        path.unlink()
        path.symlink_to(target)

    return damage


def _manifest(text: str) -> Callable[[Settings], None]:
    return lambda settings: (live(settings) / "manifest.json").write_text(text)


DAMAGE: dict[str, Callable[[Settings], None]] = {
    "CURRENT empty": _current(b""),
    "CURRENT names a missing build": _current(b"b-20990101-000000-000000-1\n"),
    "CURRENT ../x": _current(b"../x\n"),
    "CURRENT /etc": _current(b"/etc\n"),
    "CURRENT random bytes": _current(bytes(range(256)) * 4),
    "CURRENT a folder": _current_dir,
    "CURRENT a link to /etc/passwd": _link(store.CURRENT, "/etc/passwd"),
    "manifest.json garbage": _manifest("{not json"),
    "manifest.json truncated": lambda s: (live(s) / "manifest.json").write_bytes(
        (live(s) / "manifest.json").read_bytes()[:100]
    ),
    "manifest.json a link to /dev/zero": _link("manifest.json", "/dev/zero"),
    "manifest.json n_chunks changed": lambda s: (live(s) / "manifest.json").write_text(
        (live(s) / "manifest.json").read_text().replace('"n_chunks": ', '"n_chunks": 1', 1)
    ),
    "chunks.jsonl a link to /dev/zero": _link("chunks.jsonl", "/dev/zero"),
    "vectors.faiss a link to /dev/zero": _link("vectors/vectors.faiss", "/dev/zero"),
    "bm25 data a link to /dev/zero": _link("bm25/data.csc.index.npy", "/dev/zero"),
    "chunks.jsonl line dropped": _lines_edit("chunks.jsonl", lambda ls: ls[1:]),
    "chunks.jsonl line duplicated": _lines_edit("chunks.jsonl", lambda ls: [ls[0], *ls[:-1]]),
    "chunks.jsonl lines swapped": _lines_edit("chunks.jsonl", _swap),
    "documents.jsonl line dropped": _lines_edit("documents.jsonl", lambda ls: ls[1:]),
    "findings.jsonl line dropped": _lines_edit("findings.jsonl", lambda ls: ls[1:]),
    "documents.jsonl text shifted": _lines_edit("documents.jsonl", _shift_text),
    "vectors.faiss rows shuffled": _vectors(_shuffle_rows),
    "vectors.faiss NaN row": _vectors(_nan_row),
    "bm25 indices out of range": _bm25(_indices_out_of_range),
    "bm25 ids remapped": _bm25(_remap_ids),
    "bm25 backend numba": _bm25(_params(backend="numba")),
    "bm25 wrong num_docs": _bm25(_params(num_docs=3)),
    "bm25 keyword options changed": _bm25(_keywords(lemmas=False, compounds=False)),
    "bm25 keyword record deleted": lambda s: (live(s) / "bm25" / "analyzer.json").unlink(),
    "bm25 keyword record a link to /dev/zero": _link("bm25/analyzer.json", "/dev/zero"),
    "build folder gone": lambda s: shutil.rmtree(live(s)),
}


@pytest.mark.parametrize("kind", list(DAMAGE))
def test_damage_is_a_clean_error_then_plain_index_repairs_it(
    settings: Settings, baseline: list[list[tuple[str, int, int, float]]], kind: str
) -> None:
    DAMAGE[kind](settings)
    with pytest.raises(IndexFolderError) as caught:
        results(settings)
    message = str(caught.value)
    assert "granska index" in message and "\n" not in message
    assert "root:x:0:0" not in message  # never echoes what a link points at
    report = build_index(settings, embedder=FakeEmbedder())
    assert not report.noop and report.repaired
    assert results(settings) == baseline
    again = build_index(settings, embedder=FakeEmbedder())
    assert again.noop and not again.repaired
    assert Path("/etc/passwd").exists()


@pytest.mark.parametrize("kind", list(DAMAGE))
def test_index_full_rebuilds_whatever_the_damage(
    settings: Settings, baseline: list[list[tuple[str, int, int, float]]], kind: str
) -> None:
    DAMAGE[kind](settings)
    report = build_index(settings, embedder=FakeEmbedder(), full=True)
    assert report.documents == len(DOCS)
    assert results(settings) == baseline


def test_nothing_outside_the_index_folder_is_read_or_deleted(
    settings: Settings, baseline: object, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    (outside / "b-keep").mkdir(parents=True)
    secret = outside / "secret.txt"
    secret.write_text("hemlig rad 1\nhemlig rad 2\n")
    root = settings.index
    (root / store.CURRENT).unlink()
    (root / store.CURRENT).symlink_to(secret)
    (root / "b-link").symlink_to(outside / "b-keep")
    (root / "cache-link-target").mkdir()
    with pytest.raises(IndexFolderError) as caught:
        _open(settings)
    assert "hemlig" not in str(caught.value)
    build_index(settings, embedder=FakeEmbedder(), full=True)
    assert secret.read_text() == "hemlig rad 1\nhemlig rad 2\n"
    assert (outside / "b-keep").is_dir()
    assert not (root / "b-link").exists() and not (root / "b-link").is_symlink()


def test_lock_a_folder_and_cache_a_file_are_repaired(settings: Settings, baseline: object) -> None:
    root = settings.index
    (root / store.LOCK).unlink()
    (root / store.LOCK).mkdir()
    shutil.rmtree(root / "cache")
    (root / "cache").write_text("not a folder")
    report = build_index(settings, embedder=FakeEmbedder(), full=True)
    assert report.documents == len(DOCS) and report.embedded > 0
    assert results(settings) == baseline
    assert (root / store.LOCK).is_file() and (root / "cache").is_dir()


def _cache_files(settings: Settings) -> tuple[Path, Path]:
    cache = EmbeddingCache(cache_folder(settings), FakeEmbedder().model_id, FakeEmbedder().dim)
    return cache.folder / "vectors.f32", cache.folder / "keys.jsonl"


def test_nan_cache_vectors_are_embedded_again(
    settings: Settings, baseline: list[list[tuple[str, int, int, float]]]
) -> None:
    vectors, _ = _cache_files(settings)
    x = np.fromfile(vectors, dtype="<f4")
    x[: 64 * 3] = np.nan
    x.tofile(vectors)
    report = build_index(settings, embedder=FakeEmbedder(), full=True)
    assert report.embedded == 3
    assert any("damaged cached embedding" in w for _, w in report.warnings)
    assert results(settings) == baseline


def test_swapped_cache_keys_never_give_wrong_vectors(
    settings: Settings, baseline: list[list[tuple[str, int, int, float]]]
) -> None:
    _, keys = _cache_files(settings)
    lines = keys.read_text().splitlines(keepends=True)
    keys.write_text("".join([lines[1], lines[0], *lines[2:]]))
    report = build_index(settings, embedder=FakeEmbedder(), full=True)
    assert report.embedded == 2
    assert results(settings) == baseline


def test_an_index_from_before_checksums_opens_and_is_upgraded(
    settings: Settings, baseline: list[list[tuple[str, int, int, float]]]
) -> None:
    path = live(settings) / "manifest.json"
    old = json.loads(path.read_text())
    old["schema_version"] = 1
    del old["files"], old["checksum"]
    path.write_text(json.dumps(old))
    assert results(settings) == baseline  # today's indexes still open
    report = build_index(settings, embedder=FakeEmbedder())
    assert report.repaired and "older Granska" in report.repaired and report.embedded == 0
    assert store.read_manifest(live(settings)).files
    assert build_index(settings, embedder=FakeEmbedder()).noop


# ---------------------------------------------------------------- races


def test_a_build_never_deletes_a_build_a_reader_is_loading(
    settings: Settings, baseline: object
) -> None:
    old = live(settings)
    (settings.corpus / "nytt-2024.txt").write_text(DOCS["alfa-2021-granskning.txt"] + "Ny.\n")
    with store.reading(old):
        build_index(settings, embedder=FakeEmbedder())
        assert live(settings) != old and (old / "chunks.jsonl").exists()
    (settings.corpus / "nytt-2024.txt").unlink()
    build_index(settings, embedder=FakeEmbedder())
    assert not old.exists()


def test_a_reader_that_loses_the_race_retries_on_the_new_build(
    settings: Settings, baseline: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build the reader resolved is replaced and deleted before it can lock it."""
    real_reading = store.reading
    calls = 0

    def racing(build: Path):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        if calls == 1:
            (settings.corpus / "nytt-2024.txt").write_text("Granskning av e-arkiv i Epsilon.\n")
            build_index(settings, embedder=FakeEmbedder())
            shutil.rmtree(build, ignore_errors=True)
        return real_reading(build)

    monkeypatch.setattr(store, "reading", racing)
    r = _open(settings)
    assert calls == 2 and "nytt-2024.txt" in r.documents


_READERS = textwrap.dedent(
    """
    import os, sys, time
    from pathlib import Path
    sys.path.insert(0, {tests!r})
    from conftest import FakeEmbedder
    from assistant.search.retriever import Retriever
    from assistant.settings import Settings

    settings = Settings(corpus=Path({corpus!r}), index=Path({index!r}))
    stop = Path({stop!r})
    opened = failed = 0
    errors = set()
    while not stop.exists():
        try:
            Retriever.open(settings.index, embedder=FakeEmbedder(), settings=settings)
            opened += 1
            Path({ready!r} + str(os.getpid())).touch()
        except Exception as e:
            failed += 1
            errors.add(f"{{type(e).__name__}}: {{e}}"[:200])
    print(opened, failed, sorted(errors))
    """
)


def test_no_open_fails_while_builds_replace_each_other(
    settings: Settings, baseline: object, tmp_path: Path
) -> None:
    big = "\n\n".join(
        f"Stycke {i}: revisorerna granskar nämndernas arbete med digitalisering nummer {i}."
        for i in range(400)
    )
    (settings.corpus / "stor-2024.txt").write_text(f"Granskning\n\n{big}\n")
    build_index(settings, embedder=FakeEmbedder())
    stop = tmp_path / "stop"
    code = _READERS.format(
        tests=str(Path(__file__).parent),
        corpus=str(settings.corpus),
        index=str(settings.index),
        stop=str(stop),
        ready=str(tmp_path / "ready-"),
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)}
    readers = [
        subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    try:
        deadline = time.monotonic() + 180  # both readers have opened once (a busy machine)
        while len(list(tmp_path.glob("ready-*"))) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        for i in range(12):
            (settings.corpus / "ändras.txt").write_text(f"Granskning nummer {i} av arkivet.\n")
            build_index(settings, embedder=FakeEmbedder())
    finally:
        stop.touch()
    outputs = [p.communicate(timeout=120)[0].strip() for p in readers]
    for out in outputs:
        opened, failed, errors = out.split(" ", 2)
        assert int(failed) == 0, errors
        assert int(opened) > 0


def test_opening_while_building_in_threads(settings: Settings, baseline: object) -> None:
    failures: list[str] = []
    done = threading.Event()

    def reader() -> None:
        while not done.is_set():
            try:
                _open(settings)
            except GranskaError as e:
                failures.append(str(e))

    threads = [threading.Thread(target=reader) for _ in range(2)]
    for t in threads:
        t.start()
    try:
        for i in range(8):
            (settings.corpus / "ändras.txt").write_text(f"Granskning nummer {i} av arkivet.\n")
            build_index(settings, embedder=FakeEmbedder())
    finally:
        done.set()
        for t in threads:
            t.join()
    assert not failures


# ---------------------------------------------------------------- full disk, read-only


def _previous_still_usable(settings: Settings, before: object) -> None:
    assert results(settings) == before
    builds = [p for p in settings.index.iterdir() if p.name.startswith(store.BUILD_PREFIX)]
    assert builds == [live(settings)]  # the unfinished build was cleaned up


def _change(settings: Settings) -> None:
    (settings.corpus / "ny-2024.txt").write_text("Granskning av e-arkiv i Epsilon kommun.\n")


@pytest.mark.parametrize("where", ["jsonl", "faiss", "cache"])
def test_a_full_disk_is_one_line_with_the_space_needed(
    settings: Settings, baseline: object, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    import faiss

    from assistant.search import embed_cache, vectors

    _change(settings)
    full = OSError(errno.ENOSPC, "No space left on device")
    if where == "jsonl":
        monkeypatch.setattr(store, "write_jsonl", lambda *a: (_ for _ in ()).throw(full))
    elif where == "faiss":

        def write_error(*args: object) -> None:
            raise RuntimeError("Error in faiss::FileIOWriter: write error")

        monkeypatch.setattr(faiss, "write_index", write_error)
        monkeypatch.setattr(vectors, "_disk_full", lambda folder: True)
    else:
        monkeypatch.setattr(embed_cache, "_sync", lambda f: (_ for _ in ()).throw(full))
    with pytest.raises(IndexFolderError) as caught:
        build_index(settings, embedder=FakeEmbedder())
    message = str(caught.value)
    assert "disk is full" in message and "needs about" in message and "MB" in message
    assert str(settings.index) in message and "\n" not in message
    monkeypatch.undo()
    _previous_still_usable(settings, baseline)


def test_a_read_only_index_folder_is_one_clear_line(
    settings: Settings, baseline: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    def read_only(root: Path) -> int:
        raise OSError(errno.EROFS, "Read-only file system", str(root / store.LOCK))

    monkeypatch.setattr(store, "_open_lock", read_only)
    with pytest.raises(IndexFolderError, match="read-only"):
        build_index(settings, embedder=FakeEmbedder())
    assert results(settings) == baseline  # reading needs no write access


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write into a read-only folder")
def test_a_really_read_only_index_folder(settings: Settings, baseline: object) -> None:
    mode = settings.index.stat().st_mode
    (settings.index / store.LOCK).unlink()
    os.chmod(settings.index, 0o555)
    try:
        with pytest.raises(IndexFolderError, match="read-only"):
            build_index(settings, embedder=FakeEmbedder())
        assert results(settings) == baseline
    finally:
        os.chmod(settings.index, mode)


def test_the_keyword_record_is_never_read_through_a_link(
    settings: Settings, baseline: object, tmp_path: Path
) -> None:
    """``granska index`` and ``index --status`` compare the keyword options recorded in
    ``bm25/analyzer.json`` with the settings: a link there (to /dev/zero it never ends) is
    not followed, the record counts as unreadable."""
    from assistant.search.bm25 import stored_keywords

    folder = live(settings) / "bm25"
    record = stored_keywords(folder)
    assert record is not None
    outside = tmp_path / "outside.json"
    outside.write_bytes((folder / "analyzer.json").read_bytes())
    (folder / "analyzer.json").unlink()
    (folder / "analyzer.json").symlink_to(outside)
    assert stored_keywords(folder) is None


def test_a_build_removed_between_two_reads_of_current_is_followed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rebuild moved CURRENT on and removed the build it named between reading CURRENT
    and opening the build: the reader follows CURRENT to the new build."""
    from assistant.store import folder as store

    live = tmp_path / "b-20261126-120000-000000-1"
    live.mkdir()
    names = iter(["b-20261126-110000-000000-1", live.name])
    monkeypatch.setattr(store, "current_name", lambda root: next(names))
    assert store.current_build(tmp_path) == live


def test_current_naming_the_same_missing_build_twice_is_damage(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant.store import folder as store

    monkeypatch.setattr(store, "current_name", lambda root: "b-20261126-110000-000000-1")
    with pytest.raises(IndexFolderError, match="points at a missing build"):
        store.current_build(tmp_path)

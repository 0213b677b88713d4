"""Read scanned PDF pages with Tesseract (Swedish), once per file.

Tesseract is run as its command-line program (Debian packages ``tesseract-ocr`` and
``tesseract-ocr-swe``; Apache-2.0) on each page rendered by pdfium, and its TSV output
gives positioned words, so ``layout`` treats a scan like a text layer. OCR takes seconds
per page: the words are cached by the file's SHA-256 in the index folder's cache (next to
the embeddings), each page as it is done, and progress is reported per page.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from assistant.errors import DocumentError
from assistant.ingest.page_words import Word

LANGUAGE = "swe"
PACKAGES = "tesseract-ocr tesseract-ocr-swe"
MISSING = (
    "has no text layer (scanned) and Tesseract OCR with Swedish is not installed; "
    f"install it (Debian/Ubuntu: apt-get install {PACKAGES}) and index again"
)
_CACHE_VERSION = 1
_TIMEOUT = 300


@dataclass(frozen=True)
class OcrOptions:
    """Where OCR results are cached and who hears about progress.

    Attributes:
        cache: Folder for the cached words (``None``: no cache).
        progress: Called with (pages done, pages to read) for each scanned file.
        dpi: Resolution the pages are rendered at for Tesseract.
    """

    cache: Path | None = None
    progress: Callable[[int, int], None] | None = None
    dpi: int = 300
    language: str = LANGUAGE


@lru_cache(maxsize=1)
def _languages() -> frozenset[str]:
    exe = shutil.which("tesseract")
    if exe is None:
        return frozenset()
    try:
        done = subprocess.run(
            [exe, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    lines = (done.stdout + done.stderr).splitlines()
    return frozenset(ln.strip() for ln in lines if ln.strip() and " " not in ln.strip())


def available(language: str = LANGUAGE) -> bool:
    """Tesseract is installed with the language's data."""
    return language in _languages()


def read_pages(
    pdf: object, numbers: Sequence[int], raw: bytes, options: OcrOptions
) -> dict[int, list[Word]]:
    """OCR words of the given 1-based pages, from the cache when this file was read before.

    Raises:
        DocumentError: Tesseract failed on a page (the message says which and why).
    """
    digest = hashlib.sha256(raw).hexdigest()
    cache_file = (
        options.cache / f"{digest}-{options.language}-{options.dpi}.json"
        if options.cache is not None
        else None
    )
    stored = _load(cache_file)
    result: dict[int, list[Word]] = {}
    todo = [n for n in numbers if str(n) not in stored]
    total = len(numbers)
    done = total - len(todo)
    for n in numbers:
        if str(n) in stored:
            result[n] = [_word(row) for row in stored[str(n)]]
    if options.progress and todo:
        options.progress(done, total)
    for n in todo:
        page = pdf[n - 1]  # type: ignore[index]
        try:
            words = _ocr_page(page, options)
        finally:
            page.close()
        result[n] = words
        stored[str(n)] = [_row(w) for w in words]
        _save(cache_file, stored)
        done += 1
        if options.progress:
            options.progress(done, total)
    return result


def _ocr_page(page: object, options: OcrOptions) -> list[Word]:
    bitmap = page.render(scale=options.dpi / 72, grayscale=True)  # type: ignore[attr-defined]
    image = _pgm(bitmap)
    exe = shutil.which("tesseract") or "tesseract"
    env = {**os.environ, "OMP_THREAD_LIMIT": os.environ.get("OMP_THREAD_LIMIT", "1")}
    try:
        done = subprocess.run(
            [exe, "stdin", "stdout", "-l", options.language, "--dpi", str(options.dpi), "tsv"],
            input=image,
            capture_output=True,
            timeout=_TIMEOUT,
            check=False,
            env=env,
        )
    except (OSError, subprocess.SubprocessError) as e:
        raise DocumentError("tesseract", f"OCR failed ({e}); check the Tesseract install") from e
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise DocumentError(
            "tesseract", f"OCR failed ({reason[-1] if reason else done.returncode})"
        )
    return parse_tsv(done.stdout.decode("utf-8", "replace"), 72 / options.dpi)


def _pgm(bitmap: object) -> bytes:
    """A grey pdfium bitmap as a binary PGM image, which Tesseract reads (no Pillow)."""
    import numpy as np

    width, height = bitmap.width, bitmap.height  # type: ignore[attr-defined]
    stride, channels = bitmap.stride, bitmap.n_channels  # type: ignore[attr-defined]
    rows = np.frombuffer(bitmap.buffer, dtype=np.uint8).reshape(height, stride)  # type: ignore[attr-defined]
    grey = rows[:, : width * channels : channels] if channels > 1 else rows[:, :width]
    return f"P5\n{width} {height}\n255\n".encode("ascii") + np.ascontiguousarray(grey).tobytes()


def parse_tsv(tsv: str, scale: float) -> list[Word]:
    """Tesseract's TSV as words in points; a line's words share its bottom as baseline."""
    lines: dict[tuple[int, int, int], tuple[float, float]] = {}
    rows = [r.split("\t") for r in tsv.splitlines()[1:]]
    for r in rows:
        if len(r) >= 12 and r[0] == "4":
            top, height = float(r[7]), float(r[9])
            lines[(int(r[2]), int(r[3]), int(r[4]))] = (top, top + height)
    words: list[Word] = []
    ids: dict[tuple[int, int, int], int] = {}
    for r in rows:
        if len(r) < 12 or r[0] != "5" or not r[11].strip():
            continue
        key = (int(r[2]), int(r[3]), int(r[4]))
        left, top, width, height = (float(v) for v in r[6:10])
        line_top, line_bottom = lines.get(key, (top, top + height))
        size = max((line_bottom - line_top) * scale * 0.8, 4.0)
        words.append(
            Word(
                r[11].strip(),
                left * scale,
                (left + width) * scale,
                top * scale,
                (top + height) * scale,
                line_bottom * scale,
                size,
                line=ids.setdefault(key, len(ids)),
            )
        )
    return words


def _row(w: Word) -> list[object]:
    return [w.text, w.x0, w.x1, w.top, w.bottom, w.baseline, w.size, w.line]


def _word(row: list[object]) -> Word:
    text, x0, x1, top, bottom, baseline, size, line = row
    return Word(
        str(text),
        float(x0),  # type: ignore[arg-type]
        float(x1),  # type: ignore[arg-type]
        float(top),  # type: ignore[arg-type]
        float(bottom),  # type: ignore[arg-type]
        float(baseline),  # type: ignore[arg-type]
        float(size),  # type: ignore[arg-type]
        line=None if line is None else int(line),  # type: ignore[call-overload]
    )


def _load(path: Path | None) -> dict[str, list[list[object]]]:
    if path is None or not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != _CACHE_VERSION:
        return {}
    pages = data.get("pages")
    return pages if isinstance(pages, dict) else {}


def _save(path: Path | None, pages: dict[str, list[list[object]]]) -> None:
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"version": _CACHE_VERSION, "pages": pages}), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass  # a cache that cannot be written only costs time

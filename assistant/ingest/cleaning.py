"""Conversion leftovers out of the text that is indexed; the displayed text is untouched.

The reports were converted from PDF/Word and carry markdown emphasis, links, HTML tags in
table cells, footnote superscripts glued to words, running page headers and minutes
furniture. ``clean_for_index`` removes them from a passage's *index* text; chunk spans
always point into the original document text, so citations stay exact.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_LINK = re.compile(r"\[([^\]\n]*)\]\([^)\n]*\)")
_AUTOLINK = re.compile(r"<(https?://[^>\s]+)>")
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_BOLD = re.compile(r"\*\*|__")
_ITALIC = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
_FOOTNOTE = re.compile(rf"(?<=[^\s{SUPERSCRIPTS}])[{SUPERSCRIPTS}]+|^[{SUPERSCRIPTS}]+\s*", re.M)
_ENTITY = re.compile(r"&(nbsp|amp|lt|gt|quot);")
_ENTITIES = {"nbsp": " ", "amp": "&", "lt": "<", "gt": ">", "quot": '"'}
_OCR = {"lakttagelser": "Iakttagelser", "lakttagelse": "Iakttagelse"}
_OCR_WORD = re.compile(r"\b(" + "|".join(_OCR) + r")\b")
_SPACES = re.compile(r"[ \t\u00a0]+")

_FURNITURE = re.compile(
    r"^(?:justerandes\s+sign(?:atur)?|utdragsbestyrkande|xxx+|[-–_=\s|]{3,}|"
    r"sid(?:a|an)?\s*\d+(?:\s*(?:av|\(|/)\s*\d+\)?)?|page\s+\d+(?:\s+of\s+\d+)?|\d{1,3}(?:\s*\(\d+\))?)$",
    re.IGNORECASE,
)
_HAS_DIGIT = re.compile(r"\d")


def clean_for_index(text: str) -> str:
    """Text to embed and index: markup, tags, footnote marks and OCR slips removed.

    Tabs (table cells) become `` | ``; other whitespace runs fold to one space per line.
    """
    text = _LINK.sub(r"\1", text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _TAG.sub(" ", text)
    text = _ENTITY.sub(lambda m: _ENTITIES[m.group(1)], text)
    text = _BOLD.sub("", text)
    text = _ITALIC.sub(r"\1", text)
    text = _FOOTNOTE.sub("", text)
    text = _OCR_WORD.sub(lambda m: _OCR[m.group(1)], text)
    lines = []
    for line in text.split("\n"):
        if is_furniture(line):
            continue
        cells = [_SPACES.sub(" ", c).strip() for c in line.split("\t")]
        joined = " | ".join(c for c in cells if c)
        if joined:
            lines.append(joined)
    return "\n".join(lines)


def is_furniture(line: str) -> bool:
    """Minutes furniture, separator rows, stray page numbers and placeholders."""
    stripped = line.strip().strip("\t")
    return bool(stripped) and bool(_FURNITURE.match(" ".join(stripped.split())))


def running_headers(lines: Iterable[str], min_repeats: int = 3) -> frozenset[str]:
    """Short lines that repeat on many pages and carry a number or date (page headers).

    Only lines with a digit qualify, so repeated headings and board names are kept.
    """
    counts = Counter(" ".join(line.split()) for line in lines)
    return frozenset(
        line
        for line, n in counts.items()
        if n >= min_repeats
        and 0 < len(line) <= 80
        and _HAS_DIGIT.search(line)
        and not line.endswith((".", ":", "?"))
    )


def fix_ocr(text: str) -> str:
    return _OCR_WORD.sub(lambda m: _OCR[m.group(1)], text)

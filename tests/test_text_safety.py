"""text_safety: control characters made visible, JSON always UTF-8; the export's Markdown
renders every special character as written."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt

from assistant.answer.export import markdown_text, strip_html
from assistant.text_safety import (
    from_argv,
    has_unsafe,
    json_text,
    safe_name,
    safe_text,
)

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


# ---------------------------------------------------------------- the core functions


def test_safe_text_replaces_each_control_character_by_one_visible_character() -> None:
    every = "".join(chr(c) for c in range(0x00, 0xA0)) + "\ud8ff"
    shown = safe_text(every)
    assert len(shown) == len(every)
    assert not CONTROL.search(shown) and not has_unsafe(shown)
    assert "\t" in shown and "\n" in shown  # kept in text
    assert shown[0x1B] == "␛" and shown[0x07] == "␇" and shown[0x7F] == "␡"
    assert shown[0x9B] == "\ufffd" and shown[-1] == "\ufffd"
    assert safe_text("abc åäö – ”citat”") == "abc åäö – ”citat”"
    name = safe_name("a\tb\nc\x1b")
    assert name == "a␉b␊c␛" and "\n" not in name


def test_json_text_is_valid_utf8_without_raw_controls() -> None:
    text = json_text({"q": "fråga \udcff \x1b[31m \x9b \x7f \u2028 slut", "\udcfe": 1})
    data = text.encode("utf-8")  # would raise on a lone surrogate
    assert not CONTROL.search(text)
    back = json.loads(data.decode("utf-8"))
    assert back["q"] == "fråga \ufffd \x1b[31m \x9b \x7f \u2028 slut"
    assert back["\ufffd"] == 1


def test_from_argv_turns_undecodable_bytes_into_replacement_characters() -> None:
    raw = "fråga \xff?".encode("utf-8", "surrogateescape")
    assert from_argv(b"kommun \xff?".decode("utf-8", "surrogateescape")) == "kommun \ufffd?"
    assert from_argv("vanlig fråga") == "vanlig fråga"
    assert raw  # the helper is about arguments decoded with surrogateescape


MARKDOWN_SPECIALS = [
    "ökade från 2*3 till 4*5 miljoner kronor",
    "**fet** och __fet__ och _kursiv_ och *kursiv*",
    "kod `x = 1` och ``dubbel``",
    "# inte en rubrik",
    "## inte heller",
    "> inte ett citat",
    "1. inte en lista",
    "2) inte heller",
    "- inte en punkt",
    "+ inte en punkt",
    "* inte en punkt",
    "<script>alert(1)</script> syns",
    "<b>fet</b> <i>kursiv</i> <br> <!-- kommentar -->",
    "&amp; &lt; &gt; &nbsp; &#65; &copy;",
    "[länk](http://example.com) ![bild](bild.png) <http://auto.example>",
    "~~struken~~ text",
    "a | b | c",
    "\\*inte\\* kursiv \\\\ backslash",
    "    indenterad kod",
    "---",
    "===",
    "***",
    "{klamrar} (parenteser) [hakar] !utrop #hash +plus -minus .punkt |rör",
    "5 % av 2^10 = 1024; 3 > 2 < 4; \"citat\" 'enkla'",
]


class _TextOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def rendered_markdown(markdown: str) -> str:
    """What a Markdown viewer shows (CommonMark with tables and strike-through)."""
    md = MarkdownIt("commonmark").enable("strikethrough").enable("table")
    parser = _TextOnly()
    parser.feed(md.render(markdown))
    return " ".join(parser.parts)


@pytest.mark.parametrize("line", MARKDOWN_SPECIALS)
def test_exported_markdown_renders_exactly_as_written(line: str) -> None:
    """The export (assistant.answer.export) drops HTML residue by design; every other
    character shows in a Markdown viewer exactly as in the source."""
    shown = rendered_markdown(markdown_text(line))
    assert " ".join(shown.split()) == " ".join(strip_html(line).split())


def test_typed_line_keeps_text_and_drops_controls() -> None:
    from assistant.text_safety import typed_line

    assert typed_line("fråga\t om\r\nmål \x1b[2J\x9b\x07 slut") == "fråga  om  mål [2J slut"

"""The Markdown export: clean Markdown from document text, questions and answers."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from assistant.answer.export import ExportTurn, conversation_markdown, markdown_text, strip_html
from assistant.models import Citation, Filters

NOW = datetime(2026, 1, 15, 9, 3)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ('<ul style="margin:0"><li>Ett</li><li>Två</li></ul>', "Ett Två"),
        (
            "enligt <i>rapporten</i> och <span class='x'>bilagan</span>",
            "enligt rapporten och bilagan",
        ),
        ("A &amp; B &lt;i&gt;", "A & B \\<i>"),
        ("*fet* och _kursiv_ och `kod`", "\\*fet\\* och \\_kursiv\\_ och \\`kod\\`"),
        ("[länk](http://x) men [3] står kvar", "\\[länk\\](http://x) men [3] står kvar"),
        ("# Rubrik", "\\# Rubrik"),
        ("> citat", "\\> citat"),
        ("1. punkt", "1\\. punkt"),
        ("- punkt", "\\- punkt"),
        ("---", "\\---"),
        ("&copy; a\\b", "© a\\\\b"),
        ("tecken\x00\x1b[31m", "tecken \\[31m"),
    ],
)
def test_markdown_text_shows_exactly_the_text(raw: str, clean: str) -> None:
    assert markdown_text(raw) == clean


def test_answer_lists_stay_lists() -> None:
    answer = "Nämnder:\n\n- Botkyrka: Socialnämnden [1]\n- Huddinge: <b>KS</b> [2]"
    assert markdown_text(answer, keep_lists=True) == (
        "Nämnder:\n\n- Botkyrka: Socialnämnden [1]\n- Huddinge: KS [2]"
    )


def test_strip_html_keeps_words_apart_and_comments_out() -> None:
    assert strip_html("a<br>b<!-- dold -->c</p><p>d").split() == ["a", "bc", "d"]
    assert strip_html("5 < 6 och 7 > 3") == "5 < 6 och 7 > 3"


def test_conversation_markdown_has_interpretation_filters_notice_and_sources() -> None:
    cite = Citation(
        n=1,
        doc="huddinge_2023.txt",
        municipality="Huddinge",
        section="3 Iakttagelser",
        page=4,
        start=0,
        end=10,
        text='Styrningen <i>brister</i>.\n<ul style="x"><li>Mål saknas</li></ul>',
        score=0.0325,
    )
    turns = [
        ExportTurn("Vilka nämnder saknar mål?", "”Styrningen brister.” [1]", citations=[cite]),
        ExportTurn(
            "och i Botkyrka?",
            "Dokumenten besvarar inte frågan.",
            resolved_question="Vilka nämnder saknar mål i Botkyrka?",
            filters=Filters(municipality=["Botkyrka"]),
            notice="Frågan kortades till 1000 tecken.",
        ),
    ]
    text = conversation_markdown(turns, NOW)
    assert text.startswith("# Granska – samtal 2026-01-15 09:03\n")
    assert (
        "## Fråga 2\n\noch i Botkyrka?\n\n*Tolkad som: Vilka nämnder saknar mål i Botkyrka?*"
        in text
    )
    assert "*Filter: Botkyrka*" in text
    assert "> Frågan kortades till 1000 tecken." in text
    assert "- [1] Huddinge · huddinge\\_2023.txt · 3 Iakttagelser · s. 4" in text
    assert "  > Styrningen brister. Mål saknas" in text
    assert "0.03" not in text  # no ranking scores unless asked for
    assert not re.search(r"<\w|</", text)
    english = conversation_markdown(turns, NOW, lang="en", show_scores=True)
    assert "## Question 1" in english and "### Sources" in english and "p. 4" in english
    assert "*Interpreted as: " in english and "0.033" in english

"""Query analysis: language, municipalities, years, set questions, bad input."""

from __future__ import annotations

import pytest

from assistant.search.query import analyze_query, detect_language, fold

MUNIS = ["Avesta", "Botkyrka", "Eskilstuna", "Huddinge", "Örebro"]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Vilka nämnder saknar planer för digitalisering?", "sv"),
        ("which boards lack digitalization plans?", "en"),
        ("Hur ser det ut i Örebro?", "sv"),
        ("What do the auditors say about IT security in Huddinge?", "en"),
        ("Huddinge", "sv"),
        ("", "sv"),
    ],
)
def test_language(text: str, lang: str) -> None:
    assert detect_language(text) == lang


@pytest.mark.parametrize(
    ("text", "found", "search"),
    [
        ("Hur ser det ut i Örebro?", ["Örebro"], "Hur ser det ut ?"),
        (
            "Vad säger Huddinges revisorer om IT-säkerhet?",
            ["Huddinge"],
            "Vad säger revisorer om IT-säkerhet?",
        ),
        ("Har Eskilstuna kommun en plan?", ["Eskilstuna"], "Har en plan?"),
        ("digital strategy in orebro", ["Örebro"], "digital strategy"),
        ("Jämför Avesta och Botkyrka", ["Avesta", "Botkyrka"], "Jämför och"),
        ("Vilka nämnder saknar planer?", [], "Vilka nämnder saknar planer?"),
        (
            "Vilka rekommendationer finns i Botkyrkarapporten?",
            ["Botkyrka"],
            "Vilka rekommendationer finns ?",
        ),
        ("Vad säger Örebrogranskningen om mål?", ["Örebro"], "Vad säger om mål?"),
        ("Avestabor och e-tjänster", [], "Avestabor och e-tjänster"),
    ],
)
def test_municipalities_become_filters(text: str, found: list[str], search: str) -> None:
    info = analyze_query(text, MUNIS)
    assert info.municipalities == found
    assert info.search_text == search


def test_municipality_named_kommun_in_metadata() -> None:
    assert analyze_query("Botkyrkas mål", ["Botkyrka kommun"]).municipalities == ["Botkyrka kommun"]


def test_word_containing_a_name_is_not_a_match() -> None:
    assert analyze_query("Avestaborna och Örebroare", MUNIS).municipalities == []


def test_only_a_municipality_keeps_it_as_search_text() -> None:
    info = analyze_query("Huddinge", MUNIS)
    assert info.municipalities == ["Huddinge"] and info.search_text == "Huddinge"


@pytest.mark.parametrize(
    ("text", "wants_set", "comparison"),
    [
        ("Vilka nämnder saknar planer för digitalisering?", True, False),
        ("which boards lack digitalization plans?", True, False),
        ("I vilka kommuner finns en strategi?", True, False),
        ("Jämför uppföljningen i Avesta och Huddinge", True, True),
        ("Compare the recommendations", True, True),
        ("Hur stor är digitaliseringsfonden?", False, False),
    ],
)
def test_set_and_comparison(text: str, wants_set: bool, comparison: bool) -> None:
    info = analyze_query(text, MUNIS)
    assert (info.wants_set, info.is_comparison) == (wants_set, comparison)


def test_years() -> None:
    assert analyze_query("Mål för 2019 och 2021, inte 1234 eller 20190", MUNIS).years == [
        2019,
        2021,
    ]


def test_bad_input_is_harmless() -> None:
    assert analyze_query("", MUNIS).search_text == ""
    long = analyze_query("digitalisering " * 10_000, MUNIS)
    assert len(long.text) <= 2000
    ctrl = analyze_query("strategi\x00\x1b[31m för\u200b IT", MUNIS)
    assert "\x00" not in ctrl.text and "\x1b" not in ctrl.text
    assert analyze_query("[bold]Huddinge[/]", MUNIS).municipalities == ["Huddinge"]


def test_fold() -> None:
    assert fold("Örebro ÅÄÖ") == "orebro aao"


@pytest.mark.parametrize(
    ("text", "across"),
    [
        ("Vilka kommuner har en digitaliseringsstrategi?", True),
        ("Which municipalities have central funds for digitalisation?", True),
        ("Which audits recommend an action plan?", True),
        ("Vilka nämnder i Huddinge saknar planer?", False),
        ("Vilka kommuner utöver Avesta har en plan?", False),
        ("Hur många kommuner finns i Sverige?", False),
    ],
)
def test_across_places(text: str, across: bool) -> None:
    assert analyze_query(text, MUNIS).across_places is across

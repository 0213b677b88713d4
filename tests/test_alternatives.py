"""The alternatives a question offers ("robots or artificial intelligence")."""

from __future__ import annotations

import pytest

from assistant.answer.alternatives import alternatives, own_terms


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "Which reports mention robots or artificial intelligence as possibilities?",
            [
                "Which reports mention robots as possibilities?",
                "Which reports mention artificial intelligence as possibilities?",
            ],
        ),
        (
            "Which boards lack a strategy or action plan?",
            ["Which boards lack a strategy?", "Which boards lack a action plan?"],
        ),
        (
            "Is it paid for by e.g. external funding, state grants or national projects?",
            [
                "Is it paid for by e.g. external funding?",
                "Is it paid for by e.g. state grants?",
                "Is it paid for by e.g. national projects?",
            ],
        ),
        (
            "Vilka kommuner har mål, strategier eller planer?",
            [
                "Vilka kommuner har mål?",
                "Vilka kommuner har strategier?",
                "Vilka kommuner har planer?",
            ],
        ),
        (
            "Hur ska IT eller digitaliseringsarbetet organiseras?",
            ["Hur ska IT organiseras?", "Hur ska digitaliseringsarbetet organiseras?"],
        ),
    ],
)
def test_each_alternative_once(question: str, expected: list[str]) -> None:
    assert alternatives(question) == expected


@pytest.mark.parametrize(
    "question",
    [
        # Names are compared, not offered as alternatives.
        "Vilka nämnder i Avesta eller Huddinge saknar planer?",
        "Does the executive board or the social committee lack plans?",
        # Not a choice between things.
        "Finns det en strategi eller inte?",
        "Is the plan more or less finished?",
        "Vilka nämnder saknar planer?",
    ],
)
def test_no_alternatives(question: str) -> None:
    assert alternatives(question) == []


def test_own_terms_are_what_one_alternative_alone_names() -> None:
    options = [["robot", "möjlighet"], ["artificiell", "intelligens", "möjlighet"]]
    assert own_terms(options[0], options) == ["robot"]
    assert own_terms(options[1], options) == ["artificiell", "intelligens"]


def test_an_article_is_no_part_of_an_alternative() -> None:
    """ "ur en fond, en pott eller en gemensam portfölj": the articles stand before each
    alternative, they are not what is offered."""
    assert alternatives("Har Avesta en strategi eller en plan för digitalisering?") == [
        "Har Avesta en strategi för digitalisering?",
        "Har Avesta en plan för digitalisering?",
    ]
    assert alternatives("Does Avesta have a strategy or a plan?") == [
        "Does Avesta have a strategy?",
        "Does Avesta have a plan?",
    ]
    assert alternatives(
        "Kan förvaltningarna söka pengar ur en fond, en pott eller en portfölj?"
    ) == [
        "Kan förvaltningarna söka pengar ur en fond?",
        "Kan förvaltningarna söka pengar ur en pott?",
        "Kan förvaltningarna söka pengar ur en portfölj?",
    ]

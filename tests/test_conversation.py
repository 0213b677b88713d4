"""Follow-up resolution without a language model, and saved conversations."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from assistant.answer.conversation import (
    Conversation,
    Turn,
    conversation_path,
    list_conversations,
    resolve_followup,
)
from assistant.errors import ConfigError
from assistant.models import Citation, Filters

PLACES = ["Avesta", "Botkyrka", "Eskilstuna", "Huddinge", "Örebro"]
SV = "Vilka nämnder saknar mål för digitalisering i Botkyrka?"


def turn(resolved: str, language: str = "sv", **filters: list) -> Turn:
    return Turn(
        question=resolved, resolved_question=resolved, language=language, filters=Filters(**filters)
    )


@pytest.fixture
def sv_turn() -> Turn:
    return turn(SV, municipality=["Botkyrka"])


@pytest.mark.parametrize(
    ("followup", "resolved", "municipality", "year"),
    [
        (
            "och i Huddinge?",
            "Vilka nämnder saknar mål för digitalisering i Huddinge?",
            ["Huddinge"],
            [],
        ),
        (
            "hur är det i Örebro då?",
            "Vilka nämnder saknar mål för digitalisering i Örebro?",
            ["Örebro"],
            [],
        ),
        ("Huddinge", "Vilka nämnder saknar mål för digitalisering i Huddinge?", ["Huddinge"], []),
        ("och i avesta?", "Vilka nämnder saknar mål för digitalisering i Avesta?", ["Avesta"], []),
        (
            "and in 2021?",
            "Vilka nämnder saknar mål för digitalisering i Botkyrka år 2021?",
            ["Botkyrka"],
            [2021],
        ),
        (
            "och socialnämnden?",
            "Vilka nämnder saknar mål för digitalisering i Botkyrka (socialnämnden)?",
            ["Botkyrka"],
            [],
        ),
    ],
)
def test_followups_carry_topic_and_filters(
    sv_turn: Turn, followup: str, resolved: str, municipality: list[str], year: list[int]
) -> None:
    r = resolve_followup(followup, sv_turn, PLACES)
    assert r.is_followup
    assert r.question == resolved
    assert r.filters.municipality == municipality and r.filters.year == year


def test_followup_language_follows_the_followup(sv_turn: Turn) -> None:
    assert resolve_followup("and in 2021?", sv_turn, PLACES).language == "en"
    assert resolve_followup("och i Huddinge?", sv_turn, PLACES).language == "sv"
    assert resolve_followup("Huddinge", sv_turn, PLACES).language == "sv"


def test_board_is_substituted_in_swedish_and_english() -> None:
    sv = turn("Vad säger Botkyrkas revisorer om utbildningsnämndens mål?")
    r = resolve_followup("och socialnämnden?", sv, PLACES)
    assert r.question == "Vad säger Botkyrkas revisorer om socialnämndens mål?"
    assert resolve_followup("och Huddinge?", sv, PLACES).question == (
        "Vad säger Huddinges revisorer om utbildningsnämndens mål?"
    )
    en = turn("Which goals does the education board in Botkyrka have?", "en")
    r = resolve_followup("what about the social services board?", en, PLACES)
    assert r.question == "Which goals does the social services board in Botkyrka have?"
    assert resolve_followup("and in Huddinge?", en, PLACES).question == (
        "Which goals does the education board in Huddinge have?"
    )


@pytest.mark.parametrize(
    "question",
    [
        "Vilka mål har Avesta för digitalisering?",
        "och vilka nämnder saknar en strategi i Huddinge?",
        "Hur följer kommunstyrelsen upp digitaliseringsarbetet i Eskilstuna kommun?",
        "Malmö är inte med",
    ],
)
def test_full_questions_are_not_followups(sv_turn: Turn, question: str) -> None:
    r = resolve_followup(question, sv_turn, PLACES)
    assert not r.is_followup and r.question == question and r.filters == Filters()


def test_no_previous_turn_means_no_followup() -> None:
    assert not resolve_followup("och i Huddinge?", None, PLACES).is_followup


def test_conversation_round_trip(tmp_path: Path, sv_turn: Turn) -> None:
    cite = Citation(n=1, doc="a.txt", start=0, end=3, text="abc", score=0.5)
    conv = Conversation(
        name="revision_2024-a", turns=[sv_turn.model_copy(update={"citations": [cite]})]
    )
    path = conv.save(tmp_path / "conversations")
    assert path == tmp_path / "conversations" / "revision_2024-a.json"
    loaded = Conversation.load(tmp_path / "conversations", "revision_2024-a")
    assert loaded == conv
    assert loaded.last is not None and loaded.last.citations[0].text == "abc"


def test_loading_a_new_name_gives_an_empty_conversation(tmp_path: Path) -> None:
    conv = Conversation.load(tmp_path, "ny")
    assert conv.name == "ny" and conv.turns == [] and conv.last is None


@pytest.mark.parametrize("name", ["", "../etc", "a b", "å", "x" * 65, "a/b", "a.json"])
def test_invalid_names_are_rejected(tmp_path: Path, name: str) -> None:
    with pytest.raises(ConfigError, match="conversation name"):
        conversation_path(tmp_path, name)


def test_corrupt_file_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bad\.json: not a readable conversation"):
        Conversation.load(tmp_path, "bad")
    (tmp_path / "wrong.json").write_text('{"turns": [{"x": 1}]}', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"wrong\.json"):
        Conversation.load(tmp_path, "wrong")


def test_a_conversation_only_in_the_legacy_folder_is_read_and_saved_anew(
    tmp_path: Path, sv_turn: Turn
) -> None:
    legacy, new = tmp_path / "index" / "conversations", tmp_path / "data" / "conversations"
    Conversation(name="gammal", turns=[sv_turn]).save(legacy)
    conv = Conversation.load(new, "gammal", legacy=legacy)
    assert conv.turns == [sv_turn]
    conv.save(new)
    assert (new / "gammal.json").exists()
    assert Conversation.load(new, "gammal", legacy=tmp_path / "none").turns == [sv_turn]


def test_saved_conversations_are_listed_newest_first(tmp_path: Path, sv_turn: Turn) -> None:
    old = Conversation(name="old", turns=[sv_turn]).save(tmp_path)
    Conversation(name="new", turns=[sv_turn, sv_turn]).save(tmp_path)
    os.utime(old, (1_000_000_000, 1_000_000_000))
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    (tmp_path / "not a name.json").write_text("{}", encoding="utf-8")
    listed = list_conversations(tmp_path)
    assert [(c.name, c.turns) for c in listed] == [("new", 2), ("old", 1)]
    assert listed[0].first_question == sv_turn.question
    assert list_conversations(tmp_path / "missing") == []

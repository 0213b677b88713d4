"""Questions that ask for a name, and sentences that hold one, on their own."""

from __future__ import annotations

import pytest

from assistant.answer.names import asks_for_name, holds_name

KNOWN = ["Huddinge", "Avesta", "Eskilstuna"]


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("What is the name of Huddinge's director of the future?", "person"),
        ("Vad heter IT-chefen i Avesta?", "person"),
        ("Vad heter plattformen för e-tjänster i Avesta?", "name"),
        ("What is the e-service portal called?", "name"),
        # The members of a group: a sentence naming them by role answers it.
        ("Who sits on the digitalisation committee?", "members"),
        ("Vilka personer eller funktioner ingår i styrgruppen för portföljstyrningen?", "members"),
        ("Who are the members of the political group?", "members"),
        # The chair of a group: a sentence saying who chairs it answers it.
        ("Who chairs Örebro's digitalisation committee?", "chair"),
        ("Vem är ordförande i den politiska styrgruppen?", "chair"),
        # Who leads a group is its chair; who leads the work is not a group's.
        ("Vem leder digitaliseringskommittén i Örebro?", "chair"),
        ("Who heads the steering group for portfolio management?", "chair"),
        ("Who leads Huddinge's portfolio steering group?", "chair"),
        ("Vem leder arbetet med digitalisering i Avesta?", None),
        ("Vem är ordförande?", "person"),
        ("Vem ansvarar för handlingsplanerna?", None),
        # Asked by role: a person's name answers it, not the role repeated.
        ("Vem är kommunikations- och digitaliseringsdirektör i Botkyrka?", "person"),
        ("Who was the project leader of the audit?", "person"),
        ("Vem är ansvarig för digitaliseringen?", None),
        # People asked for in the plural: their names answer it, not "två tjänstepersoner".
        ("Who are the two officials appointed to work with the portal?", "person"),
        # A thing known by its name: a system, a model, a consultant.
        ("Vilket verksamhetssystem inför nämnden med pengar ur potten?", "name"),
        ("Which model for IT governance has Huddinge chosen?", "name"),
        ("Vilken konsult genomförde förstudien?", "name"),
        ("Vilket konsultföretag anlitade kommunen?", "name"),
        ("Vilket IT-företag levererar portalen?", "name"),
        ("Vilken risk bedömde revisorerna?", None),
        ("Which boards lack a plan?", None),
    ],
)
def test_asks_for_name(question: str, kind: str | None) -> None:
    assert asks_for_name(question) == kind


@pytest.mark.parametrize(
    ("sentence", "kind", "expected"),
    [
        ("Granskningen har genomförts av Jenny Thörn, verksamhetsrevisor.", "person", True),
        ("Intervjuer har genomförts med framtidsdirektör och sektionschef.", "person", False),
        (
            "Dokumentstudier av Digitaliseringsstrategi för Huddinge kommun; Mål och budget.",
            "person",
            False,
        ),
        ("Avesta kommun har införskaffat en portal för alla e-tjänster, Open-E.", "name", True),
        ("Avesta kommun har införskaffat en gemensam portal.", "name", False),
        ("utbildning i portalen, Det framkommer även i intervjuerna", "name", False),
        ("Projektet drivs tillsammans med Huddinge kommun.", "name", False),
        ("Kommittén består av tre utvecklingsledare och IT-chefen.", "members", True),
        ("Ledningsgrupp för kommunen, bestående av de ledande tjänstepersonerna.", "members", True),
        ("Inom portföljstyrningen finns en styrgrupp samt råd på operativ nivå.", "members", False),
        # A chair is said to be one, by role or name; a list of members names none.
        ("Styrgruppen leds av kommundirektören.", "chair", True),
        ("Ordförande i den politiska styrgruppen är Anna Svensson.", "chair", True),
        ("Kommittén består av tre utvecklingsledare och IT-chefen.", "chair", False),
        ("Gruppen har en ordförande och fyra ledamöter.", "chair", True),
        ("Kommundirektören leder styrgruppen för portföljstyrning.", "chair", True),
        ("Initiativen leder till effektivitetsvinster enligt kommundirektören.", "chair", False),
    ],
)
def test_holds_name(sentence: str, kind: str, expected: bool) -> None:
    assert holds_name(sentence, kind, KNOWN) is expected  # type: ignore[arg-type]


def test_table_cells_and_quoted_sentences_start_with_capitals_that_are_no_names() -> None:
    from assistant.answer.names import holds_name

    row = "Kultur- och fritidsnämnden\tAntal användare ökar.\tÖkar\tUppfyllt"
    assert not holds_name(row, "name")
    assert not holds_name('Målet uppfylls. "Nämnden överträffade målet."', "name")
    assert not holds_name("Andelen Botkyrkabor som är nöjda ökar.", "name", ["Botkyrka"])
    # A board is not the name of a thing; a product is.
    assert not holds_name("Arbetet leds av Socialnämnden i kommunen.", "name")
    assert holds_name("Portalen heter Open-E och köptes in 2019.", "name")


def test_list_items_and_it_start_with_capitals_that_are_no_names() -> None:
    assert not holds_name(
        "Under 2023 ska systemet implementeras. • Nämnden har upphandlat ett verktyg.", "name"
    )
    assert not holds_name("Budgeten består av nyinvesteringar i olika IT-system.", "name")
    assert holds_name("Kommunen har valt PM3 som styrmodell.", "name")


def test_the_members_asked_for_are_of_the_group_the_question_names() -> None:
    from assistant.answer.compose import _named_terms, question_terms
    from assistant.answer.names import members_of

    question = "Vilka personer ingår i styrgruppen för Huddinges portföljstyrning?"
    assert members_of(question) == "styrgruppen för Huddinges portföljstyrning"
    terms = question_terms(question, "sv", frozenset({"huddinge"}))
    # The group, not what it is for: a sentence on portfolio management with a
    # "förvaltningsledare" in it names no member of the steering group.
    assert _named_terms(question, "sv", terms, "members") == ["styrgrupp"]
    assert members_of("Vilka nämnder saknar en plan?") is None


def test_who_was_interviewed_says_nothing_of_who_sits_on_or_chairs_a_group() -> None:
    from assistant.answer.compose import name_evidence
    from assistant.models import Chunk, Hit

    def hit(text: str) -> Hit:
        chunk = Chunk(
            id="c", doc="a.txt", ordinal=0, start=0, end=len(text), text=text, index_text=text
        )
        return Hit(chunk=chunk, score=1.0, rank=1)

    interviews = hit(
        "Intervjuer har gjorts med IT-strateg samt ordförande för den politiska styrgruppen."
    )
    assert not name_evidence([interviews], ["styrgrupp"], "chair", KNOWN)
    assert not name_evidence([interviews], ["styrgrupp"], "members", KNOWN)
    said = hit("Den politiska styrgruppen leds av kommunstyrelsens ordförande Anna Svensson.")
    assert name_evidence([said], ["styrgrupp"], "chair", KNOWN)


@pytest.mark.parametrize(
    ("question", "thing"),
    [
        (
            "What is the name of the new digital support system that Botkyrka introduced?",
            "new digital support system that Botkyrka introduced",
        ),
        ("Vad heter e-tjänsteplattformen i Avesta?", "e-tjänsteplattformen i Avesta"),
        ("What is the e-service portal in Avesta called?", "e-service portal in Avesta"),
        ("Vad heter IT-chefen?", None),  # a person: no thing named
    ],
)
def test_the_thing_a_name_question_names(question: str, thing: str | None) -> None:
    from assistant.answer.names import asks_for_name, group_of

    kind = asks_for_name(question)
    assert kind is not None
    assert group_of(question, kind) == thing


@pytest.mark.parametrize(
    ("question", "kept"),
    [
        # "Värderingsteamet består av …" answers it without the verb of membership.
        ("Vilka ingår i värderingsteamet i Örebro?", "Vilka i värderingsteamet i Örebro?"),
        ("Who sits on the steering group?", "Who on the steering group?"),
        # Not a question for members: what is in an assignment, a count of members.
        ("Vad ingår i uppdraget?", "Vad ingår i uppdraget?"),
        ("Hur många ingår i styrgruppen?", "Hur många ingår i styrgruppen?"),
    ],
)
def test_the_verb_of_membership_is_no_key_term(question: str, kept: str) -> None:
    from assistant.answer.names import without_member_verb

    assert without_member_verb(question) == kept


def test_an_external_party_is_asked_by_name() -> None:
    # "en tidigare gjord analys av extern part" does not say which.
    assert asks_for_name("Vilken extern part gjorde den tidigare analysen?") == "name"
    assert asks_for_name("Which external party made the earlier analysis?") == "name"
    assert asks_for_name("Vilken part ansvarar för arbetet?") is None

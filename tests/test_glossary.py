"""English questions get Swedish keyword terms."""

from __future__ import annotations

from assistant.search.glossary import swedish_terms


def test_phrases_and_words() -> None:
    terms = swedish_terms("Which boards lack an action plan for digitalisation?").split()
    assert {"nämnd", "saknas", "handlingsplan", "digitalisering"} <= set(terms)


def test_plural_and_verb_forms() -> None:
    assert "rekommenderar" in swedish_terms("What do the auditors recommend?")
    assert "kommun" in swedish_terms("municipalities")
    assert "granskning" in swedish_terms("audits")


def test_longest_phrase_wins_and_no_duplicates() -> None:
    terms = swedish_terms("the municipal executive board and the executive board")
    assert terms.split().count("kommunstyrelsen") == 1


def test_unknown_words_give_nothing() -> None:
    assert swedish_terms("zebra xylophone") == ""
    assert swedish_terms("") == ""


def test_month_names_are_translated() -> None:
    from assistant.search.glossary import swedish_terms

    assert "augusti" in swedish_terms("How much had been granted by August 2018?").split()
    assert "mars" in swedish_terms("What was decided in March?").split()
    assert "may" not in swedish_terms("What may the board decide?").split()


def test_audit_vocabulary_of_english_questions() -> None:
    from assistant.search.glossary import swedish_terms

    assert "intervjupersoner" in swedish_terms("What do the interviewees say?").split()
    assert "omvärldsbevakning" in swedish_terms("Ideas from horizon scanning").split()
    assert "verksamhetssystem" in swedish_terms("a new business system").split()
    assert "avsatt" in swedish_terms("How much was set aside?").split()
    # "their own budgets" is "egna", not "äger".
    assert "egna" in swedish_terms("paid from their own budgets").split()
    assert "linjechefer" in swedish_terms("Should line managers be involved?").split()
    # "What year is the audit limited to?": "Granskningen avgränsas till 2020."
    assert "avgränsas" in swedish_terms("What year is the audit limited to?").split()
    # "target measures" are the reports' "målsatta mått", not "åtgärder".
    assert swedish_terms("the target measures") == "målsatta mått"


def test_the_reports_own_vocabulary() -> None:
    from assistant.search.glossary import swedish_terms, untranslated_words

    assert "intranätet" in swedish_terms("Which reports mention the intranet?").split()
    assert "hållbarhet" in swedish_terms("Is sustainability a goal?").split()
    assert "intranet" not in untranslated_words("Which reports mention the intranet?")
    # A compound keeps its parts: the reports also write "strategin" alone.
    strategy = swedish_terms("the digitalisation strategy").split()
    assert {"digitaliseringsstrategi", "digitalisering", "strategi"} <= set(strategy)
    # Words outside the reports' subject still have no translation.
    assert untranslated_words("What will the weather be like tomorrow?") == ["weather", "tomorrow"]


def test_a_phrase_starts_at_a_word() -> None:
    from assistant.search.glossary import swedish_terms

    assert "it-enheten" in swedish_terms("How many work in the IT unit?").split()
    assert "it-enheten" not in swedish_terms("What did the audit unit find?").split()
    # It may end inside one: "action plans" is still the action plan.
    assert "handlingsplan" in swedish_terms("Which boards have action plans?").split()


def test_english_names_of_boards_name_the_board() -> None:
    from assistant.ingest.sentences import find_boards
    from assistant.search.glossary import without_board_names

    for english, board in [
        ("the care committee's reply", "Vård- och omsorgsnämnden"),
        ("the elderly care committee", "Vård- och omsorgsnämnden"),
        ("the education committee", "Utbildningsnämnden"),
        (
            "the labour market and adult education committee",
            "Arbetsmarknads- och vuxenutbildningsnämnden",
        ),
    ]:
        assert board in find_boards(swedish_terms(english)), english
        assert "committee" not in without_board_names(english), english
    # A phrase the glossary gives as a board's name, with the "board" after it.
    assert without_board_names("What did the social services board reply about training?") == (
        "What did the   reply about training?"
    )
    assert without_board_names("Which boards lack plans?") == "Which boards lack plans?"


def test_an_english_acronym_phrase_is_its_swedish_acronym_compound() -> None:
    """ "IT strategists" is "IT-strateg"; the glossary's own phrase gives its spellings
    ("IT security": "it-säkerhet" or "informationssäkerhet")."""
    from assistant.search.glossary import acronym_compounds

    assert acronym_compounds("Were IT strategists interviewed?") == [["it-strateger", "it-strateg"]]
    assert acronym_compounds("What about IT security?") == [["it-säkerhet", "informationssäkerhet"]]
    # "IT" alone, or beside a word the glossary does not know, is no compound.
    assert acronym_compounds("Is IT used well?") == []
    assert acronym_compounds("What does it cost?") == []


def test_the_city_planning_committee_is_either_swedish_name() -> None:
    """Eskilstuna's is "stadsbyggnadsnämnden", Botkyrka's "samhällsbyggnadsnämnden": a
    question in English naming the city planning committee names whichever it has."""
    from assistant.ingest.sentences import find_boards
    from assistant.search.glossary import swedish_terms

    named = find_boards(swedish_terms("What targets does the city planning committee set?"))
    assert {"Stadsbyggnadsnämnden", "Samhällsbyggnadsnämnden"} <= set(named)


def test_age_and_validity_words() -> None:
    """ "an outdated IT environment" is the reports' "gamla versioner"; a strategy that has
    "expired" has "upphört", not "utgått", which is also "based on" ("utgått från SKR:s
    handlingsplan")."""
    assert "gamla" in swedish_terms("Are the IT systems outdated?").split()
    assert "föråldrade" in swedish_terms("obsolete systems").split()
    expired = swedish_terms("Which strategies have expired?").split()
    assert "upphört" in expired
    assert "utgått" not in expired


def test_prioritisation_is_prioritering() -> None:
    for english in ("prioritisation", "prioritization", "priorities"):
        assert "prioritering" in swedish_terms(f"How is the {english} judged?").split(), english

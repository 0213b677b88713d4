"""Question intent rules, on their own."""

from __future__ import annotations

import pytest

from assistant.answer.intent import classify, number_kind


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Vilka rekommendationer ger revisorerna i Avesta?", "recommendation"),
        ("Vad rekommenderar revisorerna i Örebro?", "recommendation"),
        ("What did the auditors recommend to the executive board in Huddinge?", "recommendation"),
        ("Vilka nämnder saknar planer för digitalisering?", "set"),
        ("Which committees in Eskilstuna have adopted plans?", "set"),
        ("I vilka kommuner saknas en digitaliseringsstrategi?", "set"),
        ("Hur många nämnder saknar mål?", "set"),
        # A part of the boards is a set; a part of what a board or the municipality owns
        # is a number.
        ("Hur många av Botkyrkas nämnder saknade mål för digitalisering?", "set"),
        ("How many of Eskilstuna's committees lacked a plan?", "set"),
        ("Hur många av kommunstyrelsens sammanträden behandlade digitalisering?", "number"),
        ("How many of the municipality's goals were met?", "number"),
        ("Which of Eskilstuna's committees had adopted a plan?", "set"),
        ("Vilka av nämnderna i Eskilstuna saknade en fastställd plan?", "set"),
        ("Name the boards in Eskilstuna that lack a plan.", "set"),
        ("Har alla nämnder i Eskilstuna en plan för digital transformation?", "set"),
        ("Which audit firm carried out the review in Botkyrka?", "fact"),
        ("Vilka e-tjänster finns i Avesta?", "fact"),
        ("Vilken plattform har Avesta köpt?", "fact"),
        ("Hur många e-tjänster finns i Avesta?", "number"),
        ("How much does Avesta pay for the portal each year?", "number"),
        ("När beslutade fullmäktige om digitaliseringspolicyn?", "number"),
        ("Bedömer revisorerna att styrningen i Huddinge är tillräcklig?", "judgement"),
        ("What is the auditors' overall assessment in Örebro?", "judgement"),
        ("Vilken kommun fick sämst helhetsbedömning?", "judgement"),
        # A board word modifying a noun of people, and the one council, ask no set.
        ("Which two council goals must every committee in Huddinge relate to?", "fact"),
        ("Which board members were interviewed in Avesta?", "fact"),
        ("Which committee plans were followed up in Eskilstuna?", "set"),
        # The people of the boards are counted, not a set of boards.
        ("Hur många förvaltningschefer intervjuades i Huddinge?", "number"),
        ("Vilka förvaltningar intervjuades i Huddinge?", "set"),
        # How many boards exist is a count; how many have something, a set.
        ("Hur många förvaltningar finns i Botkyrka kommun?", "number"),
        ("How many boards does Avesta have?", "number"),
        ("How many committees are there in Huddinge?", "number"),
        ("Hur många nämnder har antagit planer?", "set"),
        ("Hur många nämnder finns det som saknar planer?", "set"),
        # What the auditors see is their view.
        ("Vilka brister ser revisorerna i Örebros arbete med nyttorealisering?", "judgement"),
        ("What weaknesses do the auditors see in Örebro's benefit realisation?", "judgement"),
        ("Hur skiljer sig kommunernas uppföljning åt?", "comparison"),
        # How all the reports do something, none named: each of them.
        ("Hur tar rapporterna upp risken för suboptimering?", "comparison"),
        ("How do the reports describe the split of costs between IT and operations?", "comparison"),
        ("Hur samlar kommunerna in idéer till digitaliseringsprojekt?", "comparison"),
        # …but how much or how many is a number, and one report is no comparison.
        ("Hur mycket lägger kommunerna på licenser?", "number"),
        ("Hur beskriver rapporten IT-enhetens roll?", "fact"),
        # Which reports bring a topic up: the municipalities whose report does.
        ("Which of the reports bring up change management?", "set"),
        ("Which reports stress that digitalisation is not an end in itself?", "set"),
        ("What was the 2019 outcome compared with the target?", "fact"),
        ("Vem ansvarar för IT-enheten i Avesta?", "fact"),
    ],
)
def test_kinds(question: str, kind: str) -> None:
    assert classify(question).kind == kind


def test_two_named_municipalities_make_a_comparison() -> None:
    assert classify("Jämför bedömningarna i Avesta och Huddinge.", municipalities=2).kind == (
        "comparison"
    )
    assert classify("Hur arbetar Avesta och Huddinge med e-tjänster?", municipalities=2).kind == (
        "comparison"
    )
    # …unless the question asks for something more specific.
    assert classify("Vilka nämnder i Avesta och Huddinge saknar planer?", 2).kind == "set"


@pytest.mark.parametrize(
    ("question", "polarity"),
    [
        ("Vilka nämnder saknar planer för digitalisering?", "negative"),
        ("Which boards lack digitalization plans?", "negative"),
        ("Vilka nämnder har inte beslutat om en plan?", "negative"),
        ("Which committees have adopted plans?", "positive"),
        ("Vilka nämnder har mål för digitaliseringen?", "positive"),
        ("Vilka nämnder har delvis uppfyllt målen?", "partial"),
        # Only some, not all: a part, not a lack.
        ("In which municipalities have only some, not all, boards decided on plans?", "partial"),
        ("I vilka kommuner har bara vissa nämnder beslutat om planer?", "partial"),
        ("I vilka kommuner har några men inte alla nämnder planer?", "partial"),
        # A contrast sets an alternative aside; the question asks for what is there.
        (
            "I vilken kommun ligger IT-avdelningen inte under kommunstyrelsen utan i en "
            "separat serviceförvaltning?",
            "positive",
        ),
        ("I vilken kommun har workshops faktiskt genomförts – inte bara planerats?", "positive"),
        ("In which municipalities do officials rather than politicians decide?", "positive"),
        ("Which boards have not only plans but also goals?", "positive"),
        ("Which boards have not adopted plans but strategies?", "negative"),
        # The negation after the topic word.
        ("For which boards were digitalisation targets absent in 2019?", "negative"),
        ("Which boards' plans weren't adopted?", "negative"),
    ],
)
def test_set_polarity(question: str, polarity: str) -> None:
    intent = classify(question)
    assert intent.kind == "set" and intent.polarity == polarity


def test_set_target_and_named_boards() -> None:
    assert classify("Vilka kommuner saknar strategi?").target == "municipalities"
    assert classify("Which boards lack goals?").target == "boards"
    intent = classify("Vad rekommenderas kultur- och fritidsnämnden i Eskilstuna?")
    assert intent.boards == ("Kultur- och fritidsnämnden",)


@pytest.mark.parametrize(
    ("question", "number"),
    [
        ("Hur många e-tjänster finns?", "count"),
        ("How many activities does the plan contain?", "count"),
        ("Vad kostar portalen per år?", "money"),
        ("How much money did the fund receive?", "money"),
        ("Hur mycket har andelen ökat?", "amount"),
        ("What is the unemployment rate in Huddinge?", "percent"),
        ("Vilket datum ska strategin vara reviderad?", "day"),
        ("On what date was the proposal presented?", "day"),
        ("Hur stor andel av målen är uppfyllda?", "percent"),
        # The target set for a share is a percentage; a goal of another kind is not asked.
        ("Vilket mål har nämnden för 2021 för andelen ärenden via e-tjänst?", "percent"),
        ("What target does the budget set for 2023 for the share of users?", "percent"),
        ("Vilket mål har nämnden för digitaliseringen?", None),
        ("När antogs strategin?", "date"),
        ("In which year was the policy adopted?", "date"),
        ("Vem är projektledare?", None),
        # "How much of the 200 mnkr …" is answered by an amount ("72 mnkr") or a share.
        ("Hur mycket av de 200 miljoner kronorna hade beviljats?", "amount"),
        ("How much of the budget has been used?", "amount"),
        # A score is a number.
        ("What satisfaction score (NKI) did staff give the support service?", "count"),
        ("Vilket betyg fick kommunsupporten?", "count"),
        ("Which scores matter?", "count"),
        ("Vilket beslut fattades?", None),
        # The size of a change in money.
        ("Hur stor ökning av finansieringen begär socialnämnden?", "amount"),
        ("How big an increase in funding does the board ask for?", "amount"),
        # The size of a sum of money; of anything else, a count.
        ("Hur stor är Huddinges digitaliseringspott jämfört med Botkyrkas fond?", "amount"),
        ("What is the total 2020 budget frame of the communications department?", "amount"),
        ("Vad var den totala kostnaden för plattformen?", "money"),
        # What was spent is a sum of money.
        ("What did Avesta's IT unit spend on licences in 2020?", "money"),
        ("What does the municipality spend each year?", "money"),
        ("What is the cost model for IT in Avesta?", None),
        ("What was the budget process in Huddinge?", None),
        ("How big is Botkyrka's digitalisation fund?", "amount"),
        # Which one sum: a money question.
        ("Vilken budget har Eskilstunas digitaliseringsenhet?", "amount"),
        ("Vilken kostnad hade Huddinges digitaliseringspott år 2022?", "money"),
        ("What budget does the digitalisation unit have?", "amount"),
        ("Vilka kostnader ska förvaltningarna stå för?", None),
        ("Vilken budgetprocess har Huddinge?", None),
        ("Hur stor är IT-enheten?", "count"),
        # An investment is money.
        ("Hur stora är de centrala satsningarna på digitalisering i Huddinge?", "amount"),
        ("How large was the investment in the portal?", "amount"),
        # A clause of time before the question asks what, not when.
        ("When KPMG examined the object plans in Huddinge, what did it find about roles?", None),
        ("När revisorerna granskade planerna, vad fann de om rollerna?", None),
        ("När antogs planen?", "date"),
        ("When was the plan adopted, and what does it contain?", "date"),
        ("När granskningen gjordes, när hade planen antagits?", "date"),
        # A sum counted in its unit.
        ("Hur många miljoner kronor fick Botkyrkas digitaliseringsfond?", "money"),
        ("How many million SEK had been granted by August 2018?", "money"),
        # How long something takes is said by when it began and ended.
        ("Hur lång tid tar det att bygga en e-tjänst?", "date"),
    ],
)
def test_number_kinds(question: str, number: str | None) -> None:
    assert number_kind(question) == number


def test_words_of_want_make_a_negative_set_question() -> None:
    assert classify("Which administrations find the central support unclear?").polarity == (
        "negative"
    )
    assert classify("Vilka förvaltningar upplever stödet som otydligt?").polarity == "negative"
    assert classify("Which board has nothing about digitalisation in its plan?").polarity == (
        "negative"
    )


def test_follow_up_questions_about_responses() -> None:
    assert classify("Hur svarade socialnämnden på granskningen?").about_responses
    assert classify("Has the recommendation been followed up?").about_responses
    # "answer" as a board's reply, not as what the audit answers.
    assert classify(
        "What did the social welfare board in Eskilstuna answer to the digitalisation audit?"
    ).about_responses
    assert classify("What did the committee answer?").about_responses
    assert classify("Hur svarar stadsbyggnadsnämnden på rekommendationerna?").about_responses
    assert not classify("Which audit questions did the Botkyrka review answer?").about_responses


@pytest.mark.parametrize(
    "question",
    [
        "Which reports recommend making someone responsible for e-services?",
        "Vilka nämnder fick rekommendationen att dokumentera arbetet så att det kan följas upp?",
        "Which boards were told to set up a follow-up of their digital work?",
        "Vilka åtgärder rekommenderas kommunstyrelsen i Avesta?",
        "Who is responsible for the digitalisation strategy in Örebro?",
    ],
)
def test_follow_up_or_responsibility_as_content_is_not_about_responses(question: str) -> None:
    assert not classify(question).about_responses


@pytest.mark.parametrize(
    "question",
    [
        "Did the boards in Eskilstuna follow up the recommendations?",
        "Hur har kommunstyrelsen följt upp revisorernas rekommendationer?",
        "What measures were taken after the audit in Eskilstuna?",
        "How did the social services committee respond?",
    ],
)
def test_questions_about_the_boards_answers(question: str) -> None:
    assert classify(question).about_responses


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Vilket revisionsbolag genomförde granskningen i Örebro?", True),
        ("Which audit firm carried out the review in Botkyrka?", True),
        ("Who wrote the report on Huddinge?", True),
        ("Vem har genomfört granskningen i Avesta?", True),
        ("Who carried out the interviews in Avesta?", False),
        ("Vem ansvarar för informationssäkerheten i Botkyrka?", False),
        ("Vilka revisorer rekommenderar en handlingsplan?", False),
        # A consultancy is the audit's only when the audit or its report is asked about.
        ("Vilket konsultföretag genomförde granskningen i Huddinge?", True),
        ("Which consulting firm wrote Örebro's report?", True),
        ("Vilket konsultföretag anlitade Huddinge för att ta fram strategin?", False),
        ("Which consultancy helped Botkyrka with its IT investigation?", False),
    ],
)
def test_questions_about_the_audit_firm(question: str, expected: bool) -> None:
    assert classify(question).about_auditor is expected


def test_a_ranking_by_numbers_is_no_set_question() -> None:
    # "Which committee received the largest share …" ranks boards by amounts; the
    # findings' has/lacks cannot answer it.
    assert classify("Which committee received the largest share of the funds?").kind != "set"
    assert classify("Vilken nämnd fick mest pengar till digitalisering?").kind != "set"
    assert classify("Vilka nämnder saknar mål för digitaliseringen?").kind == "set"


def test_what_the_boards_should_do_asks_for_recommendations() -> None:
    question = "Vad ska alla styrelser och nämnden i Avesta göra enligt revisorerna?"
    assert classify(question).kind == "recommendation"
    assert classify("Vad gör nämnderna i Avesta med digitaliseringen?").kind != "recommendation"


@pytest.mark.parametrize(
    ("question", "target"),
    [
        ("In which Eskilstuna administration are the staff's digital skills uneven?", "boards"),
        (
            "Which Örebro administration relies on its own work, not the municipality-wide?",
            "boards",
        ),
        ("I vilken kommun saknade IT-enheten ett tydligt uppdrag?", "municipalities"),
        ("Which municipality has a coordinator for the portfolio?", "municipalities"),
        # The reports as texts, one per municipality.
        ("Which reports mention the intranet?", "municipalities"),
        ("Vilka rapporter tar upp robotar?", "municipalities"),
        ("In which audits is an e-service portal described?", "municipalities"),
        ("In which of the five audits were IT strategists interviewed?", "municipalities"),
        # Each measure is a board's row: the boards, each with its row.
        ("Vilka av Botkyrkas målsatta mått för 2019 uppfylldes inte?", "boards"),
        ("Which of Botkyrka's digitalisation targets for 2019 were met?", "boards"),
        ("I vilka av de fem granskningarna intervjuades IT-strateger?", "municipalities"),
    ],
)
def test_the_set_s_noun_decides_its_target(question: str, target: str) -> None:
    intent = classify(question)
    assert intent.kind == "set" and intent.target == target


@pytest.mark.parametrize(
    "question",
    [
        "Vem gjorde digitaliseringsgranskningen i Avesta?",
        "Who did the digitalisation audit in Huddinge?",
    ],
)
def test_who_did_the_audit_as_a_compound(question: str) -> None:
    assert classify(question).about_auditor


def test_dates_in_the_plural_are_days() -> None:
    intent = classify("Vilka datum har reglementena för kommunstyrelsen och nämnderna?")
    assert (intent.kind, intent.number) == ("number", "day")
    assert classify("On what dates were the regulations adopted?").number == "day"


def test_a_conclusion_about_a_quantity_is_a_judgement() -> None:
    question = "Vad drar revisorerna i Avesta för slutsats om hur mycket manuellt arbete som finns?"
    assert classify(question).kind == "judgement"
    assert classify("What do the auditors conclude about how much manual work is left?").kind == (
        "judgement"
    )
    # The quantity itself is still a number question.
    assert classify("Hur mycket manuellt arbete finns kvar i Avesta?").kind == "number"


def test_a_statement_before_the_question_does_not_set_its_intent() -> None:
    premise = (
        "Revisorerna i Avesta rekommenderar ökad dialog mellan servicecenter och "
        "förvaltningarna. Vilken roll ger kommunens digitaliseringspolicy servicecenter?"
    )
    assert classify(premise).kind == "fact"
    # A question too short to stand alone is read with what comes before it.
    assert classify("Revisorerna lämnade rekommendationer. Vilka var de?").kind == (
        "recommendation"
    )
    assert classify("Vilka rekommendationer ger revisorerna i Avesta?").kind == "recommendation"


def test_what_the_auditors_thought_is_a_judgement() -> None:
    from assistant.ingest.sentences import key_terms

    question = "Vad ansåg revisorerna om Huddinges digitaliseringsstrategi?"
    assert classify(question).kind == "judgement"
    assert classify("Vad tyckte revisorerna om handlingsplanen?").kind == "judgement"
    # The verb of opinion is no key term: "ansågs målformuleringarna …" is not the view.
    assert key_terms(question, "sv") == ["hudding", "digitaliseringsstrategi"]


@pytest.mark.parametrize(
    "question",
    [
        "Vilka nämnder i Avesta ska enligt revisorerna anta eller revidera en handlingsplan?",
        "Vilka nämnder bör enligt revisorerna ta fram en plan?",
        "Which boards should, according to the auditors, draw up a plan?",
    ],
)
def test_what_the_auditors_want_done_is_their_recommendation(question: str) -> None:
    assert classify(question).kind == "recommendation"


def test_what_a_board_shall_do_by_its_own_plan_is_no_recommendation() -> None:
    assert classify("Vilka nämnder ska enligt planen införa e-tjänster?").kind == "set"


def test_reports_as_documents_are_not_a_set() -> None:
    # "Vilka rapporter får kommunstyrelsen?" asks for the reporting the board receives.
    assert classify("Vilka rapporter får kommunstyrelsen om digitaliseringen?").kind != "set"


@pytest.mark.parametrize(
    ("question", "second"),
    [
        (
            "How much did Örebro set aside for 2017–2019, and how much of it had been granted?",
            "how much of it had been granted?",
        ),
        ("Hur många aktiviteter har planen och hur stor andel pågår?", "hur stor andel pågår?"),
        # An adverb of estimate between "och" and the question word.
        (
            "När bildades projektkontoret i Örebro, och ungefär hur många månader efter "
            "antagandet var det?",
            "hur många månader efter antagandet var det?",
        ),
        (
            "Vilket mål hade nämnden för 2019, och vilket utfall redovisades?",
            "vilket utfall redovisades?",
        ),
        (
            "What did KPMG recommend the board to do, and by when should the board respond?",
            "by when should the board respond?",
        ),
        (
            "Vad rekommenderade revisorerna och senast när ska styrelsen svara?",
            "senast när ska styrelsen svara?",
        ),
        # "till vilka" continues the first question's noun phrase, no second question.
        ("Vilka rekommendationer gavs och till vilka nämnder?", None),
        ("Hur mycket kostar licenserna?", None),
        # Not a question of its own: "and which" inside a noun phrase is too short.
        ("Vad och när?", None),
    ],
)
def test_the_second_question_of_a_two_part_question(question: str, second: str | None) -> None:
    from assistant.answer.intent import second_ask

    assert second_ask(question) == second


@pytest.mark.parametrize(
    ("question", "target"),
    [
        (
            "I vilka av kommunerna rekommenderade revisorerna att en handlingsplan tas fram?",
            "municipalities",
        ),
        ("Which audits recommend drawing up an action plan?", "municipalities"),
        ("Vilka rekommendationer ger revisorerna i Avesta?", None),
        ("Vilka nämnder ska enligt revisorerna anta en handlingsplan?", None),
    ],
)
def test_a_recommendation_question_may_ask_for_municipalities(
    question: str, target: str | None
) -> None:
    intent = classify(question)
    assert intent.kind == "recommendation" and intent.target == target


def test_the_verbs_of_a_recommendation_are_no_topic() -> None:
    from assistant.answer.intent import without_actions

    assert "tas fram" not in without_actions("att en handlingsplan tas fram eller antas")
    assert "handlingsplan" in without_actions("att en handlingsplan tas fram eller antas")
    assert "adopting" not in without_actions("drawing up or adopting an action plan")


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        # An amount asked about something an analysis recommended: a number.
        ("By how much did the external analysis recommend increasing the resources?", "number"),
        ("Hur mycket rekommenderas budgeten öka?", "number"),
        # How many recommendations: the recommendations, whose heading counts them.
        ("Hur många rekommendationer lämnar revisorerna i Avesta?", "recommendation"),
        ("Vad rekommenderar revisorerna i Örebro?", "recommendation"),
    ],
)
def test_a_question_opening_with_a_quantity_asks_for_it(question: str, kind: str) -> None:
    assert classify(question).kind == kind


@pytest.mark.parametrize(
    "question",
    [
        "Which Eskilstuna boards note in their replies that the report holds more recommendations?",
        "Vilka av de granskade i Eskilstuna skriver i sina svar att satsningarna lönar sig?",
        "Which of the audited bodies state in their replies that they are positive to the "
        "recommendations?",
    ],
)
def test_which_boards_say_so_in_their_replies_is_a_set(question: str) -> None:
    intent = classify(question)
    assert intent.kind == "set" and intent.target == "boards"


def test_what_the_auditors_came_to_is_a_judgement() -> None:
    question = "Vad kom revisorerna fram till om kommunstyrelsens styrning i Huddinge?"
    assert classify(question).kind == "judgement"


@pytest.mark.parametrize(
    ("question", "kind", "number"),
    [
        (
            "According to the care committee's reply, when is the review of the structure done?",
            "number",
            "date",
        ),
        ("Enligt Örebrorapporten, när antogs digitaliseringsstrategin?", "number", "date"),
        ("Enligt revisorerna, hur mycket pengar fick fonden 2020?", "number", "money"),
        # Where the answer is said does not make the question about a number.
        (
            "According to the report, what did the auditors conclude about the goals?",
            "judgement",
            None,
        ),
    ],
)
def test_where_the_answer_is_said_comes_before_the_question(
    question: str, kind: str, number: str | None
) -> None:
    intent = classify(question)
    assert (intent.kind, intent.number) == (kind, number)


def test_a_deadline_to_respond_is_no_question_about_replies() -> None:
    intent = classify("What did KPMG recommend the board to do, and by when should it respond?")
    assert intent.kind == "recommendation" and not intent.about_responses
    assert classify("What did the social welfare committee respond to the audit?").about_responses


@pytest.mark.parametrize(
    ("question", "first", "second", "polarity"),
    [
        (
            "Vilka nämnder har en plan för digitalisering – och vilken nämnd saknar helt "
            "uppgifter om den?",
            "Vilka nämnder har en plan för digitalisering?",
            "vilken nämnd saknar helt uppgifter om den?",
            "positive",
        ),
        (
            "Which committees already have a starting value for a measure, and which have none?",
            "Which committees already have a starting value for a measure?",
            "which have none?",
            "positive",
        ),
        # "och var …" asks where, when a verb follows ("var" as "was" starts no question).
        (
            "I vilka kommuner har man avsatt centrala pengar för flera år – och var kan medel "
            "ur fonden bara beviljas för innevarande år?",
            "I vilka kommuner har man avsatt centrala pengar för flera år?",
            "var kan medel ur fonden bara beviljas för innevarande år?",
            "positive",
        ),
        (
            "In which municipalities has the pot grown, and where has no increase been decided?",
            "In which municipalities has the pot grown?",
            "where has no increase been decided?",
            "positive",
        ),
        (
            "Vilka nämnder har planer och var det kommunstyrelsen som beslutade?",
            None,
            None,
            "positive",
        ),
        # One question: "and which" inside it, or too short to stand alone.
        ("Which boards and which committees lack plans?", None, None, "negative"),
        ("Vilka nämnder saknar planer och vilka har?", None, None, "negative"),
    ],
)
def test_two_set_questions_in_one(
    question: str, first: str | None, second: str | None, polarity: str
) -> None:
    from assistant.answer.intent import first_set, second_set

    assert first_set(question) == (first or question)
    assert second_set(question) == second
    assert classify(question).polarity == polarity


@pytest.mark.parametrize(
    "question",
    [
        "Until when was the mandate of Örebro's digitalisation committee set to run?",
        "Fram till när skulle digitaliseringskommitténs arbete pågå?",
        "Senast när ska nämnden lämna sitt yttrande?",
        "By when should the board respond?",
    ],
)
def test_an_end_date_is_a_date_question(question: str) -> None:
    intent = classify(question)
    assert intent.kind == "number" and intent.number in ("date", "day"), intent


def test_a_board_in_the_genitive_makes_no_set() -> None:
    """ "vilken plan följer förvaltningens arbete" asks for a plan: the administration
    owns the work, no set of administrations is asked."""
    question = "Hur svarar nämnden – vilken plan följer förvaltningens digitaliseringsarbete?"
    assert classify(question).kind != "set"
    assert classify("Vilka förvaltningar saknar en plan?").kind == "set"
    assert classify("Vilka av nämnderna har mål?").kind == "set"


def test_a_board_after_an_auxiliary_is_the_subject_not_the_set() -> None:
    """ "What did the committee's documents say …": what a board did or said is asked, not
    which boards; "Which committees have …" and "Which committees' plans …" are sets."""
    question = (
        "Does KPMG judge that the committee had decided on plans, and what did the "
        "committee's documents say was still to come?"
    )
    assert classify(question).kind == "judgement"
    assert classify("What does the board plan to do about e-services?").kind != "set"
    assert classify("Which committees have adopted plans?").kind == "set"
    assert classify("Which Huddinge committees' operational plans name the pot?").kind == "set"
    assert classify("What committees lack plans?").kind == "set"


def test_a_two_part_number_question_asks_first_for_its_first_kind() -> None:
    """The first question's kind of number is the answer's; the second question gets its
    own sentence. With one question, the strongest kind named anywhere decides."""
    from assistant.answer.intent import classify

    two = classify(
        "När bildades projektkontoret i Örebro, och hur många månader efter att "
        "kommunstyrelsen antog strategin var det?"
    )
    assert two.kind == "number" and two.number == "date"
    counted = classify("Hur många aktiviteter har planen och hur stor andel av dem pågår?")
    assert counted.number == "count"
    assert classify("Hur stor andel av aktiviteterna pågår?").number == "percent"


def test_the_board_a_statement_names_is_the_one_its_question_asks_about() -> None:
    """ "Vilken förstärkning beskriver nämnden i sitt svar?" after a statement naming one
    board asks about that board's reply, and is no set question: a board in the definite
    singular is the subject of the question, not the set it asks for."""
    from assistant.answer.intent import classify

    asked = classify(
        "Revisorerna rekommenderade stadsbyggnadsnämnden i Eskilstuna att säkerställa "
        "resurser för digitaliseringsarbetet. Vilken förstärkning beskriver nämnden i sitt svar?"
    )
    assert asked.kind != "set"
    assert asked.boards == ("Stadsbyggnadsnämnden",)
    assert asked.about_responses
    # Two boards in the statement: which one "nämnden" is cannot be told.
    two = classify(
        "Revisorerna rekommenderade socialnämnden och stadsbyggnadsnämnden att anta planer. "
        "Vad svarade nämnden om sina planer?"
    )
    assert two.boards == ()
    assert classify("Vilket stöd ger förvaltningen nämnderna?").kind != "set"
    assert classify("Vilken förvaltning ansvarar för e-tjänsterna?").kind == "set"
    assert classify("Vilka av nämnderna saknar plan?").kind == "set"


@pytest.mark.parametrize(
    ("question", "left"),
    [
        ("Vilka nämnder har lämnat yttrande över granskningen?", "Vilka nämnder har över ?"),
        ("Which committees responded to the audit?", "Which committees to the ?"),
        ("Vilka nämnder har yttrat sig?", "Vilka nämnder har ?"),
        (
            "Vilka nämnder skriver i sina svar att de har en plan?",
            "Vilka nämnder skriver i sina att de har en plan?",
        ),
    ],
)
def test_without_reply_words(question: str, left: str) -> None:
    from assistant.answer.intent import without_reply_words

    assert " ".join(without_reply_words(question).split()) == " ".join(left.split())


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("och vad svarade de?", True),
        ("and what did they reply?", True),
        ("how did they respond to the audit?", True),
        ("vad svarade de på granskningen?", True),
        # A second set about the replies asks which, not what.
        ("which committee's reply deals only with internal steering?", False),
        ("vilka nämnder har svarat?", False),
    ],
)
def test_what_the_boards_replied_is_asked(question: str, asks: bool) -> None:
    from assistant.answer.intent import asks_what_replied

    assert asks_what_replied(question) is asks


def test_a_joint_reply_is_asked_and_is_no_topic_of_the_replies() -> None:
    from assistant.answer.intent import asks_joint_reply, without_reply_words

    assert asks_joint_reply("Which committees replied jointly?")
    assert asks_joint_reply("Vilka nämnder lämnade ett gemensamt yttrande?")
    assert not asks_joint_reply("Vilka nämnder har svarat på granskningen?")
    assert without_reply_words("Vilka nämnder lämnade ett gemensamt yttrande?").split() == [
        "Vilka",
        "nämnder",
        "ett",
        "?",
    ]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Which boards did the Eskilstuna audit cover?", True),
        ("Vilka styrelser och nämnder i Avesta omfattas av granskningen?", True),
        ("Vilka nämnder granskades i Huddinge?", True),
        ("Vilka nämnder har granskats i Örebro?", True),
        ("Which committees were included in the Botkyrka audit?", True),
        ("Vilka nämnder ingick i granskningen?", True),
        ("Which committees were audited in Eskilstuna?", True),
        ("Hur många nämnder omfattas av granskningen i Avesta, och vilka är de?", True),
        ("How many boards did the Avesta audit cover?", True),
        ("Hur många nämnder har Botkyrka?", False),
        ("Vilka nämnder saknar planer?", False),
        ("Vilka av de granskade nämnderna saknar planer?", False),
        ("Which boards have adopted plans?", False),
        ("Vilka nämnder omfattas av kraven i policyn?", False),
        ("Which boards did the auditors recommend to?", False),
        ("Vilka nämnder har svarat på granskningen?", False),
        ("Which committees does the action plan cover?", False),
        ("Vilka nämnder som omfattas av granskningen har planer?", False),
    ],
)
def test_asks_scope_is_which_boards_the_audit_covers(question: str, expected: bool) -> None:
    from assistant.answer.intent import asks_scope

    assert asks_scope(question) is expected


@pytest.mark.parametrize(
    "question",
    [
        "Vilken period gäller Huddinges digitaliseringsstrategi?",
        "What period does Botkyrka's strategy cover?",
        "How long is Huddinge's digitalisation strategy valid?",
        "Till och med vilket år gäller Örebros digitaliseringsstrategi?",
    ],
)
def test_how_long_something_holds_asks_for_a_date(question: str) -> None:
    from assistant.answer.intent import number_kind

    assert number_kind(question) == "date"


@pytest.mark.parametrize(
    ("question", "rest"),
    [
        (
            "Vilka brister ser revisorerna i Örebros digitaliseringsarbete?",
            "Örebros digitaliseringsarbete",
        ),
        ("What shortcomings did the auditors find in Avesta?", "Avesta"),
        ("Vilka brister finns i uppföljningen?", "uppföljningen"),
        ("Vilka rekommendationer ger revisorerna?", None),
    ],
)
def test_asks_shortcomings_leaves_what_they_are_in(question: str, rest: str | None) -> None:
    from assistant.answer.intent import asks_shortcomings

    left = asks_shortcomings(question)
    assert (None if left is None else " ".join(left.replace("?", " ").split())) == rest


def test_municipalities_asked_of_one_named_municipality_are_no_set_of_the_reports() -> None:
    from assistant.answer.intent import set_aside

    # The municipalities Avesta works with are not among the reports': a fact.
    for question in (
        "Vilka kommuner samarbetar Avesta med kring Open-E?",
        "Which municipalities procured the Open-E portal together with Avesta?",
    ):
        assert classify(question, municipalities=1).kind == "fact", question
    # Set aside, the one named leaves the others to ask about.
    for question in (
        "Vilka kommuner utöver Avesta har en digitaliseringspolicy?",
        "Which municipalities other than Avesta have a policy?",
        "Vilka kommuner har, liksom Avesta, en policy för digitalisering?",
    ):
        intent = classify(question, municipalities=1)
        assert intent.kind == "set" and intent.target == "municipalities", question
        assert set_aside(question, ["Avesta", "Huddinge"]) == ["Avesta"]
    places = ["Avesta", "Botkyrka", "Huddinge", "Örebro"]
    two = "I vilka kommuner förutom Örebros och Huddinges saknas en strategi?"
    assert set_aside(two, places) == ["Huddinge", "Örebro"]
    assert set_aside("Har Avesta fler e-tjänster än Huddinge?", places) == ["Huddinge"]
    assert set_aside("I vilka kommuner saknas en strategi?", places) == []


@pytest.mark.parametrize(
    ("question", "aspect"),
    [
        ("Vilka dokument har granskats i Huddinge?", "dokument"),
        ("Vilka dokument studerade revisorerna i Avesta?", "dokument"),
        ("Vilka dokument har revisorerna gått igenom i Huddinge?", "dokument"),
        ("Vem intervjuades i granskningen i Avesta?", "intervju"),
        ("Vilka av Botkyrkas förvaltningar intervjuade PwC?", "intervju"),
        ("Hur genomfördes granskningen i Örebro?", None),
        ("Hur har KPMG:s granskning genomförts i Eskilstuna?", None),
        ("Who was interviewed in the Eskilstuna audit?", "intervju"),
        ("Which documents did KPMG study in Huddinge?", "dokument"),
        ("How was the audit in Botkyrka carried out?", None),
    ],
)
def test_asks_method_is_how_the_audit_was_done(question: str, aspect: str | None) -> None:
    from assistant.answer.intent import asks_method, method_aspect

    assert asks_method(question) and method_aspect(question) == aspect


@pytest.mark.parametrize(
    "question",
    [
        # What the interviewees say is the content, not the method.
        "Vad säger de intervjuade i Avesta om samverkan?",
        "Vilka förvaltningar i Eskilstuna lyfter enligt KPMG:s intervjuer fram att det saknas "
        "resurser?",
        "According to KPMG's interviews, which administrations say they lack resources?",
        "Hur har granskningen tagits emot av nämnderna?",
        "Vilka dokument saknar nämnderna?",
    ],
)
def test_what_the_interviews_found_is_no_method_question(question: str) -> None:
    from assistant.answer.intent import asks_method

    assert not asks_method(question)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Vilken nämnd i Huddinge ska utreda en digital fixare?", True),
        ("Which committee is to investigate introducing a digital fixer?", True),
        ("Which committee's plan sets aside 12 million SEK?", True),
        ("Vilka nämnder saknar planer?", False),
        ("Which committees have adopted plans?", False),
        ("Which boards lack goals?", False),
    ],
)
def test_a_question_asking_for_one_board(question: str, expected: bool) -> None:
    from assistant.answer.intent import asks_one

    assert asks_one(question) is expected

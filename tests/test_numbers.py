"""Numbers of the asked kind, on their own: what counts as answering "how many X",
"what date", "how much money"."""

from __future__ import annotations

import pytest

from assistant.answer.compose import (
    count_verb_terms,
    counted_terms,
    number_evidence,
    number_spans,
)
from assistant.answer.numbers import (
    answers_number,
    asked_event,
    count_of,
    counted_words,
    has_number,
)
from assistant.ingest.sentences import matched_terms
from assistant.models import Chunk, Hit


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        ("Avdelningen har utökats med närmare 20-talet tjänster.", "count", True),
        ("Budgeten utökas med 12 mnkr.", "count", False),
        ("Andelen var 56 procent.", "count", False),
        ("Kommunstyrelsen beslutade 2016-12-06 om programmet.", "count", False),
        ("Planen revideras en gång per år.", "count", True),
        ("Kartläggningen återfinns i bilaga 1.", "count", False),
        ("Planen följer SBN/2021:560 och uppdateras.", "date", False),
        ("En IT-chef anställdes under hösten 2020.", "date", True),
        ("En IT-chef anställdes under hösten 2020.", "day", False),
        ("Förslaget presenterades den 3 mars 2021.", "day", True),
        # A month said as a time dates it; "mars" as a word in a list does not.
        ("Ett förslag presenterades för koncernledningen i februari.", "date", True),
        ("Arbetet pågår från mars till juni.", "date", True),
        ("Mars och maj är månader.", "date", False),
        ("Kommunstyrelsen beslutade 2016-12-06 om programmet.", "day", True),
        # A share written as a fraction.
        ("Enbart 2 av 10 medborgare anser det.", "percent", True),
        ("Åtta av tio företagare har kontakter med kommunen.", "percent", True),
        ("Var tredje medarbetare har gått utbildningen.", "percent", True),
        ("Tio medarbetare har gått utbildningen.", "percent", False),
        # A goal table's row measuring a share answers a share question.
        (
            "Samhällsbyggnadsnämnden\tAndelen (%) nya ansökningar ökar.\t-\t20\t30\t60",
            "percent",
            True,
        ),
        ("Andelen (%) Botkyrkabor som upplever att de är nöjda.", "percent", False),
    ],
)
def test_has_number(text: str, kind: str, expected: bool) -> None:
    assert has_number(text, kind) is expected  # type: ignore[arg-type]


def test_money_is_not_answered_by_a_share() -> None:
    assert answers_number("Minst 75 % av deltagarna anser det.", "amount")
    assert not answers_number("Minst 75 % av deltagarna anser det.", "money")
    assert answers_number("Avesta betalar 130 000 kr årligen.", "money")


def test_counted_words_and_terms() -> None:
    assert counted_words("Hur många objekt finns i modellen?") == ["objekt", "finns"]
    assert counted_words("Hur ofta möts gruppen?") == []
    assert counted_terms("Hur många objekt finns i modellen?", "sv")[0].startswith("objek")
    # Counting people: the reports write "anställda" or "tjänster".
    assert "anställd" in counted_terms("Hur många personer arbetar på IT-enheten?", "sv")
    # An English noun the glossary cannot translate stays as it is.
    assert counted_terms("How many kilometres of cycle paths are there?", "en")
    # Of two English nouns the second is counted: "tre utvecklingsledare" counts leaders.
    proposals = counted_terms("How many development proposals had the committee received?", "en")
    assert proposals == ["förslag"]
    assert "peopl" in counted_terms("How many people work in the IT unit?", "en")
    # Nouns a count asks for that the glossary knows: "four steps" is "de fyra stegen".
    assert counted_terms("How many steps does the process consist of?", "en") == ["steg"]
    assert counted_terms("How many days did the board get to reply?", "en")[0] == "dag"
    assert counted_terms("How many pages does the report have?", "en") == ["sid"]
    # The verb after a short subject is said of the noun, as in Swedish ("Hur många
    # e-tjänster erbjuder Avesta?"), and is no noun a number counts; not a verb after a
    # long subject or a second question.
    for question, lang in (
        ("How many e-services does Avesta offer?", "en"),
        ("Hur många e-tjänster erbjuder Avesta?", "sv"),
    ):
        assert counted_terms(question, lang) == ["etjänst"]
        assert count_verb_terms(question, lang) == ["erbjud"]
    # Whom the verb's act is for, ending the question, need not be in the counting
    # sentence either ("I Avesta kommun finns ca 132 e-tjänster").
    for question, lang in (
        ("How many e-services does Avesta offer its residents?", "en"),
        ("How many e-services does the municipality offer to its residents?", "en"),
        ("Hur många e-tjänster erbjuder Avesta sina invånare?", "sv"),
    ):
        assert count_verb_terms(question, lang) == ["erbjud", "invån"]
    # How many in all is no verb either.
    assert count_verb_terms("How many e-services does Avesta offer in total?", "en") == ["erbjud"]
    assert count_verb_terms("How many e-services does Avesta offer its residents today?", "en") == [
        "erbjud",
        "invån",
    ]
    # "Antal användare av e-tjänsten" counts users, not the inhabitants asked for.
    assert counted_terms("Hur många invånare använder Botkyrkas e-tjänster?", "sv") == ["invån"]
    assert counted_terms("Hur många digitala tjänster finns?", "sv") == ["digital", "tjänst"]
    assert count_verb_terms("Hur många digitala tjänster finns?", "sv") == []
    assert counted_terms(
        "How many audit questions did each of the five audits set out to answer?", "en"
    ) == ["fråg"]
    assert "roll" not in counted_terms(
        "How many people did PwC interview for the audit, and in which roles?", "en"
    )


def test_a_count_is_of_the_asked_noun_not_of_the_word_number() -> None:
    """ "How many e-services does Avesta offer?" gives the key terms "etjänst", "antal" (of
    "how many") and "erbjud": "antal" is the count itself, no other thing it must be of."""
    hits = [_hit("I Avesta kommun finns ca 132 e-tjänster som går att nå via hemsidan.")]
    terms = ["etjänst", "antal", "erbjud"]
    assert number_evidence(hits, terms, "count", 3, counted=["etjänst"], verbs=["erbjud"])
    assert not number_evidence(hits, terms, "count", 3, counted=["etjänst"])
    # The verb is no noun a number may count: "15 användare" counts no inhabitants.
    users = [_hit("Antalet användare av e-tjänsten ökar till 15 användare år 2020.")]
    words = ["invån", "använd", "etjänst"]
    assert not number_evidence(users, words, "count", 3, counted=["invån"], verbs=["använd"])
    assert number_evidence(users, words, "count", 3, counted=["invån", "använd"])


@pytest.mark.parametrize(
    ("question", "counted"),
    [
        # A part of a whole counts the whole's noun, not its owner ("Avesta").
        ("Hur många av Avesta kommuns e-tjänster kräver inloggning?", ["e-tjänster", "kräver"]),
        ("Hur många av Örebros aktiviteter är pågående?", ["aktiviteter", "är"]),
        ("Hur många av de 66 aktiviteterna gäller IT?", ["aktiviteterna", "gäller"]),
        ("How many of Huddinge's committees have goals?", ["committees", "have"]),
        # The first count asks; "of them" counts what it did.
        ("How many e-services exist, and how many of them need a login?", ["e-services", "exist"]),
        ("Hur många av dem har mål?", []),
    ],
)
def test_counted_words_of_a_part(question: str, counted: list[str]) -> None:
    assert counted_words(question) == counted


def test_count_of_needs_the_counted_noun_next_to_the_number() -> None:
    def politicians(word: str) -> bool:
        return bool(matched_terms(["politiker"], word))

    assert not count_of("Gruppen träffas 4-5 gånger per år.", politicians)
    assert count_of("Gruppen består av fyra politiker från olika partier.", politicians)
    # The noun must be in the number's own sentence or item.
    assert not count_of("Gruppen ska nå fas 3. Politiker har inte deltagit.", politicians)
    assert not count_of("Nämnden ska påbörja fas 3. • Politiker har deltagit.", politicians)

    # People counted in a role: "två personer … som arbetar som strateger".
    def strategists(word: str) -> bool:
        return bool(matched_terms(["strateg"], word))

    said = "Idag finns två personer på IT-enheten som arbetar som strateger mot skolan."
    assert count_of(said, strategists)
    assert not count_of("Två personer på enheten samarbetar med strategerna.", strategists)


def test_one_for_each_is_a_count() -> None:
    def leaders(word: str) -> bool:
        return bool(matched_terms(["programledar"], word))

    assert count_of("Det finns en programledare för varje målområde i programmet.", leaders)
    # The article alone counts nothing.
    assert not count_of("Det finns en programledare som leder arbetet.", leaders)
    assert not has_number("Det finns en programledare som leder arbetet.", "count")


def test_a_part_is_counted_in_the_whole_s_noun() -> None:
    def activities(word: str) -> bool:
        return bool(matched_terms(["aktivitet"], word))

    assert count_of("Det framgår att 37 stycken (56 %) av aktiviteterna är pågående.", activities)
    assert count_of("Hittills är 12 av aktiviteterna genomförda.", activities)
    assert not count_of("Gruppen har 12 möten per år och flera aktiviteter.", activities)


def test_a_change_is_no_count_unless_a_change_is_asked() -> None:
    def posts(word: str) -> bool:
        return bool(matched_terms(["tjänst"], word))

    grown = (
        "Förstärkningar har gjorts inom avdelningen som har utökats med närmare 20-talet tjänster."
    )
    # "Hur många anställda har avdelningen?": the increase is not the headcount …
    assert not count_of(grown, posts)
    # … but it answers "Med hur många tjänster har avdelningen utökats?".
    assert count_of(grown, posts, changes=True)
    assert count_of("Avdelningen har 20 tjänster.", posts)


def _row(text: str, header: str, rank: int) -> Hit:
    """A table row ranked ``rank``, read with its table's ``header``."""
    hit = _hit(text, kind="table")
    chunk = hit.chunk.model_copy(update={"table_header": header, "id": f"t{rank}"})
    return Hit(chunk=chunk, score=1.0, rank=rank)


def _hit(text: str, kind: str = "text") -> Hit:
    chunk = Chunk(
        id="c1",
        doc="a.txt",
        ordinal=0,
        start=0,
        end=len(text),
        text=text,
        index_text=text,
        kind=kind,  # type: ignore[arg-type]
    )
    return Hit(chunk=chunk, score=1.0, rank=1)


def test_number_evidence_counts_what_is_asked() -> None:
    hits = [_hit("Den politiska gruppen träffas 4-5 gånger per år och följer arbetet.")]
    terms = ["politisk", "grupp"]
    assert number_evidence(hits, terms, "count", 3)
    assert not number_evidence(hits, terms, "count", 3, counted=["politiker"])
    users = [_hit("Miljönämnden\tAntal användare av e-tjänsten ökar\t15\t25", kind="table")]
    assert not number_evidence(users, ["miljönämnd"], "count", 3, counted=["e-tjänst"])
    staff = [_hit("Vård\tAntal (%) medarbetare som gått utbildning ökar.\t300\t500", kind="table")]
    assert number_evidence(staff, ["utbildning"], "count", 3, counted=["anställd", "medarbetar"])
    rows = [_hit("Socialnämnden\tAntal e-tjänster\t15\t25", kind="table")]
    assert number_evidence(rows, ["socialnämnd"], "count", 3, counted=["e-tjänst"])
    assert not number_evidence(rows, ["socialnämnd"], "count", 3, counted=["kilometr"])
    # The count must be of the asked thing: users of night cameras are no users of
    # digital keys, though the same noun is counted.
    cameras = [_hit("Trygghetskameror erbjuds. Kameror har installerats hos sju-åtta brukare.")]
    keys = ["bruk", "nyckelhantering", "hemtjänst"]
    assert not number_evidence(cameras, keys, "count", 3, counted=["bruk"])
    assert number_evidence(cameras, ["bruk", "kamer"], "count", 3, counted=["bruk"])


def test_the_sentence_counting_the_asked_noun_comes_first() -> None:
    from assistant.answer.compose import candidates

    text = (
        "Av befintliga e-tjänster är 47 e-tjänster med inloggning och 83 dokument i PDF-format. "
        "Det kan krävas upp till tre olika inloggningar."
    )
    terms = ["inloggning", "e-tjänst"]
    pool = candidates([_hit(text)], terms, number="count", counted=["inloggning"])
    assert pool[0].span.text.startswith("Det kan krävas upp till tre")


def test_a_number_dated_to_another_year_does_not_answer() -> None:
    from assistant.answer.numbers import other_year, years_in

    text = "Driftanslaget för fonden uppgår för år 2020 till 4 mnkr."
    assert years_in(text) == {"2020"}
    assert years_in("Planen (SBN/2021:560) antogs 2022-03-01.") == {"2022"}
    assert other_year(text, {"2021"}) and not other_year(text, {"2020"})
    assert not other_year("Fonden uppgår till 4 mnkr.", {"2021"})  # undated: may answer
    assert not other_year(text, set())  # no year asked
    hits = [_hit(text)]
    assert number_evidence(hits, ["fond"], "money", 3, years={"2020"})
    assert not number_evidence(hits, ["fond"], "money", 3, years={"2021"})


def test_a_number_the_question_states_does_not_answer_it() -> None:
    from assistant.answer.numbers import answers_number, given_numbers

    given = given_numbers(
        "How much of Örebro's 200 mnkr portfolio had been granted by August 2018?"
    )
    # Years say when; they stay possible answers.
    assert given == frozenset({"200"})
    assert not answers_number("finansieras via avsatta medel på 200 mnkr", "money", given)
    assert answers_number("av de 200 mnkr har 72 mnkr beviljats", "money", given)
    assert answers_number("finansieras via avsatta medel på 200 mnkr", "money")


def test_a_span_of_years_in_the_question_is_part_of_a_name() -> None:
    from assistant.answer.numbers import given_numbers

    question = "When did the board adopt its plan for digital transformation 2022–2023?"
    given = given_numbers(question)
    assert given == frozenset({"20222023"})
    # The plan's name again says nothing of when it was adopted …
    assert not answers_number(
        "Kommunstyrelsens plan för digital transformation 2022–2023", "date", given
    )
    # … while a date, even in one of its years, may.
    assert answers_number("Planen antogs 2022.", "date", given)
    assert answers_number("Beslutad av kommunstyrelsen 2022-03-15", "date", given)
    # A span is a date when not asked about.
    assert answers_number("Strategin gäller 2021–2025.", "date")


def test_a_revision_is_dated_by_a_sentence_on_revising() -> None:
    event = asked_event("By when is the digitalisation strategy 2021–2025 to be revised?")
    assert event is not None
    assert event.search("strategin ska revideras under 2024")
    assert not event.search("Mål och budget 2023; Verksamhetsplaner för nämnderna 2023")


def test_a_follow_up_is_dated_by_a_sentence_on_following_up() -> None:
    event = asked_event("När ska strategin följas upp nästa gång?")
    assert event is not None
    assert event.search("Under år 2019 genomfördes en uppföljning av strategin")
    assert event.search("Planen följs årligen upp av nämnden")
    assert not event.search("I strategin tecknas målbilder för år 2021")
    assert asked_event("When was the strategy followed up?") is event


def test_a_decision_is_dated_by_a_decision_not_by_what_it_rests_on() -> None:
    decided = asked_event("När beslutades Huddinges digitaliseringsstrategi?")
    assert decided is not None
    assert decided.search("Kommunfullmäktige beslutade 2019-02-18 om policyn.")
    assert decided.search("Strategin är beslutad av fullmäktige.")
    assert decided.search("2022-11-30 Kommunstyrelsen beslutar om svar på granskningen.")
    assert decided.search("Genom beslut i kommunstyrelsen 2021.")
    assert not decided.search("Dokumentstudier av strategin 2021–2025; Beslutsunderlag 2023.")


def test_being_ready_is_dated_by_a_sentence_on_finishing() -> None:
    event = asked_event("När ska Huddinges nya digitaliseringsstrategi vara klar?")
    assert event is not None
    assert event.search("Strategin ska vara klar senast i juni 2024.")
    assert event.search("Socialnämnden kommer att godkänna planen under februari 2023.")
    assert not event.search("Dokumentstudier av Mål och budget 2023; Beslutsunderlag.")
    assert asked_event("When will the new plan be finished?") is event
    assert asked_event("When is the IT manager to finish the proposal?") is event
    # The period of the strategy in force says not when a new one is ready, nor when the
    # next follow-up is (a question on what is still to come).
    period = [_hit("Det finns en beslutad Digitaliseringsstrategi för åren 2021–2025.")]
    terms = ["digitaliseringsstrategi"]
    assert number_spans(period, terms, "date", 3)
    assert not number_spans(period, terms, "date", 3, future=True)
    assert number_spans(period, terms, "date", 3, future=True, validity=True)


def test_an_increase_is_no_total() -> None:
    from assistant.answer.numbers import ASKS_TOTAL

    increase = "Budgetramen har utökats för år 2020 med 3,5 mnkr för digitaliseringsinsatser."
    assert answers_number(increase, "amount")
    assert not answers_number(increase, "amount", changes=False)
    assert answers_number("Budgetramen uppgår till 40 mnkr.", "amount", changes=False)
    assert ASKS_TOTAL.search("What is the total 2020 budget frame of the department?")
    assert not ASKS_TOTAL.search("How much was the budget frame increased by?")
    text = f"{increase} Avdelningen har fyra enheter."
    question_terms = ["budgetram"]
    assert number_evidence([_hit(text)], question_terms, "amount", 3)
    assert not number_evidence([_hit(text)], question_terms, "amount", 3, total=True)
    assert number_evidence([_hit(text)], question_terms, "amount", 3, changes=True, total=True)


def test_how_things_are_now_is_dated_to_the_reports_year() -> None:
    hit = _hit("IT-enheten är organiserad på förvaltningen och har idag 12 anställda.")
    hit = hit.model_copy(update={"chunk": hit.chunk.model_copy(update={"year": 2021})})
    terms, counted = ["anställd", "enhet", "it"], ["anställd", "person"]
    assert number_evidence([hit], terms, "count", 3, counted, years={"2021"})
    assert not number_evidence([hit], terms, "count", 3, counted, years={"2020"})
    assert number_evidence([hit], terms, "count", 3, counted)


def test_another_season_is_another_time() -> None:
    from assistant.answer.numbers import seasons_in

    assert seasons_in("by autumn 2018") == {"autumn"}
    assert seasons_in("enligt statusrapporten från våren år 2018") == {"spring"}
    # "vår" is also "our", "fall" a case.
    assert seasons_in("Vår bedömning är att det i många fall saknas planer.") == set()
    spring = [_hit("Enligt statusrapporten från våren 2018 är 56 procent av aktiviteterna klara.")]
    terms = ["aktivitet"]
    assert number_evidence(spring, terms, "percent", 3, seasons=frozenset({"spring"}))
    assert not number_evidence(spring, terms, "percent", 3, seasons=frozenset({"autumn"}))
    assert number_evidence(spring, terms, "percent", 3)


def test_an_undated_sentence_is_of_its_report_s_year_unless_its_passage_dates_it() -> None:
    def dated(text: str) -> Hit:
        hit = _hit(text)
        return hit.model_copy(update={"chunk": hit.chunk.model_copy(update={"year": 2023})})

    pot = "Kommunen har avsatt 5 mnkr i en särskild digitaliseringspott."
    terms = ["digitaliseringspot"]
    assert number_evidence([dated(pot)], terms, "money", 3, years={"2023"})
    assert not number_evidence([dated(pot)], terms, "money", 3, years={"2022"})
    # The passage dates it: "Under 2022 …" before it.
    assert number_evidence(
        [dated(f"Under 2022 beslutades om potten. {pot}")], terms, "money", 3, years={"2022"}
    )


def test_a_case_number_counts_nothing() -> None:
    assert not has_number("Beslutad av kommunstyrelsen (KSKF/2021:336)", "count")
    assert has_number("Beslutad av kommunstyrelsen (KSKF/2021:336) med 11 röster", "count")


def test_a_footnote_is_read_with_the_sentence_carrying_its_mark() -> None:
    from assistant.ingest.sentences import footnote_anchor

    text = (
        "Kommunstyrelsen har en beslutad plan för digitalisering³ som utgår från programmet.\n\n"
        "³ Beslutad av kommunstyrelsen 2022-03-15 (KSKF/2021:336)\n\n"
        "Planen innehåller ett stort antal initiativ.¹"
    )
    note = "³ Beslutad av kommunstyrelsen 2022-03-15 (KSKF/2021:336)"
    assert footnote_anchor(note, text).startswith("Kommunstyrelsen har en beslutad plan")
    assert footnote_anchor("Planen innehåller ett stort antal initiativ.", text) == ""
    assert (
        footnote_anchor("¹ En annan not.", text) == "Planen innehåller ett stort antal initiativ.¹"
    )
    assert footnote_anchor("² En not utan märke.", text) == ""
    # The note alone names no plan: with the sentence carrying its mark, it dates one.
    hits = [_hit(text)]
    event = asked_event("När antogs planen?")
    assert number_evidence(hits, ["plan"], "date", 3, owner=["plan"], event=event)
    assert not number_evidence(
        [_hit("Vi har läst planen.\n\n³ Beslutad av kommunstyrelsen 2022-03-15")],
        ["plan"],
        "date",
        3,
        owner=["plan"],
        event=event,
    )


def test_dates_and_case_numbers_are_prose_not_markup() -> None:
    from assistant.ingest.sentences import is_mostly_markup

    assert not is_mostly_markup("³ Beslutad av kommunstyrelsen 2022-03-15 (KSKF/2021:336)")
    assert is_mostly_markup("4.2.1 ........................ 12 13 14 15")


def test_an_outcome_question_needs_a_sentence_that_gives_one() -> None:
    from assistant.answer.compose import outcome_evidence
    from assistant.answer.intent import asks_outcome, without_outcome_words

    question = "Vad kom ändamålsenlighetsanalysen av verksamhetssystemen fram till?"
    assert asks_outcome(question)
    assert asks_outcome("What did the review of the website find?")
    assert not asks_outcome("Vilken analys gjorde socialförvaltningen?")
    assert "kom" not in without_outcome_words(question).split()
    terms = ["ändamålsenlighetsanaly", "verksamhetssystem"]
    made = [_hit("Arbetet har innefattat en ändamålsenlighetsanalys av verksamhetssystemen.")]
    assert not outcome_evidence(made, terms)
    found = [_hit("Ändamålsenlighetsanalysen visade att verksamhetssystemen är för många.")]
    assert outcome_evidence(found, terms)
    # "framgår" about something else is no outcome of the analysis.
    other = [_hit("Av intervju framgår att verksamhetssystemen upplevs som många.")]
    assert not outcome_evidence(other, terms)
    # A table's outcome column counts; "Utfall saknas" says there is none.
    row = "Kommunstyrelsen\tAndelen nöjda med e-tjänsten\tUtfall saknas för 2019."
    table = _hit(row, kind="table").chunk.model_copy(
        update={"table_header": "Nämnd\tMål/mått\tKommentar"}
    )
    nöjda = ["andel", "nöjd", "e-tjänst"]
    assert not outcome_evidence([Hit(chunk=table, score=1.0, rank=1)], nöjda)
    outcome = table.model_copy(update={"table_header": "Nämnd\tMål/mått\tUtfall 2019"})
    assert outcome_evidence([Hit(chunk=outcome, score=1.0, rank=1)], nöjda)


def test_a_lead_in_without_its_list_is_no_candidate() -> None:
    from assistant.answer.compose import candidates

    terms = ["digitaliseringskommitté", "uppgift"]
    cut = "Kommitténs arbete löper till 2019.\n\nDigitaliseringskommittén har till uppgift att:"
    assert not [c for c in candidates([_hit(cut)], terms) if c.span.text.endswith(":")]
    whole = f"{cut}\n\n- Kvalitetssäkra ett arbetssätt.\n- Bereda beslutsunderlag till styrgruppen."
    texts = [c.span.text for c in candidates([_hit(whole)], terms)]
    assert any(
        t.startswith("Digitaliseringskommittén") and t.endswith("styrgruppen.") for t in texts
    )


def test_a_section_heading_word_holds_for_its_sentences() -> None:
    from assistant.answer.compose import candidates

    text = "Kommunallagen och kommunens digitaliseringsstrategi utgör grunden för bedömningen."
    plain = _hit(text)
    under = Hit(
        chunk=plain.chunk.model_copy(update={"section": ["2 Inledning", "2.2 Revisionskriterier"]}),
        score=1.0,
        rank=1,
    )
    terms = ["revisionskriteri"]
    assert not [c for c in candidates([plain], terms) if c.matched]
    assert [c.matched for c in candidates([under], terms)] == [frozenset(terms)]


def test_the_table_of_the_asked_year_comes_first() -> None:
    from assistant.answer.compose import candidates

    follow_up = _row(
        "Kommunstyrelsen\tAndelen (%) nöjda med hemsidan ökar\t25 %\tUtfall saknas.",
        "Nämnd\tMål/mått\tMål 2019\tUtfall 2019",
        1,
    )
    budget = _row(
        "Kommunstyrelsen\tAndelen (%) nöjda med hemsidan.\t53 %\t-",
        "Nämnd\tMål/mått\tUtfall 2018\tMål 2019",
        2,
    )
    terms = ["andel", "nöjd", "hemsida"]
    first = candidates([follow_up, budget], terms, number="percent")[0]
    assert "25 %" in first.span.text
    asked = candidates([follow_up, budget], terms, number="percent", years=frozenset({"2018"}))
    assert "53 %" in asked[0].span.text


def test_the_digit_of_a_name_is_no_count() -> None:
    from assistant.answer.numbers import has_number

    assert not has_number("Arbetet sker enligt bästa praxis ITIL4 sedan början av 2022.", "count")
    assert has_number("Kommunen har 4 anställda.", "count")


def test_another_board_s_number_does_not_answer() -> None:
    row = "Bygglövs- och tillsynsnämnden\tInvesteringarna avser IT-system. Totalt avsätts 3,8 mnkr."
    hits = [_hit(row, kind="table")]
    terms = ["system", "avsat"]
    assert number_evidence(hits, terms, "money", 3)
    assert number_evidence(hits, terms, "money", 3, boards=["Bygglövs- och tillsynsnämnden"])
    assert not number_evidence(hits, terms, "money", 3, boards=["Natur- och stadsmiljönämnden"])
    # A sentence naming no board may still answer for the asked one.
    plain = [_hit("Totalt avsätts 3,8 mnkr till nya IT-system.")]
    assert number_evidence(plain, terms, "money", 3, boards=["Natur- och stadsmiljönämnden"])
    # The name as a user writes it, without the report's diacritic.
    assert number_evidence(hits, terms, "money", 3, boards=["Bygglovs- och tillsynsnämnden"])


def test_a_cost_in_a_table_cell_is_of_its_own_sentence() -> None:
    row = (
        "Bygglövs- och tillsynsnämnden\tTotalt avsätts 3,8 mnkr för 2023. Den största delen "
        "av investeringarna avser nytt verksamhetsstöd till miljötillsyn."
    )
    hits = [_hit(row, kind="table")]
    terms = ["kost", "verksamhetsstöd"]
    # The 3,8 mnkr are all the board's investments, not what the new system costs ...
    assert not number_spans(hits, terms, "money", 3, owner=["verksamhetsstöd"])
    # ... but they are the board's.
    assert number_spans(hits, terms, "money", 3, owner=["tillsynsnämnd"])


def test_a_table_row_going_on_is_its_board_s() -> None:
    rows = (
        "Vård- och omsorgsnämnden\tFörvaltningen ska utreda en digital fixare.\n"
        "\tFör 2023 utökas nämndens budget med 0,9 miljoner kronor för IT-system.\n"
        "Bygglövs- och tillsynsnämnden\tTotalt avsätts 3,8 mnkr för IT-system."
    )
    hits = [_hit(rows, kind="table")]
    terms = ["system"]
    found = number_spans(hits, terms, "money", 3, boards=["Bygglovs- och tillsynsnämnden"])
    assert [rows[s:e] for _, s, e in found] == [
        "Bygglövs- och tillsynsnämnden\tTotalt avsätts 3,8 mnkr för IT-system."
    ]
    found = number_spans(hits, terms, "money", 3, boards=["Vård- och omsorgsnämnden"], changes=True)
    assert [rows[s:e] for _, s, e in found] == [
        "För 2023 utökas nämndens budget med 0,9 miljoner kronor för IT-system."
    ]


def test_a_date_alone_on_its_line_dates_the_entry_below_it() -> None:
    from assistant.ingest.sentences import split_sentences, with_dated_entries

    text = (
        "Vi har gjort följande iakttagelser:\n\n"
        "1. 2022-11-30\nKommunstyrelsen delegerar beslut om fördelning av potten.\n"
        "2. 2023-06-13\nKommunstyrelsen lämnar ett förslag. Driftsbudget omfördelas.\n\n"
        "9 maj 2017\n\nEn mening efter en tom rad.\n"
    )
    spans = [s.text for s in with_dated_entries(text, split_sentences(text))]
    # (The list's numbers are no part of a sentence.)
    assert "2022-11-30\nKommunstyrelsen delegerar beslut om fördelning av potten." in spans
    # Only the next sentence: the entry's second sentence stands on its own.
    assert "2023-06-13\nKommunstyrelsen lämnar ett förslag." in spans
    assert "Driftsbudget omfördelas." in spans
    # A blank line between: the date heads no entry.
    assert "9 maj 2017" in spans and "En mening efter en tom rad." in spans


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("I vilka kommuner intervjuade revisorerna kommundirektören?", True),
        ("In which municipalities did the auditors interview the municipal director?", True),
        ("I vilka granskningar intervjuades IT-chefen?", True),
        # The interviewees, and the interviews as a source, are no event asked.
        ("Vad säger de intervjuade om samverkan?", False),
        ("According to the interviews, which boards lack resources?", False),
    ],
)
def test_an_interview_asked_in_the_active(question: str, asks: bool) -> None:
    event = asked_event(question)
    assert (event is not None) is asks
    if event is not None:
        assert event.search("Intervjuer har genomförts med kommundirektören.")
        assert not event.search("Beslut om delegation till kommundirektören.")


def test_a_date_question_s_event_must_be_said_to_have_happened() -> None:
    started = asked_event("Vilket år startade förvaltningen sin utvecklingsenhet?")
    assert started is not None
    assert not started.search("Under 2022 har samverkan med utvecklingsenheten intensifierats.")
    assert started.search("Förvaltningen startade en utvecklingsenhet under 2021.")
    adopted = asked_event("When did the executive board adopt its plan with budget for 2018?")
    assert adopted is not None
    assert adopted.search(
        "Den 16 januari år 2018 fattade kommunstyrelsen beslut om plan med budget."
    )
    formed = asked_event("When was the digitalisation department set up?")
    assert formed is not None and formed.search("Digitaliseringsavdelningen bildades under 2020.")
    # Dealt with at a meeting: a deadline for the reply is no date of that meeting.
    dealt = asked_event("Vilket datum behandlade kommunstyrelsen sitt svar på granskningen?")
    assert dealt is not None
    assert not dealt.search("Vi önskar att kommunstyrelsen inkommer med svar senast 2023-03-20.")
    assert dealt.search("Kommunstyrelsen behandlade ärendet vid sammanträdet 2023-04-11, § 85.")
    # Interviewed: a committee the IT manager sits on says nothing of an interview.
    interviewed = asked_event("I vilka granskningar intervjuades kommunens IT-chef?")
    assert interviewed is not None
    assert not interviewed.search("Det finns en digitaliseringskommitté med IT-chefen.")
    assert interviewed.search("Intervjuer har genomförts med IT-chef och kommundirektör.")
    assert asked_event("Which audits say the IT manager was interviewed?") is interviewed
    # Those interviewed, as the ones who say something, ask no interview.
    assert asked_event("Vad säger de intervjuade om styrningen?") is None
    # No event named: any date on the topic may answer.
    assert asked_event("Vilket datum ska yttrandet vara inlämnat?") is None


def test_an_outcome_must_be_of_what_the_question_names() -> None:
    from assistant.answer.compose import outcome_evidence, outcome_subject

    question = "Vad visade kompetensinventeringen i Avestas strategiarbete för digitalisering?"
    subject = outcome_subject(question, "sv")
    assert subject == ["kompetensinventering"]
    terms = ["kompetensinventering", "strategiarbet", "digitalisering"]
    planned = [
        _hit(
            "Det framkommer i intervjuer att det varit planerat för workshops för att påbörja "
            "strategiarbetet för digitalisering."
        )
    ]
    assert outcome_evidence(planned, terms)  # most of the terms, and "framkommer" …
    assert not outcome_evidence(planned, terms, subject)  # … but no inventory
    found = [
        _hit("Kompetensinventeringen visade att strategiarbetet för digitalisering saknar mål.")
    ]
    assert outcome_evidence(found, terms, subject)


def test_a_table_row_answers_a_year_by_that_year_s_column() -> None:
    from assistant.answer.numbers import ASKS_TARGET, year_cell_answers

    header = "Styrelse/nämnd\tMål/mått\tUtfall 2018\tMål 2019\tMål 2020\tMål 2023"
    row = "Samhällsbyggnadsnämnden\tAndelen (%) nya ansökningar via e-tjänsten ökar.\t-\t20\t30\t60"
    # What happened in 2020 is not the goal for 2020 …
    assert year_cell_answers(header, row, {"2020"}, target=False) is False
    # … but it answers a question asking for the goal.
    assert year_cell_answers(header, row, {"2020"}, target=True) is True
    # A year the header has no column for: the row says nothing about it.
    assert year_cell_answers(header, row, {"2021"}, target=True) is False
    # A column of the year with no number ("-", "Ökar") answers nothing.
    assert year_cell_answers(header, row, {"2018"}, target=False) is False
    assert year_cell_answers(header, row.replace("\t-\t", "\t46\t"), {"2018"}, False) is True
    # A row going on under the one above lines up with the header's last columns.
    cont = "Andelen användare av felanmälningsappen ökar\t1 390\t1 700\t1 500\t1 800"
    assert year_cell_answers(header, cont, {"2018"}, target=False) is True
    assert year_cell_answers(header, cont, {"2019"}, target=False) is False
    # A header that dates no column leaves the row to the other checks.
    assert year_cell_answers("Nämnd\tUtdrag", "Socialnämnden\t3 mnkr", {"2020"}, False) is None
    # What asks for a goal, and what does not.
    assert ASKS_TARGET.search("Vad var målet för 2020 för andelen e-ansökningar?")
    assert ASKS_TARGET.search("How many users was the app expected to have in 2020?")
    assert not ASKS_TARGET.search("Hur många deltog i bibliotekens aktiviteter under 2019?")


def test_a_goal_column_does_not_answer_what_happened() -> None:
    from assistant.answer.compose import number_evidence

    header = "Nämnd\tMål/mått\tUtfall 2018\tMål 2019\tMål 2020"
    goals = _row(
        "Samhällsbyggnadsnämnden\tAndelen (%) ansökningar via e-tjänsten\t-\t20\t30", header, 1
    )
    terms = ["andel", "ansökning", "tjänst"]
    assert not number_evidence([goals], terms, "percent", 1, years={"2020"})
    assert number_evidence([goals], terms, "percent", 1, years={"2020"}, target=True)
    assert number_evidence([goals], terms, "percent", 1)  # no year asked: the row may answer


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Arbetet med digitalisering följs upp och utvärderas på ett tillräckligt sätt.", True),
        ("Styrelsen följer inte upp målen.", True),
        ("Nämnden har följt upp handlingsplanen.", True),
        ("Följande punkter tas upp i rapporten.", False),
        ("Kommunen följer lagen.", False),
    ],
)
def test_the_particle_verb_says_uppfoljning(sentence: str, expected: bool) -> None:
    assert bool(matched_terms(["uppföljning"], sentence)) is expected


def test_a_footnote_quoted_for_its_date_comes_with_the_sentence_carrying_its_mark() -> None:
    from assistant.answer.compose import _with_anchors, candidates, select

    text = (
        "Kommunstyrelsen har en beslutad plan för digitalisering³ som utgår från programmet.\n\n"
        "³ Beslutad av kommunstyrelsen 2022-03-15 (KSKF/2021:336)\n\n"
        "Planen innehåller ett stort antal initiativ."
    )
    pool = candidates([_hit(text)], ["plan", "kommunstyr", "beslut"], number="date")
    chosen = select(pool, max_n=1, min_n=1, max_passages=1)
    assert [c.span.text for c in chosen] == [
        "³ Beslutad av kommunstyrelsen 2022-03-15 (KSKF/2021:336)"
    ]
    quoted = [c.span.text for c in _with_anchors(chosen, pool)]
    assert quoted[0].startswith("³ Beslutad") and quoted[1].startswith("Kommunstyrelsen har")
    # A sentence that is no footnote comes alone.
    plain = [c for c in pool if c.span.text.startswith("Planen")]
    assert _with_anchors(plain, pool) == plain


def test_what_happened_after_every_report_is_not_in_them() -> None:
    from assistant.answer.numbers import after_reports

    assert after_reports("Which projects did Botkyrka's fund finance in 2021?", [2020]) == 2021
    assert after_reports("Hur mycket fick digitaliseringsfonden 2021?", [2020, 2018]) == 2021
    # A plan, budget or goal for a later year is in the report; an earlier year may be.
    assert after_reports("Vilket mål hade Botkyrka för 2023?", [2020]) is None
    assert after_reports("How much is budgeted for 2024?", [2023]) is None
    assert after_reports("Which projects did the fund finance in 2019?", [2020]) is None
    assert after_reports("Which projects did the fund finance?", [2020]) is None


def test_how_long_something_holds_is_said_by_a_period() -> None:
    """ "När upphör Huddinges digitaliseringsstrategi?" is answered by "för åren 2021–2025",
    not by a sentence naming the strategy beside another year ("Mål och budget för 2023")."""
    from assistant.answer.intent import ASKS_VALIDITY
    from assistant.answer.numbers import says_validity

    for question in (
        "När upphör Huddinges digitaliseringsstrategi?",
        "Till och med vilket år gäller Örebros digitaliseringsstrategi?",
        "When does Huddinge's digitalisation strategy expire?",
        "What period does Botkyrka's strategy cover?",
        "How long is Huddinge's digitalisation strategy valid?",
    ):
        assert ASKS_VALIDITY.search(question), question
    for question in ("När antogs strategin?", "When was the strategy adopted?"):
        assert not ASKS_VALIDITY.search(question), question
    assert says_validity("Det finns en beslutad Digitaliseringsstrategi för åren 2021–2025.")
    assert says_validity("Strategin gäller till och med år 2025.")
    assert says_validity("Kommitténs arbete löper fram till den sista december år 2019.")
    assert says_validity("Planen gäller till och med 31 december 2025.")
    assert not says_validity("Strategin följs upp i Mål och budget för 2023.")
    # A case number is no period ("KSKF/2019-2021").
    assert not says_validity("Ärendet har diarienummer KSKF/2019:351.")
    other_year = [_hit("Digitaliseringsstrategin och Mål och budget för 2023 hänger inte ihop.")]
    period = [_hit("Det finns en beslutad Digitaliseringsstrategi för åren 2021–2025.")]
    terms = ["digitaliseringsstrategi"]
    assert number_spans(other_year, terms, "date", 3)
    assert not number_spans(other_year, terms, "date", 3, validity=True)
    assert number_spans(period, terms, "date", 3, validity=True)


def test_an_undated_sentence_is_of_its_paragraphs_year() -> None:
    """ "Av årsredovisningen 2019 framgår … Socialnämndens mål … utfallet är 49 procent":
    the 49 percent is of 2019, no answer for 2020, though the paragraph names 2020 too."""
    from assistant.answer.compose import framing_year

    text = (
        "Inledning utan år.\n\nAv årsredovisningen 2019 framgår att fem mål är uppfyllda. "
        "Två saknar utfall eftersom undersökningen görs under år 2020. Socialnämndens mål "
        "om andelen e-ansökningar är nästan uppfyllt, utfallet är 49 procent."
    )
    at = text.index("Socialnämndens")
    assert framing_year(text, at) == "2019"
    # The framing sentence itself, and a paragraph opened without one year, frame nothing.
    assert framing_year(text, text.index("Av årsredovisningen")) is None
    assert framing_year(text, text.index("utan")) is None
    hits = [_hit(text)]
    terms = ["andel", "eansökning"]
    assert not number_spans(hits, terms, "percent", 3, years={"2020"})
    assert number_spans(hits, terms, "percent", 3, years={"2019"})


def test_years_covered_holds_each_year_of_a_span() -> None:
    from assistant.answer.numbers import years_covered

    assert years_covered("strategin för 2018–2021 och år 2023") == {
        "2018",
        "2019",
        "2020",
        "2021",
        "2023",
    }
    assert years_covered("planen för 2022-23") == {"2022", "2023"}
    # A date is one year, a case number none.
    assert years_covered("beslutad 2023-12-15 (SBN/2021:560)") == {"2023"}


def test_only_periods_is_a_text_whose_years_are_all_spans() -> None:
    from assistant.answer.numbers import only_periods

    assert only_periods("Det finns en beslutad Digitaliseringsstrategi för åren 2021–2025.")
    assert only_periods("Planen för 2022-23 är beslutad.")
    assert not only_periods("Strategin för 2021–2025 beslutades den 9 maj 2021.")
    assert not only_periods("Kommunfullmäktige beslutade 2019-02-18 om policyn.")
    assert not only_periods("Strategin är beslutad.")
    # "När antogs strategin?": the period it covers dates no adoption; a date does.
    adopted = asked_event("När antogs strategin?")
    assert adopted is not None
    period = [_hit("Det finns en beslutad Digitaliseringsstrategi för åren 2021–2025.")]
    dated = [_hit("Kommunstyrelsen beslutade 2021-03-15 om digitaliseringsstrategin.")]
    terms = ["digitaliseringsstrategi"]
    assert not number_spans(period, terms, "date", 3, event=adopted)
    assert number_spans(dated, terms, "date", 3, event=adopted)
    assert number_spans(period, terms, "date", 3, event=adopted, validity=True)


def test_a_name_the_paragraph_opens_with_holds_for_its_later_sentences() -> None:
    opened = [
        _hit(
            "Avesta kommun har införskaffat en gemensam portal för alla e-tjänster, Open-E. "
            "Portalen är upphandlad i samarbete med Mora. Avesta betalar 130 000 kr i "
            "medlemsavgift årligen och får på så sätt tillgång till portalen."
        )
    ]
    found = number_spans(opened, ["kost", "open"], "money", 1)
    assert [opened[0].chunk.text[s:e] for _, s, e in found] == [
        "Avesta betalar 130 000 kr i medlemsavgift årligen och får på så sätt tillgång till "
        "portalen."
    ]
    # Only a name: the paragraph's common words do not carry over, nor does a name in
    # another paragraph.
    assert not number_spans(opened, ["kost", "samarbete"], "money", 1)
    apart = [_hit("Kommunen har köpt Open-E.\n\nAvesta betalar 130 000 kr i medlemsavgift.")]
    assert not number_spans(apart, ["kost", "open"], "money", 1)
    # The name is also whose cost is asked.
    assert number_spans(opened, ["kost", "open"], "money", 1, owner=["open"])


def test_a_cost_is_of_what_the_question_names() -> None:
    # "Hur mycket kostade den nya enheten Digital utveckling?": the department's added
    # 3,5 mnkr is no cost of the unit, though its paragraph opens with "IT-enheten".
    other = [
        _hit(
            "Inom kommunledningsförvaltningen finns kommunikationsavdelningen som består av "
            "kommunikationsenheten, digitaliseringsenheten, IT-enheten och medborgarcenter. "
            "Budgetramen för kommunikationsavdelningen har utökats för år 2020 med 3,5 mnkr "
            "för utveckling av digitaliseringsinsatser."
        )
    ]
    terms = ["kost", "enhet", "digital", "utveckling"]
    assert number_spans(other, terms, "money", 1, changes=True)
    assert not number_spans(other, terms, "money", 1, changes=True, owner=["enhet"])

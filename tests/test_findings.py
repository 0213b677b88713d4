"""Findings extraction on its own: polarity, verdicts, recommendations, the five reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answer.cited import Cited
from assistant.answer.from_findings import answer_fulfilment, answer_set
from assistant.answer.intent import classify
from assistant.answer.numbers import years_in
from assistant.evaluation.findings_gold import load_gold, score_register
from assistant.findings.extract import extract_findings, is_audit_part
from assistant.findings.polarity import clauses, is_assessment, subject_boards, verdict
from assistant.findings.recommendations import addressees
from assistant.findings.register import board_matches
from assistant.findings.text import shown
from assistant.ingest.chunking import chunk_document
from assistant.ingest.corpus import read_document
from assistant.ingest.metadata import load_metadata
from assistant.models import Chunk, DocMeta, Document, Finding, Hit

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"


def doc_of(text: str, name: str = "x.txt") -> Document:
    return Document(doc=name, sha256="0" * 64, meta=DocMeta(municipality="Alfa"), text=text)


@pytest.fixture(scope="module")
def corpus() -> dict[str, tuple[Document, list[Finding]]]:
    meta = load_metadata(CORPUS)
    out = {}
    for path in sorted(CORPUS.glob("*.txt")):
        doc = read_document(path, CORPUS, meta)
        out[path.name] = (doc, extract_findings(doc))
    return out


# --- polarity and subjects ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Vår bedömning är att kommunstyrelsen, stadsbyggnadsnämnden och vård- och "
            "omsorgsnämnden har beslutat om mål- och handlingsplaner.",
            [("positive", ("Kommunstyrelsen", "Stadsbyggnadsnämnden", "Vård- och omsorgsnämnden"))],
        ),
        (
            "Vår bedömning är att kultur- och fritidsnämnden samt socialnämnden inte har "
            "beslutat om mål- och handlingsplaner.",
            [("negative", ("Kultur- och fritidsnämnden", "Socialnämnden"))],
        ),
        (
            "Vår bedömning är att kommunstyrelsen har beslutat om planer, men att kultur- och "
            "fritidsnämnden inte har det.",
            [("positive", ("Kommunstyrelsen",)), ("negative", ("Kultur- och fritidsnämnden",))],
        ),
        (
            "Det saknas dock mål för utbildningsnämnden och teknik- och fastighetsnämnden.",
            [("negative", ("Utbildningsnämnden", "Teknik- och fastighetsnämnden"))],
        ),
        ("Det saknas inte planer för socialnämnden.", [("positive", ("Socialnämnden",))]),
        (
            "Vi har noterat att samtliga nämnder inte ännu har beslutat om planer.",
            [("partial", ("Samtliga nämnder",))],
        ),
        # Mentioned, not the subject: the sentence is about the audit, not the boards.
        ("Granskningen riktade sig till kommunstyrelsen och socialnämnden.", [("positive", ())]),
        ("Planen togs fram i samverkan med kommunstyrelsen.", [("positive", ())]),
    ],
)
def test_clauses_read_polarity_and_subjects(sentence: str, expected: list) -> None:
    assert [(c.polarity, c.subjects) for c in clauses(sentence)] == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Vi bedömer kontrollmålet som delvis uppfyllt.", "delvis uppfyllt"),
        ("Vår bedömning är att revisionsfrågan kan anses vara delvis uppfylld.", "delvis uppfyllt"),
        ("Vi bedömer att strukturen för e-tjänster inte är ändamålsenlig.", "inte ändamålsenlig"),
        (
            "Granskningens övergripande bedömning är att styrning och uppföljning inte fullt ut "
            "är ändamålsenlig.",
            "inte fullt ut ändamålsenlig",
        ),
        (
            "Vår samlade bedömning är att styrningen **i huvudsak är tillräcklig**.",
            "i huvudsak tillräcklig",
        ),
        (
            "Vår sammanfattande bedömning är att styrelserna inte har säkerställt att "
            "arbetet sker på ett ändamålsenligt sätt.",
            "inte ändamålsenlig",
        ),
        ("Syftet är att bedöma om styrningen är ändamålsenlig.", None),
    ],
)
def test_verdicts(sentence: str, expected: str | None) -> None:
    assert verdict(sentence) == expected


def test_questions_and_purposes_are_not_assessments() -> None:
    assert not is_assessment("Är uppföljningen tillräcklig?", True)
    assert not is_assessment("Syftet med granskningen är att bedöma om styrningen är tillräcklig.")
    assert is_assessment("Vi bedömer att uppföljningen är tillräcklig.")
    assert not is_assessment("Enligt intervju bedöms antalet träffar vara tillräckligt.", False)


def test_board_names_in_odd_case_and_hyphenation() -> None:
    assert subject_boards("KULTUR- OCH FRITIDSNÄMNDEN har inte beslutat om en plan.") == [
        "KULTUR- OCH FRITIDSNÄMNDEN"
    ]
    assert subject_boards("Vård- och\nomsorgsnämnden har en plan.") == ["Vård- och omsorgsnämnden"]


# --- recommendations on small documents -----------------------------------------------------


def recs(text: str) -> list[Finding]:
    return [f for f in extract_findings(doc_of(text)) if f.kind == "recommendation"]


def test_lead_in_with_bullets_and_copies_merged() -> None:
    text = (
        "Sammanfattning\n\nVi rekommenderar kommunstyrelsen att:\n\n"
        "- Revidera strategin för digitalisering.\n- Utvärdera resurserna.\n\n"
        "4 Rekommendationer\n\n"
        "Mot bakgrund av granskningen rekommenderar vi kommunstyrelsen att:\n\n"
        "- Revidera strategin för digitalisering.\n- Utvärdera resurserna.\n"
    )
    found = recs(text)
    assert [f.text for f in found] == [
        "Revidera strategin för digitalisering.",
        "Utvärdera resurserna.",
    ]
    assert all(f.boards == ["Kommunstyrelsen"] and len(f.spans) == 2 for f in found)
    assert found[0].primary.section == ["4 Rekommendationer"]  # the recommendations section
    assert found[0].lead_in == "Mot bakgrund av granskningen rekommenderar vi kommunstyrelsen att:"


def test_umbrella_numbered_and_plain_paragraph_items() -> None:
    text = (
        "Revisionen ger följande rekommendationer:\n\n"
        "Samtliga nämnder med undantag för kommunstyrelsen rekommenderas att:\n\n"
        "- Etablera ett systematiskt arbete.\n\n"
        "1. Utifrån granskningen rekommenderar vi socialnämnden och gymnasienämnden att:\n\n"
        "- Upprätta en plan för digital transformation.\n\n"
        "Vi rekommenderar kommunstyrelsen att:\n\n"
        "Revidera behovet av en digitaliseringsstrategi.\n\n"
        "Ge förvaltningen i uppdrag att tydliggöra styrningen.\n\n"
        "Datum som ovan\n"
    )
    found = recs(text)
    assert [(f.text, f.boards) for f in found] == [
        (
            "Etablera ett systematiskt arbete.",
            ["Samtliga nämnder med undantag för kommunstyrelsen"],
        ),
        ("Upprätta en plan för digital transformation.", ["Socialnämnden", "Gymnasienämnden"]),
        ("Revidera behovet av en digitaliseringsstrategi.", ["Kommunstyrelsen"]),
        ("Ge förvaltningen i uppdrag att tydliggöra styrningen.", ["Kommunstyrelsen"]),
    ]
    assert all(f.lead_in for f in found)


def test_one_sentence_recommendation_and_heading_items() -> None:
    text = (
        "3.1 Bedömning\n\nVi rekommenderar kommunstyrelsen att säkerställa att e-tjänsterna "
        "samlas.\n\nRekommendationer\n\n- För att stärka styrningen rekommenderas att mål "
        "uttrycks på kommunövergripande nivå.\n"
    )
    found = recs(text)
    assert [f.boards for f in found] == [["Kommunstyrelsen"], []]
    assert found[1].lead_in is None and found[1].text.startswith("För att stärka styrningen")


@pytest.mark.parametrize(
    "text",
    [
        "Rekommendationer\n\nInga rekommendationer lämnas.\n",  # a section with no items
        "Bakgrund.\n\nVi rekommenderar kommunstyrelsen att:",  # a lead-in at the very end
        "Vi rekommenderar kommunstyrelsen att:\n\n"
        + "\n".join(f"- Åtgärd {i}." for i in range(500)),
        "",
    ],
    ids=["no-items", "lead-in-at-end", "500-items", "empty"],
)
def test_odd_recommendation_sections_never_fail(text: str) -> None:
    if not text:
        return
    found = recs(text)
    assert all(f.lead_in is None or f.text for f in found)
    if "500" not in text and "Åtgärd" not in text:
        assert found == []
    else:
        assert len(found) == 500


def test_past_recommendations_are_history_not_findings() -> None:
    text = "Revisionsgruppen lämnade 2021 en rekommendation till nämnderna att ta fram mål.\n"
    assert recs(text) == []


# --- the five reports ---------------------------------------------------------------------


def test_register_against_hand_made_gold(corpus: dict) -> None:
    documents = {name: doc.text for name, (doc, _) in corpus.items()}
    findings = [f for _, fs in corpus.values() for f in fs]
    score = score_register(load_gold(REPO / "eval" / "findings.jsonl"), findings, documents)
    assert score.recall >= 0.95, score.missed
    assert score.precision >= 0.9, score.wrong
    assert score.completeness == 1.0, score.incomplete


def test_every_span_shows_the_finding_text(corpus: dict) -> None:
    for doc, findings in corpus.values():
        for f in findings:
            span = f.primary
            assert 0 <= span.start < span.end <= len(doc.text)
            quoted = shown(doc.text[span.start : span.end])
            if " — " in f.text:  # a verdict row: "question — Verdict"
                assert f.topic and f.topic in quoted
            elif f.kind != "response":  # a response may run on over a page break
                said, words = f.text.split(), quoted.split()
                if said != words:
                    # A sentence a page's running header splits is said without it
                    # ("… digitaliseringsinitiativ och [Huddinge kommun … 2023-08-25]
                    # projekt."): a few words cut out in one place.
                    i = next(k for k, (a, b) in enumerate(zip(said, words, strict=False)) if a != b)
                    extra = len(words) - len(said)
                    assert 0 < extra <= 8 and words[:i] + words[i + extra :] == said, f.text
            if span.lead_start is not None:
                assert shown(doc.text[span.lead_start : span.lead_end]) == f.lead_in


def test_orebro_recommendations_are_whole_across_chunks(corpus: dict) -> None:
    _, findings = corpus["orebro-2018-granskning-digitalisering.txt"]
    recs_ = [f for f in findings if f.kind == "recommendation"]
    assert len(recs_) == 3
    assert all(f.boards == ["Kommunstyrelsen"] for f in recs_)
    assert all(f.lead_in == "Vi rekommenderar kommunstyrelsen att" for f in recs_)
    assert recs_[0].primary.section[-1] == "5.2. Rekommendationer"


def test_eskilstuna_polarity_of_plans(corpus: dict) -> None:
    _, findings = corpus["eskilstuna-2023-svar-granskning-digitalisering.txt"]
    about_plans = [
        f for f in findings if f.kind == "assessment" and "handlingsplaner" in f.text and f.boards
    ]
    by_board = {b: f.polarity for f in about_plans for b in f.boards}
    assert by_board["Stadsbyggnadsnämnden"] == "positive"
    assert by_board["Kultur- och fritidsnämnden"] == "negative"
    assert by_board["Grundskolenämnden"] == "negative"


def test_overall_assessments_carry_their_verdict(corpus: dict) -> None:
    overall = {
        name: [f.verdict for f in fs if f.overall and f.kind == "assessment"]
        for name, (_, fs) in corpus.items()
    }
    assert "inte ändamålsenlig" in overall["avesta-2021-granskning-digitalisering.txt"]
    assert (
        "i huvudsak tillräcklig" in overall["botkyrka-2020-granskning-digitaliseringsarbetet.txt"]
    )
    assert "delvis tillräcklig" in overall["huddinge-2023-granskning-digitalisering.txt"]
    assert (
        "inte fullt ut ändamålsenlig"
        in overall["eskilstuna-2023-svar-granskning-digitalisering.txt"]
    )


def test_responses_name_their_board(corpus: dict) -> None:
    _, findings = corpus["eskilstuna-2023-svar-granskning-digitalisering.txt"]
    boards = {b for f in findings if f.kind == "response" for b in f.boards}
    assert {"Kommunstyrelsen", "Socialnämnden", "Kultur- och fritidsnämnden"} <= boards


def test_no_response_is_the_fragment_of_a_paragraph(corpus: dict) -> None:
    # The rest of a paragraph after a page break whose start was no statement
    # ("möjliggörande principerna och bidrar …") is not a response of its own.
    _, findings = corpus["eskilstuna-2023-svar-granskning-digitalisering.txt"]
    responses = [f for f in findings if f.kind == "response"]
    assert responses
    assert not [f.text for f in responses if f.text[:1].islower()]


@pytest.mark.parametrize(
    ("boards", "board", "expected"),
    [
        (["Samtliga nämnder med undantag för kommunstyrelsen"], "Kommunstyrelsen", False),
        (["Samtliga nämnder med undantag för kommunstyrelsen"], "kommunstyrelsens", False),
        (["Samtliga nämnder med undantag för kommunstyrelsen"], "Socialnämnden", True),
        (["Samtliga nämnder"], "Kommunstyrelsen", True),
        (["Socialnämnden"], "socialnämnd", True),
        (["Socialnämnden"], "Kommunstyrelsen", False),
        # "Samtliga nämnder" beside the boards it stands for means those boards only.
        (["Kommunstyrelsen", "Socialnämnden", "Samtliga nämnder"], "Servicenämnden", False),
        (["Kommunstyrelsen", "Socialnämnden", "Samtliga nämnder"], "Socialnämnden", True),
    ],
)
def test_board_matches_honours_the_exception(boards: list[str], board: str, expected: bool) -> None:
    assert board_matches(boards, board) is expected


@pytest.mark.parametrize(
    ("lead", "expected"),
    [
        (
            "Deras bedömning är att kommunstyrelsen och nämnderna inte fullt ut har en "
            "ändamålsenlig styrning. Utifrån bedömningen rekommenderas vård- och "
            "omsorgsnämnden att:",
            ["Vård- och omsorgsnämnden"],
        ),
        ("Kommunstyrelsen rekommenderas även att:", ["Kommunstyrelsen"]),
        (
            "Kultur- och fritidsnämnden samt socialnämnden rekommenderas utöver ovanstående att:",
            ["Kultur- och fritidsnämnden", "Socialnämnden"],
        ),
        ("Vi rekommenderar kommunstyrelsen att:", ["Kommunstyrelsen"]),
    ],
)
def test_addressees_of_a_lead_in(lead: str, expected: list[str]) -> None:
    assert addressees(lead) == expected


def test_responses_belong_to_the_board_whose_decision_they_follow(corpus: dict) -> None:
    # Vård- och omsorgsnämnden's decision runs on under Stadsbyggnadsnämnden's title in
    # the compiled minutes; its statements are its own, and footnotes are no statements.
    _, findings = corpus["eskilstuna-2023-svar-granskning-digitalisering.txt"]
    responses = [f for f in findings if f.kind == "response"]
    by_board = {b: [f.text for f in responses if b in f.boards] for b in ("Stadsbyggnadsnämnden",)}
    assert not [t for t in by_board["Stadsbyggnadsnämnden"] if "vård och omsorg" in t.casefold()]
    assert any(
        "Vård- och omsorgsnämnden" in f.boards and "Framtidens vård och omsorg" in f.text
        for f in responses
    )
    assert not [f.text for f in responses if f.text.startswith("Exempelvis Hasson")]


# --- sub-headings that name an administration -----------------------------------------


def test_subject_heading_names_the_board_of_an_administration() -> None:
    from assistant.findings.extract import subject_heading

    boards = ["Socialnämnden", "Stadsbyggnadsnämnden"]
    assert subject_heading("Socialförvaltningen", boards) == "Socialnämnden"
    assert subject_heading("Stadsbyggnadsförvaltningen", boards) == "Stadsbyggnadsnämnden"
    # No board of that name in the report: the administration itself.
    assert subject_heading("Kommunledningskontoret", boards) == "Kommunledningskontoret"
    assert subject_heading("Barn- och utbildningsförvaltningen", boards) == (
        "Barn- och utbildningsförvaltningen"
    )
    assert subject_heading("Förvaltningen", boards) is None
    assert subject_heading("Socialförvaltningen har en plan.", boards) is None
    # A heading naming one board's plan or strategy: the part below is about that board.
    assert subject_heading("[Vård- och omsorgsnämndens plan 2022](#)", boards) == (
        "Vård- och omsorgsnämnden"
    )
    assert subject_heading(
        "Kommunstyrelsens plan för digital transformation 2022–2023", boards
    ) == ("Kommunstyrelsen")
    assert subject_heading("Kommunstyrelsens plan innehåller mål.", boards) is None
    assert subject_heading("Grundskolenämndens yttrande", boards) is None


def test_an_address_list_is_no_sub_heading() -> None:
    text = (
        "Till\n\nKommunstyrelsen\n\nBildningsstyrelsen\n\nOmsorgsstyrelsen\n\n"
        "V-Dala miljö- och byggnadsnämnd\n\n"
        "Intervjupersoner uppger att de handlingsplaner som finns har beslutats av styrelserna.\n\n"
        "3 Resultat\n\nSocialförvaltningen\n\n"
        "Intervjupersoner uppger att förvaltningen har en plan för arbetet.\n"
    )
    findings, _ = _findings_and_cited(text)
    # The cover letter's recipients, one per line, say nothing about whose sentence follows.
    assert not any("handlingsplaner som finns" in f.text for f in findings if f.boards)
    # A lone sub-heading still does.
    plan = next(f for f in findings if "förvaltningen har en plan" in f.text)
    assert plan.from_heading and plan.boards


def test_a_sentence_going_on_about_the_previous_sentence_s_board() -> None:
    text = (
        "3 Iakttagelser\n\n"
        "Vård- och omsorgsnämndens plan för digital transformation utgår från programmet. "
        "Utifrån nämndens ansvarsområden är målområdet välfärd prioriterat.\n\n"
        "Socialnämnden uppger i sitt svar att de har en plan för att möta rekommendationerna. "
        "Nämnden anser att förvaltningen har resurser för verksamhetsutveckling.\n"
    )
    findings, _ = _findings_and_cited(text)
    welfare = next(f for f in findings if "målområdet välfärd" in f.text)
    assert welfare.boards == ["Vård- och omsorgsnämnden"] and welfare.kind == "observation"
    # In a board's reply, the next sentence about "nämnden" is still the reply.
    opinion = next(f for f in findings if "Nämnden anser" in f.text)
    assert opinion.boards == ["Socialnämnden"] and opinion.kind == "response"


def test_a_reported_att_clause_goes_on_with_the_reply() -> None:
    text = (
        "3 Ärendebeskrivning\n\n"
        "Stadsbyggnadsnämnden uppger i sitt svar att de ställer sig positiv till "
        "rekommendationerna och lämnar några medskick. Bland annat att arbetet som utförs av "
        "kommunledningskontoret förväntas ge en tydligare process kring digitalisering. Samt "
        "att arbetet beräknas stärka förmågan till dokumentation.\n"
    )
    findings, _ = _findings_and_cited(text)
    for start in ("Bland annat att", "Samt att"):
        said = next(f for f in findings if f.text.startswith(start))
        assert said.boards == ["Stadsbyggnadsnämnden"] and said.kind == "response"


def test_sentences_under_an_administration_heading_are_about_its_board() -> None:
    text = (
        "3 Resultat\n\nSocialnämnden och stadsbyggnadsnämnden har granskats.\n\n"
        "Stadsbyggnadsförvaltningen\n\n"
        "Intervjupersoner framför att de inte arbetar med några modeller för behovsanalys.\n\n"
        "4 Slutsats\n\nIntervjupersoner framför att de saknar en tydlig modell för arbetet.\n"
    )
    found = [f for f in extract_findings(doc_of(text)) if f.kind == "observation"]
    by_text = {f.text[:40]: f for f in found}
    under = by_text["Intervjupersoner framför att de inte arb"]
    assert under.boards == ["Stadsbyggnadsnämnden"] and under.from_heading
    assert under.polarity == "negative"
    # The next numbered section ends the sub-heading's reach.
    assert "Intervjupersoner framför att de saknar e" not in by_text
    named = by_text["Socialnämnden och stadsbyggnadsnämnden h"]
    assert not named.from_heading


def test_eskilstuna_administration_sections(corpus: dict) -> None:
    _, findings = corpus["eskilstuna-2023-svar-granskning-digitalisering.txt"]
    models = next(f for f in findings if "modeller för behovsanalys" in f.text)
    assert models.boards == ["Stadsbyggnadsnämnden"] and models.from_heading


@pytest.mark.parametrize(
    ("sentence", "topic", "expected"),
    [
        ("Verksamhetsplanen saknar uppgifter om digitalisering.", "verksamhetsplan", True),
        ("Det målsatta måttet mättes inte under året.", "mått", False),
        ("En plan för digitalisering finns inte i nämnden.", "plan", True),
        ("Nämnden har en plan som inte bara omfattar skolan.", "plan", False),
        ("Det saknas inte planer i nämnden.", "plan", False),
        ("Nämnden har antagit en plan.", "plan", False),
        ("Nämnden har antagit en strategi.", "plan", None),
        # Words of want: it is there but not good enough.
        ("Rollfördelningen är otydlig mellan förvaltningarna.", "rollfördelning", True),
        ("Det finns en otydlig rollfördelning i kommunen.", "rollfördelning", True),
        (
            "Avseende riskanalyser inom ramen för arbetet uppger intervjupersoner att de ser "
            "utvecklingsbehov för det.",
            "riskanalys",
            True,
        ),
        ("Riskanalyser görs i projekten men uppföljningen brister.", "riskanalys", False),
        # A wish for more, a problem with it, a call for a clearer one.
        (
            "Intervjupersonerna lyfter att de önskar att den centrala samordningen skulle stärkas.",
            "samordning",
            True,
        ),
        ("Samordningen av arbetet skulle stärkas enligt förvaltningen.", "samordning", True),
        ("Det finns en upplevd problematik avseende kommunens samordning.", "samordning", True),
        ("Det finns behov av tydligare styrning av arbetet.", "styrning", True),
        ("Samordningen har stärkts under året.", "samordning", False),
        # Not in place yet, or a need the auditors see further on in the sentence.
        ("Uppföljningen av arbetet är i en etableringsfas.", "uppföljning", True),
        (
            "Uppföljning av arbetet sker och vi ser därför behov av en mer systematisk styrning.",
            "uppföljning",
            True,
        ),
        ("Uppföljning görs när behov av det uppstår.", "uppföljning", False),
        ("Det uppgavs att strategin var i behov av revidering.", "strategi", True),
        # Each sentence on its own: the work pending in one is not the next one's topic.
        (
            "Under 2023 ska fas 3 påbörjas. • Nämnden har upphandlat ett digitalt verktyg.",
            "verktyg",
            False,
        ),
        ("Arbetet med att ta fram en plan har påbörjats. Planen saknas.", "plan", True),
        # What goes on is there; only work on it is under way.
        ("Det pågår en ständig omvärldsbevakning i förvaltningarna.", "omvärldsbevakning", False),
        ("Arbete pågår med att ta fram en handlingsplan.", "handlingsplan", True),
        ("Ett pågående införande av e-tjänster.", "e-tjänst", True),
        # What still needs to be made is wanted.
        ("Det behöver etableras en bättre uppföljning.", "uppföljning", True),
        ("Det behöver tas fram en handlingsplan.", "handlingsplan", True),
        ("Förvaltningen har etablerat en uppföljning.", "uppföljning", False),
        ("Det behöver ägnas särskild uppmärksamhet åt eleverna.", "uppmärksamhet", False),
        # Missing, after the topic word's relative clause; not when denied.
        (
            "Resurser i form av personal som arbetar med digitalisering i stort saknas hos "
            "socialförvaltningen.",
            "personal",
            True,
        ),
        ("Det finns personal som arbetar med frågan och som inte saknas.", "personal", False),
    ],
)
def test_lacks_reads_a_lack_after_the_topic_word(
    sentence: str, topic: str, expected: bool | None
) -> None:
    from assistant.findings.polarity import lacks

    assert lacks(sentence, lambda word: word.startswith(topic)) is expected


def _findings_and_cited(text: str, lang: str = "sv") -> tuple[list[Finding], Cited]:
    """The findings of a one-document text and a ``Cited`` that reads that document."""
    doc = doc_of(text)
    return extract_findings(doc), Cited(lang, lambda name: doc.text if name == doc.doc else None)


def _set_answer(
    text: str, question: str, terms: tuple[str, ...] = ("plan",)
) -> list[tuple[str, str]]:
    findings, cited = _findings_and_cited(text)
    years = frozenset(years_in(question))
    return list(
        answer_set(findings, [], classify(question), list(terms), cited, years=years).listed
    )


def test_a_sentence_naming_its_board_outranks_a_sub_heading() -> None:
    named_lack = (
        "3 Bedömning\n\n"
        "Vi bedömer att socialnämnden inte har beslutat om en plan för arbetet.\n\n"
        "Socialförvaltningen\n\n"
        "Intervjupersoner uppger att förvaltningen har en plan för arbetet.\n"
    )
    # The assessment names socialnämnden and says it lacks a plan; the interview remark
    # under the administration's heading does not overrule it.
    assert _set_answer(named_lack, "Vilka nämnder saknar en plan?") == [("Alfa", "Socialnämnden")]
    heading_only = (
        "3 Resultat\n\nSocialförvaltningen\n\n"
        "Intervjupersoner uppger att det saknas en plan för arbetet i förvaltningen.\n\n"
        "Kultur- och fritidsförvaltningen\n\n"
        "Intervjupersoner uppger att förvaltningen har en plan för arbetet.\n\n"
        "4 Slutsats\n\nSocialnämnden och kultur- och fritidsnämnden granskades.\n"
    )
    # No sentence names a board with the topic: the sub-headings answer.
    assert _set_answer(heading_only, "Vilka nämnder saknar en plan?") == [("Alfa", "Socialnämnden")]
    assert _set_answer(heading_only, "Vilka nämnder har en plan?") == [
        ("Alfa", "Kultur- och fritidsnämnden")
    ]


def test_a_topic_word_other_municipalities_speak_of_is_kept() -> None:
    from assistant.answer.from_findings import Topic

    findings, _ = _findings_and_cited(
        "3 Bedömning\n\nVi bedömer att socialnämnden har ansvar för arbetet.\n"
    )
    here = [f for f in findings if f.kind in ("assessment", "observation")]
    assert here
    # "bygglov" is in no finding of this municipality: alone, it would be left out and
    # any sentence on "ansvar" would answer "who is responsible for building permits".
    assert Topic(["ansvar", "bygglov"], here).terms == ["ansvar"]
    elsewhere = [f.model_copy(update={"text": "Nämnden har ansvar för bygglov."}) for f in here]
    topic = Topic(["ansvar", "bygglov"], here, everywhere=elsewhere)
    assert topic.terms == ["ansvar", "bygglov"]
    assert all(topic.score(f) < 0.5 for f in here)


def test_a_quoted_word_must_be_in_the_evidence() -> None:
    text = (
        "3 Bedömning\n\n"
        "Vi bedömer att socialnämnden har en plan för självservice.\n\n"
        "Vi bedömer att kultur- och fritidsnämnden har en plan för arbetet.\n"
    )
    findings, cited = _findings_and_cited(text)
    intent = classify("Vilka nämnder har en plan för 'självservice'?")
    both = answer_set(findings, [], intent, ["plan", "självservic"], cited, min_share=0.4)
    assert len(both.listed) == 2
    quoted = answer_set(
        findings,
        [],
        intent,
        ["plan", "självservic"],
        cited,
        min_share=0.4,
        required=["självservic"],
    )
    assert list(quoted.listed) == [("Alfa", "Socialnämnden")]


def test_a_recommendations_copies_tell_what_it_is_about() -> None:
    from assistant.answer.from_findings import _asked_findings

    text = (
        "3.6 Bedömning\n\nFör att bättre kunna mäta nyttan av ett projekt rekommenderar vi "
        "styrelserna och nämnden att säkerställa att kostnads- och nyttokalkyler samt "
        "uppföljning genomförs.\n\n"
        "4 Rekommendationer\n\nVi rekommenderar kommunstyrelsen att:\n\n"
        "- att förtydliga roll- och ansvarsfördelning och att säkerställa en bättre samordning.\n"
        "- att säkerställa att kostnads- och nyttokalkyler samt uppföljning genomförs.\n"
    )
    doc = doc_of(text)
    findings = extract_findings(doc)
    copies = next(f for f in findings if "nyttokalkyler" in f.text)
    assert len(copies.spans) == 2
    terms = ["nyttan", "mät", "bättr"]

    def text_of(name: str) -> str | None:
        return doc.text if name == doc.doc else None

    asked, _ = _asked_findings(findings, "recommendation", [], None, terms, text_of)
    # Only the primary text: "bättre" picks the wrong item. With its in-text copy ("För
    # att bättre kunna mäta nyttan …") the asked one holds all three terms.
    assert [f.id for f in asked] == [copies.id]
    without, _ = _asked_findings(findings, "recommendation", [], None, terms)
    assert copies.id not in [f.id for f in without]


def test_topic_reads_a_sentence_as_the_set_answers_do() -> None:
    from assistant.answer.from_findings import Topic

    topic = Topic(["mål", "digitalisering"], [])
    # Lack next to a specific topic word; a negation elsewhere is not a lack of the topic.
    assert topic.sentence_polarity("Vi saknar även tydliga mål på kommunövergripande nivå.") == (
        "negative"
    )
    assert topic.sentence_polarity("Målen finns men mättes inte under året.") == "positive"
    assert topic.sentence_polarity("Målen är delvis uppfyllda.") == "partial"
    assert topic.sentence_polarity("Kommunen har en strategi.") is None
    # It differs between the administrations: in place in some, not in others.
    assert topic.sentence_polarity("Hur målen används varierar mellan förvaltningarna.") == (
        "partial"
    )


def test_a_term_no_finding_holds_is_kept_when_reading_other_sentences() -> None:
    from assistant.answer.from_findings import Topic

    finding = next(
        f for f in extract_findings(doc_of("3 Bedömning\n\nVi bedömer att arbetet går bra.\n"))
    )
    # Choosing among findings, "långsam" (in none of them) cannot tell them apart; reading
    # a passage's sentences it is the very word asked about, and specific.
    assert Topic(["arbete", "långsam"], [finding]).terms == ["arbete"]
    sentences = Topic(["arbete", "långsam"], [finding], unseen=True)
    assert sentences.terms == ["arbete", "långsam"] and "långsam" in sentences.specific


def test_set_evidence_comes_from_the_better_ranked_passage() -> None:
    from assistant.answer.from_findings import retrieval_closeness

    text = (
        "3 Iakttagelser\n\n"
        "Socialnämnden har en plan för arbetet med e-tjänster.\n\n"
        "Socialnämnden har en plan för arbetet med bemanning.\n"
    )
    findings, cited = _findings_and_cited(text)
    doc = doc_of(text)
    first = next(f for f in findings if "e-tjänster" in f.text)
    second = next(f for f in findings if "bemanning" in f.text)
    chunk = Chunk(
        id="c",
        doc=doc.doc,
        ordinal=1,
        start=second.primary.start,
        end=second.primary.end,
        text=doc.text[second.primary.start : second.primary.end],
        index_text="x",
    )
    near = retrieval_closeness([Hit(chunk=chunk, score=1.0, rank=1)])
    assert near(second) == 1.0 and near(first) == 0.0
    question = classify("Vilka nämnder har en plan för arbetet?")
    for closeness, expected in ((None, "e-tjänster"), (near, "bemanning")):
        composed = answer_set(findings, [], question, ["plan", "arbete"], cited, near=closeness)
        assert composed.listed == (("Alfa", "Socialnämnden"),)
        assert expected in composed.paragraphs[1]


def test_the_auditors_assessment_is_not_overruled_by_an_observation() -> None:
    text = (
        "3 Bedömning\n\n"
        "Vi bedömer att socialnämnden saknar en plan för digitaliseringen.\n\n"
        "4 Iakttagelser\n\n"
        "Socialnämnden har en plan för digitaliseringen enligt intervjuerna.\n"
    )
    assert _set_answer(text, "Vilka nämnder saknar en plan?") == [("Alfa", "Socialnämnden")]
    # The observation alone is contradicted by the assessment: not listed as having one.
    assert _set_answer(text, "Vilka nämnder har en plan?") == []


def test_a_lack_is_read_on_the_terms_a_sentence_holds_under_its_section() -> None:
    from assistant.answer.from_findings import Topic

    text = (
        "3 Finns mål för digitaliseringen?\n\n"
        "Det saknas dock mål för utbildningsnämnden och socialnämnden.\n\n"
        "4 Övrigt\n\nKulturnämnden saknar mål för e-tjänsterna.\n"
    )
    findings = extract_findings(doc_of(text))
    lack = next(f for f in findings if f.text.startswith("Det saknas dock mål"))
    other = next(f for f in findings if f.text.startswith("Kulturnämnden"))
    # "mål" is common in this report and "digitalisering" specific; the sentence lacks
    # "digitalisering", but its section names it: the lack of "mål" decides.
    digital = lack.model_copy(update={"id": "d", "text": "Nämnden arbetar med digitalisering."})
    pool = [*findings, digital] + [lack.model_copy(update={"id": f"m{i}"}) for i in range(5)]
    topic = Topic(["mål", "digitalisering"], pool)
    assert topic.specific == ["digitalisering"]
    assert topic.polarity(lack) == "negative"
    # Outside such a section a sentence without the specific term says nothing about it.
    assert topic.polarity(other) is None


def test_a_common_term_alone_does_not_make_a_finding_about_the_topic() -> None:
    text = (
        "5 Slutsats\n\n"
        "Vår sammanfattande bedömning är att kommunstyrelsen delvis har tillsett en "
        "tillräcklig styrning av digitaliseringsarbetet.\n\n"
        "Vi bedömer att digitaliseringsarbetet i nämnderna behöver utvecklas.\n\n"
        "Vi bedömer att digitaliseringen går framåt i alla nämnder.\n\n"
        "Bilaga\n\nSocialnämndens verksamhetsplan saknar uppgifter om digitalisering.\n"
    )
    question = "Vilken nämnd saknar uppgifter om digitalisering i verksamhetsplanen?"
    listed = _set_answer(text, question, ("verksamhetsplan", "digitalisering"))
    # "digitalisering" is in every finding; the partial overall verdict on kommunstyrelsen
    # does not name the plan and is no answer.
    assert list(listed) == [("Alfa", "Socialnämnden")]


def test_targets_met_are_read_from_the_verdicts() -> None:
    text = (
        "3 Iakttagelser\n\n"
        "Styrelse/nämnd\tMål/mått\tMål 2019\tUtfall 2019\tBedömning\n"
        "Socialnämnden\tAndel e-ansökningar ökar.\t50 %\t49 %\tNästan/delvis uppfyllt\n"
        "Kulturnämnden\tAntal digitala aktiviteter ökar.\t10\t17\tUppfyllt\n"
        "Tekniska nämnden\tAntal e-tjänster ökar.\t5\t2\tEj uppfyllt\n"
    )
    findings, cited = _findings_and_cited(text, "en")
    met = classify("Which boards met their targets for 2019?")
    assert met.fulfilment and met.kind == "set"
    assert list(answer_fulfilment(findings, [], met, cited).listed) == [("Alfa", "Kulturnämnden")]
    unmet = classify("Which boards did not meet their targets?")
    assert sorted(b for _, b in answer_fulfilment(findings, [], unmet, cited).listed) == [
        "Socialnämnden",
        "Tekniska nämnden",
    ]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Syftet med granskningen har varit att bedöma om uppföljningen är tillräcklig.", True),
        ("Granskningens syfte har varit att bedöma om styrningen är tillräcklig.", True),
        ("Vi bedömer att uppföljningen är tillräcklig.", False),
        ("Dokument som ingått i granskningen är: - Program för digital transformation", True),
        ("Intervjuer har genomförts med digitaliseringsstrateg och IT-chef.", True),
        ("Intervjuer har gjorts med IT-strateg samt ordförande för styrgruppen.", True),
        ("Under granskningen har intervjuer genomförts med IT-chefen.", True),
        ("- Dokumentstudier av Digitaliseringsstrategi 2021–2025; Mål och budget 2023.", True),
        ("Intervjuer med förvaltningen visar att planen saknas.", False),
    ],
)
def test_a_statement_of_purpose_or_method_is_told_from_a_finding(
    sentence: str, expected: bool
) -> None:
    from assistant.findings.extract import describes_the_audit

    assert describes_the_audit(sentence) is expected


def test_a_response_cut_by_a_page_break_is_one_statement() -> None:
    text = (
        "Socialnämnden\n\n"
        "Socialnämndens yttrande över granskningen\n\n"
        "Kommentarer och synpunkter från socialförvaltningen\n\n"
        "Förvaltningen har startat en utvecklingsenhet som ansvarar för att samordna och stödja\n\n"
        "verksamheterna i deras digitaliseringsarbete.\n"
    )
    findings = extract_findings(doc_of(text))
    said = [f.text for f in findings if f.kind == "response"]
    assert any(
        t.startswith("Förvaltningen har startat") and t.endswith("digitaliseringsarbete.")
        for t in said
    ), said


def test_an_assessment_behind_a_board_outweighs_a_contrary_observation() -> None:
    text = (
        "3 Iakttagelser\n\n"
        "Vid tiden för granskningen saknades planer för kulturnämnden och socialnämnden.\n\n"
        "Socialnämnden har dokumenterad planering för arbetet.\n\n"
        "4 Bedömning\n\n"
        "Vår bedömning är att socialnämnden inte har beslutat om planer.\n"
    )
    # The best-matching sentence is an observation, and another observation says the
    # opposite; the auditors' assessment behind socialnämnden keeps it listed.
    listed = _set_answer(
        text, "Vilka nämnder saknade planer vid tiden för granskningen?", ("plan", "granskning")
    )
    assert ("Alfa", "Socialnämnden") in listed and ("Alfa", "Kulturnämnden") in listed


def test_a_topic_word_modifying_another_head_says_nothing_contrary() -> None:
    text = (
        "3 Iakttagelser\n\n"
        "Socialförvaltningen\n\n"
        "Förvaltningen deltar i en styrgrupp med förvaltningschef och personalchef.\n\n"
        "Vidare framgår att personal som arbetar med digitalisering saknas hos "
        "socialförvaltningen.\n"
    )
    # "personalchef" is a chef, not staff: only the lack is said of the staff.
    listed = _set_answer(
        text, "Vilka förvaltningar saknar personal som arbetar med digitalisering?", ("personal",)
    )
    assert listed == [("Alfa", "Socialförvaltningen")]
    # A sentence that has the staff itself says the opposite, and the board is not listed.
    staffed = text.replace("och personalchef", "och personal för digitaliseringen")
    assert (
        _set_answer(
            staffed,
            "Vilka förvaltningar saknar personal som arbetar med digitalisering?",
            ("personal",),
        )
        == []
    )


def test_asked_for_one_board_the_sentence_saying_it_all_answers() -> None:
    text = (
        "3 Iakttagelser\n\n"
        "Vård- och omsorgsnämnden ska utreda möjligheterna att införa en digital fixare.\n\n"
        "Natur- och stadsmiljönämnden ska slutföra utredning om digitala guider.\n"
    )
    findings, cited = _findings_and_cited(text)
    terms = ["utred", "inför", "digital"]
    question = classify("Which committee is to investigate introducing a digital fixer?")
    both = answer_set(findings, [], question, terms, cited)
    assert set(both.listed) == {
        ("Alfa", "Vård- och omsorgsnämnden"),
        ("Alfa", "Natur- och stadsmiljönämnden"),
    }
    one = answer_set(findings, [], question, terms, cited, one=True)
    assert one.listed == (("Alfa", "Vård- och omsorgsnämnden"),)


def test_rare_topic_words_weigh_more() -> None:
    from assistant.answer.from_findings import Topic

    text = (
        "3 Bedömning\n\n"
        + "".join(f"Vi bedömer att digitaliseringen i nämnd {i} går framåt.\n\n" for i in range(9))
        + "Vi bedömer att handlingsplanen för digitaliseringen är konkret.\n"
    )
    topic = Topic(["digitalisering", "handlingsplan"], extract_findings(doc_of(text)))
    # Half the terms, but the common half: too little of the topic.
    assert topic.weighted_share("Digitaliseringen går framåt.") < 0.5
    assert topic.weighted_share("Handlingsplanen är antagen.") > 0.5
    assert topic.weighted_share("Handlingsplanen för digitaliseringen.") == 1.0


def test_a_set_about_money_needs_an_amount() -> None:
    text = (
        "3 Iakttagelser\n\n"
        "Socialnämnden beskriver digitaliseringen i sin verksamhetsplan.\n\n"
        "Kulturnämnden avsätter 3,8 mnkr till digitaliseringen i sin verksamhetsplan.\n"
    )
    findings, cited = _findings_and_cited(text)
    question = classify("Which committees put a money figure on digitalisation in their plans?")
    terms = ["digitalisering", "verksamhetsplan"]
    plain = answer_set(findings, [], question, terms, cited)
    assert set(plain.listed) == {("Alfa", "Socialnämnden"), ("Alfa", "Kulturnämnden")}
    money = answer_set(findings, [], question, terms, cited, money=True)
    assert money.listed == (("Alfa", "Kulturnämnden"),)


def test_a_bullet_in_a_reply_is_a_statement_unless_it_repeats_a_recommendation() -> None:
    text = (
        "4 Rekommendationer\n\n"
        "Vi rekommenderar socialnämnden att:\n\n"
        "- Säkerställa att resurser finns för att bedriva digitaliseringsarbetet.\n\n"
        "Socialnämnden\n\n"
        "Socialnämndens yttrande över granskningen\n\n"
        "Kommentarer och synpunkter från socialförvaltningen\n\n"
        "- Säkerställa att resurser finns för att bedriva digitaliseringsarbetet.\n\n"
        "- Förvaltningen har förstärkt personalstyrkan genom att anställa en utvecklare.\n\n"
        "Kommunstyrelsen och revisorerna önskar synpunkter på granskningen senast 2023-03-20.\n"
    )
    said = [f.text for f in extract_findings(doc_of(text)) if f.kind == "response"]
    assert any(t.startswith("Förvaltningen har förstärkt personalstyrkan") for t in said), said
    assert not any("Säkerställa att resurser" in t for t in said), said
    assert not any("önskar synpunkter" in t for t in said), said


def test_a_lack_of_another_word_does_not_answer_what_is_denied() -> None:
    text = (
        "3 Iakttagelser\n\n"
        "Socialnämnden har inga målsatta mått relaterade till digitalisering.\n\n"
        "Kulturnämnden redovisar att utfall saknas för måttet om digitalisering.\n"
    )
    findings, cited = _findings_and_cited(text, "en")
    question = classify("Which boards had no reported outcome for their digitalisation measure?")
    terms = ["utfall", "digitalisering", "mått"]
    # Without knowing what is denied, "inga målsatta mått" reads as a lack of the topic.
    plain = answer_set(findings, [], question, terms, cited).listed
    assert ("Alfa", "Socialnämnden") in plain
    listed = answer_set(findings, [], question, terms, cited, denied=("utfall",)).listed
    assert listed == (("Alfa", "Kulturnämnden"),)


def test_a_sentence_going_on_about_the_previous_one_s_board_is_about_it() -> None:
    text = (
        "3 Iakttagelser\n\n"
        "Av utbildningsnämndens verksamhetsberättelse framgår att ett nytt system har införts. "
        "Vidare anges att framtagandet av en handlingsplan för förskolorna har påbörjats.\n\n"
        "Vidare anges att arbetet med e-tjänster fortsätter under året.\n"
    )
    findings = extract_findings(doc_of(text))
    plan = next(f for f in findings if "handlingsplan" in f.text)
    assert plan.boards == ["Utbildningsnämnden"] and plan.from_heading
    # A new paragraph does not go on about the last one's board.
    assert not any("e-tjänster" in f.text for f in findings)


def test_all_boards_at_once_does_not_hide_a_remark_under_a_sub_heading() -> None:
    text = (
        "3 Kompetens\n\n"
        "Nämnderna lyfter upp att kompetens behöver riktas mot verksamheten.\n\n"
        "Stadsbyggnadsförvaltningen\n\n"
        "Intervjupersonerna uppger att den digitala kompetensen hos medarbetarna är ojämn.\n"
    )
    listed = _set_answer(
        text, "I vilken förvaltning är den digitala kompetensen ojämn?", ("kompetens", "ojämn")
    )
    assert ("Alfa", "Stadsbyggnadsförvaltningen") in listed


def test_a_finding_s_topic_score_counts_rare_terms_more() -> None:
    from assistant.answer.from_findings import Topic

    places = ["skolan", "vården", "biblioteket", "parkerna", "kontoret", "hamnen"]
    common = [f"Socialnämnden har en god kompetens för arbetet med {p}.\n\n" for p in places]
    text = (
        "3 Iakttagelser\n\n"
        + "".join(common)
        + ("Kulturnämnden har en ojämn kunskap för arbetet med enheterna.\n")
    )
    findings = extract_findings(doc_of(text))
    topic = Topic(["kompetens", "ojämn"], findings)
    rare = next(f for f in findings if "ojämn" in f.text)
    plain = next(f for f in findings if "kompetens" in f.text)
    # Each holds one of the two terms; the rare one counts for more than half.
    assert topic.score(rare) > 0.5 > topic.score(plain) > 0.0


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("Några av styrelserna och nämnden har beslutat om handlingsplaner.", "partial"),
        ("Vissa av de granskade nämnderna saknar planer.", "partial"),
        # "Några av" something else than the boards is not a part of them.
        ("Några av projekten har följts upp.", "positive"),
    ],
)
def test_some_of_the_boards_is_partial(text: str, said: str) -> None:
    from assistant.findings.polarity import polarity

    assert polarity(text) == said


def test_work_on_something_when_it_is_made_is_no_lack() -> None:
    from assistant.findings.polarity import lacks

    def service_or_plan(word: str) -> bool:
        return word.startswith(("tjänst", "plan"))

    # "vid framtagande av en ny tjänst": how new services are made, not one under way.
    said = "Riktlinjen betonar att användare inkluderas vid framtagande av en ny tjänst."
    assert lacks(said, service_or_plan) is False
    # A plan being drawn up is not there yet.
    assert lacks("Arbete pågår med framtagande av en plan.", service_or_plan) is True


def test_asked_for_the_assessment_observations_do_not_answer() -> None:
    text = (
        "3 Iakttagelser\n\n"
        "I Mål och budget 2019 finns nio mått. Socialnämnden har inga mål för digitalisering.\n\n"
        "4 Bedömning\n\n"
        "Vi bedömer att det saknas mål för kultur- och fritidsnämnden.\n"
    )
    findings, cited = _findings_and_cited(text)
    intent = classify("Vilka nämnder saknar mål?")
    # Without the auditors' assessment asked for, the observation answers too …
    both = answer_set(findings, [], intent, ["mål"], cited)
    assert sorted(b for _, b in both.listed) == ["Kultur- och fritidsnämnden", "Socialnämnden"]
    # … "enligt revisorernas bedömning": the assessment alone.
    judged = answer_set(findings, [], intent, ["mål"], cited, assessed=True)
    assert list(judged.listed) == [("Alfa", "Kultur- och fritidsnämnden")]
    # No assessment on the topic: the observation still answers.
    seen = [f for f in findings if f.kind == "observation"]
    only_seen = answer_set(seen, [], intent, ["mål"], cited, assessed=True)
    assert list(only_seen.listed) == [("Alfa", "Socialnämnden")]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # Still to be made: "will be involved in drawing up a plan", "will approve the plan".
        (
            "Under året kommer nämnden involveras i arbetet med att utforma en plan.",
            True,
        ),
        ("Socialnämnden kommer att godkänna förvaltningens plan under februari.", True),
        ("Socialförvaltningen har under 2022 arbetat utifrån en digitaliseringsplan.", False),
        # Made, it is there; being made, it is not yet.
        ("Utbildningsnämnden har utformat en plan för elevers lärande.", False),
        ("Nämnden utformar en plan för elevers lärande.", True),
    ],
)
def test_a_plan_still_to_be_made_is_not_there(sentence: str, expected: bool) -> None:
    from assistant.findings.polarity import lacks

    assert lacks(sentence, lambda word: "plan" in word) is expected


# --- an assessment's reasons ---------------------------------------------------------------


def test_an_assessment_keeps_the_sentences_that_go_on_from_it() -> None:
    # Under a heading other than "Bedömning", only a sentence that goes on from the
    # judgement is its reason.
    text = (
        "4.1.5 Slutsatser\n\n"
        "Det finns en beslutad strategi men vi bedömer att den har en svag styreffekt i arbetet. "
        "Den saknar tydliga mål för arbetet och saknar koppling till fullmäktiges mål. "
        "Mot bakgrund av detta ser vi en risk att styrningen inte bidrar till utvecklingen. "
        "Detta gäller även uppföljningen av strategin i nämnderna.\n\n"
        "Vi bedömer att kommunstyrelsen har en tydlig organisation för digitaliseringen. "
        "De handlingsplaner som finns har beslutats av berörda styrelser.\n"
    )
    findings = extract_findings(doc_of(text))
    strategy = next(f for f in findings if f.text.startswith("Det finns en beslutad"))
    reasons = [text[r.start : r.end] for r in strategy.reasons]
    # At most two, in order, from its own paragraph only.
    assert reasons == [
        "Den saknar tydliga mål för arbetet och saknar koppling till fullmäktiges mål.",
        "Mot bakgrund av detta ser vi en risk att styrningen inte bidrar till utvecklingen.",
    ]
    assert strategy.reasons[0].section == ["4.1.5 Slutsatser"]
    # "De handlingsplaner …" is an article and a noun, not a sentence going on from it.
    organisation = next(f for f in findings if "tydlig organisation" in f.text)
    assert organisation.reasons == []


def test_under_bedomning_the_verdicts_paragraph_goes_on_with_its_grounds() -> None:
    text = (
        "3.4.1 Bedömning\n\n"
        "Vi bedömer att strukturen för e-tjänster i kommunen inte är ändamålsenlig. "
        "Det krävs olika inloggningar för medborgarna beroende på vilket system som används. "
        "Vi rekommenderar kommunstyrelsen att säkerställa att arbetet med e-tjänster påbörjas.\n\n"
        "Kontrollmål\tBedömning\n"
        "Finns det en strategi för arbetet?\tDelvis uppfyllt Vi konstaterar att det finns en "
        "strategi för arbetet med digitalisering. Vi konstaterar dock att strategin inte är känd "
        "i organisationen.\n"
    )
    findings = extract_findings(doc_of(text))
    structure = next(f for f in findings if "strukturen för e-tjänster" in f.text)
    # Any sentence goes on with the grounds, up to the recommendation.
    assert [text[r.start : r.end][:15] for r in structure.reasons] == ["Det krävs olika"]
    # A table's cell has none: its row, quoted whole, holds the comment.
    assert all(f.reasons == [] for f in findings if "strategi" in f.text)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Vi bedömer att strukturen för e-tjänster i kommunen inte är ändamålsenlig.",
            "strukturen för e-tjänster i kommunen inte är ändamålsenlig.",
        ),
        ("Vår bedömning är att målen saknas.", "målen saknas."),
        ("Strukturen för e-tjänster är inte ändamålsenlig.", None),
    ],
)
def test_a_judgement_without_its_frame(sentence: str, expected: str | None) -> None:
    from assistant.findings.polarity import unframed

    assert unframed(sentence) == (expected or sentence)


def test_the_summarys_unframed_verdict_copies_the_framed_one(corpus: dict) -> None:
    doc, findings = corpus["avesta-2021-granskning-digitalisering.txt"]
    structure = [f for f in findings if "trukturen för e-tjänster" in f.text]
    # Summary, assessment section ("Vi bedömer att strukturen …") and conclusions: one.
    assert len(structure) == 1 and len(structure[0].spans) == 3
    assert [doc.text[r.start : r.end][:16] for r in structure[0].reasons] == [
        "Det krävs olika ",
        "Att inte alla e-",
    ]


def test_a_summary_copy_naming_the_compound_is_the_same_finding() -> None:
    from assistant.findings.text import content_stems, copy_similarity

    summary = content_stems(
        "Det finns en beslutad digitaliseringsstrategi men den har svag styreffekt."
    )
    body = content_stems("Det finns en beslutad strategi men den har svag styreffekt.")
    assert copy_similarity(summary, body) == 1.0
    # A word is no head of another unless the joint leaves a whole word before it.
    assert copy_similarity(content_stems("digitalisering pågår"), content_stems("ring pågår")) < 1.0


def test_huddinge_strategy_judgement_has_its_reasons(corpus: dict) -> None:
    doc, findings = corpus["huddinge-2023-granskning-digitalisering.txt"]
    strategy = next(f for f in findings if "svag styreffekt" in f.text)
    # The summary's copy ("digitaliseringsstrategi") and the conclusions' are one finding
    # whose reasons come from the assessment section.
    assert len(strategy.spans) == 3
    assert [doc.text[r.start : r.end][:20] for r in strategy.reasons] == [
        "Den saknar tydliga m",
        "Mot bakgrund av dett",
    ]


def test_recommendations_by_municipality_list_those_on_the_topic() -> None:
    from assistant.answer.from_findings import answer_recommendation_places

    findings = [
        f
        for name in (
            "avesta-2021-granskning-digitalisering.txt",
            "botkyrka-2020-granskning-digitaliseringsarbetet.txt",
            "eskilstuna-2023-svar-granskning-digitalisering.txt",
            "huddinge-2023-granskning-digitalisering.txt",
            "orebro-2018-granskning-digitalisering.txt",
        )
        for f in extract_findings(read_document(CORPUS / name, CORPUS, load_metadata(CORPUS)))
    ]
    texts = {
        p.name: read_document(p, CORPUS, load_metadata(CORPUS)).text for p in CORPUS.glob("*.txt")
    }
    cited = Cited("sv", texts.get)
    composed = answer_recommendation_places(
        findings, [], ["handlingsplan", "plan", "digitalisering"], cited
    )
    # "digitalisering" is in most recommendations: alone it makes none on the topic.
    assert [m for m, _ in composed.listed] == ["Avesta", "Botkyrka", "Eskilstuna"]
    assert (
        composed.paragraphs[0] == "Revisorerna rekommenderar det i: Avesta, Botkyrka, Eskilstuna."
    )
    assert "att anta eller revidera handlingsplan för digitalisering." in "\n".join(
        composed.paragraphs
    )
    # Nothing on the topic: empty, and the question is answered as before.
    none = answer_recommendation_places(findings, [], ["väder"], Cited("sv", texts.get))
    assert none.empty


def test_who_was_commissioned_describes_the_audit() -> None:
    from assistant.findings.extract import describes_the_audit

    assert describes_the_audit(
        "KPMG har av Eskilstuna kommuns revisorer fått i uppdrag att granska digitaliseringen."
    )
    assert describes_the_audit("På uppdrag av de förtroendevalda revisorerna har PwC granskat …")
    # A board given a task is a finding about the board.
    assert not describes_the_audit("Kommunstyrelsen har fått i uppdrag att ta fram en plan.")


# --- audit questions ---------------------------------------------------------------------


def test_each_audit_s_questions_are_extracted(corpus: dict) -> None:
    def asked(name: str) -> list[Finding]:
        return [f for f in corpus[name][1] if f.kind == "audit_question"]

    counts = {name: len(asked(name)) for name in corpus}
    assert counts == {
        "avesta-2021-granskning-digitalisering.txt": 7,
        "botkyrka-2020-granskning-digitaliseringsarbetet.txt": 3,
        "eskilstuna-2023-svar-granskning-digitalisering.txt": 8,
        "huddinge-2023-granskning-digitalisering.txt": 8,
        "orebro-2018-granskning-digitalisering.txt": 4,  # control objectives (kontrollmål)
    }
    avesta = asked("avesta-2021-granskning-digitalisering.txt")
    # An item asking two things is one question; the item after a blank line still counts.
    assert avesta[1].text.startswith("Finns det strukturerade arbetsätt kring kostnads-")
    assert avesta[1].text.endswith("Följer styrelsen upp att de förväntade nyttorna realiserar?")
    assert avesta[-1].text.startswith("Sker en ändamålsenlig uppföljning och utvärdering")
    # The summary's copy and the introduction's are one question with two spans.
    botkyrka = asked("botkyrka-2020-granskning-digitaliseringsarbetet.txt")
    assert [len(f.spans) for f in botkyrka] == [2, 2, 2]
    for name in corpus:
        doc = corpus[name][0]
        for f in asked(name):
            assert " ".join(doc.text[f.primary.start : f.primary.end].split()) == f.text


@pytest.mark.parametrize(
    "text",
    [
        # A lead-in at the end of the document, or followed by prose: no questions.
        "2.1 Syfte\n\nGranskningen avser att besvara följande revisionsfrågor:\n",
        "Följande revisionsfrågor har besvarats:\n\nRevisionskriterierna utgörs av lagar.\n",
        # A verdict table's lead-in ends in a colon too, but rows are no items.
        "Bedömningen baseras på bedömning av respektive revisionsfråga:\n\nFråga\tBedömning\n",
    ],
)
def test_a_lead_in_without_items_gives_no_audit_questions(text: str) -> None:
    assert not [f for f in extract_findings(doc_of(text)) if f.kind == "audit_question"]


def test_audit_questions_in_a_board_s_reply_are_not_the_audit_s() -> None:
    text = (
        "Kommunstyrelsens yttrande\n\nI granskningen har följande revisionsfrågor besvarats:\n\n"
        "- Finns en övergripande styrning av digitaliseringsarbetet?\n"
    )
    # A reply that quotes the audit's questions restates them: the report's list is the one.
    assert not [f for f in extract_findings(doc_of(text)) if f.kind == "audit_question"]
    report = text.replace("Kommunstyrelsens yttrande", "2.1 Syfte och revisionsfrågor")
    found = [f for f in extract_findings(doc_of(report)) if f.kind == "audit_question"]
    assert [f.text for f in found] == ["Finns en övergripande styrning av digitaliseringsarbetet?"]


def test_a_control_objective_naming_a_board_is_a_verdict_row() -> None:
    """ "Det finns en av kommunstyrelsen … fastställda mål …" names a board but is a
    question with its verdict, not a row about kommunstyrelsen."""
    text = (
        "Bedömning mot kontrollmål\n\n"
        "Kontrollmål\tKommentar\n"
        "Det finns en av kommunstyrelsen fastställd strategi som är känd i organisationen.\t"
        "Delvis uppfyllt Vi konstaterar att strategin inte är känd.\n"
        "Socialnämnden\tDelvis uppfyllt\n"
    )
    findings = extract_findings(doc_of(text))
    rows = {f.topic: f.verdict for f in findings if " — " in f.text}
    question = "Det finns en av kommunstyrelsen fastställd strategi som är känd i organisationen."
    assert rows == {question: "delvis uppfyllt"}


def test_a_table_row_under_the_topic_has_only_what_it_and_its_section_name() -> None:
    from assistant.answer.from_findings import Topic

    findings, _ = _findings_and_cited("3 Bedömning\n\nVi bedömer att nämnden har en plan.\n")
    base = findings[0]

    def row(text: str) -> Finding:
        return base.model_copy(
            update={"id": text[:12], "text": text, "topic": "Utdrag ur verksamhetsplaner 2023"}
        )

    plans = Topic(["verksamhetsplan"], [], unseen=True)
    assert plans.polarity(row("Socialnämnden | Förvaltningen ska införa e-tjänster.")) == "positive"
    strategy = Topic(["verksamhetsplan", "digitaliseringsstrategi"], [], unseen=True)
    assert strategy.polarity(row("Socialnämnden | Förvaltningen ska införa e-tjänster.")) is None
    named = row("Kulturnämnden | Enligt digitaliseringsstrategi 2021–2025 behövs insatser.")
    assert strategy.polarity(named) == "positive"


def test_a_copy_of_a_list_item_is_read_with_its_lead_in_not_its_siblings() -> None:
    from assistant.answer.from_findings import _copy_sentence
    from assistant.models import FindingSpan

    doc = (
        "Mot bakgrund av vår granskning rekommenderar vi kommunstyrelsen:\n\n"
        "- att säkerställa att arbetet med e-tjänster på Open-E påbörjas.\n"
        "- att säkerställa att det strategiska digitaliseringsarbetet återupptas snarast."
    )
    item = "- att säkerställa att det strategiska"
    start = doc.index(item) + 2
    lead_end = doc.index(":") + 1
    span = FindingSpan(start=start, end=len(doc), lead_start=0, lead_end=lead_end)
    read = _copy_sentence(doc, span)
    assert read.startswith("Mot bakgrund av vår granskning rekommenderar vi kommunstyrelsen:")
    assert "återupptas snarast" in read
    assert "e-tjänster" not in read  # the item before is another recommendation


@pytest.mark.parametrize(
    ("sentence", "unnamed"),
    [
        ("Några av styrelserna och nämnden har beslutat om handlingsplaner.", True),
        ("Uppföljningen varierar mellan förvaltningarna.", True),
        ("I flera av nämndernas verksamhetsberättelser rapporteras om åtgärder.", True),
        ("Inom vissa förvaltningar saknas uppföljning helt.", True),
        # How many, not which; or boards that are named.
        ("Större projekt som berör flera förvaltningar kan söka centrala medel.", False),
        ("Kommunstyrelsen och socialnämnden har beslutat om planer.", False),
    ],
)
def test_a_sentence_of_unnamed_boards(sentence: str, unnamed: bool) -> None:
    from assistant.findings.polarity import of_unnamed_boards

    assert of_unnamed_boards(sentence) is unnamed


def _corpus_register() -> tuple[list[Finding], Cited]:
    docs = [read_document(p, CORPUS, load_metadata(CORPUS)) for p in sorted(CORPUS.glob("*.txt"))]
    texts = {d.doc: d.text for d in docs}
    return [f for d in docs for f in extract_findings(d)], Cited("sv", texts.get)


def test_recommendations_off_the_asked_topic_say_so() -> None:
    from assistant.answer.from_findings import answer_recommendations

    findings, cited = _corpus_register()
    intent = classify("Vilka rekommendationer ger revisorerna om informationssäkerhet?")
    composed = answer_recommendations(findings, ["Huddinge"], intent, ["informationssäker"], cited)
    assert composed.paragraphs[0].startswith("Ingen av de 3 rekommendationer"), composed.paragraphs
    # All three follow.
    assert "\n".join(composed.paragraphs).count("- ”") == 3
    on_topic = answer_recommendations(
        findings, ["Huddinge"], intent, ["digitaliseringsstrategi"], cited
    )
    assert not on_topic.paragraphs[0].startswith("Ingen av")


def test_a_table_row_keeps_its_table_s_header() -> None:
    text = (
        "3 Finns mål för digitaliseringen?\n\n"
        "I budgeten finns följande mål:\n\n"
        "Styrelse/nämnd\tMål/mått\tMål 2019\tMål 2020\n"
        "Miljönämnden\tAntal användare av e-tjänsten ökar.\t-\t15\n"
        "\tAndelen digitala ansökningar ökar.\t10\t20\n"
        "Kulturnämnden\tAndelen digitala utlån ökar.\t75\tÖkar\n\n"
        "Vi bedömer att mål för digitaliseringen finns.\n"
    )
    findings, _ = _findings_and_cited(text)
    rows = [f for f in findings if " | " in f.text]
    assert [f.boards for f in rows] == [["Miljönämnden"], ["Miljönämnden"], ["Kulturnämnden"]]
    assert {f.table_header for f in rows} == {"Styrelse/nämnd\tMål/mått\tMål 2019\tMål 2020"}
    assert all(f.table_header is None for f in findings if " | " not in f.text)


def test_a_set_for_a_year_reads_that_year_s_column_and_sentences() -> None:
    text = (
        "3 Finns mål för digitaliseringen?\n\n"
        "I budgeten för år 2020 finns följande mål för digitaliseringen:\n\n"
        "Styrelse/nämnd\tMål/mått\tMål 2019\tMål 2020\n"
        "Miljönämnden\tAntal användare av e-tjänsten ökar.\t-\t15\n"
        "Kulturnämnden\tAndelen digitala utlån ökar.\t75\tÖkar\n"
        "Socialnämnden\tAndelen e-ansökningar ökar.\t–\tÖkar\n\n"
        "Av tekniska nämndens mål för år 2020 framgår att nämnden ska digitalisera "
        "felanmälan.\n\n"
        "Av vård- och omsorgsnämndens mål för perioden 2018–2021 framgår att nämnden ska "
        "digitalisera larmen.\n"
    )
    question = "Vilka nämnder har mål för digitaliseringen 2019?"
    terms = ("mål", "digitalisering")
    # A "-" in the 2019 column is no goal for 2019, nor is a goal only of 2020; a period
    # that holds 2019 is one.
    assert sorted(b for _, b in _set_answer(text, question, terms)) == [
        "Kulturnämnden",
        "Vård- och omsorgsnämnden",
    ]
    # For 2020 "Ökar" is a goal.
    question = "Vilka nämnder har mål för digitaliseringen 2020?"
    assert sorted(b for _, b in _set_answer(text, question, terms)) == [
        "Kulturnämnden",
        "Miljönämnden",
        "Socialnämnden",
        "Tekniska nämnden",
        "Vård- och omsorgsnämnden",
    ]


def test_each_report_s_scope_names_the_boards_it_covers(
    corpus: dict[str, tuple[Document, list[Finding]]],
) -> None:
    scopes = {
        name.split("-")[0]: [f for f in findings if f.kind == "scope"]
        for name, (_, findings) in corpus.items()
    }
    assert {m: [f.boards for f in fs] for m, fs in scopes.items()} == {
        "avesta": [
            [
                "Kommunstyrelsen",
                "Omsorgsstyrelsen",
                "Bildningsstyrelsen",
                "Miljö- och byggnadsnämnden",
            ]
        ],
        "botkyrka": [["Kommunstyrelsen"]],
        "eskilstuna": [
            [
                "Kommunstyrelsen",
                "Grundskolenämnden",
                "Gymnasienämnden",
                "Kultur- och fritidsnämnden",
                "Socialnämnden",
                "Stadsbyggnadsnämnden",
                "Vård- och omsorgsnämnden",
            ]
        ],
        "huddinge": [["Kommunstyrelsen"]],
        "orebro": [["Kommunstyrelsen"]],
    }
    # The sentence is the evidence; what an audit sets out to do is no scope.
    assert scopes["botkyrka"][0].text.startswith("Granskningen avgränsas till att gälla")
    assert not any("avser att besvara" in f.text for fs in scopes.values() for f in fs)


@pytest.mark.parametrize(
    "sentence",
    [
        "Granskningen avser att besvara följande revisionsfrågor:",
        "Granskningen avgränsas till 2020.",
        "Granskningen omfattar digitaliseringsarbetet under 2022.",
    ],
)
def test_a_sentence_on_the_audit_naming_no_board_is_no_scope(sentence: str) -> None:
    findings = extract_findings(doc_of(f"2 Inledning\n\n{sentence}\n"))
    assert not [f for f in findings if f.kind == "scope"]


def test_shortcomings_are_the_assessments_finding_something_lacking() -> None:
    from assistant.answer.from_findings import answer_shortcomings

    text = (
        "3 Uppföljning\n\n3.1 Bedömning\n\n"
        "Vi bedömer att uppföljningen av digitaliseringsarbetet inte är tillräcklig.\n\n"
        "4 Organisation\n\n4.1 Bedömning\n\n"
        "Vi bedömer att organisationen för digitaliseringsarbetet är ändamålsenlig.\n\n"
        "Vi bedömer att resurserna delvis är tillräckliga.\n\n"
        "5 Slutsats\n\n"
        "Vår sammanfattande bedömning är att kommunstyrelsen delvis har en tillräcklig "
        "styrning av digitaliseringsarbetet.\n"
    )
    findings, cited = _findings_and_cited(text)
    composed = answer_shortcomings(findings, [], cited)
    head, lines = composed.paragraphs
    assert head == "Revisorernas bedömningar i Alfa kommun som pekar på brister (3):"
    # The overall assessment first, then in the report's order; what is sound is left out.
    assert [line.split("”")[1][:30] for line in lines.split("\n")] == [
        "Vår sammanfattande bedömning ä",
        "Vi bedömer att uppföljningen a",
        "Vi bedömer att resurserna delv",
    ]
    # A topic asked: only those on it (with their section's topic).
    on_topic = answer_shortcomings(findings, [], cited, terms=["uppföljning"])
    assert on_topic.paragraphs[0].endswith("(1):")
    assert answer_shortcomings(findings, [], cited, terms=["e-tjänst"]).empty


def test_the_audit_part_of_the_bundle_of_replies(corpus: dict) -> None:
    doc, _ = corpus["eskilstuna-2023-svar-granskning-digitalisering.txt"]
    parts = {c.section[0] for c in chunk_document(doc, 180) if c.section}
    audit = {p for p in parts if is_audit_part([p])}
    assert audit == {"Revisorernas granskning av kommunens digitaliseringsarbete"}
    # The boards' replies name the report they answer, but are no part of it.
    assert not is_audit_part(
        [
            "Socialnämndens yttrande över Revisionsrapport: Granskning av kommunens "
            "digitaliseringsarbete"
        ]
    )
    assert not is_audit_part([]) and not is_audit_part(["Anmälan av kommunrevisionens granskning"])


def test_a_sentence_a_page_break_split_is_one_finding(corpus: dict) -> None:
    _, findings = corpus["eskilstuna-2023-svar-granskning-digitalisering.txt"]
    texts = [f.text for f in findings]
    # "… kommunrevisionen påpekar också att samtliga nämnder ännu inte" / (page break) /
    # "har beslutat om mål- och handlingsplaner …": one sentence, not half of one.
    assert not any(t.endswith("samtliga nämnder ännu inte") for t in texts)
    assert not any(t.startswith("har beslutat om mål- och handlingsplaner") for t in texts)
    whole = [t for t in texts if "påpekar också att samtliga nämnder ännu inte har beslutat" in t]
    assert whole and all(t.endswith("Program för digital transformation.") for t in whole), whole


def test_a_sentence_split_by_a_page_s_running_header_is_one_finding(corpus: dict) -> None:
    _, findings = corpus["huddinge-2023-granskning-digitalisering.txt"]
    risk = next(f for f in findings if f.text.startswith("Utifrån de exempel på underlag"))
    assert risk.text.endswith("vid digitaliseringsinitiativ och projekt."), risk.text
    assert "2023-08-25" not in risk.text and "Huddinge kommun" not in risk.text
    assert not any(f.text == "projekt." for f in findings)


def test_each_report_s_method_section_is_read_sentence_by_sentence_and_item_by_item(
    corpus: dict,
) -> None:
    method = {
        name: [f for f in findings if f.kind == "method"] for name, (_, findings) in corpus.items()
    }
    # Every report says how its audit was done.
    assert all(method.values()), {k: len(v) for k, v in method.items()}
    eskilstuna = method["eskilstuna-2023-svar-granskning-digitalisering.txt"]
    documents = [f for f in eskilstuna if f.lead_in == "Dokument som ingått i granskningen är:"]
    assert len(documents) == 9 and documents[0].text == "Program för digital transformation"
    roles = [
        f.text
        for f in eskilstuna
        if f.lead_in == "Intervjuer har genomförts med följande funktioner:"
    ]
    assert roles[:2] == ["Digitaliseringsstrateg", "IT-direktör"] and len(roles) == 6
    assert "Rapporten är faktakontrollerad av verksamhetsföreträdare." in [
        f.text for f in eskilstuna
    ]
    # Örebro's interviews run over a page break; its scope sentence is the scope's.
    orebro = [f.text for f in method["orebro-2018-granskning-digitalisering.txt"]]
    assert orebro[0].endswith("förvaltningen för förskola och skola samt kommundirektören.")
    assert not any(t.startswith("Granskningen avgränsar sig") for t in orebro)
    # The method section only: no finding of the results is a method.
    assert all(
        f.primary.section[-1].endswith(("Metod", "Metod och avgränsning"))
        for fs in method.values()
        for f in fs
    )

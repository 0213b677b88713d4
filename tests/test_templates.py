"""Template sentences (shared by reports of several municipalities) and lead-ins with lists."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.ingest.sentences import split_sentences, with_lists
from assistant.ingest.templates import sentence_key, template_keys
from assistant.models import DocMeta, Document

DISCLAIMER = "KPMG AB tar inte ansvar för om andra än uppdragsgivaren använder dokumentet."
CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def doc(name: str, municipality: str | None, text: str) -> Document:
    return Document(doc=name, sha256="0" * 64, meta=DocMeta(municipality=municipality), text=text)


def test_sentence_shared_by_two_municipalities_is_template() -> None:
    docs = [
        doc(
            "a.txt", "Avesta", f"Avesta har en strategi för digitalisering sedan 2019. {DISCLAIMER}"
        ),
        doc("h.txt", "Huddinge", f"{DISCLAIMER}\nHuddinge saknar en plan för e-tjänster helt."),
    ]
    keys = template_keys(docs)
    assert keys == {sentence_key(DISCLAIMER)}


def test_repeats_within_one_municipality_and_short_sentences_are_not_templates() -> None:
    summary = "Kommunstyrelsen har inte säkerställt en tillräcklig uppföljning av arbetet."
    docs = [
        doc("a1.txt", "Avesta", f"{summary}\nSe bilaga 1."),
        doc("a2.txt", "Avesta", f"Sammanfattning. {summary}"),
        doc("h.txt", "Huddinge", "Se bilaga 1."),
    ]
    assert template_keys(docs) == frozenset()


def test_documents_without_municipality_count_as_their_own_place() -> None:
    docs = [doc("x.txt", None, DISCLAIMER), doc("y.txt", None, DISCLAIMER)]
    assert template_keys(docs) == {sentence_key(DISCLAIMER)}


def test_key_ignores_case_and_whitespace() -> None:
    assert sentence_key("KPMG AB tar  inte\nansvar.") == sentence_key("kpmg ab tar inte ansvar.")


def test_the_kpmg_disclaimer_is_a_template_of_the_sample_corpus() -> None:
    texts = {p.name: p.read_text(encoding="utf-8") for p in CORPUS.glob("*.txt")}
    places = {name: name.split("-")[0] for name in texts}
    keys = template_keys(doc(n, places[n], t) for n, t in texts.items())
    disclaimer = "KPMG AB tar inte ansvar för om andra än uppdragsgivaren använder dokumentet och informationen i dokumentet."  # noqa: E501
    assert sentence_key(disclaimer) in keys
    finding = "Det finns en beslutad Digitaliseringsstrategi för åren 2021–2025."
    assert sentence_key(finding) not in keys


LIST = (
    "Bakgrund till granskningen.\n"
    "Vi rekommenderar kommunstyrelsen:\n\n"
    "- att anta en handlingsplan för digitalisering.\n"
    "- att följa upp arbetet. Uppföljningen ska ske årligen.\n"
    "\nNästa stycke börjar här."
)


def test_lead_in_is_joined_with_its_list_and_items_stay() -> None:
    spans = with_lists(LIST, split_sentences(LIST), max_words=100)
    texts = [s.text for s in spans]
    block = next(t for t in texts if t.startswith("Vi rekommenderar"))
    assert block.endswith("Uppföljningen ska ske årligen.")
    assert "att anta en handlingsplan för digitalisering." in texts
    assert "Nästa stycke börjar här." in texts and not block.endswith("här.")
    for s in spans:
        assert LIST[s.start : s.end] == s.text


@pytest.mark.parametrize("max_words", [1, 8])
def test_lead_in_block_keeps_at_least_its_first_item(max_words: int) -> None:
    spans = with_lists(LIST, split_sentences(LIST), max_words=max_words)
    block = next(s.text for s in spans if s.text.startswith("Vi rekommenderar"))
    assert block.endswith("att anta en handlingsplan för digitalisering.")


def test_colon_without_a_list_stays_a_sentence() -> None:
    text = "Det gäller följande:\nNågot helt annat står här."
    spans = with_lists(text, split_sentences(text), max_words=100)
    assert [s.text for s in spans] == ["Det gäller följande:", "Något helt annat står här."]


def test_lead_in_continues_through_a_nested_lead_in() -> None:
    text = (
        "Revisionen ger följande rekommendationer:\n\n"
        "Samtliga nämnder rekommenderas att:\n\n"
        "- Säkerställa resurser för arbetet.\n\n"
        "Kommunstyrelsen svarar positivt."
    )
    spans = with_lists(text, split_sentences(text), max_words=100)
    assert spans[0].text.startswith("Revisionen ger") and spans[0].text.endswith("arbetet.")
    assert spans[-1].text == "Kommunstyrelsen svarar positivt."

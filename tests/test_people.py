"""Signature blocks: who signed a report in which role, and the questions they answer."""

from __future__ import annotations

from assistant.answer.cited import Cited
from assistant.answer.people import answer_people, asked_roles, signatories
from assistant.models import DocMeta, Document

TEXT = (
    "Revisionsrapport\n\n"
    "För revisorerna i Alfa kommun\n\n"
    "Britta Bjelle\n\nOrdförande\n\n"
    "Lars Östring\n\nVice ordförande\n\n"
    "3 Bedömning\n\n"
    "Vi bedömer att kommunstyrelsen delvis har en plan. Socialnämndens ordförande Eva Berg\n"
    "deltog i intervjun.\n\n"
    "Anna Hägg\n\nUppdragsledare\n\n"
    "Per Lind\n\nKommunal revisor, projektledare\n\n"
    "Karin Nord\n\n"
)


def _doc() -> Document:
    return Document(doc="a.txt", sha256="1" * 64, meta=DocMeta(municipality="Alfa"), text=TEXT)


def test_signatories_are_names_with_the_role_under_them() -> None:
    found = [(p.name, p.role) for p in signatories(_doc())]
    assert found == [
        ("Britta Bjelle", "Ordförande"),
        ("Lars Östring", "Vice ordförande"),
        ("Anna Hägg", "Uppdragsledare"),
        ("Per Lind", "Kommunal revisor, projektledare"),
    ]  # "Karin Nord" has no role under her name; "Eva Berg" is inside a sentence


def test_asked_roles() -> None:
    assert asked_roles("Vem var projektledare för granskningen?") == ["projektledare"]
    assert asked_roles("Who chairs the municipal auditors?") == ["ordförande"]
    # Who carried out the audit: the firm's people, not the elected auditors.
    performed = asked_roles("Vem genomförde granskningen?")
    assert "projektledare" in performed and "kommunal revisor" in performed
    assert "ordförande" not in performed and "revisor" not in performed
    assert asked_roles("Who did KPMG interview for the audit?") == []
    assert asked_roles("Which KPMG auditors carried out the review?") == performed


def test_answer_people_cites_the_signature_lines() -> None:
    doc = _doc()
    cited = Cited("sv", lambda name: doc.text if name == doc.doc else None)
    composed = answer_people({doc.doc: doc}, ["Alfa"], "Vem var projektledare?", cited)
    assert composed.paragraphs == [
        "Alfa kommun: Kommunal revisor, projektledare – Per Lind. "
        "”Per Lind Kommunal revisor, projektledare” [1]"
    ]
    chair = answer_people({doc.doc: doc}, [], "Vem är ordförande för revisorerna?", cited)
    assert len(chair.paragraphs) == 1 and "Britta Bjelle" in chair.paragraphs[0]
    vice = answer_people({doc.doc: doc}, [], "Vem är vice ordförande?", cited)
    assert "Lars Östring" in vice.paragraphs[0]


def test_who_signed_is_everyone_who_signed_and_the_letter_is_the_elected_auditors() -> None:
    text = TEXT + "Malin Jönsson\n\nCertifierad kommunal\nrevisor\n\n"
    doc = Document(doc="a.txt", sha256="1" * 64, meta=DocMeta(municipality="Alfa"), text=text)
    # A role on two lines is one role.
    assert ("Malin Jönsson", "Certifierad kommunal revisor") in [
        (p.name, p.role) for p in signatories(doc)
    ]
    cited = Cited("sv", lambda name: doc.text if name == doc.doc else None)
    signed = answer_people({doc.doc: doc}, [], "Vem har skrivit under rapporten?", cited)
    names = [p.split(" – ")[1].split(".")[0] for p in signed.paragraphs]
    assert names == ["Britta Bjelle", "Lars Östring", "Anna Hägg", "Per Lind", "Malin Jönsson"]
    letter = answer_people({doc.doc: doc}, [], "Who signed the auditors' cover letter?", cited)
    assert [p.split(" – ")[1].split(".")[0] for p in letter.paragraphs] == [
        "Britta Bjelle",
        "Lars Östring",
    ]
    # Asked for the chair, the vice chair is not listed.
    chair = answer_people({doc.doc: doc}, [], "Vem är ordförande för revisorerna?", cited)
    assert len(chair.paragraphs) == 1


def test_who_signed_with_a_municipal_official_is_no_question_about_the_auditors() -> None:
    assert asked_roles("Vem skrev under tillsammans med kommundirektören?") == []
    assert asked_roles("Which proposals are signed by a head of administration?") == []
    assert "ordförande" in asked_roles("Vem har skrivit under revisorernas missiv?")

"""Who signed a report in which role ("Vem var projektledare för granskningen i Botkyrka?").

Audit reports end with a signature block: a person's name on one line and the role on the
next ("Anders Törnqvist" / "Projektledare", "Jenny Thörn" / "Kommunal revisor,
projektledare"), and the auditors' cover letter is signed the same way ("Britta Bjelle" /
"Ordförande"). The passages rarely rank those lines for a question, so a question asking
for a person by role is answered from them: read once per document version, cited as
the name and role lines.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from assistant.answer.auditor import Composed, quote_block, report_place, reports_of
from assistant.answer.cited import Cited
from assistant.answer.names import asks_who_did
from assistant.answer.phrases import phrase
from assistant.findings.text import lines_of
from assistant.models import Document

_NAME_PART = r"[A-ZÅÄÖ][a-zåäöéü]+(?:-[A-ZÅÄÖ][a-zåäöéü]+)?"
_NAME_LINE = re.compile(rf"^{_NAME_PART}(?:\s+{_NAME_PART}){{1,3}}$")
# The roles of a signature block, as the reports write them.
_ROLES = (
    "vice ordförande",
    "ordförande",
    "uppdragsledare",
    "projektledare",
    "kvalitetssäkrare",
    "kundansvarig",
    "certifierad kommunal revisor",
    "kommunal revisor",
    "verksamhetsrevisor",
    "revisor",
)
_ROLE_LINE = re.compile(
    r"^(?:" + "|".join(re.escape(r) for r in _ROLES) + r")\b[\w ,/-]{0,60}$", re.IGNORECASE
)
LOOKAHEAD = 3  # lines from a name to its role (blank lines between them)

# The roles a question asks for, in its words.
_ASKED = {
    "projektledare": ("projektledare", "project leader", "project manager"),
    "uppdragsledare": ("uppdragsledare", "engagement leader", "engagement manager"),
    "kvalitetssäkrare": ("kvalitetssäkrare", "quality assur", "quality review"),
    "ordförande": ("ordförande", "chair"),
}


@dataclass(frozen=True)
class Signatory:
    """A person named in a signature block, with the role written under the name."""

    name: str
    role: str
    start: int  # the name line
    end: int  # the end of the role line


def signatories(doc: Document) -> list[Signatory]:
    """The name-and-role pairs of ``doc``'s signature blocks, in document order."""
    return list(_signatories(doc.text))


@lru_cache(maxsize=64)
def _signatories(text: str) -> tuple[Signatory, ...]:
    """Read once per document text (answers ask again for every question)."""
    lines = [line for line in lines_of(text) if line.text.strip()]
    out: list[Signatory] = []
    for i, line in enumerate(lines):
        name = line.text.strip()
        if not _NAME_LINE.match(name):
            continue
        after = lines[i + 1 : i + 1 + LOOKAHEAD]
        for k, nxt in enumerate(after):
            role = nxt.text.strip()
            # A role on two lines: "Certifierad kommunal" / "revisor".
            two = f"{role} {after[k + 1].text.strip()}" if k + 1 < len(after) else ""
            if two and _ROLE_LINE.match(two) and not _ROLE_LINE.match(role):
                out.append(Signatory(name, two, line.start, after[k + 1].end))
                break
            if _ROLE_LINE.match(role):
                out.append(Signatory(name, role, line.start, nxt.end))
                break
            if _NAME_LINE.match(role):
                break  # another name first: this one has no role
    return tuple(out)


# The roles of the people who carried out an audit: the firm's, not the elected auditors'
# ("Ordförande", a bare "Revisor").
_PERFORMED = (
    "uppdragsledare",
    "projektledare",
    "kvalitetssäkrare",
    "kundansvarig",
    "kommunal revisor",
    "verksamhetsrevisor",
)


# "Vem har skrivit under missivet?", "Who signed the report?": everyone who signed it.
_SIGNED = re.compile(
    r"\b(?:skrivit\s+under|skrev\s+under|undertecknat|undertecknade|undertecknades|"
    r"signerat|signerade|signed|signatories|underskrift\w*)\b",
    re.IGNORECASE,
)


_LETTER = re.compile(r"\bmissiv\w*|\bletter\b", re.IGNORECASE)
_ELECTED = ("ordförande", "vice ordförande")
# Signers who are no auditors: the municipality's officials ("vem skrev under tillsammans
# med kommundirektören?", "signed by a head of administration").
_OTHER_SIGNER = re.compile(
    r"\w*(?:direktör|chef)\w*|\bhead\s+of\b|\bdirectors?\b|\bmanagers?\b|\bofficials?\b",
    re.IGNORECASE,
)


def asks_signed(question: str) -> bool:
    """Whether ``question`` asks who signed (a report, a letter)."""
    return _SIGNED.search(question) is not None


def asked_roles(question: str) -> list[str]:
    """The signature roles a question asks for ("projektledare", "ordförande" …); all of
    the firm's when it asks who carried out the audit; every role when it asks who
    signed."""
    low = question.casefold()
    roles = [role for role, words in _ASKED.items() if any(w in low for w in words)]
    if not roles and asks_signed(question) and not _OTHER_SIGNER.search(question):
        return list(_ROLES)
    if not roles and asks_who_did(question):
        return list(_PERFORMED)
    return roles


def answer_people(
    documents: Mapping[str, Document], places: Sequence[str], question: str, cited: Cited
) -> Composed:
    """One line per person holding an asked role in the reports of the asked
    municipalities (all when none is named), with the signature lines cited."""
    roles = asked_roles(question)
    # A chair is not the vice chair, nor the other way round; who signed is everyone.
    vice = "vice" in question.casefold()
    signed = asks_signed(question)
    # The auditors' cover letter is signed by the elected auditors ("Ordförande",
    # "Revisor"), the report by the firm's.
    letter = signed and _LETTER.search(question) is not None
    lines: list[str] = []
    for d in reports_of(documents, places) if roles else []:
        for person in signatories(d):
            role = person.role.casefold()
            if not any(r in role for r in roles) or (
                not signed and role.startswith("vice") != vice
            ):
                continue
            if letter and not (role.startswith(_ELECTED) or role == "revisor"):
                continue
            place = report_place(cited.lang, d)
            head = phrase(
                cited.lang, "person_line", place=place, role=person.role, name=person.name
            )
            lines.append(f"{head} {quote_block(cited, d, person.start, person.end)}")
    if not lines:
        return Composed([], empty=True)
    return Composed(lines)

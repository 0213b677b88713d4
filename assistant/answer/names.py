"""Names a question asks for ("Vad heter …", "What is the name of …") and whether a
sentence holds one: a person's name (first name and surname) when the question names a
role, else any proper name (a capitalised word inside the sentence, an acronym)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal

from assistant.ingest.sentences import STOPWORDS, find_boards

NameKind = Literal["person", "name", "members", "chair"]

_I = re.IGNORECASE
_ASKS_NAME = re.compile(
    r"\bvad\s+heter\b|\bvilket\s+namn\b|\bnamnet\s+på\b|\bnamn\s+på\b"
    r"|\bwhat\s+(?:is|was|are|were)\s+the\s+names?\b|\bnames?\s+of\s+the\b|\bwhat\s+(?:is|are|was|were)\b[^?.]*\bcalled\b|\bvad\s+kallas\b",
    _I,
)
# A role: the name asked for is a person's.
_ROLE = re.compile(
    r"\b(?:\w*direktör\w*|\w*chef\w*|ordförande|\w*ledare|samordnare|ansvarig\w*|revisor\w*|"
    r"handläggare|strateg\w*|person\w*|director|manager|chair\w*|head|leader|coordinator|"
    r"officer|auditor|strategist|person|official)\b",
    _I,
)
_PERSON = re.compile(
    r"(?<![\w-])[A-ZÅÄÖ][a-zåäöéü]+(?:-[A-ZÅÄÖ][a-zåäöéü]+)?\s+[A-ZÅÄÖ][a-zåäöéü]{2,}\b"
)
_PROPER = re.compile(
    r"(?<![\w-])(?:[A-ZÅÄÖ][\w-]*[A-ZÅÄÖ0-9][\w-]*|[A-ZÅÄÖ][a-zåäö]+(?:-[A-ZÅÄÖ]\w*)?)"
)


# Words written in capitals that name no one thing.
_COMMON_CAPS = re.compile(r"^IT(?:-[\wåäö]+)?$")


# "Vem är kommunikationsdirektör?", "Who was the project leader?": a person is asked for
# by role ("Vem är ansvarig för …" asks for a board or office, not a name).
_WHO_IS_ROLE = re.compile(
    r"\b(?:vem|who)\s+(?:är|var|blir|is|was|are|were|will\s+be)\s+"
    r"(?:the\s+|kommunens\s+|its\s+)?"
    r"(?:[\w-]+\s+){0,3}?(?:[\w-]*direktör\w*|[\w-]*chef(?:en)?|ordförande(?:n)?|"
    r"[\w-]*ledare(?:n)?|samordnare(?:n)?|director|manager|chair(?:man|person)?|head|"
    # "Who are the two officials appointed to work with the portal?": people by name.
    r"leader|coordinator|officers?|officials?|employees?|tjänsteperson(?:en|erna)?|"
    r"tjänstem[aä]n(?:nen)?)\b",
    _I,
)


# "Who carried out the review?", "Vilka revisorer genomförde granskningen?": the people
# who made it.
_WHO_DID = re.compile(
    r"\b(?:vem|vilka|who|which\s+(?:[\w-]+\s+)?(?:auditors|consultants|people|persons|"
    r"revisorer|konsulter|personer))\s+(?:[\w-]+\s+){0,2}?(?:(?:carried\s+out|conducted|"
    r"performed|led|genomförde|utförde|ledde)\b|(?:did|made|wrote|gjorde|skrev)\s+"
    # "Who did KPMG interview?" asks whom, not who did the audit.
    r"(?:[\w-]+\s+){0,2}?(?:\w*granskning\w*|\w*rapport\w*|audit|review|report)\b)",
    re.IGNORECASE,
)


def asks_who_did(question: str) -> bool:
    """Whether a question asks who made something ("Who carried out the review?")."""
    return bool(_WHO_DID.search(" ".join(question.split())))


# "Vilket verksamhetssystem inför nämnden?", "Which model has Huddinge chosen?": a thing
# that is known by its name ("PM3", "ITIL4", "Ekonomistyrningsverket"); "ett nytt
# verksamhetssystem" does not say which.
_WHICH_NAMED = re.compile(
    r"\b(?:vilket|vilken|which|what)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:[\w-]*system(?:et)?|plattform(?:en)?|platform|portal(?:en)?|modell(?:en)?|model|"
    r"ramverk(?:et)?|framework|konsult\w*|consultant|consultancy|[\w-]*företag(?:et)?|company|"
    r"leverantör(?:en)?|supplier|vendor|myndighet(?:en)?|agency|verktyg(?:et)?|tool|"
    r"software|programvara(?:n)?|applikation(?:en)?|app|"
    # "Vilken extern part gjorde analysen?": an outside organisation, known by its name
    # ("en tidigare gjord analys av extern part" does not say which).
    r"extern(?:a)?\s+part(?:en)?|external\s+part(?:y|ies))\b",
    _I,
)


# "Vilka personer eller funktioner ingår i styrgruppen?", "Who sits on the steering
# group?", "Who are the members of …": the members of a group, by name or role.
_ASKS_MEMBERS = re.compile(
    r"\b(?:vilka|vem|who|which)\b(?:\s+[\w-]+){0,4}?\s+(?:ingår|ingick|sitter|satt|"
    r"sits|sat|serve[sd]?)\s+(?:i|på|in|on)\s+(?P<sv>[^?.,;]+)"
    r"|\b(?:who|which\s+(?:people|persons|functions|roles))\s+(?:are|were|is|was)\s+"
    r"(?:the\s+)?members\s+of\s+(?P<en>[^?.,;]+)"
    r"|\b(?:vilka|which|who)\b(?:\s+[\w-]+){0,4}?\s+(?:make|makes|made)\s+up\s+(?P<up>[^?.,;]+)",
    _I,
)
# A member named by role: "kommundirektör", "IT-chef", "ordförande", "representanter".
_MEMBER = re.compile(
    r"\b(?:\w*direktör\w*|\w*chef(?:er|en|erna)?|ordförande\w*|\w*ledare\w*|"
    r"samordnare\w*|\w*strateg(?:er|en|erna)?|representant\w*|ledamot\w*|ledamöter\w*|"
    r"politiker\w*|\w*ansvarig\w*|\w*ägare\w*|tjänsteperson\w*|tjänstem[äa]n\w*)\b"
    r"|\bbestående\s+av\b|\bbestår\s+av\b|\bconsist\w*\s+of\b|\bmade\s+up\s+of\b",
    _I,
)


# The Swedish words for a group that has a chair.
_GROUP = r"(?:kommitté|grupp|utskott|råd|nätverk)"
# "Who chairs the digitalisation committee?", "Vem var ordförande i Revisionsgrupp 2 …?":
# the chair of a group, which a sentence naming the group and its chair gives.
_ASKS_CHAIR = re.compile(
    r"\b(?:who|vem)\s+(?:chairs|chaired|(?:is|was)\s+(?:the\s+)?chair(?:man|person|woman)?\s+of|"
    r"(?:är|var|blir)\s+ordförande\s+(?:i|för|på)"
    # "Vem leder digitaliseringskommittén?", "Who heads the steering group?": a group's
    # leader (not who leads the work, which a role may do without chairing anything).
    rf"|(?:leder|ledde|leads|led|heads|headed)(?=\s+(?:the\s+)?(?:[\w'’-]+\s+){{0,3}}?[\w-]*"
    rf"(?:{_GROUP}|committee|group|council|network)))\s+(?P<group>[^?.,;]+)",
    _I,
)
_CHAIR = re.compile(
    r"\bordförande\w*|\bordf\b|\bchair\w*|\bleds\s+av\b|\bled\s+by\b"
    rf"|\bled(?:er|de)\s+(?!till\b)\w*{_GROUP}\w*|\bheads?\s+the\b",
    _I,
)


def group_of(question: str, kind: NameKind) -> str | None:
    """The group a question asks the members (``kind`` "members") or the chair ("chair")
    of, or the thing whose name it asks ("name": "What is the name of *the new digital
    support system …*", "Vad heter *e-tjänsteplattformen* …"), or None."""
    if kind == "members":
        return members_of(question)
    if kind == "chair":
        m = _ASKS_CHAIR.search(" ".join(question.split()))
        return m.group("group") if m else None
    if kind == "name":
        text = " ".join(question.split())
        m = _NAME_OF.search(text) or _CALLED.search(text)
        return m.group("thing") if m else None
    return None


# "the name of the new digital support system …", "Vad heter plattformen …": the thing
# named, whose word a sentence giving its name holds ("Mål och budget 2019" is a name, but
# of no support system).
_NAME_OF = re.compile(
    r"\b(?:names?\s+of|namnet\s+på|namn\s+på|vad\s+heter|vad\s+kallas)\s+"
    r"(?:(?:the|det|den|de)\s+)?(?P<thing>[^?]+)",
    _I,
)
_CALLED = re.compile(r"\bwhat\s+(?:is|was|are|were)\s+(?:the\s+)?(?P<thing>[^?]+?)\s+called\b", _I)


def members_of(question: str) -> str | None:
    """The group whose members a question asks for ("styrgruppen för Huddinges
    portföljstyrning"), or None."""
    m = _ASKS_MEMBERS.search(" ".join(question.split()))
    if m is None:
        return None
    return next(g for g in m.groups() if g)


# The verb of membership in a question for members: "Vilka ingår i värderingsteamet?" is
# answered by "Värderingsteamet består av …", which holds no "ingår".
_MEMBER_VERB = re.compile(r"\b(?:ingår|ingick|sitter|satt|sits|sat|serve[sd]?)\b", _I)


def without_member_verb(question: str) -> str:
    """The question without its verb of membership when it asks for a group's members:
    that verb is no key term a passage must hold."""
    text = " ".join(question.split())
    m = _ASKS_MEMBERS.search(text)
    if m is None:
        return question
    head = _MEMBER_VERB.sub(" ", text[m.start() : m.end()])
    return " ".join(f"{text[: m.start()]}{head}{text[m.end() :]}".split())


def asks_for_name(question: str) -> NameKind | None:
    """ "person" for "Vad heter IT-chefen?", "Vem är kommunikationsdirektör?" and "Who
    carried out the review?", "name" for "Vad heter plattformen?" and "Vilket
    verksamhetssystem …?", "members" and "chair" for a group's members and chair, else
    None."""
    text = " ".join(question.split())
    if members_of(text) is not None:
        return "members"
    if _ASKS_CHAIR.search(text):
        return "chair"
    if _WHO_IS_ROLE.search(text) or _WHO_DID.search(text):
        return "person"
    if _WHICH_NAMED.search(text) and not _ASKS_NAME.search(text):
        return "name"
    if not _ASKS_NAME.search(text):
        return None
    return "person" if _ROLE.search(text) else "name"


def holds_name(sentence: str, kind: NameKind, known: Iterable[str] = ()) -> bool:
    """Whether ``sentence`` holds a name of ``kind``. Names of ``known`` places (the
    municipalities of the corpus) and the sentence's first word do not count."""
    if kind == "members":
        # Members are named by role, or as people.
        return _MEMBER.search(sentence) is not None or holds_name(sentence, "person", known)
    if kind == "chair":
        # The chair is said to be one ("ordförande", "leds av"), by role or name: a list
        # of members names no chair.
        return _CHAIR.search(sentence) is not None and holds_name(
            _CHAIR.sub(" ", sentence), "members", known
        )
    skip = {k.casefold() for k in known}
    pattern = _PERSON if kind == "person" else _PROPER
    # Each table cell and line starts with a capital of its own ("Ökar", "Antal").
    for part in re.split(r"[\t\n]+", sentence):
        words = part.split(maxsplit=1)
        rest_at = len(part) - len(words[1]) if len(words) > 1 else len(part)
        for m in pattern.finditer(part, rest_at):
            parts = [p.casefold().removesuffix("s") for p in m.group(0).split()]
            if any(p in skip or p.rstrip(":") in skip for p in parts):
                continue
            if any(p.startswith(k) for p in parts for k in skip):
                continue  # "Botkyrkabor": the place's people
            if part[max(0, m.start() - 1) : m.start()] in ('"', "”", "“", "(", "'"):
                continue  # a quoted sentence's first word ("Nämnden överträffade …")
            if re.search(r"(?:^|\s)[•\-–*]\s+$", part[max(0, m.start() - 3) : m.start()]):
                continue  # a list item's first word ("• Nämnden har upphandlat …")
            if _COMMON_CAPS.match(m.group(0)):
                continue  # "IT-system", "IT": a common word, not a name
            if m.group(0).casefold() in STOPWORDS:
                continue  # "… i portalen, Det framkommer …": a broken sentence, not a name
            if kind == "name" and find_boards(m.group(0)):
                continue  # a board ("Socialnämndens") is not the name of a thing
            return True
    return False

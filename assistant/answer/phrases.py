"""The fixed connecting phrases of extractive answers, in Swedish and English.

Answers contain only these phrases and verbatim quotes; nothing else is generated.
"""

from __future__ import annotations

from typing import Literal

Lang = Literal["sv", "en"]

PHRASES: dict[str, dict[str, str]] = {
    "sv": {
        "no_answer": "Dokumenten besvarar inte frågan.",
        "closest": "De närmaste avsnitten visas som källor.",
        "no_report": "Granska har ingen rapport från {place}.",
        "not_mentioned": "Dokumenten nämner inte {names}.",
        "no_hits": "Inga avsnitt hittades.",
        "broad": "Frågan är mycket allmän; här är de mest relevanta avsnitten. "
        "Ställ gärna en mer precis fråga.",
        "set_boards": "Nämnder och styrelser som nämns i underlaget:",
        "set_places": "Kommuner som nämns i underlaget:",
        "set_none": "Underlaget nämner inga enskilda nämnder eller styrelser.",
        "evidence": "Underlag:",
        "table": "Tabell ({header}):",
        "audit": "Enligt granskningen av {place}{year}:",
        "response": "Enligt svaret på granskningen från {place}{year}:",
        "document": "Enligt {doc}:",
        "municipality": "{name} kommun",
        "open": "”",
        "close": "”",
        "llm_fallback": "Språkmodellen kunde inte användas ({reason}); svaret består av citat.",
        "bad_markers": "Hänvisningar utan källa togs bort: {markers}.",
        "truncated": "Frågan kortades till {n} tecken.",
    },
    "en": {
        "no_answer": "The documents do not answer this question.",
        "closest": "The closest passages are shown as sources.",
        "no_report": "Granska has no report from {place}.",
        "not_mentioned": "The documents do not mention {names}.",
        "no_hits": "No passages were found.",
        "broad": "The question is very broad; here are the most relevant passages. "
        "Please ask a more specific question.",
        "set_boards": "Boards and committees named in the evidence:",
        "set_places": "Municipalities named in the evidence:",
        "set_none": "The evidence names no individual boards or committees.",
        "evidence": "Evidence:",
        "table": "Table ({header}):",
        "audit": "According to the audit of {place}{year}:",
        "response": "According to the response to the audit from {place}{year}:",
        "document": "According to {doc}:",
        "municipality": "{name}",
        "open": "“",
        "close": "”",
        "llm_fallback": "The language model could not be used ({reason}); "
        "the answer is made of quotes.",
        "bad_markers": "Citation markers without a source were removed: {markers}.",
        "truncated": "The question was shortened to {n} characters.",
    },
}


def phrase(lang: str, key: str, **values: object) -> str:
    """The fixed phrase ``key`` in ``lang`` (Swedish for anything but "en")."""
    table = PHRASES["en" if lang == "en" else "sv"]
    return table[key].format(**values)


def source_phrase(
    lang: str, municipality: str | None, year: int | None, doc_type: str | None, doc: str
) -> str:
    """ "Enligt granskningen av Botkyrka kommun (2020):" or its English counterpart."""
    if not municipality:
        return phrase(lang, "document", doc=doc)
    place = phrase(lang, "municipality", name=municipality)
    when = f" ({year})" if year else ""
    key = "response" if doc_type and "svar" in doc_type.casefold() else "audit"
    return phrase(lang, key, place=place, year=when)

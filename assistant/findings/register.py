"""The findings register: filter the extracted findings and write them as rows.

Auditors keep a register of last year's recommendations by hand to follow them up; this is
that register, one row per finding with its citation, as a table, JSON, CSV or Markdown.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from assistant.findings.polarity import ALL_BOARDS
from assistant.models import Finding, FindingKind

# What the register lists unless asked for a kind: observations (statements of fact) are
# left out, as an auditor's follow-up register leaves them out.
# The questions each audit set out to answer, which boards it covers and how it was done
# come last: what the findings answer, of whom, and on what grounds.
REGISTER_KINDS: tuple[FindingKind, ...] = (
    "recommendation",
    "assessment",
    "response",
    "audit_question",
    "scope",
    "method",
)
COLUMNS = ("kind", "municipality", "year", "boards", "text", "verdict", "section", "page", "doc")


def board_matches(finding_boards: Sequence[str], board: str) -> bool:
    """Whether a finding addressed to (or about) ``finding_boards`` concerns ``board``.

    "Samtliga nämnder" concerns every board (but only the boards named beside it, when
    there are any); "Samtliga nämnder med undantag för kommunstyrelsen" every board but
    that one. Names compare case-insensitively, with or
    without the definite ending ("socialnämnd" = "Socialnämnden")."""
    want = board_stem(board)
    # "Samtliga nämnder" beside the boards it stands for (the report's summary says "all
    # boards" where its recommendation names them) means those boards, not every board
    # of the municipality: Eskilstuna's "samtliga nämnder" are the six audited ones, not
    # servicenämnden.
    named = [n for n in finding_boards if not n.casefold().startswith(ALL_BOARDS.casefold())]
    asks_all = board.casefold().startswith(ALL_BOARDS.casefold())
    if named and len(named) < len(finding_boards) and not asks_all:
        finding_boards = named
    for name in finding_boards:
        low = name.casefold()
        if low.startswith(ALL_BOARDS.casefold()):
            # Checked before any substring match: "… med undantag för kommunstyrelsen"
            # holds the name of the one board it excludes.
            excluded = low.split("med undantag för", 1)[1].strip() if "undantag" in low else ""
            if not excluded or board_stem(excluded) != want:
                return True
            continue
        if board_stem(name) == want or want in board_stem(name):
            return True
    return False


def board_stem(name: str) -> str:
    """A board's name without case, spacing or the definite or genitive ending:
    "Socialnämnden", "socialnämnd" and "socialnämndens" are one board."""
    low = " ".join(name.casefold().split())
    for suffix in ("ens", "en", "ns", "n", "s"):
        if low.endswith(("nämnd" + suffix, "styrelse" + suffix)):
            return low[: -len(suffix)]
    return low


def select_findings(
    findings: Iterable[Finding],
    kind: FindingKind | Sequence[FindingKind] | None = None,
    municipality: str | Sequence[str] | None = None,
    board: str | None = None,
) -> list[Finding]:
    """The findings of a kind (or kinds), municipality (or municipalities) and board."""
    kinds = {kind} if isinstance(kind, str) else set(kind or ())
    places = {municipality} if isinstance(municipality, str) else set(municipality or ())
    folded = {p.casefold() for p in places}
    out = []
    for f in findings:
        if kinds and f.kind not in kinds:
            continue
        if folded and (f.municipality or "").casefold() not in folded:
            continue
        if board and not board_matches(f.boards, board):
            continue
        out.append(f)
    return out


def row(f: Finding) -> dict[str, str]:
    """One register row; the text of a recommendation includes its lead-in."""
    return {
        "kind": f.kind,
        "municipality": f.municipality or "",
        "year": str(f.year or ""),
        "boards": "; ".join(f.boards),
        "text": f.full_text,
        "verdict": f.verdict or "",
        "section": f.primary.section_path,
        "page": str(f.primary.page or ""),
        "doc": f"{f.doc}:{f.primary.block[0]}-{f.primary.block[1]}",
    }


def to_csv(findings: Iterable[Finding]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    for f in findings:
        writer.writerow(row(f))
    return buffer.getvalue()


def to_markdown(findings: Iterable[Finding], title: str = "Granska – findings register") -> str:
    """A Markdown table; pipes and line breaks in text are escaped so rows stay rows."""
    lines = [f"# {title}", "", "| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for f in findings:
        cells = [_md_cell(v) for v in row(f).values()]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _md_cell(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace("|", "\\|")
    for ch in "*_`[]<>#":
        escaped = escaped.replace(ch, "\\" + ch)
    return " ".join(escaped.split())

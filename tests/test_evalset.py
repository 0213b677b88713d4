"""Question-set loading: format, validation messages and whitespace-insensitive quotes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from assistant.errors import QuestionSetError
from assistant.evaluation.questions import (
    NormalizedText,
    Question,
    find_quote,
    load_questions,
    normalize_ws,
)

DOC_A = "Revisorerna bedömer att\nnämnden  inte har\tsäkerställt en tillräcklig intern kontroll.\n"
DOC_B = "Kommunstyrelsen bör ta fram en digitaliseringsstrategi. Kommunstyrelsen bör ta fram"
DOCS = {"a.txt": DOC_A, "b.txt": DOC_B}


def q(**over: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "q1",
        "question": "Har nämnden säkerställt intern kontroll?",
        "lang": "sv",
        "kind": "fact",
        "relevant": [{"doc": "a.txt", "quote": "nämnden inte har säkerställt"}],
        "answer": "Nej.",
    }
    base.update(over)
    return base


def write(tmp_path: Path, lines: list[str], name: str = "q.jsonl") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def problems_of(path: Path) -> list[str]:
    with pytest.raises(QuestionSetError) as info:
        load_questions(path, DOCS)
    return str(info.value).splitlines()


# --- whitespace normalisation ----------------------------------------------------------


def test_normalize_ws_collapses_and_strips() -> None:
    assert normalize_ws("  a\n\n b\t\u00a0c  ") == "a b c"


def test_normalized_text_maps_back_to_original_offsets() -> None:
    original = "ab  \n cd\te"
    norm = NormalizedText.of(original)
    assert norm.text == "ab cd e"
    assert len(norm.starts) == len(norm.ends) == len(norm.text)
    (span,) = norm.find_all("b cd")
    assert original[span[0] : span[1]] == "b  \n cd"


def test_find_quote_ignores_whitespace_differences() -> None:
    (span,) = find_quote(DOC_A, "nämnden inte har säkerställt")
    assert DOC_A[span[0] : span[1]] == "nämnden  inte har\tsäkerställt"
    (span,) = find_quote(DOC_A, "  bedömer   att nämnden\n")
    assert DOC_A[span[0] : span[1]] == "bedömer att\nnämnden"


def test_find_quote_returns_all_occurrences() -> None:
    spans = find_quote(DOC_B, "Kommunstyrelsen bör ta fram")
    assert len(spans) == 2
    assert all(DOC_B[s:e] == "Kommunstyrelsen bör ta fram" for s, e in spans)
    assert spans[0][0] == 0 and spans[1][1] == len(DOC_B)


def test_find_quote_is_case_sensitive_and_rejects_blank() -> None:
    assert find_quote(DOC_A, "NÄMNDEN") == []
    assert find_quote(DOC_A, "   ") == []


# --- loading -----------------------------------------------------------------------------


def test_load_valid_file_with_blank_lines_and_bom(tmp_path: Path) -> None:
    unanswerable = q(id="q2", kind="unanswerable", relevant=[], lang="en", answer="")
    path = tmp_path / "q.jsonl"
    text = "\n".join(["", json.dumps(q(), ensure_ascii=False), "   ", json.dumps(unanswerable)])
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))

    loaded = load_questions(path, DOCS)

    assert [r.id for r in loaded] == ["q1", "q2"]
    first, second = loaded
    assert first.answerable and not second.answerable
    assert first.lang == "sv" and second.kind == "unanswerable"
    ((start, end),) = first.spans[0]
    assert DOC_A[start:end] == "nämnden  inte har\tsäkerställt"
    assert first.normalized_quotes == ["nämnden inte har säkerställt"]
    assert second.spans == []


def test_load_crlf_file(tmp_path: Path) -> None:
    path = tmp_path / "q.jsonl"
    path.write_bytes((json.dumps(q()) + "\r\n" + json.dumps(q(id="q2")) + "\r\n").encode())
    assert [r.id for r in load_questions(path, DOCS)] == ["q1", "q2"]


def test_answer_defaults_to_empty() -> None:
    data = q()
    del data["answer"]
    assert Question.model_validate(data).answer == ""


def test_each_problem_kind_is_reported_with_its_line(tmp_path: Path) -> None:
    missing = q(id="q5")
    del missing["relevant"]
    lines = [
        json.dumps(q(id="q1")),  # 1: valid
        "{not json",  # 2
        json.dumps(missing),  # 3
        json.dumps(q(id="q4", colour="red")),  # 4
        json.dumps(q(id="q6", kind="opinion")),  # 5
        json.dumps(q(id="q7", lang="de")),  # 6
        json.dumps(q(id="q1")),  # 7: duplicate of line 1
        "",  # 8: blank, skipped
        json.dumps(q(id="q8", relevant=[{"doc": "c.txt", "quote": "x"}])),  # 9
        json.dumps(q(id="q9", relevant=[{"doc": "a.txt", "quote": "finns inte"}])),  # 10
        json.dumps(q(id="q10", kind="unanswerable")),  # 11: has relevant quotes
        json.dumps(q(id="q11", relevant=[])),  # 12: fact without quotes
        "[1, 2]",  # 13
    ]
    path = write(tmp_path, lines)
    out = problems_of(path)
    f = str(path)

    assert out[0] == f"{f}: 11 problems"
    body = out[1:]
    assert [line.split(":")[1] for line in body] == [
        "2", "3", "4", "5", "6", "7", "9", "10", "11", "12", "13",
    ]  # fmt: skip

    def at(n: int) -> str:
        (line,) = [b for b in body if b.startswith(f"{f}:{n}:")]
        return line

    assert "invalid JSON" in at(2)
    assert "relevant: missing field" in at(3)
    assert "colour: unknown field" in at(4)
    assert "kind:" in at(5) and "'fact'" in at(5)
    assert "lang: Input should be 'sv' or 'en'" in at(6)
    assert "duplicate id 'q1' (first used on line 1)" in at(7)
    assert "unknown document 'c.txt'" in at(9)
    assert "quote not found in 'a.txt'" in at(10) and '"finns inte"' in at(10)
    assert "unanswerable question must have an empty 'relevant'" in at(11)
    assert "'fact' question needs at least one relevant quote" in at(12)
    assert "expected a JSON object" in at(13)


def test_blank_quote_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path, [json.dumps(q(relevant=[{"doc": "a.txt", "quote": " \n "}]))])
    out = problems_of(path)
    assert out == [f"{path}: 1 problem", f"{path}:1: relevant[0]: the quote is blank"]


def test_unknown_document_suggests_close_name(tmp_path: Path) -> None:
    path = write(tmp_path, [json.dumps(q(relevant=[{"doc": "a.tx", "quote": "x"}]))])
    (problem,) = problems_of(path)[1:]
    assert "did you mean 'a.txt'?" in problem


def test_problem_in_second_quote_names_its_index(tmp_path: Path) -> None:
    rel = [
        {"doc": "a.txt", "quote": "intern kontroll"},
        {"doc": "b.txt", "quote": "saknas helt"},
    ]
    path = write(tmp_path, [json.dumps(q(relevant=rel))])
    (problem,) = problems_of(path)[1:]
    assert problem.startswith(f"{path}:1: relevant[1]: quote not found in 'b.txt'")


def test_not_utf8_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "q.jsonl"
    path.write_bytes(json.dumps(q()).encode() + b"\n" + '{"id": "Nämnd"}'.encode("latin-1"))
    with pytest.raises(QuestionSetError, match=r"not UTF-8 text .*line 2.*save the file as UTF-8"):
        load_questions(path, DOCS)


def test_missing_file_is_a_question_set_error(tmp_path: Path) -> None:
    with pytest.raises(QuestionSetError, match="cannot read"):
        load_questions(tmp_path / "nope.jsonl", DOCS)


def test_empty_file_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, ["", "  "])
    assert problems_of(path) == [f"{path}: 1 problem", f"{path}: the file contains no questions"]

"""Rules for the tests themselves: no test asserts a wall-clock duration.

CI runs on a shared, busy machine; a test that asserts "took less than 10 s" fails there
for reasons that have nothing to do with the code. Speed belongs in ``benchmarks/``.
"""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent
CLOCKS = frozenset(
    [
        "time",
        "time_ns",
        "perf_counter",
        "perf_counter_ns",
        "monotonic",
        "monotonic_ns",
        "process_time",
    ]
)


def _reads_clock(node: ast.AST) -> bool:
    for n in ast.walk(node):
        if isinstance(n, ast.Call):
            f = n.func
            if isinstance(f, ast.Attribute) and f.attr in CLOCKS:
                return True
            if isinstance(f, ast.Name) and f.id in CLOCKS - {"time"}:
                return True
    return False


def timed_assertions(source: str) -> list[int]:
    """Line numbers of asserts that compare a clock reading (directly or via a variable)."""
    lines: list[int] = []
    for func in ast.walk(ast.parse(source)):
        if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        timed: set[str] = set()
        for node in ast.walk(func):
            if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign) and node.value:
                uses = {n.id for n in ast.walk(node.value) if isinstance(n, ast.Name)}
                if _reads_clock(node.value) or uses & timed:
                    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                    timed |= {t.id for t in targets if isinstance(t, ast.Name)}
        # An assert in the body of a while loop is the time-out of a wait for a condition
        # ("still not there after 60 s"): it bounds a hang, it does not time the code.
        guards = {
            id(n)
            for loop in ast.walk(func)
            if isinstance(loop, ast.While)
            for n in loop.body
            if isinstance(n, ast.Assert)
        }
        for node in ast.walk(func):
            if isinstance(node, ast.Assert) and id(node) not in guards:
                names = {n.id for n in ast.walk(node.test) if isinstance(n, ast.Name)}
                if _reads_clock(node.test) or names & timed:
                    lines.append(node.lineno)
    return sorted(set(lines))


def test_no_test_asserts_a_duration() -> None:
    found = {
        path.name: lines
        for path in sorted(TESTS.glob("test_*.py"))
        if (lines := timed_assertions(path.read_text(encoding="utf-8")))
    }
    assert found == {}, f"wall-clock assertions (move them to benchmarks/): {found}"


def test_the_check_finds_direct_and_indirect_timing() -> None:
    source = """
import time
def test_a():
    start = time.perf_counter()
    work()
    assert time.perf_counter() - start < 10
def test_b():
    t0 = time.monotonic()
    work()
    elapsed = time.monotonic() - t0
    assert elapsed < 2
def test_c():
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        pass
    assert done()
def wait_for(predicate):
    deadline = time.monotonic() + 60
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
"""
    assert timed_assertions(source) == [6, 11]

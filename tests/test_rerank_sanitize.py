"""Sanitising sampled programs: real run-on CodeGen completions and hand-made cases."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from acecoder.code import benchmarks
from acecoder.rerank.sanitize import sanitize

SLICE = Path(__file__).parent / "fixtures" / "codegen_humaneval_slice.jsonl"


@pytest.fixture(scope="module")
def humaneval():
    return {task.task_id: task for task in benchmarks.load("humaneval")}


def _top_level_names(program: str) -> list[str]:
    return [getattr(node, "name", type(node).__name__) for node in ast.parse(program).body]


def test_real_run_on_completions_keep_only_the_function(humaneval):
    rows = [json.loads(line) for line in SLICE.read_text().splitlines()]
    run_on = [row for row in rows if "\nassert " in row["completion"] or "\ndef " in row["completion"]]
    truncated = []
    assert len(run_on) >= 2, "the slice should hold completions that run on past the function"
    for row in rows:
        task = humaneval[row["task_id"]]
        raw = task.prompt + row["completion"]
        program = sanitize(raw, task.entry_point)
        tree = ast.parse(program)  # always valid Python
        assert task.entry_point in _top_level_names(program)
        assert not any(isinstance(node, ast.Assert | ast.Expr) for node in tree.body), program
        try:
            ast.parse(raw)
        except SyntaxError:
            truncated.append(row)
    assert truncated, "the slice should hold a completion cut off mid-statement"


def test_trailing_asserts_prints_and_main_block_are_dropped():
    program = (
        "import math\n\n"
        "def area(r):\n    return math.pi * r * r\n\n"
        "print(area(2))\n"
        "assert area(1) > 3\n"
        "area(3)\n"
        "if __name__ == '__main__':\n    print(area(4))\n"
    )
    assert sanitize(program, "area") == "import math\n\n\ndef area(r):\n    return math.pi * r * r\n"


def test_helpers_classes_and_globals_the_function_uses_are_kept_in_order():
    program = (
        "from typing import List\n"
        "LIMIT = 10\n"
        "UNUSED = 3\n"
        "class Box:\n    def __init__(self, v):\n        self.v = v\n\n"
        "def helper(x):\n    return Box(min(x, LIMIT))\n\n"
        "def unrelated():\n    return 0\n\n"
        "def solve(xs: List[int]) -> List[int]:\n    return [helper(x).v for x in xs]\n\n"
        "print(solve([1, 20]))\n"
    )
    assert _top_level_names(sanitize(program, "solve")) == ["ImportFrom", "Assign", "Box", "helper", "solve"]
    assert "UNUSED" not in sanitize(program, "solve")


def test_a_parameter_does_not_pull_in_a_global_of_the_same_name():
    program = 'def words(s, n):\n    return s.split()[:n]\n\ns = "a b c"\nn = 2\nprint(words(s, n))\n'
    assert sanitize(program, "words") == "def words(s, n):\n    return s.split()[:n]\n"


def test_a_global_declared_in_the_function_is_kept():
    program = "counter = 0\n\ndef bump():\n    global counter\n    counter += 1\n    return counter\n"
    assert _top_level_names(sanitize(program, "bump")) == ["Assign", "bump"]


def test_a_tail_cut_mid_statement_is_trimmed_until_it_parses():
    program = 'def f(x):\n    """Double."""\n    return 2 * x\n\n\ndef g(y):\n    """Half of y, rounded\n'
    assert sanitize(program, "f") == 'def f(x):\n    """Double."""\n    return 2 * x\n'


def test_the_first_definition_wins_unless_it_is_a_stub():
    restated = "def f(x):\n    return x + 1\n\ndef f(x):\n    return x - 1\n"
    assert "x + 1" in sanitize(restated, "f") and "x - 1" not in sanitize(restated, "f")
    stub_first = 'def f(x):\n    """Add one."""\n\ndef f(x):\n    return x + 1\n'
    assert sanitize(stub_first, "f") == "def f(x):\n    return x + 1\n"


def test_a_markdown_answer_is_reduced_to_its_code():
    answer = (
        "Here is the solution:\n\n```python\ndef inc(x):\n    return x + 1\n```\n\n"
        "And a usage example:\n\n```python\nprint(inc(1))\n```\n"
    )
    assert sanitize(answer, "inc") == "def inc(x):\n    return x + 1\n"


def test_decorators_stay_with_their_function():
    program = "import functools\n\n@functools.lru_cache(None)\ndef fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\n"
    assert sanitize(program, "fib").startswith(
        "import functools\n\n\n@functools.lru_cache(None)\ndef fib(n):"
    )


def test_text_without_the_entry_point_is_returned_parsable_or_unchanged():
    assert sanitize("x = 1\nprint(x)\n", "f") == "x = 1\nprint(x)"
    assert sanitize("this is ( not python", "f") == "this is ( not python"

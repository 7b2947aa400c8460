"""How each test of a job is run, and how a value check becomes a verdict outside the sandbox.

A test that is a single `assert A op B`, `assert A` or `assert not ...` of those is a *value check*: the
job evaluates only the operands that are not literals and sends back their plain values; the pool's own
process compares them with the literal operands, which never enter the job. For the usual generated test,
`assert f(x) == <expected literal>`, a program therefore cannot pass without returning the expected value:
no introspection of the harness, patched builtin or forged frame helps, because the job never holds the
answer. Every other test runs in the job as a *script*, its asserts judged by harness code (rewrite.py).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from acecoder.sandbox import rewrite, values

MESSAGE_CHARS = 300


@dataclass(frozen=True)
class Literal:
    value: Any


@dataclass(frozen=True)
class Evaluated:
    index: int  # position in ValueCheck.exprs


@dataclass(frozen=True)
class ValueCheck:
    """`assert [not] A [op B]` with its literal operands kept here."""

    text: str  # the asserted expression's source, for messages
    line: int  # the assert's line in the test
    exprs: tuple[tuple[str, int], ...]  # (source, first line) of each operand the job evaluates
    op: str | None  # a comparison operator, or None for a truth test
    operands: tuple[Literal | Evaluated, ...]
    negate: bool

    def unit(self) -> dict[str, Any]:
        return {"kind": "values", "exprs": [list(expr) for expr in self.exprs], "where": "test"}

    def judge(self, evaluated: list[Any]) -> dict[str, Any]:
        """The verdict given the decoded values of `exprs`."""
        operands = [op.value if isinstance(op, Literal) else evaluated[op.index] for op in self.operands]
        where = {"error_line": self.line, "error_where": "test"}
        try:
            verdict = values.compare(self.op, *operands) if self.op else bool(operands[0])
        except Exception as exc:  # e.g. `<` between None and an int: Python raises on the assert's line
            return {
                "status": "error",
                "error_type": type(exc).__name__,
                **where,
                "message": f"{type(exc).__name__}: {exc}"[:MESSAGE_CHARS],
            }
        if verdict != self.negate:
            return {
                "status": "pass",
                "error_type": None,
                "error_line": None,
                "error_where": None,
                "message": "",
            }
        shown = [values.short_repr(operand) for operand in operands]
        found = f"{shown[0]} {self.op} {shown[1]} is {verdict}" if self.op else f"{shown[0]} is {verdict}"
        return {
            "status": "fail",
            "error_type": "AssertionError",
            **where,
            "message": f"assertion false: {self.text}: {found}"[:MESSAGE_CHARS],
        }


def script_unit(source: str) -> dict[str, Any]:
    return {"kind": "script", "source": source}


@lru_cache(maxsize=16384)
def plan_test(source: str) -> ValueCheck | None:
    """The value check a test amounts to, or None when it must run as a script."""
    try:
        tree = ast.parse(source, "<test>")
    except (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError):
        return None  # the job compiles it again and reports the error where it is
    if len(tree.body) != 1 or not isinstance(tree.body[0], ast.Assert):
        return None
    statement = tree.body[0]
    test, negate = statement.test, False
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        test, negate = test.operand, True
    if isinstance(test, ast.Compare):
        if len(test.ops) != 1:
            return None
        op, nodes = rewrite.OPERATORS[type(test.ops[0])], [test.left, test.comparators[0]]
    elif isinstance(test, ast.BoolOp) or (isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not)):
        return None
    else:
        op, nodes = None, [test]
    exprs: list[tuple[str, int]] = []
    operands: list[Literal | Evaluated] = []
    for node in nodes:
        literal = _literal(node)
        if literal is not None:
            operands.append(literal)
            continue
        segment = ast.get_source_segment(source, node)
        if segment is None:
            return None
        operands.append(Evaluated(len(exprs)))
        exprs.append((segment, node.lineno))
    text = ast.get_source_segment(source, statement.test) or ""
    return ValueCheck(
        text=text[:120],
        line=statement.lineno,
        exprs=tuple(exprs),
        op=op,
        operands=tuple(operands),
        negate=negate,
    )


def _literal(node: ast.expr) -> Literal | None:
    """The node's value if it is a literal of a plain value (`[1, 2]`, `-3`, `"ab"`, `None`, `{1: (2,)}`)."""
    try:
        value = ast.literal_eval(node)
        values.encode(value)
    except (
        ValueError,
        TypeError,
        SyntaxError,
        MemoryError,
        RecursionError,
        values.NotPlain,
        values.TooLarge,
    ):
        return None
    return Literal(value)

"""Values that cross the sandbox boundary: call expressions in, reprs of returned values out.

A returned value arrives as the text of its `repr`, written by the untrusted program's process, so it is read
back with a literal-only parser (never `eval`). Two readings follow: `agreement_key` (outputs that should count
as the same answer when candidates are compared with each other) and `outputs_match` (EvalPlus's verdict of a
candidate's output against the canonical solution's).
"""

from __future__ import annotations

import ast
import math
from typing import Any

import numpy as np

_NAMED_FLOATS = {"inf": math.inf, "nan": math.nan}


class NotALiteral(ValueError):
    """The text is not the repr of a plain value."""


def call_expression(entry_point: str, args: tuple | list) -> str:
    """Python source of `entry_point(*args)` whose arguments rebuild `args` exactly (inf and nan included)."""
    return f"{entry_point}({', '.join(literal_source(arg) for arg in args)})"


def tuple_expression(calls: list[str]) -> str:
    """One expression whose value is the tuple of the calls' values: one sandbox call instead of many."""
    return "(" + "".join(f"{call}, " for call in calls) + ")"


def literal_source(value: Any) -> str:
    if isinstance(value, float) and not math.isfinite(value):
        return f"float({str(value)!r})"
    if isinstance(value, list):
        return "[" + ", ".join(literal_source(item) for item in value) + "]"
    if isinstance(value, tuple):
        return "(" + "".join(literal_source(item) + ", " for item in value).rstrip(" ") + ")"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{literal_source(k)}: {literal_source(v)}" for k, v in value.items()) + "}"
    if isinstance(value, set | frozenset):
        items = ", ".join(literal_source(item) for item in value)
        return f"{type(value).__name__}([{items}])"
    return repr(value)


def parse_value(text: str) -> Any:
    """The value whose repr is `text`: literals, containers, sets, `inf`/`nan` and complex numbers only."""
    try:
        node = ast.parse(text.strip(), mode="eval").body
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        raise NotALiteral(f"not a literal: {text[:80]!r}") from exc
    return _literal(node)


def _literal(node: ast.expr) -> Any:
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.List):
        return [_literal(item) for item in node.elts]
    if isinstance(node, ast.Tuple):
        return tuple(_literal(item) for item in node.elts)
    if isinstance(node, ast.Set):
        return {_literal(item) for item in node.elts}
    if isinstance(node, ast.Dict) and None not in node.keys:
        return {_literal(key): _literal(value) for key, value in zip(node.keys, node.values, strict=True)}
    if isinstance(node, ast.Name) and node.id in _NAMED_FLOATS:
        return _NAMED_FLOATS[node.id]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        operand = _literal(node.operand)
        if isinstance(operand, int | float | complex) and not isinstance(operand, bool):
            return -operand if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Sub):  # complex: (1+2j)
        left, right = _literal(node.left), _literal(node.right)
        if isinstance(right, complex) and isinstance(left, int | float) and not isinstance(left, bool):
            return left + right if isinstance(node.op, ast.Add) else left - right
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.keywords:
        return _constructor(node.func.id, [_literal(arg) for arg in node.args])
    raise NotALiteral(f"not a literal: {ast.unparse(node)[:80]!r}")


def _constructor(name: str, args: list[Any]) -> Any:
    if name in ("set", "frozenset") and len(args) <= 1:
        return (set if name == "set" else frozenset)(*args)
    if name == "float" and len(args) == 1 and args[0] in ("inf", "-inf", "nan"):
        return float(args[0])
    raise NotALiteral(f"not a literal: {name}(...)")


def agreement_key(value: Any) -> str:
    """A text equal for outputs that Python's `==` would equate, up to 6 significant digits of floats.

    Sets are ordered (their repr order depends on the process's hash seed) and integral floats read as ints,
    so `2.0` from one candidate and `2` from another agree, as `==` says they do.
    """
    if isinstance(value, bool) or value is None or isinstance(value, str | bytes):
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return format(round(value, 9) + 0.0, ".6g")
    if isinstance(value, complex):
        return f"complex({agreement_key(value.real)},{agreement_key(value.imag)})"
    if isinstance(value, list | tuple):
        inner = ",".join(agreement_key(item) for item in value)
        return f"[{inner}]" if isinstance(value, list) else f"({inner})"
    if isinstance(value, set | frozenset):
        return "{" + ",".join(sorted(agreement_key(item) for item in value)) + "}"
    if isinstance(value, dict):
        items = sorted(f"{agreement_key(k)}:{agreement_key(v)}" for k, v in value.items())
        return "{" + ",".join(items) + "}"
    return repr(value)


def outputs_match(output: Any, expected: Any, atol: float) -> bool:
    """EvalPlus's comparison: `==`, else (for floats, or where the task sets `atol`) `np.allclose`.

    Where a tolerance applies the types and lengths must agree first; a float answer gets atol 1e-6 when the
    task has none.
    """
    try:
        if output == expected:
            return True
    except Exception:  # an exotic comparison that raises counts as a mismatch
        return False
    if atol == 0 and _is_floats(expected):
        atol = 1e-6
    if atol == 0 or type(output) is not type(expected):
        return False
    if isinstance(expected, list | tuple) and len(output) != len(expected):
        return False
    try:
        return bool(np.allclose(output, expected, rtol=1e-07, atol=atol))
    except (TypeError, ValueError):
        return False


def _is_floats(value: Any) -> bool:
    if isinstance(value, float):
        return True
    if isinstance(value, list | tuple) and value:
        return all(isinstance(item, float) for item in value)
    return False

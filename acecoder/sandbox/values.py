"""Plain values: the only things the harness compares, reports or carries out of a job.

A plain value is None, a bool, int, float (nan and inf included), complex, str or bytes, or a list,
tuple, dict, set or frozenset of plain values, each of EXACTLY that builtin type: subclasses are
refused, because a subclass can override `__eq__`, `__bool__` or `__repr__` and so decide its own
verdict. Comparing or printing exact builtins runs no code the program wrote.

Values travel as JSON with tags (`encode` in the job, `decode` outside it), and are compared only after
that round trip, so that the objects compared are fresh ones no program code ever held.
"""

from __future__ import annotations

import builtins
import operator
from collections.abc import Callable
from typing import Any

# Harness code runs after untrusted code in the same process: this module keeps its own copy of the
# builtins so that a program's `builtins.type = ...` cannot change how values are judged.
__builtins__ = dict(vars(builtins))

MAX_DEPTH = 100
MAX_NODES = 1_000_000
_SMALL_INT = 2**63

_SCALARS = frozenset({type(None), bool, int, float, complex, str})
_SEQUENCE_TAGS = {list: "L", tuple: "T", set: "S", frozenset: "F"}
_DECODE_SEQUENCE: dict[str, Callable[[list[Any]], Any]] = {"L": list, "T": tuple, "S": set, "F": frozenset}

COMPARISONS: dict[str, Callable[[Any, Any], Any]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "is": operator.is_,
    "is not": operator.is_not,
    "in": lambda left, right: left in right,
    "not in": lambda left, right: left not in right,
}


class NotPlain(Exception):
    """The value, or something inside it, is not of an exact builtin plain type."""


class TooLarge(Exception):
    """The value is nested too deeply or has too many parts to judge."""


class _Budget:
    def __init__(self) -> None:
        self.nodes = 0

    def spend(self, depth: int) -> None:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise TooLarge(f"more than {MAX_NODES:,} parts")
        if depth > MAX_DEPTH:
            raise TooLarge(f"nested deeper than {MAX_DEPTH}")


def encode(value: Any) -> Any:
    """The JSON-ready form of a plain value; raises NotPlain or TooLarge."""
    return _encode(value, 0, _Budget())


def _encode(value: Any, depth: int, budget: _Budget) -> Any:
    budget.spend(depth)
    kind = type(value)
    if kind is int:
        return value if -_SMALL_INT < value < _SMALL_INT else ["I", format(value, "x")]
    if kind is complex:
        return ["C", [value.real, value.imag]]
    if kind in _SCALARS:
        return value
    if kind is bytes:
        return ["B", value.hex()]
    if kind is dict:
        return [
            "D",
            [[_encode(k, depth + 1, budget), _encode(v, depth + 1, budget)] for k, v in value.items()],
        ]
    tag = _SEQUENCE_TAGS.get(kind)
    if tag is None:
        raise NotPlain(
            f"{kind.__module__}.{kind.__qualname__}" if kind.__module__ != "builtins" else kind.__name__
        )
    return [tag, [_encode(item, depth + 1, budget) for item in value]]


def decode(data: Any, depth: int = 0) -> Any:
    """Rebuild a plain value from `encode`'s form; raises ValueError on anything malformed."""
    if depth > MAX_DEPTH:
        raise ValueError("value nested too deeply")
    kind = type(data)
    if kind in _SCALARS:
        return data
    if kind is not list or len(data) != 2 or type(data[0]) is not str:
        raise ValueError(f"malformed value: {kind.__name__}")
    tag, payload = data
    if tag == "I" and type(payload) is str:
        return int(payload, 16)
    if tag == "B" and type(payload) is str:
        return bytes.fromhex(payload)
    if tag == "C" and type(payload) is list and len(payload) == 2:
        return complex(float(payload[0]), float(payload[1]))
    if type(payload) is not list:
        raise ValueError(f"malformed value tagged {tag!r}")
    if tag == "D":
        return {decode(key, depth + 1): decode(item, depth + 1) for key, item in payload}
    build = _DECODE_SEQUENCE.get(tag)
    if build is None:
        raise ValueError(f"unknown value tag {tag!r}")
    return build([decode(item, depth + 1) for item in payload])


def compare(op: str, left: Any, right: Any) -> bool:
    """Apply a comparison operator to two decoded plain values (may raise TypeError, like Python)."""
    return bool(COMPARISONS[op](left, right))


def short_repr(value: Any, limit: int = 120) -> str:
    """repr() of a plain value, cut to `limit` characters."""
    try:
        text = repr(value)
    except ValueError:  # an int past Python's digit limit
        text = f"<int of {value.bit_length()} bits>"
    return text if len(text) <= limit else text[: limit - 3] + "..."

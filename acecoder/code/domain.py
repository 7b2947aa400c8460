"""The inputs a task admits, and the guards that keep generated tests inside them.

A test on an input the question rules out (a negative number where it says positive, letters where it says a
string of 0s and 1s) rejects right programs and says nothing about wrong ones. Two guards are inferred here:

- `contract`: the task's own input contract (EvalPlus ships one per HumanEval+ task: asserts on the arguments)
  run before the reference; an input it refuses is outside the domain (`guarded_reference`);
- `examples`: what the docstring's examples share, per argument: its type (bool, int and float alike, lists and
  tuples alike), a sign (every example number non-negative, and the question speaks of positive or
  non-negative numbers), and an alphabet (every example string drawn from at most three characters, either
  0 and 1 or neither letters nor digits, such as "01" or "()"); elements of list arguments are checked for type
  and alphabet (`ExampleDomain`). No HumanEval+ base input falls outside what these guards infer.

The reference's own asserts already guard the inferred backend's inputs (an input it raises on gives no test).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import Any

MAX_ALPHABET = 3
MIN_ALPHABET_CHARS = 3  # examples must show at least this many characters before an alphabet is inferred


def guarded_reference(prompt: str, contract: str, solution: str) -> str:
    """prompt + contract + solution: the reference that refuses inputs outside the contract."""
    return (
        prompt + contract.lstrip("\n").rstrip() + "\n" + solution if contract.strip() else prompt + solution
    )


def _literal_args(call: ast.Call) -> list[Any] | None:
    try:
        return [ast.literal_eval(arg) for arg in call.args]
    except (ValueError, SyntaxError, TypeError, RecursionError, MemoryError):
        return None


def entry_calls(code: str, entry_point: str) -> list[ast.Call]:
    """Calls of `entry_point` in `code` (a test, or a line of an example)."""
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    return [
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == entry_point
    ]


def example_arguments(question: str, entry_point: str) -> list[list[Any]]:
    """Literal argument lists of the calls of `entry_point` the question's examples show."""
    found = []
    pattern = re.compile(rf"\b{re.escape(entry_point)}\s*\(")
    for line in question.splitlines():
        match = pattern.search(line)
        if not match:
            continue
        text = line[match.start() :]
        # take the shortest prefix that parses as the call, ignoring what follows it (==, ->, ➞, a result)
        for end in range(text.find(")") + 1, len(text) + 1):
            if text[end - 1] != ")":
                continue
            calls = entry_calls(text[:end], entry_point)
            if calls:
                args = _literal_args(calls[0])
                if args is not None:
                    found.append(args)
                break
    return found


def _kind(kind: type) -> type:
    return {bool: float, int: float, tuple: list}.get(kind, kind)


# a sign is inferred only where the question says so as well: examples alone often happen to be positive
_POSITIVE = re.compile(r"\b(positive|non-negative|nonnegative|natural number)", re.IGNORECASE)


@dataclass
class _Slot:
    types: set[type] = field(default_factory=set)
    non_negative: bool = True
    numbers: int = 0
    alphabet: set[str] = field(default_factory=set)
    chars: int = 0
    strings: int = 0

    def see(self, value: Any) -> None:
        self.types.add(float if type(value) is int and float in self.types else type(value))
        if type(value) in (int, float):
            self.numbers += 1
            self.non_negative &= value >= 0
        elif type(value) is str:
            self.strings += 1
            self.alphabet |= set(value)
            self.chars += len(value)

    def violation(self, value: Any, signed: bool) -> str | None:
        kinds = {_kind(t) for t in self.types}
        kind = _kind(type(value))
        if len(kinds) == 1 and kind not in kinds and value is not None:
            return "type"
        if signed and type(value) in (int, float) and self.numbers and self.non_negative and value < 0:
            return "sign"
        if (
            type(value) is str
            and self.strings
            and self.chars >= MIN_ALPHABET_CHARS
            and len(self.alphabet) <= MAX_ALPHABET
            # "abc" or "2,3" in an example says little of other words or numbers; "01" and "()" do
            and (self.alphabet <= {"0", "1"} or not any(ch.isalnum() for ch in self.alphabet))
            and not set(value) <= self.alphabet
        ):
            return "alphabet"
        return None


@dataclass
class ExampleDomain:
    """Per argument position: what the examples show of the argument itself and of its elements."""

    slots: list[_Slot]
    elements: list[_Slot]
    signed: bool = False  # the question speaks of positive / non-negative numbers

    @classmethod
    def infer(cls, question: str, entry_point: str) -> ExampleDomain | None:
        examples = example_arguments(question, entry_point)
        if not examples:
            return None
        width = max(len(args) for args in examples)
        slots, elements = [_Slot() for _ in range(width)], [_Slot() for _ in range(width)]
        for args in examples:
            for position, value in enumerate(args):
                slots[position].see(value)
                if type(value) in (list, tuple):
                    for item in value:
                        elements[position].see(item)
        return cls(slots, elements, bool(_POSITIVE.search(question)))

    def violation(self, args: list[Any]) -> str | None:
        """Why `args` fall outside the examples' domain ("type", "sign", "alphabet"), or None."""
        for position, value in enumerate(args[: len(self.slots)]):
            reason = self.slots[position].violation(value, self.signed)
            if reason:
                return reason
            if type(value) in (list, tuple) and self.elements[position].types:
                for item in value:
                    # no sign for elements: "the smallest positive integer of the list" admits negatives
                    reason = self.elements[position].violation(item, False)
                    if reason:
                        return f"element {reason}"
        return None


def call_arguments(test: str, entry_point: str) -> list[list[Any]]:
    """Literal argument lists of every call of the entry point in a test (calls with non-literal args left out)."""
    return [args for call in entry_calls(test, entry_point) if (args := _literal_args(call)) is not None]

"""Input/output examples written in a task's prompt, read without running anything.

Argument tuples come from `acecoder.code.inputs.calls_in`. An expected output is read where the prompt shows one
beside a call that stands alone on its line (so `set(f(x)) == ...` or `print(f(x))` give inputs only):

- doctests: `>>> f(1, 2)` followed by the value on the next line (a blank line there means `None`);
- `f(1, 2) == 3`, `f(1, 2) ➞ 3`, `f(1, 2) => 3`, `f(1, 2) -> 3`, `f(1, 2) = 3`, `f(1, 2) should return 3`;
- named arguments: `Input: arr = [1, 2], k = 3` / `Output: [2]` blocks, and `For lst = [1, 2] the output
  should be 3` sentences, where the names are exactly the function's parameters.

A value is the longest prefix of the text after the marker that is a Python literal, so trailing prose such
as `3.` or `3 (because ...)` is ignored.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Any

from acecoder.code.inputs import Args, calls_in

_OUTPUT_MARKERS = ("==>", "==", "➞", "→", "=>", "->", "should return", "should be", "returns", "=")
_OUTPUT_SENTENCE = re.compile(r"(?:output|result|return value)\s+(?:should\s+be|will\s+be|is|=|:)\s*", re.I)
_OUTPUT_LABEL = re.compile(r"^\s*(?:output|result|returns?)\s*[:=]\s*", re.I)


@dataclass(frozen=True)
class Example:
    """One call shown in the prompt; `expected` is meaningful only when `has_expected`."""

    args: Args
    expected: Any = None
    has_expected: bool = False


def examples_in(prompt: str, entry_point: str, params: tuple[str, ...] = ()) -> list[Example]:
    """Every distinct example call of `entry_point` in `prompt`; one with an expected output wins a tie."""
    lines = prompt.splitlines()
    found: list[Example] = []
    for index in range(len(lines)):
        found.extend(_calls_on_line(lines, index, entry_point))
        if params:
            named = _named_example(lines, index, params)
            if named is not None:
                found.append(named)
    chosen: dict[str, Example] = {}
    for example in found:
        key = repr(example.args)
        if key not in chosen or (example.has_expected and not chosen[key].has_expected):
            chosen[key] = example
    return list(chosen.values())


def _calls_on_line(lines: list[str], index: int, name: str) -> list[Example]:
    line = lines[index]
    examples = []
    for match in re.finditer(rf"(?<![\w.]){re.escape(name)}\(", line):
        call_end = _call_end(line, match.start(), name)
        if call_end is None:
            continue
        parsed = calls_in(line[match.start() : call_end], name)
        if not parsed:
            continue
        before = line[: match.start()].strip()
        doctest = before == ">>>"
        stands_alone = doctest or re.fullmatch(r"(?:assert|[-*•]|\d+[.)]|.*:)?", before) is not None
        rest = line[call_end:].strip()
        expected, found = _NOTHING, False
        if stands_alone and rest:
            expected, found = _after_marker(rest)
        elif doctest and not rest:
            expected, found = _doctest_output(lines, index)
        examples.append(Example(parsed[0], expected if found else None, found))
    return examples


def _call_end(line: str, start: int, name: str) -> int | None:
    """End offset of the call of `name` that begins at `start` (strings and nesting respected)."""
    for end in range(start + len(name) + 1, len(line) + 1):
        if line[end - 1] != ")":
            continue
        try:
            node = ast.parse(line[start:end], mode="eval").body
        except SyntaxError:
            continue
        if isinstance(node, ast.Call):
            return end
    return None


def _after_marker(rest: str) -> tuple[Any, bool]:
    for marker in _OUTPUT_MARKERS:
        if rest.lower().startswith(marker):
            return _leading_literal(rest[len(marker) :])
    return _NOTHING, False


def _doctest_output(lines: list[str], index: int) -> tuple[Any, bool]:
    following = lines[index + 1].strip() if index + 1 < len(lines) else ""
    if following.startswith(">>>"):
        return _NOTHING, False
    if not following:
        return None, True  # doctest prints nothing for None
    return _leading_literal(following)


def _named_example(lines: list[str], index: int, params: tuple[str, ...]) -> Example | None:
    """`name = value, ...` covering every parameter, with an output on the same or a following line."""
    line = lines[index]
    starts = [re.search(rf"(?<![\w.]){re.escape(param)}\s*=(?!=)", line) for param in params]
    if not all(starts) or sorted(starts, key=lambda m: m.start()) != starts:
        return None
    values = []
    for position, match in enumerate(starts):
        stop = starts[position + 1].start() if position + 1 < len(starts) else len(line)
        value, found = _leading_literal(line[match.end() : stop].strip().rstrip(",;").removesuffix(" and"))
        if not found:
            return None
        values.append(value)
    expected, found = _named_output(lines, index, line[starts[-1].end() :])
    return Example(tuple(values), expected if found else None, found)


def _named_output(lines: list[str], index: int, tail: str) -> tuple[Any, bool]:
    sentence = _OUTPUT_SENTENCE.search(tail)
    if sentence:
        return _leading_literal(tail[sentence.end() :])
    for following in lines[index + 1 : index + 3]:
        label = _OUTPUT_LABEL.match(following)
        if label:
            return _leading_literal(following[label.end() :])
    return _NOTHING, False


def _leading_literal(text: str) -> tuple[Any, bool]:
    """The longest prefix of `text` that is a Python literal and ends where the value does.

    A trailing comma would make a tuple, and text that goes on with an operator (`19 - 5 - 6 = 8`) or glued
    characters (`""aaa"`) shows the prefix is not the whole value: both are refused.
    """
    text = text.strip()
    for end in range(len(text), 0, -1):
        candidate = text[:end].rstrip()
        remainder = text[end:]
        if not candidate or candidate.endswith(",") or not _value_ends_at(remainder):
            continue
        try:
            return ast.literal_eval(candidate), True
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            continue
    return _NOTHING, False


def _value_ends_at(remainder: str) -> bool:
    if not remainder:
        return True
    if remainder[0] not in " \t.,;:#":
        return False
    following = remainder.lstrip(" \t")
    return not following or following[0] not in "+-*/%=<>&|^"


_NOTHING = object()

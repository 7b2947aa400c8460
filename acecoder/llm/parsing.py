"""Getting structured content out of a model's free-text reply: a JSON object, or fenced Python code.

Models wrap what was asked for in prose and Markdown fences, and now and then write Python literals
(single quotes, True/None) or trailing commas instead of strict JSON; these helpers cope with all of that.
"""

from __future__ import annotations

import ast
import json
import re
import textwrap
from collections import deque
from collections.abc import Iterator
from typing import Any, Literal

_FENCE = re.compile(
    r"^[ \t]*```[ \t]*(?P<tag>[\w+.#-]*)[^\n]*\n(?P<body>.*?)^[ \t]*```[ \t]*$", re.MULTILINE | re.DOTALL
)
_PYTHON_TAGS = frozenset({"", "python", "py", "python3", "py3"})
_TRAILING_COMMA = re.compile(r",(\s*[}\]])")


class ReplyParseError(ValueError):
    """The reply holds nothing of the kind asked for; `text` is the whole reply."""

    def __init__(self, message: str, text: str):
        super().__init__(f"{message}: {snippet(text)}")
        self.text = text


def snippet(text: str, limit: int = 160) -> str:
    """The start and end of `text`, short enough for an error message."""
    if len(text) <= limit:
        return repr(text)
    half = limit // 2
    return repr(text[:half]) + " ... " + repr(text[-half:])


def extract_json(text: str, *, prefer: Literal["first", "last"] = "last") -> dict[str, Any]:
    """The JSON object in a reply.

    Tried in order: the whole reply; the contents of fenced blocks (```json ones first); every top-level
    balanced `{...}` in the text, of which the last (or, with `prefer="first"`, the first) that reads as an
    object wins, since models tend to reason first and answer last.
    """
    whole = _as_object(text.strip())
    if whole is not None:
        return whole
    fences = list(_FENCE.finditer(text))
    fences.sort(key=lambda fence: fence["tag"].lower() != "json")  # stable: json-tagged first, else in order
    for fence in fences:
        found = _as_object(fence["body"].strip()) or _pick(_objects_in(fence["body"]), prefer)
        if found is not None:
            return found
    found = _pick(_objects_in(text), prefer)
    if found is None:
        raise ReplyParseError("no JSON object in the reply", text)
    return found


def extract_code_blocks(text: str) -> list[str]:
    """The Python code of each fenced block in a reply, in order: blocks tagged python (or py, python3) and
    untagged blocks; blocks tagged with another language (```json, ```bash) are left out. An unclosed fence
    (a reply cut short) yields nothing."""
    return [
        textwrap.dedent(fence["body"]).strip("\n")
        for fence in _FENCE.finditer(text)
        if fence["tag"].lower() in _PYTHON_TAGS
    ]


def _pick(candidates: Iterator[dict[str, Any]], prefer: Literal["first", "last"]) -> dict[str, Any] | None:
    if prefer == "first":
        return next(candidates, None)
    last = deque(candidates, maxlen=1)
    return last[0] if last else None


def _objects_in(text: str) -> Iterator[dict[str, Any]]:
    """Every top-level balanced `{...}` span of `text` that reads as an object, in order."""
    start = text.find("{")
    while start != -1:
        end = _matching_brace(text, start)
        found = None if end is None else _as_object(text[start : end + 1])
        if found is not None:
            yield found
            start = text.find("{", end + 1)
        else:  # prose in braces, or an apostrophe read as a quote: an object may still start further on
            start = text.find("{", start + 1)


def _matching_brace(text: str, start: int) -> int | None:
    """The index of the `}` closing the `{` at `start`, skipping braces inside string literals."""
    depth = 0
    quote: str | None = None
    escaped = False
    for index in range(start, len(text)):
        char = text[index]
        if quote:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == quote:
                quote = None
        elif char in "\"'":
            quote = char
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return index
    return None


def _as_object(candidate: str) -> dict[str, Any] | None:
    """`candidate` read as a JSON object, allowing trailing commas and Python literals; None if it is not."""
    if not candidate.startswith("{"):
        return None
    for attempt in (json.loads, lambda s: json.loads(_TRAILING_COMMA.sub(r"\1", s)), ast.literal_eval):
        try:
            value = attempt(candidate)
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            continue
        if isinstance(value, dict):
            return value
    return None

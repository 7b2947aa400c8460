"""A policy's completion as text, the program it holds, and where each line of that program sits in the text.

Reward functions run the program; fine-grained feedback needs the way back, from a line the sandbox blames to
the characters of the completion that wrote it. The program is what `extract_program` keeps (the fenced block
defining the entry point, minus example calls and prints), or the last fenced block when no block defines it.
Its lines are verbatim lines of one fenced block (after the block's common indent is removed), in order, so
each is found by walking that block's lines.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from acecoder.code.extract import clean_program, extract_program
from acecoder.llm.parsing import extract_code_blocks

Span = tuple[int, int]  # [start, end) character offsets in the completion


def completion_text(completion: str | Sequence[Mapping[str, Any]]) -> str:
    """The text of a completion: a string as is; a conversational completion's assistant messages joined."""
    if isinstance(completion, str):
        return completion
    return "".join(_message_text(m) for m in completion if m.get("role", "assistant") == "assistant")


def _message_text(message: Mapping[str, Any]) -> str:
    content = message.get("content") or ""
    if isinstance(content, str):
        return content
    return "".join(part.get("text", "") for part in content if part.get("type") == "text")


@dataclass(frozen=True)
class LocatedProgram:
    """The program to run, and for its line n (1-based) the character span `line_spans[n - 1]` of the
    completion that wrote it (None for blank lines the extraction put between definitions)."""

    code: str
    line_spans: tuple[Span | None, ...]

    def span_of_line(self, line: int) -> Span | None:
        return self.line_spans[line - 1] if 1 <= line <= len(self.line_spans) else None


def locate_program(text: str, entry_point: str | None) -> LocatedProgram | None:
    """The program in a completion with its lines' positions; None when the completion holds no program."""
    code = extract_program(text, entry_point) if entry_point else None
    if code is None:
        blocks = extract_code_blocks(text)
        if not blocks:
            return None
        code = clean_program(blocks[-1]) or blocks[-1] + "\n"
    return LocatedProgram(code, _line_spans(text, code))


def _line_spans(text: str, code: str) -> tuple[Span | None, ...]:
    program_lines = code.splitlines()
    for region in reversed(_fenced_regions(text) or [(0, len(text))]):
        spans = _match_lines(text, region, program_lines)
        if spans is not None:
            return spans
    return tuple(None for _ in program_lines)


def _fenced_regions(text: str) -> list[Span]:
    """Spans of the bodies of closed ``` fences, in order."""
    regions, opened_at, position = [], None, 0
    for line in text.splitlines(keepends=True):
        if line.lstrip().startswith("```"):
            if opened_at is None:
                opened_at = position + len(line)
            else:
                regions.append((opened_at, position))
                opened_at = None
        position += len(line)
    return regions


def _match_lines(text: str, region: Span, program_lines: list[str]) -> tuple[Span | None, ...] | None:
    """Each program line matched, in order, to a line of `region`; None if some non-blank line is missing."""
    start, end = region
    raw_lines = text[start:end].splitlines(keepends=True)
    # dedent keeps one output line per input line, so indices still line up with the raw lines
    dedented = textwrap.dedent("".join(raw_lines)).splitlines()
    offsets, position = [], start
    for raw in raw_lines:
        offsets.append(position)
        position += len(raw)
    spans: list[Span | None] = []
    cursor = 0
    for wanted in program_lines:
        if not wanted.strip():
            spans.append(None)
            continue
        while cursor < len(dedented) and dedented[cursor].rstrip() != wanted.rstrip():
            cursor += 1
        if cursor == len(dedented):
            return None
        raw = raw_lines[cursor].rstrip("\r\n")
        indent = len(raw) - len(raw.lstrip())
        spans.append((offsets[cursor] + indent, offsets[cursor] + len(raw.rstrip())))
        cursor += 1
    return tuple(spans)

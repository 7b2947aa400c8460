"""RLTF's fine-grained feedback: a penalty on the tokens that caused a failure, not only on the whole answer.

The sandbox gives each failing test an RLTF category: `line` (the error is raised at a line of the program),
`global` (the fault is the program as a whole, e.g. it does not compile at all or never returns), or `ignore`
(nothing to blame in the code). A `line` failure penalises the tokens that wrote that program line; a
`global` one every token of the completion; `ignore` none. A completion with no program at all is a global
fault. Each faulty line is penalised once, however many tests fail there.

Program line -> characters of the completion comes from `completions.LocatedProgram`; characters -> tokens
from the tokenizer's offsets of the decoded completion.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from acecoder.rl.completions import Span
from acecoder.rl.execution import Execution

RLTF_PENALTY = 0.3


@dataclass(frozen=True)
class Fault:
    """What to penalise in one completion: all of it (`whole`), or the character spans of faulty lines."""

    whole: bool
    spans: tuple[Span, ...] = ()


NO_FAULT = Fault(whole=False)


def fault_of(execution: Execution) -> Fault:
    """What the failures of one run blame (nothing when it had no tests to fail)."""
    if execution.program is None:
        return Fault(whole=execution.test_count > 0)
    spans: list[Span] = []
    for test in execution.test_verdicts:  # a passing test has no category
        if test["category"] == "global":
            return Fault(whole=True)
        if test["category"] == "line" and test["error_line"]:  # `line` errors are on lines of the program
            span = execution.program.span_of_line(int(test["error_line"]))
            if span is not None and span not in spans:
                spans.append(span)
    return Fault(whole=False, spans=tuple(sorted(spans))) if spans else NO_FAULT


def token_spans(tokenizer: Any, ids: Sequence[int], text: str) -> list[Span]:
    """The character span of `text` each token of `ids` wrote, where `text` is `ids` decoded without special
    tokens (how TRL turns completion ids into completions). Special tokens get empty spans at the end."""
    special = set(tokenizer.all_special_ids)
    content = [index for index, token in enumerate(ids) if token not in special]
    encoded = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
    spans: list[Span] = [(len(text), len(text))] * len(ids)
    if encoded["input_ids"] == [ids[i] for i in content]:
        for index, offset in zip(content, encoded["offset_mapping"], strict=True):
            spans[index] = tuple(offset)
        return spans
    # Sampled ids need not be the canonical tokenization of their text; then each token's span comes from
    # decoding the growing prefix, which is quadratic but rare.
    previous = 0
    for index in content:
        end = len(tokenizer.decode(ids[: index + 1], skip_special_tokens=True))
        spans[index] = (previous, max(previous, end))
        previous = max(previous, end)
    return spans


def token_penalties(fault: Fault, spans: Sequence[Span], weight: float = RLTF_PENALTY) -> list[float]:
    """`weight` on every token of a whole-completion fault, or on each token overlapping a faulty line."""
    if fault.whole:
        return [weight] * len(spans)
    return [
        weight if any(start < line_end and end > line_start for line_start, line_end in fault.spans) else 0.0
        for start, end in spans
    ]

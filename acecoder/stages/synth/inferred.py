"""The LLM-free backend: tests inferred by running the reference solution on generated inputs.

Inputs are seeded from the examples in the question and the docstring, then grown by type-aware mutation
(`acecoder.code.inputs`); the reference runs on each in the sandbox, and every input it answers (no exception,
no timeout, a plain value) becomes `assert f(args) == expected` (`math.isclose` for a float result).
"""

from __future__ import annotations

import ast
import copy
from dataclasses import dataclass, field

from acecoder.code.inputs import Args, InputGenerator, NoEntryPoint, calls_in, signature_of
from acecoder.stages.synth.validate import check_tests


@dataclass
class SourceRow:
    source_id: str
    question: str | None
    solution: str
    entry_point: str | None
    seeds: list[Args] | None = None  # argument tuples to start from besides the examples found in the text


@dataclass
class Synthesized:
    """One source's outcome: a question, an entry point and tests, or the reason there are none."""

    source_id: str
    question: str = ""
    entry_point: str = ""
    tests: list[str] = field(default_factory=list)
    test_origins: list[str] = field(default_factory=list)
    reference: str | None = None
    failure: str | None = None
    dropped: list[tuple[str, str]] = field(default_factory=list)


def function_header(code: str, entry_point: str) -> str:
    """`def name(params) -> ret` of the entry point, without its body or decorators."""
    tree = ast.parse(code)
    node = next(
        n
        for n in tree.body
        if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) and n.name == entry_point
    )
    header = copy.copy(node)
    header.body, header.decorator_list = [ast.Pass()], []
    return ast.unparse(header).split("\n")[0].rstrip(":")


def question_for(row: SourceRow, entry_point: str) -> str:
    """The row's question (or its docstring's first paragraph), ending with the function to write."""
    text = (row.question or "").strip()
    if not text:
        node = next(
            (n for n in ast.parse(row.solution).body if getattr(n, "name", None) == entry_point), None
        )
        docstring = ast.get_docstring(node) if node is not None else None
        text = " ".join((docstring or "").split("\n\n")[0].split())
    header = function_header(row.solution, entry_point)
    if not text:
        return f"Write the Python function `{header}`."
    return f"{text}\n\nWrite the Python function `{header}`."


def plan_inputs(
    row: SourceRow, count: int, seed: int, accepted: list[Args] | None = None
) -> tuple[str, list[Args]]:
    """(entry point, argument tuples to run the reference on).

    Seeds are the examples in the question and docstring; with `accepted` (inputs the reference already
    answered), new inputs grow from those instead, as EvalPlus mutates only valid inputs.
    """
    signature = signature_of(row.solution, row.entry_point)
    if accepted:
        generator = InputGenerator(signature, seed=seed + 1)
        grown = generator.generate(accepted, len(accepted) + count)
        return signature.name, grown[len(accepted) :]
    seeds = list(row.seeds or [])
    seeds += calls_in(row.question or "", signature.name) + calls_in(row.solution, signature.name)
    return signature.name, InputGenerator(signature, seed=seed).generate(seeds, count)


def call_text(entry_point: str, args: Args) -> str:
    return f"{entry_point}({', '.join(repr(a) for a in args)})"


def assert_for(call: str, value_repr: str) -> str:
    try:
        value = ast.literal_eval(value_repr)
    except (ValueError, SyntaxError):
        return f"assert {call} == {value_repr}"
    if type(value) is float:
        return f"import math\nassert math.isclose({call}, {value_repr}, rel_tol=1e-6, abs_tol=1e-9)"
    return f"assert {call} == {value_repr}"


def infer_tests(
    rows: list[SourceRow], pool, *, max_tests: int = 20, inputs_per_problem: int = 40, seed: int = 0
) -> list[Synthesized]:
    """Tests for each row, from two sandbox batches over all rows: half the inputs grown from the examples,
    the other half grown from the inputs the reference answered in the first batch."""
    from acecoder.sandbox import Job

    outcomes: dict[str, Synthesized] = {}
    answered: dict[str, list[tuple[Args, str]]] = {}
    first_round = max(1, inputs_per_problem // 2)
    for round_number in (1, 2):
        jobs, inputs_of = [], {}
        for row in rows:
            if round_number == 1:
                outcome = outcomes[row.source_id] = Synthesized(row.source_id, reference=row.solution)
                answered[row.source_id] = []
            else:
                outcome = outcomes[row.source_id]
                if outcome.failure or not answered[row.source_id]:
                    continue
            try:
                accepted = [args for args, _ in answered[row.source_id]]
                count = first_round if round_number == 1 else inputs_per_problem - first_round
                entry_point, inputs = plan_inputs(row, count, seed, accepted)
                outcome.entry_point = entry_point
                outcome.question = outcome.question or question_for(row, entry_point)
            except (NoEntryPoint, SyntaxError, StopIteration) as exc:
                outcome.failure = f"no entry function: {exc}"
                continue
            if not inputs:
                if round_number == 1:
                    outcome.failure = "no inputs could be generated"
                continue
            inputs_of[row.source_id] = inputs
            calls = [call_text(entry_point, args) for args in inputs]
            jobs.append(Job(id=row.source_id, program=row.solution, tests=[], calls=calls))
        for result in pool.run(jobs):
            outcome = outcomes[result["id"]]
            if result["status"] == "syntax":
                outcome.failure = "reference does not compile"
                continue
            for args, verdict in zip(inputs_of[result["id"]], result["calls"], strict=True):
                call = call_text(outcome.entry_point, args)
                if verdict["status"] == "ok" and verdict.get("value") is not None:
                    answered[result["id"]].append((args, verdict["value"]))
                else:
                    outcome.dropped.append(
                        (call, f"reference {verdict['status']}: {verdict.get('error_type') or ''}")
                    )
    for source_id, outcome in outcomes.items():
        if outcome.failure:
            continue
        tests = [
            assert_for(call_text(outcome.entry_point, args), value) for args, value in answered[source_id]
        ]
        checked = check_tests(tests, outcome.entry_point)
        outcome.tests = checked.kept[:max_tests]
        outcome.test_origins = ["inferred"] * len(outcome.tests)
        outcome.dropped += checked.dropped
        if not outcome.tests:
            outcome.failure = "the reference answered none of the generated inputs"
    return [outcomes[row.source_id] for row in rows]

"""The filter's domain guard (`FilterConfig.domain_guard`): tests on inputs outside the task's domain are dropped
before the reference judges the rest.

A test is outside when an entry-point call in it has arguments the question's examples rule out (their types,
signs, alphabets: `acecoder.code.domain.ExampleDomain`), or that the task's input contract refuses (where the
problem carries one, as imported HumanEval+ tasks do: the reference run with the contract before its body).
Such a test rejects right programs that handle the input otherwise and says nothing about wrong ones; the
reference alone keeps it, since it answers whatever it is given. Dropped tests are recorded with the reason
`outside the domain: examples (...)` or `outside the domain: contract`.
"""

from __future__ import annotations

import polars as pl

from acecoder.code.domain import ExampleDomain, call_arguments, guarded_reference
from acecoder.stages.filter import filter_batch


def outside_domain(problems: pl.DataFrame, tests: pl.DataFrame, pool) -> dict[str, str]:
    """test_id -> why it is outside its problem's domain, for the tests of `problems` that are."""
    from acecoder.sandbox import Job

    by_problem = {pid: group.sort("idx") for (pid,), group in tests.group_by("problem_id")}
    outside: dict[str, str] = {}
    jobs, ids = [], {}
    for row in problems.iter_rows(named=True):
        group = by_problem.get(row["problem_id"])
        if group is None:
            continue
        domain = ExampleDomain.infer(row["question"] or "", row["entry_point"])
        inside = []
        for test_id, code in zip(group["test_id"], group["code"], strict=True):
            reasons = (
                [domain.violation(a) for a in call_arguments(code, row["entry_point"])] if domain else []
            )
            reason = next((r for r in reasons if r), None)
            if reason:
                outside[test_id] = f"outside the domain: examples ({reason})"
            else:
                inside.append((test_id, code))
        contract, question, reference = (
            row.get("contract") or "",
            row["question"] or "",
            row["reference"] or "",
        )
        if inside and contract.strip() and reference.startswith(question):
            program = guarded_reference(question, contract, reference[len(question) :])
            jobs.append(Job(id=row["problem_id"], program=program, tests=[code for _, code in inside]))
            ids[row["problem_id"]] = [test_id for test_id, _ in inside]
    for result in pool.run(jobs):
        for test_id, verdict in zip(ids[result["id"]], result["tests"], strict=True):
            if (
                verdict["status"] == "error"
                and verdict.get("error_type") == "AssertionError"
                and _in_program(verdict)
            ):
                outside[test_id] = "outside the domain: contract"
    return outside


def _in_program(verdict: dict) -> bool:
    """The assertion that failed is the contract's (in the program), not the test's own."""
    return verdict.get("error_where", "program") == "program"


def guarded_filter_batch(problems: pl.DataFrame, tests: pl.DataFrame, config, run_id: str, *, pool) -> dict:
    """`filter_batch` on the tests inside their problems' domains; the others come back dropped."""
    outside = outside_domain(problems, tests, pool)
    rows = filter_batch(
        problems, tests.filter(~pl.col("test_id").is_in(list(outside))), config, run_id, pool=pool
    )
    rows["tests"] += [
        {"test_id": test_id, "kept": False, "drop_reason": reason} for test_id, reason in outside.items()
    ]
    return rows

"""Ground-truth labels: programs of imported benchmark tasks judged by the benchmark's own tests.

The evaluation is the reranker's (`acecoder.rerank.evaluation`): the canonical solution gives the expected
outputs, a program matches where EvalPlus's comparison (and its special oracles) says so, `base` means every
base input matches, `plus` base and every plus input. Besides the verdicts, each program's ground-truth pass
rate is the share of the base inputs it matches (a program whose calls raise is run once more one call at a
time, so that one failing input does not count for all; a timeout counts for all). Tasks without inputs
(HumanEval's plain check) get a pass rate of 1 or 0. Labels are stored per program in `ground_truth`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import polars as pl

from acecoder.code import benchmarks
from acecoder.code.benchmarks import BenchmarkTask
from acecoder.core.store import Store
from acecoder.rerank import evaluation
from acecoder.rerank.candidates import CandidateSet, Problem
from acecoder.rerank.execution import CallGroup, CallOutcome, Executor


@dataclass
class LabelReport:
    run_id: str = ""
    programs: int = 0
    tasks: int = 0
    base_passed: int = 0
    plus_passed: int = 0
    missing_tasks: list[str] = field(default_factory=list)


def _per_call(outcome: CallOutcome) -> bool:
    """Learn each call's own outcome unless the group ran out of time (waiting out every call costs too much)."""
    return outcome.status != "timeout"


def label_sets(
    tasks: Sequence[BenchmarkTask], sets: Sequence[CandidateSet], executor: Executor
) -> tuple[list[list[bool]], list[list[bool]] | None, list[list[float]]]:
    """(base verdicts, plus verdicts or None, base pass rates) of every candidate of every task."""
    if any(not task.base_input for task in tasks):
        verdicts = evaluation.evaluate(tasks, sets, executor)
        rates = [[1.0 if v else 0.0 for v in row] for row in verdicts.base]
        return verdicts.base, verdicts.plus, rates
    expected = evaluation._expected_outputs(tasks, [task.base_input for task in tasks], executor, "base")
    wanted = [(t, c) for t, s in enumerate(sets) for c in range(len(s))]
    groups = [
        CallGroup(
            sets[t].programs[c], evaluation._calls(tasks[t], expected[t].inputs), expected[t].timeouts_s
        )
        for t, c in wanted
    ]
    results = executor.grouped_outcomes(
        groups,
        "ground truth: base inputs",
        split=_per_call,
        min_group_timeout_s=evaluation.MIN_GROUP_TIMEOUT_S,
        min_call_timeout_s=evaluation.MIN_CALL_TIMEOUT_S,
    )
    base = [[False] * len(s) for s in sets]
    rates = [[0.0] * len(s) for s in sets]
    for (t, c), outcomes in zip(wanted, results, strict=True):
        matches = [
            outcome.returned and evaluation._matches(tasks[t], args, outcome.value, want)
            for args, outcome, want in zip(expected[t].inputs, outcomes, expected[t].outputs, strict=True)
        ]
        base[t][c] = all(matches)
        rates[t][c] = sum(matches) / len(matches) if matches else 0.0
    if not any(task.plus_input for task in tasks):
        return base, None, rates
    plus_expected = evaluation._expected_outputs(tasks, [task.plus_input for task in tasks], executor, "plus")
    plus = evaluation._compare_all(
        tasks, sets, plus_expected, executor, "ground truth: plus inputs", only=base
    )
    return base, plus, rates


def label_programs(
    store: Store,
    benchmark: str,
    *,
    workers: int | None = None,
    progress: bool = True,
    flow_run_id: str | None = None,
) -> LabelReport:
    """Label every unlabelled program of an imported task of `benchmark` (its tasks loaded through
    `acecoder.code.benchmarks`)."""
    from acecoder.rerank.pipeline import open_executor

    report = LabelReport()
    pending = store.frame("ground_truth_pending")
    if pending.height == 0:
        return report
    by_id = {task.task_id: task for task in benchmarks.load(benchmark)}
    report.missing_tasks = sorted(set(pending["task_id"]) - set(by_id))
    pending = pending.filter(pl.col("task_id").is_in(list(by_id)))
    groups = pending.partition_by("task_id", as_dict=False, maintain_order=True)
    tasks = [by_id[group["task_id"][0]] for group in groups]
    sets = [
        CandidateSet(Problem.of(task), tuple(group["code"]))
        for task, group in zip(tasks, groups, strict=True)
    ]
    with store.tracked_run("labels", {"benchmark": benchmark}, flow_run_id) as (run_id, metrics):
        report.run_id = run_id
        with open_executor(workers, progress=progress) as executor:
            base, plus, rates = label_sets(tasks, sets, executor)
        rows = []
        for t, group in enumerate(groups):
            for c, row in enumerate(group.iter_rows(named=True)):
                rows.append(
                    {
                        "program_id": row["program_id"],
                        "problem_id": row["problem_id"],
                        "task_id": row["task_id"],
                        "base_passed": base[t][c],
                        "plus_passed": None if plus is None else plus[t][c],
                        "pass_rate": rates[t][c],
                    }
                )
        frame = pl.DataFrame(rows, schema_overrides={"plus_passed": pl.Boolean})
        with store.transaction():
            store.insert("ground_truth_insert", frame, run_id=run_id)
        report.programs = len(rows)
        report.tasks = len(groups)
        report.base_passed = sum(r["base_passed"] for r in rows)
        report.plus_passed = sum(bool(r["plus_passed"]) for r in rows)
        metrics.update({k: v for k, v in report.__dict__.items() if k != "missing_tasks"})
    return report

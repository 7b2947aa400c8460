"""The import stage's driver: one function per format, each a tracked run that streams its file in batches
(one transaction each), skips and reports malformed rows by line and field, and adds nothing on a second
import of the same data. The CLI (`acecoder import ...`) and the flows call these."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from acecoder.core.store import Store
from acecoder.stages.imports import acecode, benchmark_tasks, llm_tests, samples
from acecoder.stages.imports.common import (
    BadRow,
    Batch,
    ImportFileError,
    ImportReport,
    json_rows,
    stored_test_row,
)

log = logging.getLogger(__name__)


@dataclass
class ImportConfig:
    batch_size: int = field(default=500, metadata={"help": "Rows per transaction."})
    limit: int | None = field(default=None, metadata={"help": "Rows (or tasks) to import; all when unset."})


def _rows_into(
    store: Store, report: ImportReport, config: ImportConfig, path, add_row, flow_run_id
) -> ImportReport:
    params = {"kind": report.kind, "path": str(path), "batch_size": config.batch_size, "limit": config.limit}
    with store.tracked_run("import", params, flow_run_id) as (run_id, metrics):
        report.run_id = run_id
        batch = Batch(store, report, run_id, config.batch_size)
        for where, row in json_rows(path):
            if config.limit is not None and report.rows >= config.limit:
                break
            report.rows += 1
            if isinstance(row, BadRow):
                report.bad(where, row)
                continue
            try:
                add_row(batch, where, row)
            except BadRow as exc:
                report.bad(where, exc)
        batch.flush()
        metrics.update(report.metrics())
    if report.bad_row_count:
        log.warning(
            "%s: %d malformed rows skipped, first: %s", path, report.bad_row_count, report.bad_rows[0]
        )
    return report


def import_acecode(
    store: Store,
    path: str | Path,
    config: ImportConfig | None = None,
    *,
    dataset: str | None = None,
    flow_run_id: str | None = None,
) -> ImportReport:
    """AceCode-87K / AceCode-V2-122K rows (see `acecode`)."""
    config = config or ImportConfig()
    name = dataset or Path(path).name
    report = ImportReport("acecode", str(path))
    return _rows_into(
        store,
        report,
        config,
        path,
        lambda b, w, r: acecode.import_acecode_row(b, w, r, name, report),
        flow_run_id,
    )


def benchmark_problems(store: Store) -> dict[str, tuple[str, str]]:
    """Imported benchmark tasks by task id and by entry point: (problem id, entry point)."""
    frame = store.frame("imports_benchmark_problems")
    found: dict[str, tuple[str, str]] = {}
    for row in frame.iter_rows(named=True):
        value = (row["problem_id"], row["entry_point"])
        found[row["task_id"]] = value
        found.setdefault(row["entry_point"], value)
    return found


def import_llm_tests(
    store: Store, path: str | Path, config: ImportConfig | None = None, *, flow_run_id: str | None = None
) -> ImportReport:
    """Raw LLM test generations for imported benchmark tasks (see `llm_tests`)."""
    config = config or ImportConfig()
    problems = benchmark_problems(store)
    if not problems:
        raise ImportFileError("no benchmark tasks imported yet: run `acecoder import benchmark` first")
    report = ImportReport("llm-tests", str(path))
    return _rows_into(
        store,
        report,
        config,
        path,
        lambda b, w, r: llm_tests.import_llm_tests_row(b, w, r, problems, report),
        flow_run_id,
    )


def import_benchmark(
    store: Store,
    benchmark: str,
    config: ImportConfig | None = None,
    *,
    task_ids: list[str] | None = None,
    flow_run_id: str | None = None,
) -> ImportReport:
    """Benchmark tasks as evaluation-only problems (see `benchmark_tasks`)."""
    config = config or ImportConfig()
    tasks = benchmark_tasks.read_tasks(benchmark, task_ids, config.limit)
    report = ImportReport("benchmark", benchmark)
    params = {"kind": "benchmark", "benchmark": benchmark, "tasks": len(tasks)}
    with store.tracked_run("import", params, flow_run_id) as (run_id, metrics):
        report.run_id = run_id
        batch = Batch(store, report, run_id, config.batch_size)
        benchmark_tasks.import_tasks_batch(batch, tasks, benchmark, report)
        batch.flush()
        metrics.update(report.metrics())
    return report


def import_samples(
    store: Store,
    path: str | Path,
    benchmark: str,
    policy: str,
    config: ImportConfig | None = None,
    *,
    flow_run_id: str | None = None,
) -> ImportReport:
    """Samples of benchmark tasks as programs under `policy` (see `samples`); `config.limit` caps the samples
    taken per task."""
    config = config or ImportConfig()
    problems = benchmark_problems(store)
    tasks = benchmark_tasks.read_tasks(benchmark)
    problem_of_task = {task.task_id: problems[task.task_id][0] for task in tasks if task.task_id in problems}
    report = ImportReport("samples", str(path))
    params = {
        "kind": "samples",
        "path": str(path),
        "benchmark": benchmark,
        "policy": policy,
        "limit": config.limit,
    }
    with store.tracked_run("import", params, flow_run_id) as (run_id, metrics):
        report.run_id = run_id
        batch = Batch(store, report, run_id, config.batch_size)
        samples.import_samples_batch(batch, path, tasks, problem_of_task, policy, report, config.limit)
        batch.flush()
        metrics.update(report.metrics())
    return report


def add_inferred_tests(
    store: Store,
    *,
    max_tests: int = 20,
    inputs_per_problem: int = 40,
    seed: int = 0,
    domain_guards: bool = True,
    pool=None,
    flow_run_id: str | None = None,
) -> ImportReport:
    """Tests for the imported benchmark tasks from the synthesis stage's offline backend (`infer_tests`: the
    reference run on inputs grown from the docstring's examples), stored on the task's own problem (origin
    `inferred`) so that they judge the same programs as any imported tests. With `domain_guards`, tests on
    inputs outside the task's domain (`acecoder.code.domain`: the task's contract, the examples' types, signs
    and alphabets) are left out, counted per guard in `dropped`."""
    from acecoder.stages.synth.inferred import SourceRow, infer_tests

    frame = store.frame("imports_benchmark_problems").filter(pl.col("reference").is_not_null())
    rows = [
        SourceRow(r["problem_id"], r["question"], r["reference"], r["entry_point"])
        for r in frame.iter_rows(named=True)
    ]
    report = ImportReport("inferred-tests", "benchmark tasks")
    params = {
        "kind": "inferred-tests",
        "max_tests": max_tests,
        "inputs_per_problem": inputs_per_problem,
        "seed": seed,
        "domain_guards": domain_guards,
    }
    own = None
    if pool is None:
        from acecoder.core.pools import new_pool

        pool = own = new_pool()
    try:
        with store.tracked_run("import", params, flow_run_id) as (run_id, metrics):
            report.run_id = run_id
            outcomes = infer_tests(
                rows, pool, max_tests=max_tests, inputs_per_problem=inputs_per_problem, seed=seed
            )
            tests = {}
            for outcome in outcomes:
                report.rows += 1
                if outcome.failure:
                    report.drop(outcome.failure.split(":")[0])
                    continue
                for _, reason in outcome.dropped:
                    report.drop(reason.split(":")[0])
                tests[outcome.source_id] = list(outcome.tests)
            if domain_guards:
                tests = _inside_domain(tests, frame, pool, report)
            batch = Batch(store, report, run_id, 10**9)
            for problem_id, codes in tests.items():
                batch.tests += [
                    stored_test_row(problem_id, 1000 + i, code, "inferred") for i, code in enumerate(codes)
                ]
            batch.flush()
            metrics.update(report.metrics())
    finally:
        if own is not None:
            own.close()
    return report


def _inside_domain(
    tests: dict[str, list[str]], problems: pl.DataFrame, pool, report: ImportReport
) -> dict[str, list[str]]:
    """The tests whose inputs the examples' domain and the task's contract admit; the rest counted by guard."""
    from acecoder.code.domain import ExampleDomain, call_arguments, guarded_reference
    from acecoder.sandbox import Job

    by_id = {r["problem_id"]: r for r in problems.iter_rows(named=True)}
    kept: dict[str, list[str]] = {}
    for problem_id, codes in tests.items():
        row = by_id[problem_id]
        domain = ExampleDomain.infer(row["question"], row["entry_point"])
        kept[problem_id] = []
        for code in codes:
            reasons = (
                [domain.violation(args) for args in call_arguments(code, row["entry_point"])]
                if domain
                else []
            )
            reason = next((r for r in reasons if r), None)
            if reason:
                report.drop(f"outside the domain: examples ({reason})")
            else:
                kept[problem_id].append(code)
    jobs = []
    for problem_id, codes in kept.items():
        row = by_id[problem_id]
        question, reference, contract = row["question"], row["reference"], row["contract"]
        if contract.strip() and codes and reference.startswith(question):
            program = guarded_reference(question, contract, reference[len(question) :])
            jobs.append(Job(id=problem_id, program=program, tests=codes))
    for result in pool.run_batch(jobs):
        codes = kept[result["id"]]
        passed = [
            code for code, verdict in zip(codes, result["tests"], strict=True) if verdict["status"] == "pass"
        ]
        report.drop("outside the domain: contract", len(codes) - len(passed))
        kept[result["id"]] = passed
    return kept

"""Scoring: every program against its problem's kept tests in the sandbox, written to `executions`.

Programs are scored in batches, each committed with all its verdicts, so a program is either fully scored or
not at all and an interrupted run resumes where it stopped. `pass_rates` (a view) then reads passed / kept.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass

import polars as pl
from tqdm import tqdm

from acecoder.core.batches import BatchRunner, batch_runner, slices
from acecoder.core.config import setting
from acecoder.core.records import execution_rows
from acecoder.core.store import Store

log = logging.getLogger(__name__)


@dataclass
class ScoreConfig:
    batch_size: int = setting(128, "Programs per sandbox batch (each batch is committed as it completes).")
    limit: int | None = setting(None, "Programs to score in this run.")


@dataclass
class ScoreReport:
    run_id: str = ""
    programs: int = 0
    executions: int = 0


def score_batch(programs: pl.DataFrame, tests: pl.DataFrame, run_id: str, *, pool) -> list[dict]:
    """Verdicts of one batch of programs on their problems' kept tests, as `executions` rows."""
    from acecoder.sandbox import Job

    by_problem = {pid: group.sort("idx") for (pid,), group in tests.group_by("problem_id")}
    reference_ms = {pid: _reference_ms(group) for pid, group in by_problem.items()}
    jobs = [
        Job(
            id=row["program_id"],
            program=row["code"],
            tests=by_problem[row["problem_id"]]["code"].to_list(),
            reference_ms=reference_ms[row["problem_id"]],
        )
        for row in programs.iter_rows(named=True)
    ]
    problem_of = dict(zip(programs["program_id"], programs["problem_id"], strict=True))
    rows: list[dict] = []
    for result in pool.run_batch(jobs):
        test_ids = by_problem[problem_of[result["id"]]]["test_id"].to_list()
        rows += execution_rows(result["id"], test_ids, result, run_id)
    return rows


def _reference_ms(tests: pl.DataFrame) -> list[float] | None:
    """The reference solution's time on each test, when the filter stage measured all of them: with the
    pool's `reference_factor`, each test's limit follows from it (a looping program then costs a second or
    so per test instead of the fixed limit)."""
    if "reference_ms" not in tests.columns or tests["reference_ms"].null_count():
        return None
    return tests["reference_ms"].to_list()


def write_scores(store: Store, rows: list[dict]) -> int:
    """Store one batch's verdicts in one transaction; returns the rows added."""
    with store.transaction():
        return store.insert("executions_insert", rows)


def score_programs(
    store: Store,
    config: ScoreConfig | None = None,
    *,
    pool=None,
    runner: BatchRunner | None = None,
    progress: bool = True,
    flow_run_id: str | None = None,
) -> ScoreReport:
    """Run every program of a kept problem that has no verdicts yet against the problem's kept tests."""
    config = config or ScoreConfig()
    report = ScoreReport()
    todo = store.frame("score_pending", limit=config.limit)
    if todo.height == 0:
        return report
    with (
        store.tracked_run("score", asdict(config), flow_run_id) as (run_id, metrics),
        batch_runner(runner, pool) as run,
        tqdm(total=todo.height, desc="score", unit="program", disable=not progress) as bar,
    ):
        report.run_id = run_id
        work = (
            (batch, store.frame("kept_tests", staged=batch.select("problem_id").unique()), run_id)
            for batch in slices(todo, config.batch_size)
        )
        for (batch, *_), rows in run.map(score_batch, work):
            report.executions += write_scores(store, rows)
            report.programs += batch.height
            bar.update(batch.height)
        metrics.update({"programs": report.programs, "executions": report.executions})
    log.info("score: %s programs, %s executions", report.programs, report.executions)
    return report

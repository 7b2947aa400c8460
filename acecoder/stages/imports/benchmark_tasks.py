"""Benchmark tasks (HumanEval(+), MBPP(+), or a task file in the EvalPlus layout) as evaluation-only problems.

Each task becomes a problem keyed by its task id, with the prompt as the question and prompt + canonical
solution as the reference; it is marked evaluation-only, so no training export, no reward-model pairs and no
RL data ever contain it. It waits with status `imported` until tests arrive (imported LLM tests, or tests
inferred from the reference with `add_inferred_tests`), which send it to the filter stage.
"""

from __future__ import annotations

from acecoder.code import benchmarks
from acecoder.code.benchmarks import BenchmarkTask
from acecoder.core.hashing import content_hash
from acecoder.stages.imports.common import ImportReport, problem_row

BENCHMARK_ORIGIN = "benchmark"


def benchmark_problem_id(task_id: str) -> str:
    """HumanEval and HumanEval+ share task ids and prompts: one problem per task id."""
    return content_hash("import", "benchmark", task_id)


def task_problem(task: BenchmarkTask, benchmark: str) -> dict:
    return problem_row(
        problem_id=benchmark_problem_id(task.task_id),
        dataset=benchmark,
        row_id=task.task_id,
        question=task.prompt,
        entry_point=task.entry_point,
        reference=task.prompt + task.canonical_solution,
        origin=BENCHMARK_ORIGIN,
        evaluation_only=True,
        metadata={"task_id": task.task_id, "benchmark": benchmark, "contract": task.contract},
        status="imported",
    )


def read_tasks(
    benchmark: str, task_ids: list[str] | None = None, limit: int | None = None
) -> list[BenchmarkTask]:
    """The tasks of `benchmark` (a name `acecoder.code.benchmarks.load` knows, or a file), optionally a subset."""
    tasks = benchmarks.load(benchmark)
    if task_ids:
        wanted = set(task_ids)
        tasks = [task for task in tasks if task.task_id in wanted]
    return tasks[:limit] if limit is not None else tasks


def import_tasks_batch(batch, tasks: list[BenchmarkTask], benchmark: str, report: ImportReport) -> None:
    for task in tasks:
        report.rows += 1
        batch.problems.append(task_problem(task, benchmark))
        batch.row_done()

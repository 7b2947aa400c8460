"""Program samples of benchmark tasks, in the layouts `acecoder rerank` reads (EvalPlus samples, bigcode
generations.json, grouped jsonl), as programs of the imported benchmark problems under one policy name.

Each sample is completed with the task's prompt where it is a body and sanitised as the reranker does (the
entry point and what it needs, the prompt's helpers kept), so what is stored is what runs. Samples of tasks
that were not imported are counted as unmatched.
"""

from __future__ import annotations

from pathlib import Path

from acecoder.code.benchmarks import BenchmarkTask
from acecoder.rerank.candidates import candidate_sets
from acecoder.rerank.formats import SamplesError, read_samples
from acecoder.stages.imports.common import ImportFileError, ImportReport, program_row


def import_samples_batch(
    batch,
    path: str | Path,
    tasks: list[BenchmarkTask],
    problem_of_task: dict[str, str],
    policy: str,
    report: ImportReport,
    limit: int | None = None,
) -> None:
    try:
        groups = read_samples(path, tasks, limit=limit)
    except SamplesError as exc:
        raise ImportFileError(str(exc)) from None
    for group, candidates in zip(groups, candidate_sets(groups), strict=True):
        problem_id = problem_of_task.get(group.task.task_id)
        report.rows += len(candidates.programs)
        if problem_id is None:
            report.unmatched += len(candidates.programs)
            continue
        for index, (raw, program) in enumerate(zip(group.programs, candidates.programs, strict=True)):
            if not program.strip():
                report.drop("empty after sanitising")
                continue
            batch.programs.append(
                program_row(
                    problem_id, program, policy, index, {"task_id": group.task.task_id, "raw_chars": len(raw)}
                )
            )
        batch.row_done()

"""`acecoder import`: data that already carries tests or programs (AceCode rows, raw LLM tests, program
samples, benchmark tasks) and ground-truth labels of benchmark programs."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from acecoder.cli.options import DbOption

import_app = typer.Typer(help="Import datasets that already carry tests or programs.", no_args_is_help=True)

BatchOption = Annotated[int, typer.Option("--batch-size", help="Rows per transaction.")]
LimitOption = Annotated[int | None, typer.Option("--limit", help="Rows (tasks; samples per task) to import.")]


def _show(report) -> None:
    from acecoder.cli.common import print_mapping

    values = {k: v for k, v in report.__dict__.items() if k not in ("bad_rows", "dropped", "missing_tasks")}
    values.update({f"dropped: {k}": v for k, v in sorted(getattr(report, "dropped", {}).items())})
    print_mapping(values, f"import {getattr(report, 'kind', 'labels')}")
    for line in getattr(report, "bad_rows", [])[:10]:
        typer.echo(f"bad row: {line}", err=True)


def _run(work):
    from acecoder.code.benchmarks import BenchmarkNotFound
    from acecoder.core.store import open_store
    from acecoder.rerank.formats import SamplesError
    from acecoder.stages.imports import ImportFileError

    try:
        return work(open_store)
    except (ImportFileError, SamplesError, BenchmarkNotFound) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None


@import_app.command("benchmark")
def benchmark(
    name: Annotated[
        str, typer.Argument(help="humaneval, humaneval+, mbpp+, or a task file in the EvalPlus layout.")
    ],
    task: Annotated[
        list[str] | None, typer.Option("--task", help="Only these task ids (repeatable).")
    ] = None,
    limit: LimitOption = None,
    db: DbOption = None,
) -> None:
    """Benchmark tasks as evaluation-only problems (the canonical solution as reference): never exported for
    training, never in reward-model pairs or RL data."""
    from acecoder.stages.imports import ImportConfig, import_benchmark

    def work(open_store):
        with open_store(db) as store:
            _show(import_benchmark(store, name, ImportConfig(limit=limit), task_ids=task))

    _run(work)


@import_app.command("samples")
def samples(
    path: Annotated[
        Path, typer.Argument(help="EvalPlus samples jsonl(.gz), bigcode generations.json or grouped jsonl.")
    ],
    benchmark: Annotated[
        str, typer.Option("--benchmark", help="The benchmark the samples answer.")
    ] = "humaneval+",
    policy: Annotated[
        str, typer.Option("--policy", help="Policy name the programs are stored under.")
    ] = "samples",
    limit: Annotated[int | None, typer.Option("--limit", help="Samples per task.")] = None,
    batch_size: BatchOption = 500,
    db: DbOption = None,
) -> None:
    """Program samples of imported benchmark tasks, as programs under a policy name."""
    from acecoder.stages.imports import ImportConfig, import_samples

    def work(open_store):
        with open_store(db) as store:
            _show(
                import_samples(
                    store, path, benchmark, policy, ImportConfig(batch_size=batch_size, limit=limit)
                )
            )

    _run(work)


@import_app.command("llm-tests")
def llm_tests(
    path: Annotated[
        Path, typer.Argument(help="jsonl(.gz) of {prompt, samples[, task_id]} (CodeT's layout).")
    ],
    limit: LimitOption = None,
    batch_size: BatchOption = 500,
    db: DbOption = None,
) -> None:
    """Raw LLM test generations as single-assert tests (origin llm) of imported benchmark tasks; fragments that
    do not parse, do not call the entry point or compare placeholders are counted by reason and dropped."""
    from acecoder.stages.imports import ImportConfig, import_llm_tests

    def work(open_store):
        with open_store(db) as store:
            _show(import_llm_tests(store, path, ImportConfig(batch_size=batch_size, limit=limit)))

    _run(work)


@import_app.command("acecode")
def acecode(
    path: Annotated[
        Path, typer.Argument(help="jsonl(.gz) or json of AceCode rows (AceCode-87K, AceCode-V2-122K).")
    ],
    dataset: Annotated[
        str | None, typer.Option("--dataset", help="Name recorded for the rows (default: file name).")
    ] = None,
    limit: LimitOption = None,
    batch_size: BatchOption = 500,
    db: DbOption = None,
) -> None:
    """AceCode rows: a problem with its tests (origin llm) and its sampled programs (policy = model name), the
    dataset's pass rate kept beside ours."""
    from acecoder.stages.imports import ImportConfig, import_acecode

    def work(open_store):
        with open_store(db) as store:
            _show(
                import_acecode(store, path, ImportConfig(batch_size=batch_size, limit=limit), dataset=dataset)
            )

    _run(work)


@import_app.command("inferred-tests")
def inferred_tests(
    max_tests: Annotated[int, typer.Option("--max-tests", help="Tests per task.")] = 20,
    inputs_per_problem: Annotated[
        int, typer.Option("--inputs", help="Inputs run through the reference.")
    ] = 40,
    domain_guards: Annotated[
        bool,
        typer.Option(
            "--domain-guards/--no-domain-guards",
            help="Leave out tests on inputs outside the task's domain (its contract; the examples' types, signs, alphabets).",
        ),
    ] = True,
    db: DbOption = None,
) -> None:
    """Tests for the imported benchmark tasks from the offline synthesis backend (origin inferred)."""
    from acecoder.stages.imports import add_inferred_tests

    def work(open_store):
        with open_store(db) as store:
            _show(
                add_inferred_tests(
                    store,
                    max_tests=max_tests,
                    inputs_per_problem=inputs_per_problem,
                    domain_guards=domain_guards,
                )
            )

    _run(work)


@import_app.command("labels")
def labels(
    benchmark: Annotated[
        str, typer.Argument(help="The benchmark whose own tests judge the programs.")
    ] = "humaneval+",
    workers: Annotated[
        int | None, typer.Option("--workers", help="Sandbox workers (default: one per core).")
    ] = None,
    progress: Annotated[bool, typer.Option("--progress/--no-progress", help="Show progress bars.")] = True,
    db: DbOption = None,
) -> None:
    """Ground-truth labels of the imported benchmark tasks' programs, from the benchmark's own tests."""
    from acecoder.stages.imports.labels import label_programs

    def work(open_store):
        with open_store(db) as store:
            _show(label_programs(store, benchmark, workers=workers, progress=progress))

    _run(work)

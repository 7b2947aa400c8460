"""`acecoder rerank SAMPLES -o SELECTED`: pick one of N sampled programs per benchmark task."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

console = Console(stderr=True)

METHOD_HELP = (
    "How to choose: exec (run candidates on the prompt's examples and generated inputs; favour those that "
    "reproduce the examples, then the largest group that agrees on every input), rm (highest reward-model "
    "score; needs --model), rm+exec (highest reward-model score within exec's largest agreeing groups; "
    "needs --model), random (seeded), first (the first sample)."
)


def rerank(
    samples: Annotated[
        Path,
        typer.Argument(
            help="N samples per task: EvalPlus samples jsonl (task_id + solution or completion, one line per "
            "sample; .gz allowed), bigcode-evaluation-harness generations.json (one list of full programs per "
            "task, in benchmark order), or jsonl with task_id + samples: [...].",
            show_default=False,
        ),
    ],
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="Where to write the selection: one {task_id, solution} line per task, the "
            "sanitised full program (what evalplus.evaluate reads).",
            show_default=False,
        ),
    ],
    benchmark: Annotated[
        str,
        typer.Option(
            help="humaneval, humaneval+, mbpp+ (bundled; ACECODER_DATA_DIR overrides), a task file in the "
            "EvalPlus layout, or hf:<dataset id>[@revision] (through datasets, when the network allows)."
        ),
    ] = "humaneval",
    method: Annotated[str, typer.Option(help=METHOD_HELP)] = "exec",
    n: Annotated[
        int | None,
        typer.Option(
            "--n", help="Keep the first N samples of each task (default: all).", min=1, show_default=False
        ),
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed of the random method and of exec's generated inputs.")] = 0,
    evaluate: Annotated[
        bool,
        typer.Option(
            "--evaluate",
            help="Also run every candidate on the benchmark's hidden tests and print pass@1 of the "
            "selection beside random choice, the oracle (pass@N), unbiased pass@k and the "
            "selection's pass@1 on the first 1, 2, 4, ... samples.",
        ),
    ] = False,
    report: Annotated[
        Path | None,
        typer.Option(
            help="Folder for report.json, verdicts.jsonl and selection_curve.png (implies --evaluate).",
            show_default=False,
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            help="Sandbox worker processes (default: ACECODER_SANDBOX_WORKERS, else one per core).",
            min=1,
            show_default=False,
        ),
    ] = None,
    model: Annotated[
        str | None,
        typer.Option(
            help="Trained reward model (a folder written by rewardmodel training) for the rm methods.",
            show_default=False,
        ),
    ] = None,
    inputs: Annotated[
        int,
        typer.Option(
            help="Inputs exec generates per task beyond the prompt's examples (type-aware mutation).", min=0
        ),
    ] = 20,
    progress: Annotated[bool, typer.Option(help="Show progress bars on stderr.")] = True,
) -> None:
    """Select one of N sampled programs per benchmark task, without reading the benchmark's tests.

    Samples are sanitised as EvalPlus does (imports, the entry point and what it uses; example calls,
    prints, tests and text past the function dropped) before any method sees them. No method reads the
    tests, the canonical solution or the benchmark inputs; only --evaluate does.
    """
    from rich.console import Console as StdoutConsole

    from acecoder.code.benchmarks import BenchmarkNotFound
    from acecoder.rerank.formats import SamplesError
    from acecoder.rerank.methods import METHODS
    from acecoder.rerank.pipeline import rerank as run_rerank
    from acecoder.rerank.report import report_table
    from acecoder.rerank.reward import RewardModelUnavailable

    if method not in METHODS:
        console.print(f"[red]error:[/red] unknown method {method!r}: use one of {', '.join(METHODS)}")
        raise typer.Exit(2)
    try:
        outcome = run_rerank(
            samples,
            output,
            benchmark=benchmark,
            method=method,
            n=n,
            seed=seed,
            evaluate=evaluate,
            report_dir=report,
            workers=workers,
            model_path=model,
            generated_inputs=inputs,
            progress=progress,
        )
    except (SamplesError, BenchmarkNotFound, RewardModelUnavailable) as exc:
        console.print(f"[red]error:[/red] {exc}", highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None
    console.print(f"wrote {len(outcome.selected)} selected samples ({method}) to {output}", highlight=False)
    if outcome.report is not None:
        StdoutConsole().print(report_table(outcome.report))
        if report is not None:
            console.print(f"report written to {report}/", highlight=False)

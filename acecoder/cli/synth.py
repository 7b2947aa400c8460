"""`acecoder synth`: test-case synthesis (a question and assert tests for each clean source)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from acecoder.cli.common import print_mapping
from acecoder.cli.options import DbOption, config_option
from acecoder.stages.synth.config import SynthConfig as C

console = Console(stderr=True)


def synth(
    backend: Annotated[str, config_option(C, "backend")] = C.backend,
    model: Annotated[str | None, config_option(C, "model")] = C.model,
    limit: Annotated[int | None, config_option(C, "limit")] = C.limit,
    batch_size: Annotated[int, config_option(C, "batch_size", min=1)] = C.batch_size,
    temperature: Annotated[float, config_option(C, "temperature")] = C.temperature,
    max_tokens: Annotated[int, config_option(C, "max_tokens", min=1)] = C.max_tokens,
    max_tests: Annotated[int, config_option(C, "max_tests", min=1)] = C.max_tests,
    inputs: Annotated[int, config_option(C, "inputs_per_problem", min=1)] = C.inputs_per_problem,
    augment: Annotated[bool, config_option(C, "augment")] = C.augment,
    seed: Annotated[int, config_option(C, "seed")] = C.seed,
    dry_run: Annotated[bool, config_option(C, "dry_run")] = C.dry_run,
    progress: Annotated[bool, typer.Option(help="Show a progress bar.")] = True,
    db: DbOption = None,
) -> None:
    """Write a question and assert tests for every clean source that has none from this backend yet.

    Replies are cached in llm_cache, so a second run makes no requests. Rows that fail are stored as
    failed problems with the reason (and retried by the next run), never stopping the batch.
    """
    from acecoder.core.store import open_store
    from acecoder.stages.synth.stage import synthesize

    config = C(
        backend=backend,
        model=model,
        limit=limit,
        batch_size=batch_size,
        temperature=temperature,
        max_tokens=max_tokens,
        max_tests=max_tests,
        inputs_per_problem=inputs,
        augment=augment,
        seed=seed,
        dry_run=dry_run,
    )
    with open_store(db) as store:
        report = synthesize(store, config, progress=progress)
    if report.note:
        console.print(f"[yellow]note:[/yellow] {report.note}", highlight=False)
    if dry_run:
        if report.dry_run_prompt is None:
            console.print("nothing to show: no source needs synthesis, or the backend uses no prompt")
        else:
            Console().print(report.dry_run_prompt, markup=False, highlight=False)
        return
    summary = {
        "backend": report.backend,
        "model": report.model,
        "sources": report.sources,
        "problems": report.problems,
        "failed": report.failed,
        "tests stored": report.tests,
        "tests dropped by validation": report.dropped_tests,
    }
    summary |= {f"failed: {k}": v for k, v in report.failures.items()}
    summary |= {f"llm {k}": v for k, v in report.usage.items()}
    print_mapping(summary, f"synth, run {report.run_id or '(nothing to do)'}")

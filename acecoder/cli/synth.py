"""`acecoder synth` and `acecoder filter`: test-case synthesis and filtering by reference execution."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from acecoder.cli.common import print_mapping
from acecoder.cli.options import DbOption

console = Console(stderr=True)


def synth(
    backend: Annotated[
        str,
        typer.Option(
            help="auto: the LLM when OPENAI_BASE_URL/OPENAI_API_KEY is set, else inferred. llm: AceCoder's "
            "rewrite prompt (question + ~20 asserts). inferred: no LLM; tests from running the reference "
            "solution on generated inputs."
        ),
    ] = "auto",
    model: Annotated[
        str | None,
        typer.Option(
            help="LLM that writes questions and tests (default: ACECODER_SYNTH_MODEL, else gpt-4o-mini)."
        ),
    ] = None,
    limit: Annotated[int | None, typer.Option(help="Sources to take in this run.")] = None,
    temperature: Annotated[float, typer.Option(help="LLM sampling temperature.")] = 0.2,
    max_tests: Annotated[int, typer.Option(help="Inferred backend: tests kept per problem.")] = 20,
    inputs: Annotated[int, typer.Option(help="Inferred backend: inputs tried per problem.")] = 40,
    augment: Annotated[bool, typer.Option(help="LLM backend: add inferred tests to the LLM's.")] = False,
    seed: Annotated[int, typer.Option(help="Seed of input generation.")] = 0,
    dry_run: Annotated[bool, typer.Option(help="Show the prompt for one row and stop.")] = False,
    db: DbOption = None,
) -> None:
    """Write a question and assert tests for every clean source that has none from this backend yet.

    Replies are cached in llm_cache, so a second run makes no requests. Rows that fail are stored as
    failed problems with the reason (and retried by the next run), never stopping the batch.
    """
    from acecoder.core.store import open_store
    from acecoder.stages.synth.config import SynthConfig
    from acecoder.stages.synth.stage import synthesize

    config = SynthConfig(
        backend=backend,
        model=model,
        limit=limit,
        temperature=temperature,
        max_tests=max_tests,
        inputs_per_problem=inputs,
        augment=augment,
        seed=seed,
        dry_run=dry_run,
    )
    with open_store(db) as store:
        report = synthesize(store, config)
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


def filter_tests(
    min_tests: Annotated[int, typer.Option(help="Drop problems with fewer kept tests.")] = 5,
    reference_model: Annotated[
        str | None,
        typer.Option(
            help="Sample each problem's reference from this model (AceCoder's prompt: the question plus its first "
            "two tests) instead of using the source solution."
        ),
    ] = None,
    mutants: Annotated[int, typer.Option(help="Mutants per problem for the mutation score (0: off).")] = 20,
    batch_size: Annotated[int, typer.Option(help="Problems per batch (each batch is committed).")] = 64,
    limit: Annotated[int | None, typer.Option(help="Problems to filter in this run.")] = None,
    db: DbOption = None,
) -> None:
    """Keep the tests a reference program passes (twice), drop problems with too few, score test strength."""
    from acecoder.core.store import open_store
    from acecoder.stages.filter import FilterConfig, filter_problems

    config = FilterConfig(
        min_tests=min_tests,
        reference_model=reference_model,
        mutants_per_problem=mutants,
        batch_size=batch_size,
        limit=limit,
    )
    with open_store(db) as store:
        report = filter_problems(store, config)
    summary = {
        "problems": report.problems,
        "kept": report.kept,
        "dropped": report.dropped,
        "tests judged": report.tests,
        "tests kept": report.tests_kept,
        "mean mutation score": report.mean_mutation_score,
    }
    summary |= {f"dropped: {k}": v for k, v in report.drop_reasons.items()}
    print_mapping(summary, f"filter, run {report.run_id or '(nothing to do)'}")

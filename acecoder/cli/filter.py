"""`acecoder filter`: keep the tests a reference program passes, drop weak problems, score test strength."""

from __future__ import annotations

from typing import Annotated

import typer

from acecoder.cli.common import print_mapping
from acecoder.cli.options import DbOption, config_option
from acecoder.stages.filter import FilterConfig as C


def filter_tests(
    min_tests: Annotated[int, config_option(C, "min_tests", min=1)] = C.min_tests,
    reference_model: Annotated[str | None, config_option(C, "reference_model")] = C.reference_model,
    mutants: Annotated[int, config_option(C, "mutants_per_problem", min=0)] = C.mutants_per_problem,
    batch_size: Annotated[int, config_option(C, "batch_size", min=1)] = C.batch_size,
    limit: Annotated[int | None, config_option(C, "limit")] = C.limit,
    seed: Annotated[int, config_option(C, "seed")] = C.seed,
    domain_guard: Annotated[
        bool, config_option(C, "domain_guard", "--domain-guard/--no-domain-guard")
    ] = C.domain_guard,
    progress: Annotated[bool, typer.Option(help="Show a progress bar.")] = True,
    db: DbOption = None,
) -> None:
    """Keep the tests a reference program passes (twice), drop problems with too few, score test strength."""
    from acecoder.core.store import open_store
    from acecoder.stages.filter import filter_problems

    config = C(
        min_tests=min_tests,
        reference_model=reference_model,
        mutants_per_problem=mutants,
        batch_size=batch_size,
        limit=limit,
        seed=seed,
        domain_guard=domain_guard,
    )
    with open_store(db) as store:
        report = filter_problems(store, config, progress=progress)
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

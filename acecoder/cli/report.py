"""`acecoder report`: summaries of what the stages produced."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from acecoder.cli.common import REPORT_TESTS_LABELS, print_frame
from acecoder.cli.options import DbOption

report_app = typer.Typer(help="Summaries of the stored records.", no_args_is_help=True)


@report_app.command("tests")
def tests(db: DbOption = None) -> None:
    """Tests per problem before and after filtering (per origin and overall), problems kept, mutation score,
    and the reasons for drops."""
    from acecoder.core.store import open_store

    with open_store(db, read_only=True) as store:
        print_frame(store.frame("report_tests"), "tests by problem origin", labels=REPORT_TESTS_LABELS)
        print_frame(store.frame("report_drop_reasons"), "why tests and problems were dropped")


@report_app.command("quality")
def quality(
    out: Annotated[Path, typer.Option("--out", help="Folder for quality.json and quality.png.")] = Path(
        "data/reports"
    ),
    min_tests: Annotated[
        int, typer.Option("--min-tests", help="A problem counts for a suite with this many tests.")
    ] = 5,
    label: Annotated[
        str, typer.Option("--label", help="Ground truth: plus (base where none) or base.")
    ] = "plus",
    run_tests: Annotated[
        bool,
        typer.Option(
            "--run-tests/--no-run-tests", help="First run labelled programs on the tests they lack."
        ),
    ] = True,
    db: DbOption = None,
) -> None:
    """How right the tests are: TPR, TNR, false acceptance and rejection rates, precision, pass-rate error and
    pair-label precision of each test suite (per origin, before and after the filter) against ground truth."""
    from acecoder.core.store import open_store
    from acecoder.stages.quality import (
        QualityConfig,
        dataset_pass_rates,
        quality_report,
        save_plot,
        score_all_tests,
    )

    with open_store(db) as store:
        if run_tests:
            score_all_tests(store)
        report = quality_report(store, QualityConfig(min_tests=min_tests, label=label))
        imported_rates = dataset_pass_rates(store)
    print_quality(report)
    if imported_rates.height:
        print_frame(imported_rates, "imported programs: the dataset's pass rate beside ours")
    typer.echo(f"wrote {report.save_json(out / 'quality.json')} and {save_plot(report, out / 'quality.png')}")


def print_quality(report) -> None:
    columns = [
        "suite",
        "programs",
        "tpr",
        "tnr",
        "far",
        "frr",
        "precision",
        "f1",
        "pass_rate_mae",
        "pair_label_precision",
        "pair_order_precision",
        "gold_false_negatives",
        "tests_per_problem",
        "problems",
    ]
    frame = report.frame()
    if frame.height == 0:
        typer.echo(
            "no labelled programs: import a benchmark, its samples and run `acecoder import labels` first"
        )
        return
    print_frame(frame.select([c for c in columns if c in frame.columns]), "test suites against ground truth")
    for suite, worst in report.worst.items():
        for kind, rows in worst.items():
            if rows:
                listed = ", ".join(f"{r['task_id']} ({r[kind]}/{r['programs']})" for r in rows)
                typer.echo(f"{suite} most {kind.replace('_', ' ')}: {listed}")

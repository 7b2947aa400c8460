"""The run summary published as a Prefect markdown artifact: counts per stage, tests per problem, pass
rates, pairs, and the pass-rate histogram."""

from __future__ import annotations

import base64
from pathlib import Path

import polars as pl
from prefect.artifacts import create_markdown_artifact

from acecoder.core.store import Store
from acecoder.stages.pairs import save_histogram


def markdown_table(frame: pl.DataFrame) -> str:
    def cell(value: object) -> str:
        return f"{value:.3f}" if isinstance(value, float) else "" if value is None else str(value)

    header = "| " + " | ".join(frame.columns) + " |"
    rule = "|" + "---|" * len(frame.columns)
    rows = ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.iter_rows()]
    return "\n".join([header, rule, *rows])


def summary_markdown(store: Store, histogram: Path) -> str:
    save_histogram(store, histogram)
    image = base64.b64encode(histogram.read_bytes()).decode()
    sections = [
        ("Rows per table and status", store.frame("status_counts")),
        ("Tests per problem", store.frame("report_tests")),
        ("Pass rates", store.frame("pass_rate_summary")),
        ("Pairs", store.frame("pairs_summary")),
    ]
    parts = ["# acecoder pipeline run"]
    for title, frame in sections:
        parts += [f"## {title}", markdown_table(frame)]
    parts += ["## Pass-rate histogram", f"![pass rates](data:image/png;base64,{image})"]
    return "\n\n".join(parts)


def publish_summary(store: Store, histogram: Path) -> str:
    text = summary_markdown(store, histogram)
    create_markdown_artifact(
        key="acecoder-summary", markdown=text, description="counts, pass rates and pairs"
    )
    return text

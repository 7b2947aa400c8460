"""Small helpers the commands share: a frame as a rich table."""

from __future__ import annotations

import polars as pl
from rich import box
from rich.console import Console
from rich.table import Table

# Headers of `report_tests` short enough for its eight columns to fit an 80-column terminal.
REPORT_TESTS_LABELS = {
    "problems_filtered": "problems",
    "problems_kept": "kept",
    "tests_per_problem_before": "tests before",
    "tests_per_kept_problem_after": "tests after (kept)",
    "tests_per_problem_after": "tests after (all)",
    "mean_mutation_score": "mutation score",
    "share_with_10_kept_tests": "share with 10+ tests",
}


def print_frame(
    frame: pl.DataFrame, title: str, console: Console | None = None, labels: dict[str, str] | None = None
) -> None:
    """`frame` as a table; a column's header is its label, else its name in words (so that long headers wrap
    to fit the terminal instead of being cut)."""
    table = Table(title=title, box=box.SIMPLE_HEAD)
    for name, dtype in frame.schema.items():
        header = (labels or {}).get(name, name.replace("_", " "))
        numeric = dtype.is_numeric()
        longest_word = max((len(word) for word in header.split()), default=1)
        # short text (names, statuses) is kept whole; long text (JSON, messages) wraps
        short_text = not numeric and (frame[name].cast(pl.String).str.len_chars().max() or 0) <= 24
        table.add_column(
            header, justify="right" if numeric else "left", no_wrap=short_text, min_width=longest_word
        )
    for row in frame.iter_rows():
        table.add_row(
            *[
                f"{v:,.2f}"
                if isinstance(v, float)
                else ""
                if v is None
                else f"{v:,}"
                if isinstance(v, int)
                else str(v)
                for v in row
            ]
        )
    (console or Console()).print(table)


def print_mapping(values: dict[str, object], title: str, console: Console | None = None) -> None:
    table = Table(title=title, box=box.SIMPLE_HEAD)
    table.add_column("")
    table.add_column("value", justify="right")
    for key, value in values.items():
        shown = f"{value:,.3f}" if isinstance(value, float) else "" if value is None else str(value)
        table.add_row(key.replace("_", " "), shown)
    (console or Console()).print(table)

"""Options shared by several commands, typed once."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        help="DuckDB file to use (default: $ACECODER_DB, else data/acecoder.duckdb).",
        show_default=False,
    ),
]

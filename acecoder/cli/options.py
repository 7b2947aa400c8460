"""Options shared by several commands, typed once."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from acecoder.core.config import help_of

DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        help="DuckDB file to use (default: $ACECODER_DB, else data/acecoder.duckdb).",
        show_default=False,
    ),
]


def config_option(config_class: type, name: str, *param_decls: str, **kwargs: Any) -> Any:
    """A typer option whose help is the config field's own (the default is given as `= Config.field`)."""
    return typer.Option(*param_decls, help=help_of(config_class, name), **kwargs)

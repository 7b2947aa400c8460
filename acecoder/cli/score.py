"""`acecoder score`: every unscored program against its problem's kept tests, in the sandbox."""

from __future__ import annotations

from typing import Annotated

import typer

from acecoder.cli.common import print_mapping
from acecoder.cli.options import DbOption, config_option
from acecoder.stages.score import ScoreConfig as C


def score(
    batch_size: Annotated[int, config_option(C, "batch_size", min=1)] = C.batch_size,
    limit: Annotated[int | None, config_option(C, "limit")] = C.limit,
    progress: Annotated[bool, typer.Option(help="Show a progress bar.")] = True,
    db: DbOption = None,
) -> None:
    """Run every unscored program against its problem's kept tests; pass rates follow in `pass_rates`."""
    from acecoder.core.store import open_store
    from acecoder.stages.score import score_programs

    with open_store(db) as store:
        report = score_programs(store, C(batch_size=batch_size, limit=limit), progress=progress)
    print_mapping(
        {"programs": report.programs, "executions": report.executions},
        f"score, run {report.run_id or '(nothing to do)'}",
    )

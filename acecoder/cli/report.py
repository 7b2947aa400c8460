"""`acecoder report`: summaries of what the stages produced."""

from __future__ import annotations

import typer

from acecoder.cli.common import print_frame
from acecoder.cli.options import DbOption

report_app = typer.Typer(help="Summaries of the stored records.", no_args_is_help=True)


@report_app.command("tests")
def tests(db: DbOption = None) -> None:
    """Tests per problem before and after filtering (per origin and overall), problems kept, mutation score,
    and the reasons for drops."""
    from acecoder.core.store import open_store

    with open_store(db) as store:
        print_frame(store.frame("report_tests"), "tests by problem origin")
        print_frame(store.frame("report_drop_reasons"), "why tests and problems were dropped")

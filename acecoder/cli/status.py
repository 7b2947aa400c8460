"""`acecoder status`: row counts per table and per status, as a rich table."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from acecoder.cli.options import DbOption


def status(db: DbOption = None) -> None:
    """Print how many rows each table holds, broken down by status."""
    from acecoder.core.store import open_store

    with open_store(db, read_only=True) as store:
        frame = store.frame("status_counts")
        table = Table(title=f"acecoder store: {store.path}", show_lines=False)
        for column, justify in (("table", "left"), ("breakdown", "left"), ("rows", "right")):
            table.add_column(column, justify=justify)
        for row in frame.iter_rows(named=True):
            table.add_row(row["tbl"], row["breakdown"] or "", f"{row['n']:,}")
        Console().print(table)

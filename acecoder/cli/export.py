"""`acecoder export pairs|rl`: stored records as Hugging Face datasets (parquet + card)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from acecoder.cli.options import DbOption

console = Console(stderr=True)
export_app = typer.Typer(
    help="Export stored records as Hugging Face datasets (parquet).", no_args_is_help=True
)


@export_app.command("pairs")
def export_pairs(
    out: Annotated[Path, typer.Argument(help="Folder to write (data/*.parquet and README.md).")],
    push_to_hub: Annotated[str | None, typer.Option(help="Also push to this Hub repo.")] = None,
    db: DbOption = None,
) -> None:
    """Reward-model pairs in AceCoder's format: prompt, chosen, rejected, pass rates and the kept tests."""
    from acecoder.core.store import open_store
    from acecoder.stages.export import export_reward_pairs

    with open_store(db) as store:
        path, rows = export_reward_pairs(store, out, push_to_hub)
    console.print(f"exported {rows:,} pairs to {path}")


@export_app.command("rl")
def export_rl(
    out: Annotated[Path, typer.Argument(help="Folder to write (data/*.parquet and README.md).")],
    db: DbOption = None,
) -> None:
    """RL prompts: one row per kept problem with its question, kept tests and AceCoder's hard flag."""
    from acecoder.core.store import open_store
    from acecoder.stages.export import export_rl_prompts

    with open_store(db) as store:
        path, rows = export_rl_prompts(store, out)
    console.print(f"exported {rows:,} problems to {path}")

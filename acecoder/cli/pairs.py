"""`acecoder pairs`: preference pairs from pass rates (AceCoder's rule), their summary and export."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from acecoder.cli.common import print_mapping
from acecoder.cli.options import DbOption, config_option
from acecoder.stages.pairs import DEFAULT_HISTOGRAM
from acecoder.stages.pairs import PairRule as C

console = Console(stderr=True)


def pairs(
    min_chosen: Annotated[float, config_option(C, "min_chosen")] = C.min_chosen,
    min_gap: Annotated[float, config_option(C, "min_gap")] = C.min_gap,
    min_rejected: Annotated[float, config_option(C, "min_rejected")] = C.min_rejected,
    max_per_problem: Annotated[int, config_option(C, "max_per_problem", min=1)] = C.max_per_problem,
    seed: Annotated[int, config_option(C, "seed")] = C.seed,
    policy: Annotated[list[str] | None, config_option(C, "policies", "--policy", show_default=False)] = None,
    histogram: Annotated[
        Path, typer.Option(help="Where to save the pass-rate histogram (PNG).")
    ] = DEFAULT_HISTOGRAM,
    export: Annotated[
        Path | None,
        typer.Option(
            help="Also export the pairs to this folder as a Hugging Face dataset (parquet + card), in the layout "
            "TRL's RewardTrainer reads."
        ),
    ] = None,
    push_to_hub: Annotated[str | None, typer.Option(help="Also push the export to this Hub repo.")] = None,
    db: DbOption = None,
) -> None:
    """Build preference pairs with AceCoder's rule (chosen >= 0.8, gap >= 0.4, rejected > 0), one program
    per distinct AST, and summarise them."""
    from acecoder.core.store import open_store
    from acecoder.stages.export import export_reward_pairs
    from acecoder.stages.pairs import make_pairs

    rule = C(
        min_chosen=min_chosen,
        min_gap=min_gap,
        min_rejected=min_rejected,
        max_per_problem=max_per_problem,
        seed=seed,
        policies=tuple(policy) if policy else None,
    )
    with open_store(db) as store:
        report = make_pairs(store, rule, histogram=histogram)
        if export is not None:
            out, rows = export_reward_pairs(store, export, push_to_hub)
            console.print(f"exported {rows:,} pairs to {out}")
    print_mapping(
        {"new pairs": report.new_pairs, **report.summary, "histogram": report.histogram},
        f"pairs, run {report.run_id}",
    )

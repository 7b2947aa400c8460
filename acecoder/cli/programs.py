"""`acecoder sample`, `acecoder score`, `acecoder pairs` and `acecoder export`: programs, pass rates and pairs."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from acecoder.cli.common import print_mapping
from acecoder.cli.options import DbOption

console = Console(stderr=True)
export_app = typer.Typer(
    help="Export stored records as Hugging Face datasets (parquet).", no_args_is_help=True
)


def sample(
    policy: Annotated[
        str,
        typer.Option(
            help="mutants: no model; the reference, a reformatted copy and single/double-edit mutants of it. "
            "llm: a policy model through the OpenAI-compatible endpoint (answers cached)."
        ),
    ] = "mutants",
    model: Annotated[str | None, typer.Option(help="Policy model (default: ACECODER_POLICY_MODEL).")] = None,
    n: Annotated[int, typer.Option(help="Programs per problem.", min=1)] = 16,
    temperature: Annotated[float, typer.Option(help="Sampling temperature (AceCoder: 0.7).")] = 0.7,
    top_p: Annotated[float, typer.Option(help="Nucleus sampling (AceCoder: 1.0).")] = 1.0,
    max_tokens: Annotated[int, typer.Option(help="Longest answer (AceCoder: 1024).")] = 1024,
    limit: Annotated[int | None, typer.Option(help="Problems to sample in this run.")] = None,
    seed: Annotated[int, typer.Option(help="Seed of the mutants policy.")] = 0,
    db: DbOption = None,
) -> None:
    """Sample N candidate programs for every kept problem not yet sampled by this policy."""
    from acecoder.core.store import open_store
    from acecoder.stages.sample import SampleConfig, sample_programs

    config = SampleConfig(
        policy=policy,
        model=model,
        n=n,
        temperature=temperature,
        top_p=top_p,
        max_tokens=max_tokens,
        limit=limit,
        seed=seed,
    )
    with open_store(db) as store:
        report = sample_programs(store, config)
    summary = {
        "policy": report.policy,
        "problems": report.problems,
        "programs stored": report.programs,
        "failed requests": report.failed_requests,
        "answers without the function": report.unextracted,
    }
    summary |= {f"llm {k}": v for k, v in (report.usage or {}).items()}
    print_mapping(summary, f"sample, run {report.run_id or '(nothing to do)'}")


def score(
    batch_size: Annotated[
        int, typer.Option(help="Programs per sandbox batch (each batch is committed).")
    ] = 256,
    limit: Annotated[int | None, typer.Option(help="Programs to score in this run.")] = None,
    db: DbOption = None,
) -> None:
    """Run every unscored program against its problem's kept tests; pass rates follow in `pass_rates`."""
    from acecoder.core.store import open_store
    from acecoder.stages.score import score_programs

    with open_store(db) as store:
        report = score_programs(store, batch_size=batch_size, limit=limit)
    print_mapping(
        {"programs": report.programs, "executions": report.executions},
        f"score, run {report.run_id or '(nothing to do)'}",
    )


def pairs(
    min_chosen: Annotated[float, typer.Option(help="Chosen pass rate at least this.")] = 0.8,
    min_gap: Annotated[float, typer.Option(help="Chosen minus rejected pass rate at least this.")] = 0.4,
    min_rejected: Annotated[float, typer.Option(help="Rejected pass rate above this.")] = 0.0,
    max_per_problem: Annotated[int, typer.Option(help="Most pairs per problem.")] = 16,
    histogram: Annotated[Path, typer.Option(help="Where to save the pass-rate histogram (PNG).")] = Path(
        "data/reports/pass_rates.png"
    ),
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
    from acecoder.stages.pairs import PairRule, make_pairs

    rule = PairRule(
        min_chosen=min_chosen, min_gap=min_gap, min_rejected=min_rejected, max_per_problem=max_per_problem
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

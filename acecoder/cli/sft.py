"""`acecoder sft train`: supervised fine-tuning on atomic and synthetic functions (TRL SFTTrainer)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from acecoder.cli.common import print_mapping
from acecoder.cli.options import DbOption

console = Console(stderr=True)
sft_app = typer.Typer(
    help="Supervised fine-tuning (question -> reference) on data mixes of atomic and "
    "synthetic functions, as in the SFT/RL study's ablation.",
    no_args_is_help=True,
)


@sft_app.command("train")
def train(
    mix: Annotated[
        str,
        typer.Option(
            help="Data mix: atomic (the seed functions only), synthetic (every training synthetic function), "
            "atomic+K (atomic plus K synthetic ones), atomic+synthetic (both, all)."
        ),
    ] = "atomic+16",
    model: Annotated[
        str | None,
        typer.Option(
            help="Base model (local folder or Hub id). Without one, a DEMONSTRATION runs: a tiny random model built "
            "here takes a few CPU steps."
        ),
    ] = None,
    split: Annotated[
        str,
        typer.Option(
            help="Synthetic functions come from this split's train part ('none': every stored one)."
        ),
    ] = "default",
    preset: Annotated[
        str | None,
        typer.Option(
            help="study (3 epochs, lr 1e-5, 64 examples per step, 2048 tokens; for a GPU) or cpu-demo. Default: "
            "study with --model, cpu-demo without."
        ),
    ] = None,
    max_steps: Annotated[int | None, typer.Option(help="Optimiser steps (overrides the preset).")] = None,
    epochs: Annotated[float | None, typer.Option(help="Passes over the data (overrides the preset).")] = None,
    learning_rate: Annotated[float | None, typer.Option(help="Overrides the preset.")] = None,
    out: Annotated[Path, typer.Option(help="Run folder; the model is saved to OUT/model.")] = Path(
        "runs/sft"
    ),
    seed: Annotated[int, typer.Option(help="Seed of training and of the draw of K synthetic functions.")] = 0,
    dry_run: Annotated[
        bool, typer.Option(help="Show the mix's size and its first example, and stop.")
    ] = False,
    db: DbOption = None,
) -> None:
    """Fine-tune a model to answer each question of the mix with its reference solution."""
    from acecoder.sft.config import SFTRunConfig
    from acecoder.sft.train import DEMONSTRATION_NOTICE, load_tasks
    from acecoder.sft.train import train as run_training

    config = SFTRunConfig(
        out=out,
        model=model,
        db=db,
        mix=mix,
        split=None if split.lower() == "none" else split,
        preset=preset,
        max_steps=max_steps,
        epochs=epochs,
        learning_rate=learning_rate,
        seed=seed,
    )
    try:
        tasks = load_tasks(config)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    kinds = {kind: sum(t.kind == kind for t in tasks) for kind in ("atomic", "synthetic")}
    if dry_run:
        from acecoder.sft.data import sft_rows

        row = sft_rows(tasks[:1], chat=False)[0] if tasks else {"prompt": "", "completion": ""}
        print_mapping({"examples": len(tasks), **kinds}, f"sft mix {mix}")
        Console().print(row["prompt"] + row["completion"], markup=False, highlight=False)
        return
    if config.demonstration:
        console.print(f"[bold yellow]{DEMONSTRATION_NOTICE}[/]")
    report = run_training(config, tasks=tasks)
    shown = {
        "model saved to": str(report.model_dir),
        "mix": report.mix,
        "examples": report.examples,
        **kinds,
        "steps": report.steps,
    }
    shown |= {k: v for k, v in report.metrics.items() if k in ("loss", "train_loss", "mean_token_accuracy")}
    print_mapping(shown, "sft train (DEMONSTRATION)" if report.demonstration else "sft train")

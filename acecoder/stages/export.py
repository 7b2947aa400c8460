"""Exports as Hugging Face datasets saved as parquet: reward-model pairs (the layout TRL's RewardTrainer
reads, in AceCoder's format) and RL prompts (one row per kept problem, with AceCoder's "hard" flag)."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from acecoder.core import rm_format
from acecoder.core.store import Store

CARD = """---
license: other
task_categories:
- text-classification
tags:
- code
- reward-model
- preference
configs:
- config_name: default
  data_files:
  - split: train
    path: data/train-*.parquet
---

# {title}

{description}

| | |
|---|---|
{rows}

Columns: {columns}.

Made with acecoder: questions and tests synthesized from code data, tests filtered by running a reference
solution in a sandbox, programs scored by the share of kept tests they pass.
"""


DEFAULT_EXPORT = Path("data/export/pairs")  # where the pipeline exports the reward-model pairs


def _save(frame: pl.DataFrame, out: Path, title: str, description: str, counts: dict[str, object]) -> Path:
    from datasets import Dataset

    out.mkdir(parents=True, exist_ok=True)
    (out / "data").mkdir(exist_ok=True)
    dataset = Dataset.from_polars(frame)
    dataset.to_parquet(str(out / "data" / "train-00000-of-00001.parquet"))
    rows = "\n".join(
        f"| {k.replace('_', ' ')} | {v:,} |" if isinstance(v, int) else f"| {k.replace('_', ' ')} | {v} |"
        for k, v in counts.items()
    )
    (out / "README.md").write_text(
        CARD.format(
            title=title,
            description=description,
            rows=rows,
            columns=", ".join(f"`{c}`" for c in frame.columns),
        )
    )
    return out


def reward_pairs_frame(store: Store) -> pl.DataFrame:
    raw = store.frame("export_pairs")
    return raw.select(
        pl.struct("question", "first_test")
        .map_elements(lambda r: rm_format.prompt_text(r["question"], r["first_test"]), return_dtype=pl.String)
        .alias("prompt"),
        pl.col("chosen_code").map_elements(rm_format.response_text, return_dtype=pl.String).alias("chosen"),
        pl.col("rejected_code")
        .map_elements(rm_format.response_text, return_dtype=pl.String)
        .alias("rejected"),
        "problem_id",
        "chosen_program_id",
        "rejected_program_id",
        "chosen_pass_rate",
        "rejected_pass_rate",
        "chosen_code",
        "rejected_code",
        "tests",
    )


def conversational(frame: pl.DataFrame) -> pl.DataFrame:
    """Pairs in TRL's conversational form with an explicit prompt: `prompt` is the user turn, `chosen` and
    `rejected` the assistant turns (the reward model applies its chat template, when it has one, at encoding)."""
    turn = pl.Struct({"role": pl.String, "content": pl.String})

    def turns(column: str, make) -> pl.Expr:
        return pl.col(column).map_elements(make, return_dtype=pl.List(turn))

    return frame.with_columns(
        turns("prompt", rm_format.user_turn),
        turns("chosen", rm_format.assistant_turn),
        turns("rejected", rm_format.assistant_turn),
    )


def export_reward_pairs(store: Store, out: Path, push_to_hub: str | None = None) -> tuple[Path, int]:
    frame = reward_pairs_frame(store)
    if frame.height == 0:
        raise ValueError("no pairs to export: run `acecoder pairs` first")
    counts = {
        "pairs": frame.height,
        "problems": frame["problem_id"].n_unique(),
        "mean chosen pass rate": round(frame["chosen_pass_rate"].mean(), 3),
        "mean rejected pass rate": round(frame["rejected_pass_rate"].mean(), 3),
    }
    frame = conversational(frame)
    _save(
        frame,
        out,
        "acecoder preference pairs",
        "Pass-rate preference pairs in AceCoder's reward-model format, in TRL's conversational form: `prompt` "
        "(the user turn: question and first test), `chosen` and `rejected` (the assistant turns: fenced "
        "programs). `tests` holds the kept tests, so every pass rate can be checked again.",
        counts,
    )
    if push_to_hub:
        from datasets import Dataset

        Dataset.from_polars(frame).push_to_hub(push_to_hub)
    return out, frame.height


def export_rl_prompts(store: Store, out: Path) -> tuple[Path, int]:
    frame = store.frame("export_rl")
    if frame.height == 0:
        raise ValueError("no kept problems to export: run synth and filter first")
    counts = {"problems": frame.height, "hard": int(frame["hard"].sum())}
    _save(
        frame,
        out,
        "acecoder RL prompts",
        "One row per kept problem: `question`, `tests` (kept), `entry_point`, and AceCoder's `hard` flag "
        "(mean sampled pass rate below the median, and pass-rate spread above the median).",
        counts,
    )
    return out, frame.height

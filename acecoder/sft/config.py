"""SFT settings: `SFTRunConfig` (what to train on which mix) and the presets it starts from."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from acecoder.core.presets import lookup, resolve


@dataclass(frozen=True)
class SFTPreset:
    learning_rate: float
    epochs: float
    per_device_batch_size: int
    gradient_accumulation_steps: int
    max_length: int  # tokens of prompt + completion; longer examples lose the end of their completion
    max_steps: int  # -1: `epochs` passes over the data
    warmup_ratio: float
    logging_steps: int


PRESETS: dict[str, SFTPreset] = {
    # The GPU recipe for a 1.5B-7B code model: 3 epochs at lr 1e-5 (cosine, 3% warm-up), 64 examples per
    # optimiser step, 2048 tokens, bf16 with gradient checkpointing.
    "study": SFTPreset(
        learning_rate=1e-5,
        epochs=3,
        per_device_batch_size=8,
        gradient_accumulation_steps=8,
        max_length=2048,
        max_steps=-1,
        warmup_ratio=0.03,
        logging_steps=5,
    ),
    # A demonstration on CPU: a few steps of a tiny model, to show the loop runs end to end.
    "cpu-demo": SFTPreset(
        learning_rate=5e-4,
        epochs=1,
        per_device_batch_size=4,
        gradient_accumulation_steps=1,
        max_length=768,
        max_steps=3,
        warmup_ratio=0.0,
        logging_steps=1,
    ),
}


@dataclass
class SFTRunConfig:
    """One SFT run. With no `model` it is the CPU demonstration: a tiny random model built locally."""

    out: Path = Path("runs/sft")
    model: str | None = None  # local folder or Hub id of the base model; None: the demonstration's tiny model
    db: Path | None = None  # the database holding the synthetic functions (default: ACECODER_DB)
    mix: str = "atomic+16"  # atomic | synthetic | atomic+K | atomic+synthetic
    split: str | None = "default"  # synthetic functions from this split's train part (None: all)
    preset: str | None = None  # default: study with a model, cpu-demo without
    max_steps: int | None = None  # overrides the preset
    epochs: float | None = None  # overrides the preset
    learning_rate: float | None = None  # overrides the preset
    seed: int = 0

    @property
    def demonstration(self) -> bool:
        return self.model is None

    @property
    def preset_name(self) -> str:
        return self.preset or ("cpu-demo" if self.demonstration else "study")

    def sft_preset(self) -> SFTPreset:
        """The preset with this run's own settings (steps, epochs, learning rate) in place of its values."""
        return resolve(lookup(PRESETS, self.preset_name, "SFT"), self)

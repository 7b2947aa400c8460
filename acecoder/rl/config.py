"""RL training settings: `RLConfig` (what to train, on which problems, with which rewards) and the GRPO
presets it starts from."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from acecoder.core.presets import lookup, resolve
from acecoder.rl.feedback import RLTF_PENALTY


@dataclass(frozen=True)
class GRPOPreset:
    """Sampling, optimiser and batch settings of a run."""

    num_generations: int  # samples per prompt (the GRPO group)
    learning_rate: float
    beta: float  # KL coefficient against the reference model
    temperature: float
    max_completion_length: int  # tokens
    per_device_batch_size: int  # completions per device per micro-step
    gradient_accumulation_steps: int
    max_steps: int  # -1: one pass over the prompts
    logging_steps: int


PRESETS: dict[str, GRPOPreset] = {
    # AceCoder's RL recipe: 8 samples per prompt, lr 5e-7, KL 0.01, answers up to 2048 tokens; 128 completions
    # (16 prompts) per optimiser step on one device.
    "acecoder": GRPOPreset(
        num_generations=8,
        learning_rate=5e-7,
        beta=0.01,
        temperature=1.0,
        max_completion_length=2048,
        per_device_batch_size=16,
        gradient_accumulation_steps=8,
        max_steps=-1,
        logging_steps=1,
    ),
    # A demonstration on CPU: a few steps of a tiny model, to show the loop runs end to end.
    "cpu-demo": GRPOPreset(
        num_generations=4,
        learning_rate=1e-4,
        beta=0.01,
        temperature=1.0,
        max_completion_length=48,
        per_device_batch_size=8,
        gradient_accumulation_steps=1,
        max_steps=3,
        logging_steps=1,
    ),
}


@dataclass
class RLConfig:
    """One GRPO run. With no `model` it is the CPU demonstration: a tiny random model built locally."""

    out: Path = Path("runs/rl")
    model: str | None = None  # local folder or Hub id of the policy; None: the demonstration's tiny model
    data: Path | None = None  # an `acecoder export rl` folder; None: the seed corpus, as a demonstration
    hard_only: bool = False  # AceCoder's hard subset of the exported problems
    limit: int | None = None  # first N problems only
    prompt_style: str = "plain"  # plain | r1
    rewards: dict[str, float] = field(default_factory=lambda: {"binary": 1.0})  # reward name -> weight
    reward_model: str | None = None  # folder of a trained reward model, for the `reward_model` reward
    fine_grained: bool = True  # RLTF's per-token penalty on faulty lines
    penalty_weight: float = RLTF_PENALTY
    preset: str | None = None  # default: acecoder with a model, cpu-demo without
    max_steps: int | None = None  # overrides the preset
    use_vllm: bool | None = None  # default: on when a GPU is present
    test_timeout_s: float | None = None  # per test; default: the sandbox's
    seed: int = 0

    @property
    def demonstration(self) -> bool:
        return self.model is None

    @property
    def preset_name(self) -> str:
        return self.preset or ("cpu-demo" if self.demonstration else "acecoder")

    def grpo_preset(self) -> GRPOPreset:
        """The preset with this run's own settings (`max_steps`) in place of its values."""
        return resolve(lookup(PRESETS, self.preset_name, "RL"), self)

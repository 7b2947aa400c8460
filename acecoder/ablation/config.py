"""Settings of an ablation run.

With no base model the grid is a DEMONSTRATION: a tiny random Qwen2 built here takes a few SFT and GRPO
steps per cell on CPU and is evaluated on a handful of tasks, which shows the mechanics (data mixes, SFT,
SFT then RL, RL from scratch, evaluation, recording) and measures nothing. The GPU recipe (`RECIPES["gpu"]`)
is what the study's comparison needs: a real base model (e.g. Qwen/Qwen2.5-Coder-1.5B-Instruct), SFT for
3 epochs, GRPO with AceCoder's settings, and evaluation on the whole held-out split and benchmarks.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from acecoder.core.hashing import content_hash
from acecoder.core.presets import lookup, resolve
from acecoder.functions.tasks import DataMix

REGIMES = ("sft", "sft+rl", "rl")
DEFAULT_MIXES = ("atomic", "synthetic", "atomic+16")
DEFAULT_BENCHMARKS = ("humaneval+", "mbpp+")


@dataclass(frozen=True)
class Recipe:
    sft_preset: str
    rl_preset: str
    sft_steps: int | None  # None: the preset's (epochs)
    rl_steps: int | None  # None: the preset's (one pass over the prompts)
    rl_prompts: int | None  # first N tasks of the mix for RL; None: all
    synthetic_eval_limit: int | None  # held-out synthetic tasks evaluated; None: all
    benchmark_limit: int | None  # first N tasks of each benchmark; None: all
    max_new_tokens: int


RECIPES: dict[str, Recipe] = {
    "cpu-demo": Recipe(
        sft_preset="cpu-demo",
        rl_preset="cpu-demo",
        sft_steps=2,
        rl_steps=1,
        rl_prompts=8,
        synthetic_eval_limit=4,
        benchmark_limit=2,
        max_new_tokens=16,
    ),
    "gpu": Recipe(
        sft_preset="study",
        rl_preset="acecoder",
        sft_steps=None,
        rl_steps=None,
        rl_prompts=None,
        synthetic_eval_limit=None,
        benchmark_limit=None,
        max_new_tokens=1024,
    ),
}


@dataclass
class AblationConfig:
    out: Path = Path("runs/ablation")
    db: Path | None = None  # default: ACECODER_DB
    base_model: str | None = None  # None: the DEMONSTRATION's tiny random model
    mixes: tuple[str, ...] = DEFAULT_MIXES
    regimes: tuple[str, ...] = REGIMES
    split: str = "default"
    recipe: str | None = None  # default: gpu with a base model, cpu-demo without
    sft_steps: int | None = None  # overrides of the recipe
    rl_steps: int | None = None
    rl_prompts: int | None = None
    synthetic_eval_limit: int | None = None
    benchmark_limit: int | None = None
    max_new_tokens: int | None = None
    benchmarks: tuple[str, ...] = DEFAULT_BENCHMARKS  # names (humaneval+, mbpp+) or files
    rl_rewards: dict[str, float] = field(default_factory=lambda: {"binary": 1.0})
    seed: int = 0

    def __post_init__(self) -> None:
        self.mixes = tuple(self.mixes)
        self.regimes = tuple(self.regimes)
        self.benchmarks = tuple(self.benchmarks)
        for mix in self.mixes:
            DataMix.parse(mix)
        unknown = [r for r in self.regimes if r not in REGIMES]
        if unknown:
            raise ValueError(f"unknown regime(s) {unknown}: use {', '.join(REGIMES)}")
        lookup(RECIPES, self.recipe_name, "ablation")

    @property
    def demonstration(self) -> bool:
        return self.base_model is None

    @property
    def recipe_name(self) -> str:
        return self.recipe or ("cpu-demo" if self.demonstration else "gpu")

    @property
    def resolved_recipe(self) -> Recipe:
        """The recipe with this grid's own settings in place of its values."""
        return resolve(lookup(RECIPES, self.recipe_name, "ablation"), self)

    @property
    def ablation_id(self) -> str:
        """What defines the grid's results (where they are written and the database excluded)."""
        settings = {k: v for k, v in asdict(self).items() if k not in ("out", "db")}
        return content_hash("ablation", settings, length=12)

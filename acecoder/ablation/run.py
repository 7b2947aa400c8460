"""The steps of an ablation, each a plain function a flow task calls: the base model, SFT per data mix, one
grid cell (RL when its regime has it, then evaluation, recorded in `runs`), and the results.

Cells share work: a mix's SFT model serves both its `sft` cell and the start of its `sft+rl` cell; `rl`
cells start from the base model. RL trains on the same prompts as the mix's SFT (the study's "same
prompts"), rewarded by running the policy's programs on the tasks' tests.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from acecoder.ablation.config import AblationConfig
from acecoder.functions.tasks import CodeTask, DataMix, mix_tasks, synthetic_tasks

DEMONSTRATION_NOTICE = (
    "DEMONSTRATION: no base model was given, so every cell of the grid trains a tiny randomly initialised "
    "Qwen2 for a few CPU steps and is evaluated on a handful of tasks. The pass@1 figures are noise (zero, as a "
    "rule); the run shows the mechanics: data mixes, SFT, SFT then RL, RL from scratch, evaluation on the "
    "held-out synthetic split and HumanEval+/MBPP+, and recording. Pass a base model on a GPU for the study."
)
SYNTHETIC_TEST = "synthetic-test"


@dataclass
class CellResult:
    mix: str
    regime: str
    model_dir: str
    run_id: str
    scores: list[dict[str, Any]] = field(default_factory=list)  # benchmark, tests, pass_at_1, tasks
    training: dict[str, Any] = field(default_factory=dict)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _store(config: AblationConfig):
    from acecoder.core.store import open_store

    return open_store(config.db)


def training_tasks(config: AblationConfig, mix: str) -> list[CodeTask]:
    if not DataMix.parse(mix).uses_synthetic:
        return mix_tasks(mix, None, config.split, config.seed)
    with _store(config) as store:
        return mix_tasks(mix, store, config.split, config.seed)


def held_out_tasks(config: AblationConfig) -> list[CodeTask]:
    """The split's test part (the first `synthetic_eval_limit` of it)."""
    with _store(config) as store:
        tasks = synthetic_tasks(store, config.split, "test")
    limit = config.resolved_recipe.synthetic_eval_limit
    return tasks[:limit] if limit else tasks


def check_split(config: AblationConfig) -> int:
    """Raise unless the split exists, has both parts and no leak; returns the number of test tasks."""
    from acecoder.functions.splits import leaks

    with _store(config) as store:
        found = leaks(store, config.split)
        train = synthetic_tasks(store, config.split, "train")
        test = synthetic_tasks(store, config.split, "test")
    if found.height:
        raise RuntimeError(
            f"split {config.split!r} leaks its test part into training: {found.head(5).rows()}"
        )
    if not test or (any(DataMix.parse(m).uses_synthetic for m in config.mixes) and not train):
        raise RuntimeError(
            f"split {config.split!r} has {len(train)} train and {len(test)} test synthetic "
            "functions; run `acecoder synthetic generate` and `acecoder synthetic split` first"
        )
    return len(test)


def base_model(config: AblationConfig) -> str:
    """The base model: the given one, or the demonstration's tiny model with a tokenizer trained on every
    task the grid will see."""
    if config.base_model:
        return config.base_model
    from acecoder.rl.tiny_model import build_tiny_model
    from acecoder.sft.data import texts

    seen: dict[str, CodeTask] = {}
    for mix in config.mixes:
        seen.update((t.task_id, t) for t in training_tasks(config, mix))
    seen.update((t.task_id, t) for t in held_out_tasks(config))
    return str(build_tiny_model(config.out / "base-model", texts(list(seen.values())), seed=config.seed))


def run_sft(config: AblationConfig, mix: str, base: str):
    """SFT of the base model on the mix's tasks (`sft` and `sft+rl` cells share it)."""
    from acecoder.sft.config import SFTRunConfig
    from acecoder.sft.train import train

    recipe = config.resolved_recipe
    sft_config = SFTRunConfig(
        out=config.out / slug(mix) / "sft",
        model=base,
        db=config.db,
        mix=mix,
        split=config.split,
        preset=recipe.sft_preset,
        max_steps=config.resolved_recipe.sft_steps,
        seed=config.seed,
    )
    return train(sft_config, tasks=training_tasks(config, mix))


def run_rl(config: AblationConfig, mix: str, regime: str, start: str):
    """GRPO from `start` (the SFT model or the base) on the mix's prompts, rewarded in the sandbox."""
    from acecoder.functions.tasks import write_rl_export
    from acecoder.rl.config import RLConfig
    from acecoder.rl.train import train

    out = config.out / slug(mix) / slug(regime)
    tasks = [t for t in training_tasks(config, mix) if t.tests]
    limit = config.resolved_recipe.rl_prompts
    if limit:
        tasks = tasks[:limit]
    data = write_rl_export(tasks, out / "prompts")
    rl_config = RLConfig(
        out=out,
        model=start,
        data=data,
        rewards=dict(config.rl_rewards),
        preset=config.resolved_recipe.rl_preset,
        max_steps=config.resolved_recipe.rl_steps,
        seed=config.seed,
    )
    return train(rl_config)


def evaluate_model(config: AblationConfig, model_dir: str) -> list[dict[str, Any]]:
    """pass@1 on the held-out synthetic split and on each benchmark (base and plus tests)."""
    from acecoder.functions.evaluate import evaluate_synthetic
    from acecoder.rl.evaluate import EvalConfig, PolicySampler, evaluate_policy

    eval_config = EvalConfig(
        model=model_dir,
        benchmarks=config.benchmarks,
        limit=config.resolved_recipe.benchmark_limit,
        max_new_tokens=config.resolved_recipe.max_new_tokens,
    )
    sampler = PolicySampler(eval_config)
    synthetic = evaluate_synthetic(held_out_tasks(config), sampler)
    scores = [
        {
            "benchmark": SYNTHETIC_TEST,
            "tests": "all",
            "pass_at_1": synthetic.pass_at_1,
            "tasks": synthetic.tasks,
        }
    ]
    for score in evaluate_policy(eval_config, sampler):
        name = Path(score.benchmark).name if "/" in score.benchmark else score.benchmark
        scores.append(
            {"benchmark": name, "tests": "base", "pass_at_1": score.pass_at_1_base, "tasks": score.tasks}
        )
        if score.pass_at_1_plus is not None:
            scores.append(
                {"benchmark": name, "tests": "plus", "pass_at_1": score.pass_at_1_plus, "tasks": score.tasks}
            )
    return scores


def run_cell(
    config: AblationConfig,
    mix: str,
    regime: str,
    base: str,
    sft_model: str | None,
    flow_run_id: str | None = None,
) -> CellResult:
    """One cell: train what its regime adds (RL), evaluate, and record a `runs` row (stage `ablation-cell`)."""
    from acecoder.core.store import detached_run

    params = {
        "ablation_id": config.ablation_id,
        "mix": mix,
        "regime": regime,
        "base_model": base,
        "sft_model": sft_model,
        "recipe": config.recipe_name,
        "demonstration": config.demonstration,
    }
    with detached_run(config.db, "ablation-cell", params, flow_run_id) as (run_id, metrics):
        training: dict[str, Any] = {}
        if regime == "sft":
            if sft_model is None:
                raise ValueError("an sft cell needs its mix's SFT model")
            model_dir = sft_model
        else:
            start = sft_model if regime == "sft+rl" else base
            if start is None:
                raise ValueError("an sft+rl cell needs its mix's SFT model")
            report = run_rl(config, mix, regime, start)
            model_dir = str(report.model_dir)
            training = {
                "rl_steps": report.steps,
                "rl_problems": report.problems,
                **{f"rl/{k}": v for k, v in report.metrics.items() if k.startswith(("reward", "loss"))},
            }
        scores = evaluate_model(config, model_dir)
        metrics.update(training)
        metrics.update({f"pass@1/{s['benchmark']}/{s['tests']}": s["pass_at_1"] for s in scores})
    return CellResult(mix, regime, model_dir, run_id, scores, training)


def summary(config: AblationConfig) -> dict[str, Any]:
    return {
        "ablation_id": config.ablation_id,
        "demonstration": config.demonstration,
        "recipe": config.recipe_name,
        **{k: (str(v) if isinstance(v, Path) else v) for k, v in asdict(config).items()},
    }

"""GRPO training of a code policy with sandbox rewards and RLTF's fine-grained penalties (TRL GRPOTrainer).

`train(RLConfig(...))` reads the problems, renders their prompts, builds the weighted rewards on one sandbox
runner, and runs `FineGrainedGRPOTrainer`. With no model given it is a demonstration: a tiny random model
built locally learns nothing useful in a few CPU steps, but every part of the loop runs for real.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from acecoder.core.trained import save_trained
from acecoder.rl.config import RLConfig
from acecoder.rl.data import RLProblem, demonstration_problems, load_export, prompt_dataset
from acecoder.rl.execution import CompletionRunner
from acecoder.rl.prompts import build_prompt
from acecoder.rl.rewards import build_reward

DEMONSTRATION_NOTICE = (
    "DEMONSTRATION: no policy model was given, so a tiny randomly initialised Qwen2 (with a tokenizer trained "
    "here) runs a few GRPO steps on CPU. It writes noise, not code; the run shows that generation, sandbox "
    "rewards, fine-grained penalties and optimiser steps work end to end. Pass --model (and a GPU) to train."
)


@dataclass
class TrainReport:
    model_dir: Path
    problems: int
    steps: int
    demonstration: bool
    metrics: dict[str, float] = field(default_factory=dict)  # the last logged value of each training metric


def load_problems(config: RLConfig) -> list[RLProblem]:
    problems = load_export(config.data, config.hard_only) if config.data else demonstration_problems()
    problems = problems[: config.limit] if config.limit else problems
    if not problems:
        raise ValueError(
            "no problems to train on" + (" (the hard subset is empty)" if config.hard_only else "")
        )
    return problems


def demonstration_model(folder: Path, problems: list[RLProblem], style: str) -> Path:
    """The tiny policy, with a tokenizer trained on the prompts and the seed solutions."""
    from acecoder.code.seed import load_seed
    from acecoder.rl.tiny_model import build_tiny_model

    texts = [str(build_prompt(p.question, p.entry_point, style, chat=False)) for p in problems]
    texts += [f"```python\n{fn.solution}```" for fn in load_seed()]
    return build_tiny_model(folder, texts)


def grpo_args(config: RLConfig, use_vllm: bool, on_gpu: bool) -> Any:
    from trl import GRPOConfig

    preset = config.grpo_preset()
    return GRPOConfig(
        output_dir=str(config.out),
        num_generations=preset.num_generations,
        learning_rate=preset.learning_rate,
        beta=preset.beta,
        temperature=preset.temperature,
        max_completion_length=preset.max_completion_length,
        per_device_train_batch_size=preset.per_device_batch_size,
        gradient_accumulation_steps=preset.gradient_accumulation_steps,
        max_steps=preset.max_steps,
        logging_steps=preset.logging_steps,
        reward_weights=list(config.rewards.values()),
        use_vllm=use_vllm,
        vllm_mode="colocate",
        bf16=on_gpu,
        use_cpu=not on_gpu,
        gradient_checkpointing=on_gpu,
        save_strategy="no",
        report_to="none",
        seed=config.seed,
    )


def train(config: RLConfig, runner: CompletionRunner | None = None) -> TrainReport:
    """Run GRPO as `config` says and save the policy to `config.out / "model"`."""
    import torch
    from transformers import AutoTokenizer

    from acecoder.rl.trainer import FeedbackConfig, FineGrainedGRPOTrainer

    problems = load_problems(config)
    model_path = config.model or str(
        demonstration_model(config.out / "tiny-policy", problems, config.prompt_style)
    )
    tokenizer = AutoTokenizer.from_pretrained(model_path)
    dataset = prompt_dataset(problems, config.prompt_style, chat=tokenizer.chat_template is not None)
    runner = runner or CompletionRunner(timeout_s=config.test_timeout_s)
    rewards = [
        build_reward(
            name, runner=runner, prompt_style=config.prompt_style, reward_model_path=config.reward_model
        )
        for name in config.rewards
    ]
    on_gpu = torch.cuda.is_available()
    use_vllm = on_gpu if config.use_vllm is None else config.use_vllm
    trainer = FineGrainedGRPOTrainer(
        model=model_path,
        reward_funcs=rewards,
        args=grpo_args(config, use_vllm, on_gpu),
        train_dataset=dataset,
        processing_class=tokenizer,
        runner=runner,
        feedback=FeedbackConfig(enabled=config.fine_grained, weight=config.penalty_weight),
    )
    trainer.train()
    model_dir, metrics = save_trained(trainer, tokenizer, config.out)
    return TrainReport(model_dir, len(problems), trainer.state.global_step, config.demonstration, metrics)

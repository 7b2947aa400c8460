"""SFT of a code model on a data mix of atomic and synthetic functions (TRL `SFTTrainer`).

`train(SFTRunConfig(...))` reads the mix's tasks (atomic ones from the seed corpus, synthetic ones from the
database's split), renders each as the RL prompt and the reference answer, trains on the answer tokens only
(prompt/completion rows), and saves the model to `config.out / "model"`. With no model given it is a
demonstration: a tiny random model built locally takes a few CPU steps, which shows the loop runs end to
end and learns nothing useful.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from acecoder.core.trained import save_trained
from acecoder.functions.tasks import CodeTask, DataMix, mix_tasks
from acecoder.sft.config import SFTRunConfig
from acecoder.sft.data import sft_rows, texts

DEMONSTRATION_NOTICE = (
    "DEMONSTRATION: no base model was given, so a tiny randomly initialised Qwen2 (with a tokenizer trained "
    "here) takes a few SFT steps on CPU. It learns nothing useful; the run shows that data mixing, the "
    "prompt/answer format and TRL's SFTTrainer work end to end. Pass --model (and a GPU) to train."
)


@dataclass
class SFTReport:
    model_dir: Path
    mix: str
    examples: int
    by_kind: dict[str, int]
    steps: int
    demonstration: bool
    metrics: dict[str, float] = field(default_factory=dict)  # the last logged value of each metric


def load_tasks(config: SFTRunConfig) -> list[CodeTask]:
    mix = DataMix.parse(config.mix)
    if not mix.uses_synthetic:
        return mix_tasks(mix, None, config.split, config.seed)
    from acecoder.core.store import open_store

    with open_store(config.db) as store:
        return mix_tasks(mix, store, config.split, config.seed)


def demonstration_model(folder: Path, tasks: list[CodeTask]) -> Path:
    """The tiny base model, with a tokenizer trained on the tasks' prompts and answers."""
    from acecoder.rl.tiny_model import build_tiny_model

    return build_tiny_model(folder, texts(tasks))


def sft_args(config: SFTRunConfig, on_gpu: bool) -> Any:
    from trl import SFTConfig

    preset = config.sft_preset()
    return SFTConfig(
        output_dir=str(config.out),
        learning_rate=preset.learning_rate,
        num_train_epochs=preset.epochs,
        max_steps=preset.max_steps,
        per_device_train_batch_size=preset.per_device_batch_size,
        gradient_accumulation_steps=preset.gradient_accumulation_steps,
        max_length=preset.max_length,
        warmup_steps=preset.warmup_ratio,  # below 1: a share of the steps
        lr_scheduler_type="cosine",
        logging_steps=preset.logging_steps,
        completion_only_loss=True,
        bf16=on_gpu,
        use_cpu=not on_gpu,
        gradient_checkpointing=on_gpu,
        save_strategy="no",
        report_to="none",
        seed=config.seed,
    )


def train(config: SFTRunConfig, tasks: list[CodeTask] | None = None) -> SFTReport:
    """Fine-tune as `config` says (on `tasks` when given, else on the config's mix) and save the model."""
    import torch
    from datasets import Dataset
    from transformers import AutoTokenizer
    from trl import SFTTrainer

    tasks = tasks if tasks is not None else load_tasks(config)
    if not tasks:
        raise ValueError(f"the {config.mix} mix has no tasks")
    model_path = config.model or str(demonstration_model(config.out / "tiny-base", tasks))
    tokenizer = AutoTokenizer.from_pretrained(model_path)
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    rows = sft_rows(tasks, chat=tokenizer.chat_template is not None)
    dataset = Dataset.from_list([{"prompt": r["prompt"], "completion": r["completion"]} for r in rows])
    on_gpu = torch.cuda.is_available()
    trainer = SFTTrainer(
        model=model_path, args=sft_args(config, on_gpu), train_dataset=dataset, processing_class=tokenizer
    )
    trainer.train()
    model_dir, metrics = save_trained(trainer, tokenizer, config.out)
    return SFTReport(
        model_dir,
        config.mix,
        len(tasks),
        dict(Counter(t.kind for t in tasks)),
        trainer.state.global_step,
        config.demonstration,
        metrics,
    )

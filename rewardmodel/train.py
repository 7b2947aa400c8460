"""Training a Bradley-Terry reward model on the stored pass-rate pairs with TRL's `RewardTrainer`.

One process on CPU or one GPU: `acecoder rm train`. Several GPUs (DeepSpeed ZeRO-3):
`accelerate launch --config_file configs/accelerate_zero3.yaml -m acecoder rm train --preset acecoder ...`.
"""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import shutil
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rewardmodel import layout
from rewardmodel.config import RMConfig, reward_config
from rewardmodel.data import FitReport, fit_pairs, load_pairs, pairs_fingerprint, split_by_problem
from rewardmodel.modeling import load_tokenizer, lora_config, max_positions

log = logging.getLogger(__name__)


@dataclass
class TrainResult:
    output_dir: Path
    run_id: str | None
    data: dict[str, int]
    train_metrics: dict[str, Any] = field(default_factory=dict)
    eval_results: dict[str, Any] = field(default_factory=dict)

    @property
    def accuracy_line(self) -> str:
        pairwise = self.eval_results.get("pairwise", {})
        accuracy = pairwise.get("accuracy")
        shown = f"{accuracy:.3f}" if accuracy is not None else "n/a"
        return (
            f"held-out pairwise accuracy: {shown} ({pairwise.get('pairs', 0):,} pairs, "
            f"{pairwise.get('problems', 0):,} problems)"
        )


def resolve_max_length(config: RMConfig) -> int:
    """The run's max length, never beyond what the model's position embeddings allow (512 for MiniLM)."""
    wanted = config.training_preset.max_length
    limit = max_positions(config.model)
    return min(wanted, limit) if limit else wanted


def data_counts(
    train: FitReport, held_out: FitReport, train_problems: int, held_out_problems: int
) -> dict[str, int]:
    return {
        "pairs": train.pairs + held_out.pairs,
        "train_pairs": train.kept,
        "train_problems": train_problems,
        "held_out_pairs": held_out.kept,
        "held_out_problems": held_out_problems,
        "truncated_pairs": train.truncated + held_out.truncated,
        "dropped_pairs": train.dropped + held_out.dropped,
    }


def training_fingerprint(config: RMConfig, pairs_digest: str) -> str:
    """What a trained folder was made from: the run's settings (less where it is saved and logged) and data."""
    settings = {
        k: v
        for k, v in config.to_dict().items()
        if k not in ("out", "db", "report_to", "score_batch_size", "checkpoint_steps")
    }
    return hashlib.sha256(
        json.dumps([settings, pairs_digest], sort_keys=True, default=str).encode()
    ).hexdigest()


def already_trained(config: RMConfig, fingerprint: str) -> TrainResult | None:
    """The result saved in the output folder when it was trained with these settings on these pairs."""
    out = config.output_dir
    summary = layout.read_json(out / layout.TRAINING_SUMMARY, {})
    eval_results = layout.read_json(out / layout.EVAL_RESULTS)
    if summary.get("fingerprint") != fingerprint or eval_results is None:
        return None
    return TrainResult(out, None, summary.get("data", {}), summary.get("train_metrics", {}), eval_results)


def checkpoint_to_resume(out: Path, fingerprint: str) -> str | None:
    """The last complete checkpoint in `out` when it belongs to a run with this fingerprint (same settings, same
    pairs); a checkpoint of another run is left alone and training starts over."""
    # The trainer writes trainer_state.json last: a checkpoint without it was cut short by the kill.
    complete = [
        folder
        for folder in out.glob("checkpoint-*")
        if folder.name.split("-")[-1].isdigit() and (folder / "trainer_state.json").is_file()
    ]
    if not complete:
        return None
    last = str(max(complete, key=lambda folder: int(folder.name.split("-")[-1])))
    started = layout.read_json(out / layout.RUN_IN_PROGRESS, {})
    if started.get("fingerprint") != fingerprint:
        log.warning("%s belongs to a run with other settings or pairs: training starts over", last)
        return None
    return last


def remove_checkpoints(out: Path) -> None:
    for folder in out.glob("checkpoint-*"):
        shutil.rmtree(folder, ignore_errors=True)
    (out / layout.RUN_IN_PROGRESS).unlink(missing_ok=True)


def train(
    config: RMConfig, flow_run_id: str | None = None, reuse: bool = False, resume: bool = False
) -> TrainResult:
    """Train, save (model, tokenizer, config, split, model card), evaluate on the held-out problems and
    record an `rm-train` row in `runs`. Under a multi-process launch every process trains; the first one
    writes the files and the row.

    With `reuse`, a folder already trained with the same settings on the same pairs is kept as it is (a
    scheduled or repeated pipeline run trains only when the pairs changed). With `resume`, a run killed
    after a checkpoint continues from its last one (weights, optimiser, scheduler, RNG and data position)
    when the settings and pairs are the same; checkpoints are removed once the model is saved."""
    import torch
    from trl import RewardTrainer

    from acecoder.core.store import detached_run
    from rewardmodel.evaluate import evaluate, flat_metrics

    out = config.output_dir
    pairs = load_pairs(config.pairs)
    fingerprint = training_fingerprint(config, pairs_fingerprint(pairs))
    if reuse and (previous := already_trained(config, fingerprint)) is not None:
        log.info("%s was trained on these pairs with these settings: kept", config.output_dir)
        log.info(previous.accuracy_line)
        return previous
    train_pairs, held_out = split_by_problem(pairs, config.eval_fraction, config.split_seed)
    tokenizer = load_tokenizer(config.model)
    max_length = resolve_max_length(config)
    train_set, train_fit = fit_pairs(train_pairs, tokenizer, max_length, config.truncation, "train")
    eval_set, eval_fit = fit_pairs(held_out, tokenizer, max_length, config.truncation, "held-out")
    if len(train_set) == 0:
        raise ValueError(f"no training pairs in {config.pairs}: run `acecoder pairs` first")
    data = data_counts(
        train_fit, eval_fit, len(set(train_pairs["problem_id"])), len(set(held_out["problem_id"]))
    )
    log.info("pairs: %s", ", ".join(f"{k} {v:,}" for k, v in data.items()))

    on_gpu = torch.cuda.is_available()
    args = reward_config(config, max_length, on_gpu, has_eval=len(eval_set) > 0)
    # Every process has read the pairs before the first one opens the database for writing.
    args.distributed_state.wait_for_everyone()
    is_main = args.process_index == 0
    params = config.to_dict() | {"max_length": max_length}
    recording = (
        detached_run(config.runs_db, "rm-train", params, flow_run_id) if is_main else nullcontext((None, {}))
    )
    with recording as (run_id, metrics):
        # A `margin` column (e.g. the pass-rate gap) makes TRL's loss -log sigmoid(r_c - r_r - margin).
        columns = ["chosen_ids", "rejected_ids", *(["margin"] if "margin" in train_set.column_names else [])]
        trainer = RewardTrainer(
            model=config.model,
            args=args,
            train_dataset=train_set.select_columns(columns),
            eval_dataset=eval_set.select_columns(columns) if len(eval_set) else None,
            processing_class=tokenizer,
            peft_config=lora_config(config) if config.lora else None,
        )
        last = checkpoint_to_resume(out, fingerprint) if resume else None
        if last is not None:
            log.info("resuming from %s", last)
        elif is_main:
            remove_checkpoints(out)  # another run's checkpoints must not mix with this one's
            out.mkdir(parents=True, exist_ok=True)
            layout.write_json(out / layout.RUN_IN_PROGRESS, {"fingerprint": fingerprint})
        output = trainer.train(resume_from_checkpoint=last)
        trainer.save_model(str(out))
        args.distributed_state.wait_for_everyone()
        if is_main:
            remove_checkpoints(out)
        result = TrainResult(
            out, run_id, data, train_metrics=dict(output.metrics) | {"global_step": output.global_step}
        )
        if not is_main:
            return result
        trainer_settings = {
            key: getattr(args, key)
            for key in (
                "num_train_epochs",
                "learning_rate",
                "lr_scheduler_type",
                "warmup_steps",
                "per_device_train_batch_size",
                "gradient_accumulation_steps",
                "bf16",
                "gradient_checkpointing",
                "world_size",
                "seed",
            )
        }
        config.save(out / layout.RM_CONFIG)
        layout.write_json(out / layout.HELD_OUT_PROBLEMS, sorted(set(held_out["problem_id"])))
        layout.write_json(
            out / layout.TRAINING_SUMMARY,
            {
                "source": str(config.pairs),
                "fingerprint": fingerprint,
                "max_length": max_length,
                "data": data,
                "trainer": trainer_settings,
                "train_metrics": result.train_metrics,
                "resumed_from": Path(last).name if last else None,
            },
        )
        # The trainer's copy of the model is not needed to score: free it before the scorer loads the saved one.
        del trainer
        gc.collect()
        if on_gpu:
            torch.cuda.empty_cache()
        result.eval_results = evaluate(out, batch_size=config.score_batch_size, record=False)
        metrics.update(
            data | result.train_metrics | flat_metrics(result.eval_results) | {"output_dir": str(out)}
        )
    log.info(result.accuracy_line)
    return result

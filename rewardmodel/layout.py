"""What a trained reward-model folder holds besides the weights and tokenizer, and how to read it back.

- `rm_config.json`: the RMConfig of the run (model, data source, split, preset, overrides)
- `training_summary.json`: data counts, the resolved max length and trainer settings, training metrics
- `held_out_problems.json`: the problems kept out of training, for evaluation
- `eval_results.json`: the latest evaluation
- `README.md`: the model card, rendered from the files above
- `checkpoint-<step>/`: the trainer's checkpoints while a run is under way (removed once the model is saved)
- `run_in_progress.json`: the fingerprint of the run those checkpoints belong to, so `--resume` never
  continues a run made with other settings or pairs
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

RM_CONFIG = "rm_config.json"
TRAINING_SUMMARY = "training_summary.json"
HELD_OUT_PROBLEMS = "held_out_problems.json"
EVAL_RESULTS = "eval_results.json"
MODEL_CARD = "README.md"
RUN_IN_PROGRESS = "run_in_progress.json"


def write_json(path: Path, value: Any) -> None:
    path.write_text(json.dumps(value, indent=2, default=str) + "\n")


def read_json(path: Path, default: Any = None) -> Any:
    return json.loads(path.read_text()) if path.is_file() else default


def trained_max_length(model_dir: Path) -> int | None:
    return read_json(model_dir / TRAINING_SUMMARY, {}).get("max_length")


def held_out_problems(model_dir: Path) -> list[str]:
    saved = read_json(model_dir / HELD_OUT_PROBLEMS)
    if saved is None:
        raise FileNotFoundError(
            f"{model_dir / HELD_OUT_PROBLEMS} is missing: was this folder made by `acecoder rm train`?"
        )
    return saved

"""What a finished TRL run leaves behind: the model and tokenizer saved together, and its last logged metrics."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def save_trained(trainer: Any, tokenizer: Any, out: Path) -> tuple[Path, dict[str, float]]:
    """Save the trained model and its tokenizer in `out/model`; returns that folder and, for each metric the
    trainer logged, its last value."""
    model_dir = out / "model"
    trainer.save_model(str(model_dir))
    tokenizer.save_pretrained(str(model_dir))
    metrics: dict[str, float] = {}
    for entry in trainer.state.log_history:
        metrics.update({k: float(v) for k, v in entry.items() if isinstance(v, int | float)})
    return model_dir, metrics

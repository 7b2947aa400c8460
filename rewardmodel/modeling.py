"""Loading reward models and their tokenizers: base models for training, trained models (a full model folder,
or a LoRA adapter merged into its base) for scoring, and how a model's scalar head reads a sequence."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from rewardmodel.encoding import ensure_pad_token

if TYPE_CHECKING:
    import torch
    from peft import LoraConfig
    from transformers import PreTrainedModel, PreTrainedTokenizerBase

    from rewardmodel.config import RMConfig

ADAPTER_CONFIG = "adapter_config.json"


def load_tokenizer(name_or_path: str) -> PreTrainedTokenizerBase:
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(name_or_path)
    ensure_pad_token(tokenizer)
    return tokenizer


def max_positions(name_or_path: str) -> int | None:
    """The longest sequence the model's position embeddings allow, when its config says."""
    from transformers import AutoConfig

    config = AutoConfig.from_pretrained(name_or_path)
    text_config = config.get_text_config()
    return getattr(text_config, "max_position_embeddings", None) or getattr(text_config, "n_positions", None)


def reads_last_token(model: PreTrainedModel) -> bool:
    """Whether the head scores the last token (decoders' `score` head) rather than the first ([CLS] pooling
    of encoders such as BERT, whose head is `classifier`)."""
    import torch

    return isinstance(getattr(model, "score", None), torch.nn.Linear)


def lora_config(config: RMConfig) -> LoraConfig:
    from peft import LoraConfig

    # SEQ_CLS makes peft train the new scalar head (`score` / `classifier`) in full beside the adapters.
    return LoraConfig(
        task_type="SEQ_CLS",
        r=config.lora_r,
        lora_alpha=config.lora_alpha,
        lora_dropout=config.lora_dropout,
        target_modules="all-linear",
    )


def load_reward_model(
    path: str | Path, tokenizer: PreTrainedTokenizerBase, dtype: torch.dtype, device: str | torch.device
) -> PreTrainedModel:
    """A trained reward model in eval mode. A LoRA folder is loaded onto its base and merged, so scoring runs
    at the speed of a plain model."""
    from transformers import AutoModelForSequenceClassification

    path = Path(path)
    adapter_file = path / ADAPTER_CONFIG
    if adapter_file.is_file():
        from peft import PeftModel

        base_path = json.loads(adapter_file.read_text())["base_model_name_or_path"]
        base = AutoModelForSequenceClassification.from_pretrained(base_path, num_labels=1, dtype=dtype)
        model = PeftModel.from_pretrained(base, str(path)).merge_and_unload()
    else:
        model = AutoModelForSequenceClassification.from_pretrained(str(path), num_labels=1, dtype=dtype)
    model.config.get_text_config().pad_token_id = tokenizer.pad_token_id
    return model.to(device).eval()

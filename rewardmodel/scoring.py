"""Scoring (question, program) pairs with a trained reward model: batched, longest first, inputs in AceCoder's
format built exactly as in training, and the score read at the position the head was trained on."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from acecoder.core import rm_format
from rewardmodel.encoding import encode_sequences, fit
from rewardmodel.layout import trained_max_length

if TYPE_CHECKING:
    import torch

FALLBACK_MAX_LENGTH = 2048


class RewardScorer:
    """A reward model loaded once (fp32 on CPU, bf16 on GPU) that scores many inputs.

    `padding_side` only matters for decoder models: the score is read at each sequence's last real token,
    found from the attention mask, with positions counted from its first real token, so left and right
    padding give the same scores. Encoder models read the first token ([CLS]) with absolute positions, so
    they are always padded on the right.
    """

    def __init__(
        self,
        model_path: str | Path,
        *,
        device: str | None = None,
        max_length: int | None = None,
        padding_side: str = "right",
    ):
        import torch

        from rewardmodel.modeling import load_reward_model, load_tokenizer, reads_last_token

        self.model_path = Path(model_path)
        self.device = torch.device(device or ("cuda" if torch.cuda.is_available() else "cpu"))
        dtype = torch.bfloat16 if self.device.type == "cuda" else torch.float32
        self.tokenizer = load_tokenizer(str(self.model_path))
        self.model = load_reward_model(self.model_path, self.tokenizer, dtype, self.device)
        self.last_token = reads_last_token(self.model)
        self.tokenizer.padding_side = padding_side if self.last_token else "right"
        self.max_length = max_length or self._trained_max_length()

    def _trained_max_length(self) -> int:
        """The max_length the model was trained with (saved beside it), else the tokenizer's limit."""
        trained = trained_max_length(self.model_path)
        if trained:
            return int(trained)
        limit = self.tokenizer.model_max_length
        return limit if limit and limit < 1_000_000 else FALLBACK_MAX_LENGTH

    @classmethod
    def cached(cls, model_path: str | Path) -> RewardScorer:
        """One scorer per model folder for the life of the process."""
        return _cached_scorer(str(Path(model_path).resolve()))

    def score(
        self,
        questions: list[str],
        programs: list[str],
        first_tests: list[str | None] | None = None,
        batch_size: int = 16,
        progress: bool = True,
    ) -> list[float]:
        """Scores of each program as an answer to its question (AceCoder's prompt shows the first test too)."""
        if len(questions) != len(programs):
            raise ValueError(f"{len(questions)} questions but {len(programs)} programs")
        tests = first_tests if first_tests is not None else [None] * len(questions)
        if len(tests) != len(questions):
            raise ValueError(f"{len(questions)} questions but {len(tests)} first tests")
        prompts = [rm_format.prompt_text(q, t) for q, t in zip(questions, tests, strict=True)]
        responses = [rm_format.response_text(p) for p in programs]
        return self.score_texts(prompts, responses, batch_size=batch_size, progress=progress)

    def score_texts(
        self, prompts: list[str], responses: list[str], batch_size: int = 16, progress: bool = True
    ) -> list[float]:
        """Scores of ready-made (prompt, response) texts, such as the pairs the model was trained on."""
        sequences = encode_sequences(self.tokenizer, prompts, responses)
        for i, ids in enumerate(sequences):
            if len(ids) > self.max_length:
                fitted = fit(self.tokenizer, prompts[i], responses[i], self.max_length, ids)
                # A prompt too long on its own keeps its first max_length tokens: every input gets a score.
                sequences[i] = fitted.ids if fitted is not None else ids[: self.max_length]
        return self.score_ids(sequences, batch_size=batch_size, progress=progress)

    def score_ids(
        self, sequences: list[list[int]], batch_size: int = 16, progress: bool = True
    ) -> list[float]:
        """Scores of token-id sequences, batched longest first (least padding) and returned in input order."""
        import torch
        from tqdm.auto import tqdm

        order = sorted(range(len(sequences)), key=lambda i: len(sequences[i]), reverse=True)
        scores = [0.0] * len(sequences)
        with (
            torch.inference_mode(),
            tqdm(total=len(sequences), desc="scoring", unit="seq", disable=not progress) as bar,
        ):
            for start in range(0, len(order), batch_size):
                batch = order[start : start + batch_size]
                padded = self.tokenizer.pad({"input_ids": [sequences[i] for i in batch]}, return_tensors="pt")
                values = self._forward(
                    padded["input_ids"].to(self.device), padded["attention_mask"].to(self.device)
                )
                for i, value in zip(batch, values.float().tolist(), strict=True):
                    scores[i] = value
                bar.update(len(batch))
        return scores

    def _forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        if not self.last_token:
            return self.model(input_ids=input_ids, attention_mask=attention_mask).logits[:, 0]
        import torch

        # The model's own pooling finds "the rightmost token that is not the pad id", which depends on the
        # transformers version and on pad ids never occurring in the text; the mask says where tokens are.
        positions = (attention_mask.cumsum(-1) - 1).clamp(min=0)
        backbone = getattr(self.model, self.model.base_model_prefix)
        hidden = backbone(
            input_ids=input_ids, attention_mask=attention_mask, position_ids=positions, use_cache=False
        ).last_hidden_state
        last = (torch.arange(input_ids.shape[1], device=input_ids.device) * attention_mask).argmax(-1)
        pooled = hidden[torch.arange(input_ids.shape[0], device=input_ids.device), last]
        return self.model.score(pooled).squeeze(-1)


@lru_cache(maxsize=4)
def _cached_scorer(model_path: str) -> RewardScorer:
    return RewardScorer(model_path)


def score(
    questions: list[str],
    programs: list[str],
    model_path: str,
    batch_size: int = 16,
    first_tests: list[str | None] | None = None,
    progress: bool = True,
) -> list[float]:
    """Reward-model scores of programs answering questions, with the model at `model_path` (loaded once);
    `progress` draws a bar on stderr."""
    return RewardScorer.cached(model_path).score(
        questions, programs, first_tests, batch_size=batch_size, progress=progress
    )

"""`FineGrainedGRPOTrainer`: TRL's GRPOTrainer with RLTF's fine-grained penalty added to the advantages.

GRPO gives every token of a completion the same advantage. After TRL has generated and scored a batch, this
trainer turns the (B,) advantages into (B, T) ones, less `weight` on the tokens each completion's failures
blame (see `feedback`): TRL 1.16's loss accepts per-token advantages as they are. The sandbox runs come from
the same `CompletionRunner` as the execution rewards, whose last batch is these completions, so nothing runs
twice. With `enabled=False` the trainer is plain GRPO, for ablations.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import torch
from trl import GRPOTrainer

from acecoder.rl.execution import CompletionRunner, parse_tests
from acecoder.rl.feedback import RLTF_PENALTY, fault_of, token_penalties, token_spans


@dataclass(frozen=True)
class FeedbackConfig:
    enabled: bool = True
    weight: float = RLTF_PENALTY


class FineGrainedGRPOTrainer(GRPOTrainer):
    """GRPOTrainer whose advantages carry RLTF's per-token penalty; `runner` must be the rewards' runner."""

    def __init__(
        self, *args: Any, runner: CompletionRunner, feedback: FeedbackConfig = FeedbackConfig(), **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        self.runner = runner
        self.feedback = feedback

    def _generate_and_score_completions(self, inputs: list[dict[str, Any]]) -> dict[str, Any]:
        output = super()._generate_and_score_completions(inputs)
        if not self.feedback.enabled:
            return output
        penalties = self._penalties(inputs, output["completion_ids"], output["completion_mask"])
        output["advantages"] = output["advantages"].unsqueeze(1) - penalties
        mode = "train" if self.model.training else "eval"
        penalised = (penalties > 0).float() * output["completion_mask"]
        self._metrics[mode]["fine_grained/penalised_token_share"].append(
            (penalised.sum() / output["completion_mask"].sum().clamp(min=1)).item()
        )
        return output

    def _penalties(
        self, inputs: list[dict[str, Any]], completion_ids: torch.Tensor, completion_mask: torch.Tensor
    ) -> torch.Tensor:
        rows = [ids[mask.bool()].tolist() for ids, mask in zip(completion_ids, completion_mask, strict=True)]
        texts = self._tokenizer.batch_decode(rows, skip_special_tokens=True)
        executions = self.runner.run(
            texts, [parse_tests(x["tests"]) for x in inputs], [x.get("entry_point") for x in inputs]
        )
        penalties = torch.zeros(completion_ids.shape, dtype=torch.float32, device=completion_ids.device)
        for row, (ids, text, execution) in enumerate(zip(rows, texts, executions, strict=True)):
            values = token_penalties(
                fault_of(execution), token_spans(self._tokenizer, ids, text), self.feedback.weight
            )
            if values:
                penalties[row, : len(values)] = torch.tensor(values, device=completion_ids.device)
        return penalties

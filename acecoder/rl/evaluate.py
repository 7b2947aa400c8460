"""pass@1 of a policy on HumanEval(+) and MBPP+: sample answers with transformers, then judge them with the
rerank evaluator (EvalPlus's base and plus tests, run in the sandbox).

The policy is asked with the RL prompt: the benchmark prompt (HumanEval's signature and docstring, MBPP+'s
text and example assert) and the function to write. Kept small by default (the first `limit` tasks of each
benchmark): on CPU it is a smoke check, not a measurement.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from acecoder.code.benchmarks import BenchmarkTask
from acecoder.rl.prompts import build_prompt

Sampler = Callable[[list[BenchmarkTask]], list[list[str]]]


@dataclass(frozen=True)
class EvalConfig:
    model: str
    benchmarks: tuple[str, ...] = ("humaneval+", "mbpp+")
    limit: int | None = 20  # first N tasks of each benchmark; None: all
    samples: int = 1  # answers per task (pass@1 is averaged over them)
    temperature: float = 0.0  # 0: greedy
    max_new_tokens: int = 512
    batch_size: int = 8
    prompt_style: str = "plain"


@dataclass(frozen=True)
class BenchmarkScore:
    benchmark: str
    tasks: int
    samples: int
    pass_at_1_base: float
    pass_at_1_plus: float | None  # None where the benchmark has no extra tests


class PolicySampler:
    """The policy, loaded once, answering benchmark tasks in batches."""

    def __init__(self, config: EvalConfig):
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        self.config = config
        self.device = "cuda" if torch.cuda.is_available() else "cpu"
        self.tokenizer = AutoTokenizer.from_pretrained(config.model, padding_side="left")
        if self.tokenizer.pad_token is None:
            self.tokenizer.pad_token = self.tokenizer.eos_token
        dtype = torch.bfloat16 if self.device == "cuda" else torch.float32
        self.model = AutoModelForCausalLM.from_pretrained(config.model, dtype=dtype).to(self.device).eval()
        self.chat = self.tokenizer.chat_template is not None

    def _prompt(self, task: BenchmarkTask) -> str:
        prompt = build_prompt(task.prompt, task.entry_point, self.config.prompt_style, self.chat)
        if self.chat:
            return self.tokenizer.apply_chat_template(prompt, tokenize=False, add_generation_prompt=True)
        return prompt

    def __call__(self, tasks: list[BenchmarkTask]) -> list[list[str]]:
        """`config.samples` answers per task, as text."""
        import torch

        config = self.config
        prompts = [self._prompt(task) for task in tasks]
        sampling: dict[str, Any] = (
            {"do_sample": True, "temperature": config.temperature}
            if config.temperature > 0
            else {"do_sample": False}
        )
        answers: list[list[str]] = [[] for _ in tasks]
        order = [i for i in range(len(tasks)) for _ in range(config.samples)]
        for start in range(0, len(order), config.batch_size):
            batch = order[start : start + config.batch_size]
            encoded = self.tokenizer(
                [prompts[i] for i in batch],
                return_tensors="pt",
                padding=True,
                add_special_tokens=not self.chat,
            ).to(self.device)
            with torch.inference_mode():
                generated = self.model.generate(
                    **encoded,
                    max_new_tokens=config.max_new_tokens,
                    pad_token_id=self.tokenizer.pad_token_id,
                    **sampling,
                )
            new_tokens = generated[:, encoded["input_ids"].shape[1] :]
            for index, text in zip(
                batch, self.tokenizer.batch_decode(new_tokens, skip_special_tokens=True), strict=True
            ):
                answers[index].append(text)
        return answers


def evaluate_policy(config: EvalConfig, sampler: Sampler | None = None) -> list[BenchmarkScore]:
    """pass@1 (base, and plus where there are extra tests) on each benchmark of `config`; `sampler`
    replaces the policy (any function from tasks to answers per task)."""
    from acecoder.code import benchmarks
    from acecoder.rerank.candidates import candidate_sets
    from acecoder.rerank.evaluation import evaluate
    from acecoder.rerank.formats import TaskSamples
    from acecoder.rerank.passk import pass_at_k
    from acecoder.rerank.pipeline import open_executor

    sampler = sampler or PolicySampler(config)
    scores = []
    # the evaluator's own sandbox limits: benchmark outputs are long, some canonical solutions slow
    with open_executor(progress=False) as executor:
        for name in config.benchmarks:
            tasks = benchmarks.load(name)[: config.limit] if config.limit else benchmarks.load(name)
            answers = sampler(tasks)
            sets = candidate_sets(
                [TaskSamples(task, tuple(a)) for task, a in zip(tasks, answers, strict=True)]
            )
            verdicts = evaluate(tasks, sets, executor)
            scores.append(
                BenchmarkScore(
                    name,
                    len(tasks),
                    len(answers[0]) if answers else 0,
                    pass_at_k(verdicts.base, 1),
                    pass_at_k(verdicts.plus, 1) if verdicts.plus is not None else None,
                )
            )
    return scores

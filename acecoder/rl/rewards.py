"""Reward functions for RL on code, in TRL GRPOTrainer's shape: `reward(prompts, completions, **kwargs)`
returning one `float | None` per completion.

Dataset columns arrive as keyword lists: `tests` (required by the execution rewards), `entry_point` (which
function the program must define) and `question` (for the reward model). Completions may be strings or
conversational message lists. Each execution reward runs its batch through the warm sandbox pool at once;
a completion whose problem has no tests gets None (TRL leaves it out of the advantage).

- `binary`: 1 if every test passes, else 0 (AceCoder's rule reward).
- `pass_rate`: the share of tests passed.
- `coderl`: CodeRL's levels: compile error -1, runtime error -0.6, failed test -0.3, all pass +1.
- `rltf_adaptive`: RLTF's adaptive reward: all pass 1, else -0.3 + 1.3 * share passed.
- `format_reward(style)`: 1 if the answer has exactly one fenced program (the R1 style: inside
  `<think>...</think><answer>...</answer>`), else 0.
- `RewardModelReward`: a trained Bradley-Terry reward model's score of the program.
- `combine`: a weighted sum of rewards, itself a reward function.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from acecoder.llm.parsing import extract_code_blocks
from acecoder.rl.completions import completion_text, locate_program
from acecoder.rl.execution import CompletionRunner, Execution, parse_tests

RewardFunc = Callable[..., list[float | None]]

RUNTIME_FAILURES = frozenset({"error", "timeout", "memory", "killed"})


def is_compile_error(execution: Execution) -> bool:
    """No program, or a program that does not compile."""
    if execution.program is None:
        return True
    return any(
        test["status"] == "syntax" and test["error_where"] == "program" for test in execution.test_verdicts
    )


def binary_score(execution: Execution) -> float:
    return 1.0 if execution.test_count and execution.passed == execution.test_count else 0.0


def pass_rate_score(execution: Execution) -> float:
    return execution.passed / execution.test_count if execution.test_count else 0.0


def coderl_score(execution: Execution) -> float:
    """CodeRL's reward. Every test runs here (CodeRL stops at the first failure), so the worst outcome
    among the tests decides: a runtime error anywhere outweighs a wrong answer elsewhere."""
    if is_compile_error(execution):
        return -1.0
    if binary_score(execution) == 1.0:
        return 1.0
    if any(test["status"] in RUNTIME_FAILURES for test in execution.test_verdicts):
        return -0.6
    return -0.3


def rltf_adaptive_score(execution: Execution) -> float:
    if binary_score(execution) == 1.0:
        return 1.0
    return -0.3 + 1.3 * pass_rate_score(execution)


class ExecutionReward:
    """A reward computed from each completion's run against its problem's tests."""

    def __init__(
        self, name: str, score: Callable[[Execution], float], runner: CompletionRunner | None = None
    ):
        self.__name__ = name
        self.score = score
        self.runner = runner or default_runner()

    def __call__(
        self,
        prompts: Sequence[Any],
        completions: Sequence[Any],
        tests: Sequence[Any] | None = None,
        entry_point: Sequence[str | None] | None = None,
        **kwargs: Any,
    ) -> list[float | None]:
        if tests is None:
            raise ValueError(f"reward {self.__name__} needs a `tests` column in the dataset")
        texts = [completion_text(c) for c in completions]
        test_lists = [parse_tests(t) for t in tests]
        executions = self.runner.run(texts, test_lists, entry_point or [None] * len(texts))
        return [self.score(e) if e.test_count else None for e in executions]


_default_runner: CompletionRunner | None = None


def default_runner() -> CompletionRunner:
    """One runner per process, on the process's shared sandbox pool, so all rewards share its last batch."""
    global _default_runner
    if _default_runner is None:
        _default_runner = CompletionRunner()
    return _default_runner


EXECUTION_SCORES: dict[str, Callable[[Execution], float]] = {
    "binary": binary_score,
    "pass_rate": pass_rate_score,
    "coderl": coderl_score,
    "rltf_adaptive": rltf_adaptive_score,
}

# Ready-made TRL reward functions on the process's shared runner: `GRPOTrainer(reward_funcs=[binary])`.
binary = ExecutionReward("binary", binary_score)
pass_rate = ExecutionReward("pass_rate", pass_rate_score)
coderl = ExecutionReward("coderl", coderl_score)
rltf_adaptive = ExecutionReward("rltf_adaptive", rltf_adaptive_score)


_R1_LAYOUT = re.compile(r"\s*<think>(?P<think>.*?)</think>\s*<answer>(?P<answer>.*?)</answer>\s*", re.DOTALL)
PROMPT_STYLES = ("plain", "r1")


def has_one_fenced_program(text: str) -> bool:
    """Exactly one closed fenced Python (or untagged) block, and no fence left open."""
    fence_lines = sum(1 for line in text.splitlines() if line.lstrip().startswith("```"))
    return fence_lines % 2 == 0 and len(extract_code_blocks(text)) == 1


def follows_r1_layout(text: str) -> bool:
    """`<think>...</think><answer>...</answer>` and nothing else, with one fenced program in the answer."""
    match = _R1_LAYOUT.fullmatch(text)
    if match is None or any(text.count(tag) != 1 for tag in ("<think>", "</think>", "<answer>", "</answer>")):
        return False
    return has_one_fenced_program(match["answer"])


class FormatReward:
    """1.0 when the completion follows the layout its prompt asked for, else 0.0."""

    __name__ = "format"

    def __init__(self, style: str = "plain"):
        if style not in PROMPT_STYLES:
            raise ValueError(f"unknown prompt style {style!r}: use one of {PROMPT_STYLES}")
        self.check = follows_r1_layout if style == "r1" else has_one_fenced_program

    def __call__(
        self, prompts: Sequence[Any], completions: Sequence[Any], **kwargs: Any
    ) -> list[float | None]:
        return [1.0 if self.check(completion_text(c)) else 0.0 for c in completions]


def format_reward(style: str = "plain") -> FormatReward:
    return FormatReward(style)


class RewardModelReward:
    """The score a trained reward model (see `rewardmodel/`) gives each program as an answer to its
    question, with AceCoder's input format (the question and its first test). The model loads on first use."""

    __name__ = "reward_model"

    def __init__(self, model_path: str, batch_size: int = 16):
        self.model_path = model_path
        self.batch_size = batch_size

    def __call__(
        self,
        prompts: Sequence[Any],
        completions: Sequence[Any],
        question: Sequence[str] | None = None,
        tests: Sequence[Any] | None = None,
        entry_point: Sequence[str | None] | None = None,
        **kwargs: Any,
    ) -> list[float | None]:
        from rewardmodel.scoring import RewardScorer

        texts = [completion_text(c) for c in completions]
        entries = entry_point or [None] * len(texts)
        programs = []
        for text, entry in zip(texts, entries, strict=True):
            located = locate_program(text, entry)
            programs.append(located.code if located else text)
        questions = list(question) if question is not None else [completion_text(p) for p in prompts]
        first_tests = None
        if tests is not None:
            first_tests = [next(iter(parse_tests(t)), None) for t in tests]
        scorer = RewardScorer.cached(self.model_path)
        return list(
            scorer.score(questions, programs, first_tests, batch_size=self.batch_size, progress=False)
        )


class CombinedReward:
    """The weighted sum of several rewards; a part that returns None for a completion is left out, and a
    completion for which every part returns None gets None."""

    def __init__(self, parts: Sequence[tuple[RewardFunc, float]]):
        if not parts:
            raise ValueError("combine needs at least one reward")
        self.parts = list(parts)
        self.__name__ = "+".join(f"{weight:g}*{func.__name__}" for func, weight in self.parts)

    def __call__(
        self, prompts: Sequence[Any], completions: Sequence[Any], **kwargs: Any
    ) -> list[float | None]:
        totals: list[float | None] = [None] * len(completions)
        for func, weight in self.parts:
            for index, value in enumerate(func(prompts, completions, **kwargs)):
                if value is not None:
                    totals[index] = (totals[index] or 0.0) + weight * value
        return totals


def combine(parts: Sequence[tuple[RewardFunc, float]]) -> CombinedReward:
    return CombinedReward(parts)


REWARD_NAMES = ("binary", "pass_rate", "coderl", "rltf_adaptive", "format", "reward_model")


def build_reward(
    name: str,
    *,
    runner: CompletionRunner | None = None,
    prompt_style: str = "plain",
    reward_model_path: str | None = None,
) -> RewardFunc:
    """A reward by name (one of REWARD_NAMES)."""
    if name == "format":
        return format_reward(prompt_style)
    if name == "reward_model":
        if not reward_model_path:
            raise ValueError("the reward_model reward needs a trained reward model's folder")
        return RewardModelReward(reward_model_path)
    if name not in EXECUTION_SCORES:
        raise ValueError(f"unknown reward {name!r}: use one of {', '.join(REWARD_NAMES)}")
    return ExecutionReward(name, EXECUTION_SCORES[name], runner)

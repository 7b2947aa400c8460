"""The RL rewards on known programs, run in a real sandbox pool: correct, partly right, wrong answer, runtime
error, syntax error, timeout, truncated answer and no code; plus the format reward, combinations, the
reward-model reward's inputs, and one sandbox batch per reward call."""

from __future__ import annotations

import pytest

from acecoder.rl.execution import CompletionRunner
from acecoder.rl.rewards import (
    PROMPT_STYLES,
    CombinedReward,
    ExecutionReward,
    RewardModelReward,
    binary,
    build_reward,
    coderl,
    format_reward,
    pass_rate,
    rltf_adaptive,
)

TESTS = ["assert add(1, 2) == 3", "assert add(-1, 1) == 0", "assert add(10, 5) == 15"]


def fenced(code: str) -> str:
    return f"Here is the function.\n\n```python\n{code}```\n\nIt adds the numbers."


ANSWERS = {
    "correct": fenced("def add(a, b):\n    return a + b\n"),
    "partly": fenced("def add(a, b):\n    return abs(a) + b\n"),  # fails add(-1, 1) only
    "wrong": fenced("def add(a, b):\n    return a - b\n"),
    "runtime": fenced("def add(a, b):\n    total = a + b\n    return total / 0\n"),
    "syntax": fenced("def add(a, b)\n    return a + b\n"),
    "timeout": fenced("def add(a, b):\n    while True:\n        pass\n"),
    "truncated": "Here is the function.\n\n```python\ndef add(a, b):\n    return (a +",
    "no code": "I would add the two numbers.",
}

# binary, pass_rate, coderl, rltf_adaptive
EXPECTED = {
    "correct": (1.0, 1.0, 1.0, 1.0),
    "partly": (0.0, 2 / 3, -0.3, -0.3 + 1.3 * 2 / 3),
    "wrong": (0.0, 0.0, -0.3, -0.3),
    "runtime": (0.0, 0.0, -0.6, -0.3),
    "syntax": (0.0, 0.0, -1.0, -0.3),
    "timeout": (0.0, 0.0, -0.6, -0.3),
    "truncated": (0.0, 0.0, -1.0, -0.3),
    "no code": (0.0, 0.0, -1.0, -0.3),
}


class CountingPool:
    """A real pool that counts its batches."""

    def __init__(self, pool):
        self.pool = pool
        self.batches: list[int] = []

    def run(self, jobs):
        jobs = list(jobs)
        self.batches.append(len(jobs))
        return self.pool.run(jobs)


@pytest.fixture(scope="module")
def pool():
    from acecoder.sandbox import SandboxPool

    with SandboxPool(workers=2) as opened:
        yield opened


@pytest.fixture
def counting(pool):
    return CountingPool(pool)


def rewards_on(runner: CompletionRunner) -> list[ExecutionReward]:
    return [build_reward(name, runner=runner) for name in ("binary", "pass_rate", "coderl", "rltf_adaptive")]


def test_each_reward_on_known_programs(counting):
    runner = CompletionRunner(counting, timeout_s=0.5)
    names = list(ANSWERS)
    completions = [ANSWERS[name] for name in names]
    kwargs = {"tests": [TESTS] * len(names), "entry_point": ["add"] * len(names)}
    values = [reward([""] * len(names), completions, **kwargs) for reward in rewards_on(runner)]
    for column, name in enumerate(names):
        got = tuple(per_reward[column] for per_reward in values)
        assert got == pytest.approx(EXPECTED[name]), name
    # one sandbox batch for the four rewards; the truncated and code-free answers never reach the sandbox
    assert counting.batches == [len(names) - 2]


def test_reward_names_and_trl_kwargs(counting):
    assert [r.__name__ for r in (binary, pass_rate, coderl, rltf_adaptive)] == [
        "binary",
        "pass_rate",
        "coderl",
        "rltf_adaptive",
    ]
    reward = build_reward("binary", runner=CompletionRunner(counting))
    # what GRPOTrainer passes besides the dataset columns
    extra = {
        "completion_ids": [[1, 2]],
        "trainer_state": None,
        "log_extra": print,
        "log_metric": print,
        "problem_id": ["p1"],
    }
    assert reward(["prompt"], [ANSWERS["correct"]], tests=[TESTS], entry_point=["add"], **extra) == [1.0]


def test_conversational_completions_and_json_tests(counting):
    import json

    reward = build_reward("pass_rate", runner=CompletionRunner(counting))
    completions = [[{"role": "assistant", "content": ANSWERS["partly"]}]]
    prompts = [[{"role": "user", "content": "Write add."}]]
    assert reward(prompts, completions, tests=[json.dumps(TESTS)], entry_point=["add"]) == pytest.approx(
        [2 / 3]
    )


def test_no_tests_gives_none_and_no_entry_point_uses_last_block(counting):
    reward = build_reward("binary", runner=CompletionRunner(counting))
    answer = (
        "First try:\n```python\ndef add(a, b):\n    return a\n```\nBetter:\n```python\n"
        "def add(a, b):\n    return a + b\n```\n"
    )
    assert reward(["", ""], [answer, answer], tests=[TESTS, []]) == [1.0, None]


def test_a_program_runs_once_per_batch(counting):
    runner = CompletionRunner(counting)
    reward = build_reward("binary", runner=runner)
    same_code = [ANSWERS["correct"], ANSWERS["correct"].replace("Here is", "This is"), ANSWERS["correct"]]
    values = reward(
        [""] * 5,
        [*same_code, ANSWERS["wrong"], ANSWERS["correct"]],
        tests=[TESTS] * 4 + [TESTS[:1]],
        entry_point=["add"] * 5,
    )
    assert values == [1.0, 1.0, 1.0, 0.0, 1.0]
    assert counting.batches == [
        3
    ]  # the correct program with all tests, the wrong one, the correct one with one


@pytest.mark.parametrize(
    ("style", "answer", "expected"),
    [
        ("plain", ANSWERS["correct"], 1.0),
        ("plain", ANSWERS["correct"] + "\n```python\nprint(add(1, 2))\n```\n", 0.0),  # two programs
        ("plain", ANSWERS["truncated"], 0.0),  # unclosed fence
        ("plain", ANSWERS["no code"], 0.0),
        ("r1", "<think>Add them.</think>\n<answer>\n" + ANSWERS["correct"] + "\n</answer>", 1.0),
        ("r1", "<think>Add them.</think>" + ANSWERS["correct"], 0.0),  # no <answer>
        ("r1", "<think>a</think><answer>no code</answer>", 0.0),
        ("r1", "<think>a</think><answer>" + ANSWERS["correct"] + "</answer><think>b</think>", 0.0),
    ],
)
def test_format_reward(style, answer, expected):
    reward = format_reward(style)
    assert reward.__name__ == "format"
    assert reward([""], [answer]) == [expected]
    assert set(PROMPT_STYLES) == {"plain", "r1"}


def test_combined_reward_weights_and_none(counting):
    runner = CompletionRunner(counting)
    combined = CombinedReward([(build_reward("binary", runner=runner), 1.0), (format_reward("plain"), 0.5)])
    assert combined.__name__ == "1*binary+0.5*format"
    values = combined(
        ["", "", ""],
        [ANSWERS["correct"], ANSWERS["wrong"], ANSWERS["correct"]],
        tests=[TESTS, TESTS, []],
        entry_point=["add"] * 3,
    )
    assert values == [1.5, 0.5, 0.5]  # the last has no tests: only the format part counts
    only_execution = CombinedReward([(build_reward("binary", runner=runner), 2.0)])
    assert only_execution([""], [ANSWERS["correct"]], tests=[[]]) == [None]


def test_reward_model_reward_scores_programs_in_acecoder_format(monkeypatch):
    seen = {}

    class FakeScorer:
        def score(self, questions, programs, first_tests, batch_size, progress):
            seen.update(questions=questions, programs=programs, first_tests=first_tests)
            return [0.25] * len(programs)

    import rewardmodel.scoring

    monkeypatch.setattr(
        rewardmodel.scoring.RewardScorer, "cached", classmethod(lambda cls, path: FakeScorer())
    )
    reward = RewardModelReward("some/model")
    assert reward.__name__ == "reward_model"
    values = reward(
        ["p"], [ANSWERS["runtime"]], question=["Add two numbers."], tests=[TESTS], entry_point=["add"]
    )
    assert values == [0.25]
    assert seen == {
        "questions": ["Add two numbers."],
        "programs": ["def add(a, b):\n    total = a + b\n    return total / 0\n"],
        "first_tests": ["assert add(1, 2) == 3"],
    }


def test_unknown_reward_and_missing_tests():
    with pytest.raises(ValueError, match="unknown reward"):
        build_reward("nope")
    with pytest.raises(ValueError, match="needs a trained reward model"):
        build_reward("reward_model")
    with pytest.raises(ValueError, match="needs a `tests` column"):
        ExecutionReward("binary", lambda e: 0.0, CompletionRunner(object()))([""], ["x"])

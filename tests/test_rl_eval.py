"""`acecoder rl eval`: pass@1 from the rerank evaluator on known answers (canonical solutions pass, stubs fail),
and a tiny policy sampling end to end."""

from __future__ import annotations

from pathlib import Path

import pytest

from acecoder.code.benchmarks import BenchmarkTask
from acecoder.rl.evaluate import EvalConfig, evaluate_policy

FIXTURES = Path(__file__).parent / "fixtures"
BENCHMARKS = (str(FIXTURES / "humanevalplus_slice.jsonl"), str(FIXTURES / "mbppplus_slice.jsonl"))


def canonical_then_stub(tasks: list[BenchmarkTask]) -> list[list[str]]:
    """Per task: the canonical solution in a markdown answer, then a stub that returns None."""
    return [
        [
            f"Here it is:\n```python\n{task.prompt}{task.canonical_solution}\n```",
            f"```python\ndef {task.entry_point}(*args):\n    return None\n```",
        ]
        for task in tasks
    ]


def test_pass_at_1_on_known_answers():
    scores = evaluate_policy(EvalConfig(model="unused", benchmarks=BENCHMARKS, limit=3), canonical_then_stub)
    for score in scores:
        assert score.tasks == 3 and score.samples == 2
        assert score.pass_at_1_base == pytest.approx(0.5) and score.pass_at_1_plus == pytest.approx(0.5)


def test_tiny_policy_end_to_end(tmp_path):
    from acecoder.rl.tiny_model import build_tiny_model

    model = build_tiny_model(tmp_path / "tiny", ["def f(x):\n    return x\n"] * 8, vocab_size=280)
    config = EvalConfig(model=str(model), benchmarks=("humaneval",), limit=2, max_new_tokens=8)
    (score,) = evaluate_policy(config)
    assert score.tasks == 2 and score.samples == 1
    assert score.pass_at_1_base == 0.0 and score.pass_at_1_plus is None

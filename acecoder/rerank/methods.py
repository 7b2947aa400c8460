"""The selection methods, behind one interface: a chooser per task, `choose(n) -> index`.

A chooser picks one of the task's first n candidates (all of them when it has fewer), so the same (costly) execution and scoring serve the
full selection and the curve of selections over the first 1, 2, 4, ... samples.

- `exec`: agreement of behaviour on the prompt's examples and generated inputs (`mbr_exec.py`).
- `rm`: the reward model's highest score; `rm+exec`: the reward model within exec's best clusters
  (`reward.py`).
- `random`: a uniformly random candidate, seeded by `seed`, the task and n.
- `first`: the first sample, i.e. what a single sample would have scored.

No method sees more of a task than its `Problem` (prompt and entry point).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence

from acecoder.rerank import mbr_exec, reward
from acecoder.rerank.candidates import CandidateSet
from acecoder.rerank.execution import Executor

METHODS = ("exec", "rm", "rm+exec", "random", "first")

Chooser = Callable[[int], int]


def choosers(
    method: str,
    candidate_sets: Sequence[CandidateSet],
    *,
    executor: Executor | None = None,
    scorer: reward.Scorer | None = None,
    seed: int = 0,
    generated_inputs: int = 20,
) -> list[Chooser]:
    """One chooser per task for `method`; `exec` methods need `executor`, `rm` methods need `scorer`."""
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}: use one of {', '.join(METHODS)}")
    if method == "first":
        return [lambda n: 0 for _ in candidate_sets]
    if method == "random":
        return [_clamped(_random_chooser(seed, c.problem.task_id), len(c)) for c in candidate_sets]
    behaviours = scores = None
    if method in ("exec", "rm+exec"):
        if executor is None:
            raise ValueError(f"the {method} method needs a sandbox executor")
        behaviours = mbr_exec.behaviours(
            candidate_sets, executor, generated_inputs=generated_inputs, seed=seed
        )
    if method in ("rm", "rm+exec"):
        if scorer is None:
            raise ValueError(f"the {method} method needs a scorer")
        scores = reward.reward_scores(candidate_sets, scorer)
    if method == "exec":
        return [lambda n, b=b: mbr_exec.choose(b[:n]) for b in behaviours]
    if method == "rm":
        return [lambda n, s=s: reward.highest_scored(s[:n]) for s in scores]
    return [
        lambda n, b=b, s=s: reward.shortlist_choice(b[:n], s[:n])
        for b, s in zip(behaviours, scores, strict=True)
    ]


def _random_chooser(seed: int, task_id: str) -> Chooser:
    return lambda n: random.Random(f"{seed}/{task_id}/{n}").randrange(n)


def _clamped(choose: Chooser, size: int) -> Chooser:
    """`choose` over min(n, size) candidates: a task may have fewer samples than asked for."""
    return lambda n: choose(min(n, size))

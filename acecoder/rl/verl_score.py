"""verl custom reward functions: point `custom_reward_function.path` at this file.

- `compute_score(data_source, solution_str, ground_truth, extra_info=None) -> float` (verl's default
  per-sample reward manager), and
- `compute_score_batch(data_sources, solution_strs, ground_truths, extra_infos=None) -> list[float]` (verl's
  batch reward manager: the whole batch runs in one sandbox call).

`ground_truth` carries the tests: a list of test snippets, a JSON string of one, or a dict with `tests` (and
optionally `entry_point`). `extra_info` may name the function (`entry_point`) and the reward (`reward`: one
of binary, pass_rate, coderl, rltf_adaptive; default binary, AceCoder's rule).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from acecoder.rl.execution import parse_tests
from acecoder.rl.rewards import EXECUTION_SCORES, default_runner

DEFAULT_REWARD = "binary"


def _entry_point(ground_truth: Any, extra_info: Mapping[str, Any] | None) -> str | None:
    if extra_info and extra_info.get("entry_point"):
        return str(extra_info["entry_point"])
    if isinstance(ground_truth, str) and ground_truth.lstrip().startswith("{"):
        ground_truth = json.loads(ground_truth)
    if isinstance(ground_truth, Mapping) and ground_truth.get("entry_point"):
        return str(ground_truth["entry_point"])
    return None


def compute_score_batch(
    data_sources: Sequence[str],
    solution_strs: Sequence[str],
    ground_truths: Sequence[Any],
    extra_infos: Sequence[Mapping[str, Any] | None] | None = None,
    **kwargs: Any,
) -> list[float]:
    extras = list(extra_infos) if extra_infos is not None else [None] * len(solution_strs)
    executions = default_runner().run(
        list(solution_strs),
        [parse_tests(g) for g in ground_truths],
        [_entry_point(g, e) for g, e in zip(ground_truths, extras, strict=True)],
    )
    scores = []
    for execution, extra in zip(executions, extras, strict=True):
        name = (extra or {}).get("reward") or DEFAULT_REWARD
        if name not in EXECUTION_SCORES:
            raise ValueError(f"unknown reward {name!r}: use one of {', '.join(EXECUTION_SCORES)}")
        scores.append(EXECUTION_SCORES[name](execution))
    return scores


def compute_score(
    data_source: str,
    solution_str: str,
    ground_truth: Any,
    extra_info: Mapping[str, Any] | None = None,
    **kwargs: Any,
) -> float:
    return compute_score_batch([data_source], [solution_str], [ground_truth], [extra_info])[0]

"""pass@k figures from per-candidate verdicts.

`pass_at_k` is the unbiased estimator of Chen et al. (2021): for a task with n samples of which c pass,
pass@k = 1 - C(n - c, k) / C(n, k), averaged over tasks. pass@1 is then the mean pass rate, i.e. the expected
score of picking a candidate at random; pass@n is the oracle (some candidate passes).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def pass_at_k_task(n: int, c: int, k: int) -> float:
    """1 - C(n - c, k) / C(n, k), computed as a product so that large n does not overflow."""
    if not 0 <= c <= n or not 1 <= k <= n:
        raise ValueError(f"need 0 <= c <= n and 1 <= k <= n, got n={n}, c={c}, k={k}")
    if n - c < k:
        return 1.0
    return float(1.0 - np.prod(1.0 - k / np.arange(n - c + 1, n + 1)))


def pass_at_k(verdicts: Sequence[Sequence[bool]], k: int) -> float:
    """Mean over tasks of the unbiased pass@k; each task's list holds one verdict per candidate."""
    if not verdicts:
        raise ValueError("no tasks")
    return float(np.mean([pass_at_k_task(len(task), sum(task), k) for task in verdicts]))


def selected_pass_rate(verdicts: Sequence[Sequence[bool]], chosen: Sequence[int]) -> float:
    """Fraction of tasks whose chosen candidate passes."""
    if len(verdicts) != len(chosen):
        raise ValueError("one choice per task is needed")
    return float(np.mean([task[index] for task, index in zip(verdicts, chosen, strict=True)]))


def sample_counts(n: int) -> list[int]:
    """1, 2, 4, ... up to n, and n itself."""
    counts = [1]
    while counts[-1] * 2 < n:
        counts.append(counts[-1] * 2)
    if counts[-1] != n:
        counts.append(n)
    return counts

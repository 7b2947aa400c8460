"""The unbiased pass@k estimator and the figures built on it."""

from __future__ import annotations

import itertools
from math import comb

import pytest

from acecoder.rerank.passk import pass_at_k, pass_at_k_task, sample_counts, selected_pass_rate


@pytest.mark.parametrize(
    ("n", "c", "k", "expected"),
    [
        (5, 2, 1, 0.4),
        (5, 2, 2, 0.7),  # 1 - C(3, 2) / C(5, 2) = 1 - 3/10
        (5, 2, 4, 1.0),  # fewer than 4 failures: any 4 include a pass
        (5, 0, 3, 0.0),
        (10, 1, 10, 1.0),
        (100, 3, 10, 1 - comb(97, 10) / comb(100, 10)),
    ],
)
def test_estimator_values(n, c, k, expected):
    assert pass_at_k_task(n, c, k) == pytest.approx(expected, abs=1e-12)


def test_estimator_equals_the_share_of_k_subsets_holding_a_pass():
    verdicts = [True, False, False, True, False, False, False]
    for k in range(1, len(verdicts) + 1):
        subsets = list(itertools.combinations(verdicts, k))
        share = sum(any(subset) for subset in subsets) / len(subsets)
        assert pass_at_k_task(len(verdicts), sum(verdicts), k) == pytest.approx(share)


def test_estimator_refuses_impossible_counts():
    with pytest.raises(ValueError):
        pass_at_k_task(3, 4, 1)
    with pytest.raises(ValueError):
        pass_at_k_task(3, 1, 4)


def test_averages_over_tasks():
    verdicts = [[True, False, False, False], [True, True, False, False]]
    assert pass_at_k(verdicts, 1) == pytest.approx((0.25 + 0.5) / 2)
    assert pass_at_k(verdicts, 4) == 1.0
    assert selected_pass_rate(verdicts, [1, 0]) == 0.5


def test_sample_counts_double_up_to_n():
    assert sample_counts(1) == [1]
    assert sample_counts(8) == [1, 2, 4, 8]
    assert sample_counts(100) == [1, 2, 4, 8, 16, 32, 64, 100]

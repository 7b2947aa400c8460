"""Test filtering's mutation score: a mutant's time limits follow the reference's own time."""

from __future__ import annotations

import polars as pl
import pytest

from acecoder.sandbox import Limits, SandboxPool
from acecoder.stages.filter import FilterConfig, filter_batch, mutant_time_limits

# The reference sleeps 50 ms per call, 1.25 s over its 25 tests: more than the 1 s floor for all of a mutant's
# tests. Of its 7 mutants, 3 change what it returns and 4 are equivalent (3 of them still sleeping).
SLOW_REFERENCE = """import time


def f(x):
    time.sleep(0.05)
    unused = x * 3
    return x + 1
"""


def test_mutant_limits_are_floors_or_a_multiple_of_the_reference_within_the_pool():
    config = FilterConfig()
    limits = Limits(timeout_s=4.0, program_timeout_s=15.0)
    assert mutant_time_limits([0.2] * 20, config, limits) == (0.5, 1.0)  # a fast reference: the floors
    assert mutant_time_limits([50.0] * 25, config, limits) == pytest.approx((0.5, 5.0))
    assert mutant_time_limits([400.0, 10.0], config, limits) == pytest.approx((1.6, 1.64))
    assert mutant_time_limits([3000.0] * 4, config, limits) == (4.0, 15.0)  # never past the pool's limits
    assert mutant_time_limits([], config, limits) == (0.5, 1.0)


def test_equivalent_mutants_of_a_slow_reference_are_not_killed_by_the_clock():
    problems = pl.DataFrame({"problem_id": ["p"], "reference": [SLOW_REFERENCE]})
    tests = pl.DataFrame(
        {
            "problem_id": ["p"] * 25,
            "idx": list(range(25)),
            "test_id": [f"t{i}" for i in range(25)],
            "code": [f"assert f({i}) == {i + 1}" for i in range(25)],
        }
    )
    with SandboxPool(workers=2, limits=Limits()) as pool:
        rows = filter_batch(problems, tests, FilterConfig(mutants_per_problem=20), "run", pool=pool)
    (problem,) = rows["problems"]
    assert problem["status"] == "kept"
    assert problem["mutation_score"] == pytest.approx(3 / 7)  # with a fixed 1 s for all tests: 6 / 7

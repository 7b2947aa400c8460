"""Running completions' programs against their problems' tests in the warm sandbox pool, one batch per call.

In a GRPO step several reward functions (and the fine-grained feedback) look at the same completions; the
runner remembers the results of its last batch, so each program runs once per step whatever reads it. The
same program in several completions of one problem (common among a group's samples, whose prose differs
more often than their code) also runs once.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from acecoder.rl.completions import LocatedProgram, locate_program


def parse_tests(value: Any) -> list[str]:
    """Tests as a list of snippets, from a list, a JSON string of a list, or a mapping with a `tests` key."""
    if isinstance(value, str):
        value = json.loads(value)
    if isinstance(value, Mapping):
        value = value.get("tests") or []
        if isinstance(value, str):
            value = json.loads(value)
    if not isinstance(value, Sequence) or not all(isinstance(test, str) for test in value):
        raise ValueError("tests must be a list of strings (or a JSON string of one)")
    return list(value)


@dataclass(frozen=True)
class Execution:
    """One completion's run: its program (None when it holds none) and the sandbox's result (None when
    nothing ran: no program, or no tests)."""

    program: LocatedProgram | None
    result: Mapping[str, Any] | None
    test_count: int

    @property
    def test_verdicts(self) -> list[Mapping[str, Any]]:
        return list(self.result["tests"]) if self.result else []

    @property
    def passed(self) -> int:
        return int(self.result["passed"]) if self.result else 0


class CompletionRunner:
    """Runs completions through a sandbox pool (the process's shared pool unless one is given)."""

    def __init__(self, pool: Any = None, *, timeout_s: float | None = None, memory_mb: int | None = None):
        self._pool = pool
        self.timeout_s = timeout_s
        self.memory_mb = memory_mb
        self._last_results: dict[tuple[str, tuple[str, ...]], Mapping[str, Any]] = {}

    @property
    def pool(self) -> Any:
        if self._pool is None:
            from acecoder.core.pools import shared_pool

            self._pool = shared_pool()
        return self._pool

    def run(
        self, completions: Sequence[str], tests: Sequence[Sequence[str]], entry_points: Sequence[str | None]
    ) -> list[Execution]:
        """One execution per completion, in order; `tests[i]` and `entry_points[i]` belong to completion i."""
        from acecoder.sandbox import Job

        programs = [
            locate_program(text, entry) for text, entry in zip(completions, entry_points, strict=True)
        ]
        # a program is run once per batch with its tests, however many completions hold it
        keys = [
            (program.code, tuple(t)) if program is not None and t else None
            for program, t in zip(programs, tests, strict=True)
        ]
        results = {key: self._last_results[key] for key in keys if key in self._last_results}
        pending = list(dict.fromkeys(key for key in keys if key is not None and key not in results))
        jobs = [
            Job(
                id=str(index),
                program=code,
                tests=list(key_tests),
                timeout_s=self.timeout_s,
                memory_mb=self.memory_mb,
            )
            for index, (code, key_tests) in enumerate(pending)
        ]
        results.update(zip(pending, self.pool.run(jobs) if jobs else [], strict=True))
        self._last_results = results
        return [
            Execution(program, results.get(key), len(t))
            for program, key, t in zip(programs, keys, tests, strict=True)
        ]

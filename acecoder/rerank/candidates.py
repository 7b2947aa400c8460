"""What a selection method sees of a task: its public prompt and the sanitised candidate programs.

`Problem` deliberately carries no tests, canonical solution or benchmark inputs, so a method cannot read them
even by mistake; the evaluation works from the full `BenchmarkTask` instead.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from acecoder.benchmarks import BenchmarkTask
from acecoder.rerank.formats import TaskSamples
from acecoder.rerank.sanitize import sanitize


@dataclass(frozen=True)
class Problem:
    """The public face of a benchmark task."""

    task_id: str
    prompt: str
    entry_point: str

    @classmethod
    def of(cls, task: BenchmarkTask) -> Problem:
        return cls(task.task_id, task.prompt, task.entry_point)


@dataclass(frozen=True)
class CandidateSet:
    """One task's candidates: sanitised programs in sample order."""

    problem: Problem
    programs: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.programs)


def candidate_sets(samples: list[TaskSamples]) -> list[CandidateSet]:
    """Sanitise every sample of every task."""
    return [
        CandidateSet(
            Problem.of(group.task),
            tuple(sanitize(program, group.task.entry_point) for program in group.programs),
        )
        for group in samples
    ]


def behaviour_key(program: str) -> str:
    """Equal for programs that differ only in layout and comments, which must behave alike."""
    try:
        return ast.dump(ast.parse(program))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return program

"""What a selection method sees of a task: its public prompt and the sanitised candidate programs.

`Problem` deliberately carries no tests, canonical solution or benchmark inputs, so a method cannot read them
even by mistake; the evaluation works from the full `BenchmarkTask` instead.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from acecoder.code.benchmarks import BenchmarkTask
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
    """Sanitise every sample of every task, keeping the helpers the task's prompt defines."""
    sets = []
    for group in samples:
        helpers = prompt_definitions(group.task.prompt)
        programs = tuple(
            sanitize(program, group.task.entry_point, keep=helpers) for program in group.programs
        )
        sets.append(CandidateSet(Problem.of(group.task), programs))
    return sets


def prompt_definitions(prompt: str) -> list[str]:
    """Names of the functions and classes a prompt defines at its top level (none if it does not parse)."""
    try:
        tree = ast.parse(prompt)
    except (SyntaxError, ValueError):
        return []
    return [
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    ]


def behaviour_key(program: str) -> str:
    """Equal for programs that differ only in layout and comments, which must behave alike."""
    try:
        return ast.dump(ast.parse(program))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return program

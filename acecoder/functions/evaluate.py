"""pass@1 of a policy on synthetic functions (a split's held-out test part): the policy answers each question
with the RL prompt, the program in its answer runs on the function's tests in the sandbox, and an answer
counts when it passes all of them."""

from __future__ import annotations

from dataclasses import dataclass

from acecoder.code.benchmarks import BenchmarkTask
from acecoder.functions.tasks import CodeTask


@dataclass(frozen=True)
class SyntheticScore:
    name: str
    tasks: int
    samples: int
    pass_at_1: float


def as_benchmark_tasks(tasks: list[CodeTask]) -> list[BenchmarkTask]:
    """The tasks in the shape the policy samplers take (the question is the prompt)."""
    return [
        BenchmarkTask(
            task_id=t.task_id, prompt=t.question, entry_point=t.entry_point, canonical_solution=t.reference
        )
        for t in tasks
    ]


def score_answers(tasks: list[CodeTask], answers: list[list[str]], runner) -> float:
    """Mean over tasks of the share of a task's answers that pass all its tests."""
    if not tasks:
        return 0.0
    completions, tests, entries, owners = [], [], [], []
    for index, (task, task_answers) in enumerate(zip(tasks, answers, strict=True)):
        for text in task_answers:
            completions.append(text)
            tests.append(list(task.tests))
            entries.append(task.entry_point)
            owners.append(index)
    executions = runner.run(completions, tests, entries) if completions else []
    passed = [0.0] * len(tasks)
    for owner, execution in zip(owners, executions, strict=True):
        if execution.result is not None and execution.passed == execution.test_count:
            passed[owner] += 1 / len(answers[owner])
    return sum(passed) / len(tasks)


def evaluate_synthetic(
    tasks: list[CodeTask], sampler, runner=None, name: str = "synthetic-test"
) -> SyntheticScore:
    """pass@1 of `sampler` (tasks -> answers per task, e.g. `acecoder.rl.evaluate.PolicySampler`)."""
    from acecoder.rl.execution import CompletionRunner

    runner = runner or CompletionRunner()
    answers = sampler(as_benchmark_tasks(tasks)) if tasks else []
    samples = len(answers[0]) if answers else 0
    return SyntheticScore(name, len(tasks), samples, score_answers(tasks, answers, runner))

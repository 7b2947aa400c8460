"""`rerank`: read N samples per task, sanitise them, select one per task, write it; optionally evaluate.

The steps are also usable one by one (`load_candidates`, `open_executor`, `methods.choosers`,
`evaluation.evaluate`, `report.build_report`), which is how a benchmark compares several methods on one
evaluation.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from acecoder.code import benchmarks
from acecoder.code.benchmarks import BenchmarkTask
from acecoder.rerank import evaluation, methods
from acecoder.rerank.candidates import CandidateSet, candidate_sets
from acecoder.rerank.execution import Executor
from acecoder.rerank.formats import read_samples, write_selected
from acecoder.rerank.report import build_report, write_report
from acecoder.rerank.reward import Scorer, reward_model_scorer

EXEC_METHODS = ("exec", "rm+exec")
REWARD_METHODS = ("rm", "rm+exec")
# The outputs of a group of benchmark inputs can be long (evaluation fingerprints each one past 100,000
# characters), and a few canonical solutions take seconds on their largest inputs.
SANDBOX_VALUE_CHARS = 20_000_000
SANDBOX_PROGRAM_TIMEOUT_S = 60.0


@dataclass
class RerankOutcome:
    """The selection (task id, sanitised program, sample index) and, when evaluated, the report."""

    selected: list[tuple[str, str, int]]
    report: dict[str, Any] | None


def load_candidates(
    samples_path: str | Path, benchmark: str, n: int | None = None
) -> tuple[list[BenchmarkTask], list[CandidateSet]]:
    """The benchmark tasks that have samples, and their first `n` samples, sanitised."""
    tasks = benchmarks.load(benchmark)
    groups = read_samples(samples_path, tasks, limit=n)
    return [group.task for group in groups], candidate_sets(groups)


@contextmanager
def open_executor(workers: int | None = None, progress: bool = True) -> Iterator[Executor]:
    """An executor over one warm sandbox pool, for the method and the evaluation alike.

    `workers` defaults to ACECODER_SANDBOX_WORKERS, else one per core; jobs get ACECODER_SANDBOX_MEMORY_MB.
    """
    from acecoder.core.settings import get_settings
    from acecoder.sandbox import Limits, SandboxPool

    settings = get_settings()
    workers = workers or settings.sandbox_workers or None
    limits = Limits(
        max_value_chars=SANDBOX_VALUE_CHARS,
        program_timeout_s=SANDBOX_PROGRAM_TIMEOUT_S,
        memory_mb=settings.sandbox_memory_mb,
    )
    # Answers such as factorials run past Python's 4,300-digit limit on int <-> str conversion, which the
    # pool (in this process) needs to write their repr and this package to read it back; EvalPlus lifts the
    # limit too.
    digits_limit = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)
    try:
        with SandboxPool(workers=workers, limits=limits) as pool:
            yield Executor(pool, progress=progress)
    finally:
        sys.set_int_max_str_digits(digits_limit)


def rerank(
    samples_path: str | Path,
    output_path: str | Path,
    *,
    benchmark: str,
    method: str,
    n: int | None = None,
    seed: int = 0,
    evaluate: bool = False,
    report_dir: str | Path | None = None,
    workers: int | None = None,
    model_path: str | None = None,
    scorer: Scorer | None = None,
    generated_inputs: int = 20,
    progress: bool = True,
) -> RerankOutcome:
    """Select one sample per task with `method`, write them to `output_path`, and evaluate if asked.

    `scorer` replaces the reward model of the rm methods (which otherwise load it from `model_path`).
    A report directory implies evaluation.
    """
    if method not in methods.METHODS:
        raise ValueError(f"unknown method {method!r}: use one of {', '.join(methods.METHODS)}")
    if method in REWARD_METHODS and scorer is None:
        scorer = reward_model_scorer(model_path, progress=progress)
    evaluate = evaluate or report_dir is not None
    timings: dict[str, float] = {}
    started = time.perf_counter()
    tasks, sets = load_candidates(samples_path, benchmark, n)
    timings["read_and_sanitise"] = time.perf_counter() - started

    needs_sandbox = evaluate or method in EXEC_METHODS
    with open_executor(workers, progress) if needs_sandbox else nullcontext() as executor:
        started = time.perf_counter()
        choosers = methods.choosers(
            method, sets, executor=executor, scorer=scorer, seed=seed, generated_inputs=generated_inputs
        )
        chosen = [choose(len(candidates)) for choose, candidates in zip(choosers, sets, strict=True)]
        timings["select"] = time.perf_counter() - started
        selected = [
            (c.problem.task_id, c.programs[index], index) for c, index in zip(sets, chosen, strict=True)
        ]
        write_selected(output_path, [(task_id, program) for task_id, program, _ in selected])
        if not evaluate:
            return RerankOutcome(selected, None)
        started = time.perf_counter()
        verdicts = evaluation.evaluate(tasks, sets, executor)
        timings["evaluate"] = time.perf_counter() - started

    test_sets = {"base": verdicts.base} | ({"plus": verdicts.plus} if verdicts.plus is not None else {})
    report = build_report(
        benchmark=benchmark,
        method=method,
        seed=seed,
        task_ids=[t.task_id for t in tasks],
        chosen=chosen,
        test_sets=test_sets,
        choosers=choosers,
        timings_s=timings,
    )
    if report_dir is not None:
        write_report(report, report_dir, test_sets)
    return RerankOutcome(selected, report)

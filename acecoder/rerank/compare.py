"""Several selection methods on one set of benchmark samples, judged by one evaluation.

Each method picks one candidate per task; every candidate is then run once on the benchmark's tests (and
once on its plus inputs when a plus benchmark is given), and each method's pick is scored against those
verdicts, beside random choice (the mean pass rate) and the oracle (pass@N). This is what `make demo`'s
rerank step, the rerank flow and `bench/rerank.py` report.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from rich.table import Table

from acecoder.code import benchmarks
from acecoder.rerank import evaluation, methods
from acecoder.rerank.candidates import candidate_sets
from acecoder.rerank.formats import read_samples
from acecoder.rerank.passk import pass_at_k, selected_pass_rate
from acecoder.rerank.pipeline import REWARD_METHODS, open_executor
from acecoder.rerank.reward import Scorer, reward_model_scorer

# Real CodeGen-16B samples bundled with the package (10 for each of the first 40 HumanEval tasks).
DEMO_SAMPLES = (
    Path(__file__).resolve().parents[1] / "data" / "demo" / "humaneval_codegen16b_first40x10.samples.jsonl.gz"
)
RANDOM_ROW = "random (mean pass rate)"
ORACLE_ROW = "oracle (pass@N)"


@dataclass
class MethodFigures:
    """Pass@1 of one selection on base tests (and plus inputs), and how long the selection took."""

    base: float
    plus: float | None = None
    wall_s: float | None = None


@dataclass
class Comparison:
    benchmark: str
    tasks: int
    n: int
    rows: dict[str, MethodFigures]
    evaluate_s: dict[str, float] = field(default_factory=dict)

    def gain_over_random(self, method: str) -> float:
        """Points of base pass@1 that `method` adds over random choice."""
        return 100 * (self.rows[method].base - self.rows[RANDOM_ROW].base)

    def table(self) -> Table:
        has_plus = any(row.plus is not None for row in self.rows.values())
        table = Table(title=f"best-of-{self.n} on {self.benchmark}: {self.tasks} tasks")
        table.add_column("selection")
        table.add_column("base pass@1", justify="right")
        if has_plus:
            table.add_column("plus pass@1", justify="right")
        table.add_column("wall time", justify="right")
        for name, row in self.rows.items():
            cells = [name, f"{100 * row.base:.1f}%"]
            if has_plus:
                cells.append(f"{100 * row.plus:.1f}%" if row.plus is not None else "")
            cells.append(f"{row.wall_s:.1f} s" if row.wall_s is not None else "")
            table.add_row(*cells)
        return table

    def metrics(self) -> dict[str, Any]:
        """Flat figures for a `runs` row."""
        flat: dict[str, Any] = {"tasks": self.tasks, "n": self.n}
        for name, row in self.rows.items():
            key = name.split(" ")[0]
            flat[f"{key}_base_pass@1"] = row.base
            if row.plus is not None:
                flat[f"{key}_plus_pass@1"] = row.plus
            if row.wall_s is not None:
                flat[f"{key}_wall_s"] = round(row.wall_s, 2)
        return flat

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Comparison:
        return cls(**{**data, "rows": {name: MethodFigures(**row) for name, row in data["rows"].items()}})


def compare_methods(
    samples_path: str | Path,
    benchmark: str,
    method_names: Sequence[str],
    *,
    plus_benchmark: str | None = None,
    n: int | None = None,
    tasks: int | None = None,
    model_path: str | None = None,
    scorer: Scorer | None = None,
    seed: int = 0,
    generated_inputs: int = 20,
    workers: int | None = None,
    progress: bool = True,
) -> Comparison:
    """Run each of `method_names` on the samples, then evaluate every candidate once.

    `plus_benchmark` (e.g. humaneval+ for humaneval samples) adds pass@1 on its base + plus inputs; `tasks`
    keeps the first that many tasks with samples; the rm methods use `scorer`, else the model at `model_path`.
    """
    unknown = [name for name in method_names if name not in methods.METHODS]
    if unknown:
        raise ValueError(f"unknown method(s) {', '.join(unknown)}: use {', '.join(methods.METHODS)}")
    if scorer is None and any(name in REWARD_METHODS for name in method_names):
        scorer = reward_model_scorer(model_path, progress=progress)
    groups = read_samples(samples_path, benchmarks.load(benchmark), limit=n)[:tasks]
    sets = candidate_sets(groups)
    evaluated_tasks = [group.task for group in groups]
    if not sets:
        raise ValueError(f"{samples_path}: no samples for any task of {benchmark}")

    picks: dict[str, list[int]] = {}
    wall_s: dict[str, float] = {}
    evaluate_s: dict[str, float] = {}
    with open_executor(workers, progress) as executor:
        for name in method_names:
            started = time.perf_counter()
            choosers = methods.choosers(
                name, sets, executor=executor, scorer=scorer, seed=seed, generated_inputs=generated_inputs
            )
            picks[name] = [choose(len(candidates)) for choose, candidates in zip(choosers, sets, strict=True)]
            wall_s[name] = time.perf_counter() - started
        started = time.perf_counter()
        base = evaluation.evaluate(evaluated_tasks, sets, executor).base
        evaluate_s["base tests"] = time.perf_counter() - started
        plus = None
        if plus_benchmark is not None:
            plus_by_id = {task.task_id: task for task in benchmarks.load(plus_benchmark)}
            started = time.perf_counter()
            plus = evaluation.evaluate(
                [plus_by_id[task.task_id] for task in evaluated_tasks], sets, executor
            ).plus
            evaluate_s["plus inputs"] = time.perf_counter() - started

    def figures(score) -> MethodFigures:
        return MethodFigures(base=score(base), plus=score(plus) if plus is not None else None)

    rows = {}
    for name, chosen in picks.items():
        rows[name] = figures(lambda verdicts, chosen=chosen: selected_pass_rate(verdicts, chosen))
        rows[name].wall_s = wall_s[name]
    rows[RANDOM_ROW] = figures(lambda verdicts: pass_at_k(verdicts, 1))
    rows[ORACLE_ROW] = figures(lambda verdicts: sum(any(task) for task in verdicts) / len(verdicts))
    return Comparison(
        benchmark=benchmark, tasks=len(sets), n=max(len(c) for c in sets), rows=rows, evaluate_s=evaluate_s
    )


def compare_and_record(
    db: str | Path,
    samples_path: str | Path,
    benchmark: str,
    method_names: Sequence[str],
    flow_run_id: str | None = None,
    **options: Any,
) -> Comparison:
    """`compare_methods` with a `rerank` row in the database's `runs` table (parameters and figures)."""
    from acecoder.core.store import detached_run

    params = {
        "samples": str(samples_path),
        "benchmark": benchmark,
        "methods": list(method_names),
        **{
            key: str(value) if isinstance(value, Path) else value
            for key, value in options.items()
            if key != "scorer"
        },
    }
    with detached_run(db, "rerank", params, flow_run_id) as (_, metrics):
        comparison = compare_methods(samples_path, benchmark, method_names, **options)
        metrics.update(comparison.metrics())
    return comparison

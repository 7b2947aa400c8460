"""Best-of-N reranking quality and cost on real model outputs: exec, random and first beside the oracle.

Reads CodeGen-16B's 100 HumanEval samples per task (../shared/data/generations), runs each method once,
evaluates every candidate once on HumanEval's base tests and on HumanEval+ (base + plus inputs), and prints
pass@1 of each method's selection with its wall time, beside random choice (mean pass rate) and the oracle
(pass@N). Everything runs through one warm sandbox pool.

    .venv/bin/python bench/rerank.py                       # the full 164 x 100 run
    .venv/bin/python bench/rerank.py --n 20 --tasks 40     # a quicker look
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from acecoder import benchmarks
from acecoder.rerank import evaluation, methods
from acecoder.rerank.candidates import candidate_sets
from acecoder.rerank.formats import read_samples
from acecoder.rerank.passk import pass_at_k, selected_pass_rate
from acecoder.rerank.pipeline import open_executor
from acecoder.settings import REPO_ROOT

SAMPLES = REPO_ROOT.parent / "shared" / "data" / "generations" / "humaneval_codegen16b_t0.8_n100.samples.jsonl.gz"
TARGET_POINTS_OVER_RANDOM = 10.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=Path, default=SAMPLES, help="EvalPlus samples file of HumanEval")
    parser.add_argument("--n", type=int, default=100, help="samples per task")
    parser.add_argument("--tasks", type=int, default=None, help="only the first TASKS tasks")
    parser.add_argument("--methods", default="exec,random,first", help="comma-separated methods")
    parser.add_argument("--inputs", type=int, default=20, help="inputs exec generates per task")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args()
    console = Console()

    started = time.perf_counter()
    humaneval = benchmarks.load("humaneval")[: args.tasks]
    groups = read_samples(args.samples, humaneval, limit=args.n)
    sets = candidate_sets(groups)
    tasks = [group.task for group in groups]
    plus_by_id = {task.task_id: task for task in benchmarks.load("humaneval+")}
    plus_tasks = [plus_by_id[task.task_id] for task in tasks]
    read_s = time.perf_counter() - started
    console.print(f"{len(sets)} tasks x {max(len(c) for c in sets)} samples read and sanitised in {read_s:.1f} s",
                  highlight=False)

    picks: dict[str, list[int]] = {}
    wall_s: dict[str, float] = {}
    with open_executor(args.workers) as executor:
        for method in args.methods.split(","):
            started = time.perf_counter()
            choosers = methods.choosers(method, sets, executor=executor, seed=args.seed,
                                        generated_inputs=args.inputs)
            picks[method] = [choose(len(c)) for choose, c in zip(choosers, sets, strict=True)]
            wall_s[method] = time.perf_counter() - started
        started = time.perf_counter()
        base = evaluation.evaluate(tasks, sets, executor).base
        wall_s["evaluate: HumanEval tests"] = time.perf_counter() - started
        started = time.perf_counter()
        plus = evaluation.evaluate(plus_tasks, sets, executor).plus
        wall_s["evaluate: HumanEval+ inputs"] = time.perf_counter() - started

    figures = {
        method: {"base": selected_pass_rate(base, chosen), "plus": selected_pass_rate(plus, chosen),
                 "wall_s": wall_s[method]}
        for method, chosen in picks.items()
    }
    figures["random (mean pass rate)"] = {"base": pass_at_k(base, 1), "plus": pass_at_k(plus, 1), "wall_s": None}
    figures["oracle (pass@N)"] = {"base": _any_passes(base), "plus": _any_passes(plus), "wall_s": None}

    table = Table(title=f"best-of-{max(len(c) for c in sets)} on HumanEval, CodeGen-16B samples, "
                        f"{len(sets)} tasks")
    for column, justify in (("selection", "left"), ("HumanEval base pass@1", "right"),
                            ("HumanEval+ plus pass@1", "right"), ("wall time", "right")):
        table.add_column(column, justify=justify)
    for name, row in figures.items():
        wall = f"{row['wall_s']:.1f} s" if row["wall_s"] is not None else ""
        table.add_row(name, f"{100 * row['base']:.1f}%", f"{100 * row['plus']:.1f}%", wall)
    console.print(table)
    for name in ("evaluate: HumanEval tests", "evaluate: HumanEval+ inputs"):
        console.print(f"{name}: {wall_s[name]:.1f} s for {sum(len(c) for c in sets):,} candidates", highlight=False)
    if "exec" in figures:
        gain = 100 * (figures["exec"]["base"] - figures["random (mean pass rate)"]["base"])
        verdict = "meets" if gain >= TARGET_POINTS_OVER_RANDOM else "misses"
        console.print(f"exec is {gain:+.1f} points over random on base tests ({verdict} the "
                      f"+{TARGET_POINTS_OVER_RANDOM:.0f} target)", highlight=False)
    if args.json:
        args.json.write_text(json.dumps({"figures": figures, "wall_s": wall_s}, indent=2) + "\n")


def _any_passes(verdicts: list[list[bool]]) -> float:
    return sum(any(task) for task in verdicts) / len(verdicts)


if __name__ == "__main__":
    main()

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

from acecoder.core.settings import REPO_ROOT
from acecoder.rerank.compare import compare_methods

SAMPLES = (
    REPO_ROOT.parent / "shared" / "data" / "generations" / "humaneval_codegen16b_t0.8_n100.samples.jsonl.gz"
)
TARGET_POINTS_OVER_RANDOM = 10.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=Path, default=SAMPLES, help="EvalPlus samples file of HumanEval")
    parser.add_argument("--n", type=int, default=100, help="samples per task")
    parser.add_argument("--tasks", type=int, default=None, help="only the first TASKS tasks")
    parser.add_argument("--methods", default="exec,random,first", help="comma-separated methods")
    parser.add_argument("--model", default=None, help="reward model folder, for the rm methods")
    parser.add_argument("--inputs", type=int, default=20, help="inputs exec generates per task")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args()
    console = Console()

    started = time.perf_counter()
    comparison = compare_methods(
        args.samples,
        "humaneval",
        args.methods.split(","),
        plus_benchmark="humaneval+",
        n=args.n,
        tasks=args.tasks,
        model_path=args.model,
        seed=args.seed,
        generated_inputs=args.inputs,
        workers=args.workers,
    )
    total_s = time.perf_counter() - started
    console.print(comparison.table())
    for name, seconds in comparison.evaluate_s.items():
        console.print(
            f"evaluate ({name}): {seconds:.1f} s for {comparison.tasks * comparison.n:,} candidates",
            highlight=False,
        )
    console.print(f"whole run: {total_s:.1f} s", highlight=False)
    if "exec" in comparison.rows:
        gain = comparison.gain_over_random("exec")
        verdict = "meets" if gain >= TARGET_POINTS_OVER_RANDOM else "misses"
        console.print(
            f"exec is {gain:+.1f} points over random on base tests ({verdict} the "
            f"+{TARGET_POINTS_OVER_RANDOM:.0f} target)",
            highlight=False,
        )
    if args.json:
        args.json.write_text(json.dumps(comparison.to_dict(), indent=2) + "\n")


if __name__ == "__main__":
    main()

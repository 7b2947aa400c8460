"""Run every benchmark under bench/ one after another: quick sizes by default (minutes in all on 2 cores),
the full sizes with `--full` (`make bench BENCH=full`). Each prints its own figures beside its reference."""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
# The options that make each benchmark quick; at full size each runs with its own defaults.
QUICK: dict[str, list[str]] = {
    "ingest.py": ["--rows", "10000"],
    "execute.py": ["--limit", "400"],
    "pool_schedule.py": ["--limit", "300"],
    "llm_client.py": ["--requests", "400"],
    "llm_scale.py": ["--rows", "2000", "--small", "500", "--batch-size", "512"],
    "pairs.py": ["--problems", "4000", "--skip-plain"],
    "rerank.py": ["--tasks", "8", "--n", "20"],
    "rewards.py": ["--completions", "64", "--repeats", "1"],
    "rm_score.py": ["--pairs", "32", "--repeats", "1"],
    "rm_gpu.py": ["--tiny", "--skip", "zero3"],  # the figures need a GPU: here, the CPU smoke test
    "synthetic.py": ["--count", "40"],
    "test_quality.py": ["--tasks", "20", "--samples", "10"],
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--full", action="store_true", help="the benchmarks' full sizes (hours in all)")
    parser.add_argument("names", nargs="*", help="only these benchmarks (file names, e.g. ingest.py)")
    args = parser.parse_args()
    scripts = sorted(p.name for p in BENCH_DIR.glob("*.py") if p.name != Path(__file__).name)
    unknown = sorted(set(scripts) - set(QUICK))
    if unknown:
        parser.error(f"no quick size for {', '.join(unknown)}: add it to QUICK in {Path(__file__).name}")
    failed = []
    for name in args.names or scripts:
        command = [sys.executable, str(BENCH_DIR / name), *([] if args.full else QUICK[name])]
        print(f"\n=== {' '.join(command[1:])}", flush=True)
        started = time.perf_counter()
        if subprocess.run(command).returncode != 0:
            failed.append(name)
        print(f"=== {name}: {time.perf_counter() - started:.0f} s", flush=True)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""Ingest throughput: 100,000 synthetic Magicoder-style rows with dedup and decontamination on.

    python bench/ingest.py [--rows 100000] [--workers 2] [--chunk-rows 20000]
    python bench/ingest.py --memory [--sizes 10000,100000]

The rows mix unique functions (most), exact duplicates, near duplicates, prose without code and a few
planted HumanEval prompts, so every branch of the stage does real work. Target: >= 20,000 rows/s.

Beside the stage's rate it prints the ceiling that the syntax check alone sets: CPython's own parser
(`compile`) over the same rows' code, on as many processes as the stage uses, with nothing else done. No
ingest that keeps only code that parses can go faster than that on this machine.

`--memory` ingests each of `--sizes` rows in a fresh process, streamed (`--chunk-rows`, default the stage's)
and as one chunk holding the whole input (as ingest read before it streamed), and prints each run's peak RSS
and rows/s side by side. Target: streamed, peak RSS flat in the input's size (within 20% from 10K to 100K).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

from acecoder.code.benchmarks import load_humaneval
from acecoder.core.store import Store
from acecoder.stages.ingest import IngestConfig, ingest
from acecoder.stages.ingest.cleaning import extract_code

TARGET_ROWS_PER_S = 20_000
WORDS = [
    "alpha",
    "beta",
    "gamma",
    "delta",
    "total",
    "count",
    "index",
    "value",
    "item",
    "node",
    "edge",
    "weight",
    "score",
    "limit",
    "offset",
    "buffer",
    "cache",
    "queue",
    "stack",
    "left",
    "right",
    "start",
    "end",
    "width",
    "height",
    "price",
    "amount",
    "rate",
    "label",
    "key",
]
OPS = ["+", "-", "*", "//", "%"]


def random_function(rng: random.Random, i: int) -> str:
    name = f"{rng.choice(WORDS)}_{rng.choice(WORDS)}_{i}"
    args = rng.sample(WORDS, rng.randint(1, 3))
    lines = [
        f"def {name}({', '.join(f'{a}: int' for a in args)}) -> int:",
        f'    """Combine {", ".join(args)} into a {rng.choice(WORDS)} figure."""',
    ]
    local = list(args)
    for _ in range(rng.randint(3, 10)):
        target = rng.choice(WORDS) + str(rng.randint(0, 99))
        expr = f"{rng.choice(local)} {rng.choice(OPS)} {rng.choice(local + [str(rng.randint(1, 999))])}"
        if rng.random() < 0.3:
            lines.append(f"    if {rng.choice(local)} > {rng.randint(0, 50)}:")
            lines.append(f"        {target} = {expr}")
            lines.append(f"    else:\n        {target} = {rng.randint(0, 9)}")
        else:
            lines.append(f"    {target} = {expr}")
        local.append(target)
    if rng.random() < 0.2:
        lines.append(f"    print({local[-1]})")
    lines.append(f"    return {local[-1]}")
    return "\n".join(lines) + "\n"


def make_rows(n: int, seed: int = 0) -> list[dict[str, str]]:
    rng = random.Random(seed)
    prompts = [task.prompt for task in load_humaneval()]
    rows: list[dict[str, str]] = []
    for i in range(n):
        roll = rng.random()
        if roll < 0.05 and rows:
            rows.append(dict(rng.choice(rows)))  # exact duplicate
            continue
        if roll < 0.10 and rows:
            source = rng.choice(rows)
            rows.append(
                {
                    "problem": source["problem"],
                    "solution": source["solution"].replace("\n    return", "\n    # done\n    return", 1),
                }
            )
            continue
        if roll < 0.13:
            rows.append(
                {"problem": f"Explain {rng.choice(WORDS)} {i}.", "solution": "It depends on the " * 5}
            )
            continue
        problem = (
            rng.choice(prompts) if roll < 0.135 else f"Write a function about {rng.choice(WORDS)} number {i}."
        )
        rows.append(
            {
                "problem": problem,
                "solution": f"Here is a solution:\n```python\n{random_function(rng, i)}```\nIt runs in O(1).",
            }
        )
    return rows


def _parse_seconds(codes: list[str]) -> float:
    started = time.perf_counter()
    for code in codes:
        with contextlib.suppress(SyntaxError):
            compile(code, "<row>", "exec", dont_inherit=True)
    return time.perf_counter() - started


def syntax_check_ceiling(rows: list[dict[str, str]], workers: int) -> float:
    """Rows/s of nothing but CPython's parser over the rows' code, split evenly over `workers` processes."""
    codes = [extract_code(row["solution"]) for row in rows]  # the code in each answer's fenced block
    shares = [codes[i::workers] for i in range(workers)]
    # spawn, as the stage's own pool: this process holds polars' threads, which a fork could deadlock on
    with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
        list(pool.map(_parse_seconds, [share[:50] for share in shares]))  # workers started and warm
        seconds = max(pool.map(_parse_seconds, shares))
    return len(codes) / seconds


def ingest_only(path: str, db: str, workers: int, chunk_rows: int) -> None:
    """One ingest in this (fresh) process; prints its figures as JSON: peak RSS of this process and of the
    cleaning processes it started, apart."""
    with Store(db) as store:
        started = time.perf_counter()
        report = ingest(path, store, IngestConfig(workers=workers, chunk_rows=chunk_rows))
        seconds = time.perf_counter() - started
    figures = {
        "seconds": seconds,
        "read": report.read,
        "inserted": report.inserted,
        "near_duplicates": report.near_duplicates,
        "chunks": report.chunks,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "peak_workers_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }
    print(json.dumps(figures))


def memory(sizes: list[int], workers: int, chunk_rows: int) -> None:
    print(
        f"{'rows':>9} {'chunking':>22} {'chunks':>7} {'inserted':>9} {'rows/s':>8} {'peak RSS MB':>12} {'workers MB':>11}"
    )
    peaks: dict[str, list[float]] = {"streamed": [], "one chunk": []}
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            path = Path(tmp) / f"rows_{size}.jsonl"
            path.write_text("".join(json.dumps(r) + "\n" for r in make_rows(size)))
            for label, rows_per_chunk in (("streamed", chunk_rows), ("one chunk", size)):
                db = Path(tmp) / f"{label.replace(' ', '_')}_{size}.duckdb"
                child = [sys.executable, __file__, "--ingest-only", str(path), str(db)]
                child += ["--workers", str(workers), "--chunk-rows", str(rows_per_chunk)]
                out = subprocess.run(child, check=True, capture_output=True, text=True).stdout
                fig = json.loads(out.strip().splitlines()[-1])
                peaks[label].append(fig["peak_mb"])
                name = f"{label} ({rows_per_chunk:,}/chunk)"
                print(
                    f"{size:>9,} {name:>22} {fig['chunks']:>7} {fig['inserted']:>9,} "
                    f"{size / fig['seconds']:>8,.0f} {fig['peak_mb']:>12.0f} {fig['peak_workers_mb']:>11.0f}"
                )
    for label, values in peaks.items():
        growth = values[-1] / values[0] - 1
        verdict = "met" if growth <= 0.2 else "NOT met"
        print(
            f"peak RSS {label}: {values[0]:.0f} MB at {sizes[0]:,} rows, {values[-1]:.0f} MB at {sizes[-1]:,} "
            f"rows ({growth:+.0%}; target within +20% when streamed: {verdict if label == 'streamed' else 'n/a'})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--chunk-rows", type=int, default=IngestConfig.chunk_rows)
    parser.add_argument("--memory", action="store_true", help="peak RSS at each of --sizes rows")
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--ingest-only", nargs=2, metavar=("FILE", "DB"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.ingest_only:
        ingest_only(*args.ingest_only, args.workers, args.chunk_rows)
        return
    if args.memory:
        memory([int(n) for n in args.sizes.split(",")], args.workers, args.chunk_rows)
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "magicoder_like.jsonl"
        started = time.perf_counter()
        rows = make_rows(args.rows)
        path.write_text("".join(json.dumps(r) + "\n" for r in rows))
        print(
            f"generated {args.rows:,} rows in {time.perf_counter() - started:.1f} s ({path.stat().st_size / 1e6:.0f} MB)"
        )
        with Store(Path(tmp) / "bench.duckdb") as store:
            started = time.perf_counter()
            report = ingest(str(path), store, IngestConfig(workers=args.workers, chunk_rows=args.chunk_rows))
            seconds = time.perf_counter() - started
    ceiling = syntax_check_ceiling(rows, args.workers)
    rate = args.rows / seconds
    peak_mb = (
        max(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
        )
        / 1024
    )
    print(f"{'rows':<34}{args.rows:>12,}")
    print(f"{'inserted':<34}{report.inserted:>12,}")
    print(f"{'exact duplicates':<34}{report.exact_duplicates:>12,}")
    print(f"{'near duplicates':<34}{report.near_duplicates:>12,}")
    print(f"{'contaminated':<34}{report.contaminated:>12,}")
    print(f"{'skipped':<34}{sum(report.skipped.values()):>12,}")
    print(f"{'seconds':<34}{seconds:>12.2f}")
    print(f"{'peak RSS (MB)':<34}{peak_mb:>12.0f}")
    print(f"{'rows/s (acecoder ingest)':<34}{rate:>12,.0f}")
    print(
        f"{'rows/s (target)':<34}{TARGET_ROWS_PER_S:>12,}   {'met' if rate >= TARGET_ROWS_PER_S else 'NOT met'}"
    )
    print(
        f"{'rows/s (syntax check alone)':<34}{ceiling:>12,.0f}   CPython's parser on {args.workers} processes, "
        f"{os.cpu_count()} cores: the ceiling for any ingest that checks syntax"
    )


if __name__ == "__main__":
    main()

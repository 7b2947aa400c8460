"""Benchmark of synthetic-function generation: composed functions made per second, test inference included
(each candidate's reference run in the sandbox on generated inputs, then checked against the tests kept),
and what the kept functions look like: depth, combinators, tests per function, reference pass rate, and why
candidates were rejected.

    .venv/bin/python bench/synthetic.py                      # 300 functions, depths 2-4, 2 sandbox workers
    .venv/bin/python bench/synthetic.py --count 1000 --workers 4 --seed 3

The reference point printed beside the rate is the composer alone (drawing type-checked compositions,
no execution): it shows how much of the time is the sandbox's test inference.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import polars as pl


def compose_only(count: int, depths: tuple[int, ...], seed: int, max_params: int) -> float:
    """Compositions drawn per second by the composer alone (no execution, no storage)."""
    from acecoder.functions.composer import Composer, ComposerConfig

    composer = Composer(seed=seed, config=ComposerConfig(max_params=max_params))
    made, started = 0, time.perf_counter()
    while made < count:
        if composer.compose(depths[made % len(depths)]) is not None:
            made += 1
    return made / (time.perf_counter() - started)


def describe(values: pl.Series) -> str:
    return (
        f"min {values.min()}, median {values.median():g}, mean {values.mean():.2f}, max {values.max()}"
        if values.len()
        else "none"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=300, help="synthetic functions to keep")
    parser.add_argument("--depths", type=int, nargs="+", default=[2, 3, 4])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2, help="sandbox worker processes")
    args = parser.parse_args()

    from acecoder.core.store import Store
    from acecoder.functions.generate import GenerateConfig, generate
    from acecoder.sandbox import SandboxPool

    config = GenerateConfig(count=args.count, depths=tuple(args.depths), seed=args.seed, polish="off")
    with tempfile.TemporaryDirectory() as folder, SandboxPool(workers=args.workers) as pool:
        db = Path(folder) / "synthetic.duckdb"
        with Store(db) as store:
            started = time.perf_counter()
            report = generate(store, config, pool=pool)
            seconds = time.perf_counter() - started
            kept = store.frame("compositions_shape")
            by_depth = store.frame("synthetic_summary")
    composer_rate = compose_only(args.count, tuple(args.depths), args.seed, config.max_params)

    print(
        f"synthetic functions: {report.kept} kept of {report.candidates} candidates "
        f"({report.duplicates_skipped} structural duplicates skipped, {report.dead_ends} dead ends), "
        f"{args.workers} sandbox workers, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}"
    )
    print(f"  {'':<44}{'per second':>12}")
    print(
        f"  {'generate (compose + infer tests + check)':<44}{report.kept / seconds:>12.1f}   {seconds:.1f} s in all"
    )
    print(f"  {'candidates through test inference':<44}{report.candidates / seconds:>12.1f}")
    print(f"  {'reference: composer alone, no execution':<44}{composer_rate:>12.1f}")
    depth_counts = kept.group_by("depth").len().sort("depth")
    print("depth:            " + ", ".join(f"{d}: {n}" for d, n in depth_counts.iter_rows()))
    print(f"tests per task:   {describe(kept['tests'])}")
    print(f"reference pass:   {describe(kept['reference_pass_rate'])}  (kept only at 1.0)")
    print(f"parameters:       {describe(kept['params'])}")
    print(f"combinators/task: {describe(kept['combinators'])}")
    print("by depth (tasks with each combinator):")
    with pl.Config(
        tbl_cols=-1, tbl_width_chars=160, tbl_hide_column_data_types=True, tbl_hide_dataframe_shape=True
    ):
        print(by_depth)
    print(
        "rejected:         " + (", ".join(f"{k}: {v}" for k, v in sorted(report.rejected.items())) or "none")
    )


if __name__ == "__main__":
    main()

"""Pass rates and pairs at scale: 1,000,000 programs x 16 tests (16M execution rows) in DuckDB, through the
project's own `pass_rates` view and `pairs_select` query, beside a pandas + plain-Python version.

    python bench/pairs.py [--problems 62500] [--programs-per-problem 16] [--tests 16] [--skip-plain]

Targets: under 30 s and 4 GiB for DuckDB, at least 10x the plain version.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

from acecoder.core.store import Store
from acecoder.stages.pairs import PairRule


def build(store: Store, problems: int, per_problem: int, tests: int) -> None:
    """Synthetic rows: each program passes a deterministic pseudo-random share of its problem's tests."""
    con = store.con
    con.execute(f"""
        INSERT INTO problems (problem_id, source_id, question, entry_point, origin, status)
        SELECT 'q' || i, 's', 'question', 'f', 'inferred', 'kept' FROM range({problems}) t(i);
        INSERT INTO tests (test_id, problem_id, idx, code, origin, kept)
        SELECT 'q' || i || ':' || j, 'q' || i, j, 'assert f(1) == 1', 'inferred', true
        FROM range({problems}) a(i), range({tests}) b(j);
        INSERT INTO programs (program_id, problem_id, code, policy, normalized_hash)
        SELECT 'q' || i || '#' || k, 'q' || i, 'code', 'm', 'h' || i || '#' || k
        FROM range({problems}) a(i), range({per_problem}) b(k);
        INSERT INTO executions (program_id, test_id, status)
        SELECT 'q' || i || '#' || k, 'q' || i || ':' || j,
               CASE WHEN hash(i, k, j) % 100 < (hash(i, k) % 101) THEN 'pass' ELSE 'fail' END
        FROM range({problems}) a(i), range({per_problem}) b(k), range({tests}) c(j);
    """)


def plain(store: Store, rule: PairRule) -> int:
    """The same pass rates and pairs with pandas for the aggregation and Python loops for the rule."""
    executions = store.con.execute("SELECT program_id, test_id, status FROM executions").df()
    tests = store.con.execute("SELECT test_id, problem_id FROM tests WHERE kept").df()
    merged = executions.merge(tests, on="test_id")
    merged["passed"] = merged["status"] == "pass"
    grouped = merged.groupby(["problem_id", "program_id"])["passed"].agg(["sum", "count"]).reset_index()
    kept = tests.groupby("problem_id").size().rename("kept").reset_index()
    grouped = grouped.merge(kept, on="problem_id")
    grouped["rate"] = grouped["sum"] / grouped["kept"]
    pairs = 0
    for _, group in grouped.groupby("problem_id"):
        rates = sorted(zip(group["rate"], group["program_id"], strict=True), reverse=True)
        chosen = []
        for c_rate, c_id in rates:
            if c_rate < rule.min_chosen - 1e-9:
                break
            for r_rate, r_id in rates:
                if (
                    r_id != c_id
                    and r_rate > rule.min_rejected + 1e-9
                    and c_rate - r_rate >= rule.min_gap - 1e-9
                ):
                    chosen.append((c_rate - r_rate, c_id, r_id))
        pairs += min(len(chosen), rule.max_per_problem)
    return pairs


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--problems", type=int, default=62_500)
    parser.add_argument("--programs-per-problem", type=int, default=16)
    parser.add_argument("--tests", type=int, default=16)
    parser.add_argument("--skip-plain", action="store_true")
    args = parser.parse_args()
    rule = PairRule()
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "bench.duckdb") as store:
        started = time.perf_counter()
        build(store, args.problems, args.programs_per_problem, args.tests)
        rows = store.con.execute("SELECT count(*) FROM executions").fetchall()[0][0]
        print(f"built {rows:,} execution rows in {time.perf_counter() - started:.1f} s")
        # Timed: what `acecoder pairs` computes (pass rates from the executions, then the rule), the same work
        # the plain version does below.
        started = time.perf_counter()
        selected = store.frame("pairs_select", **asdict(rule))
        duck_s = time.perf_counter() - started
        duck_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
        summary = store.con.execute("SELECT count(*), avg(pass_rate) FROM pass_rates").fetchall()[0]
        print(f"{'':<28}{'seconds':>10}{'pairs':>12}")
        print(
            f"{'duckdb (pass_rates+pairs)':<28}{duck_s:>10.1f}{selected.height:>12,}   "
            f"programs {summary[0]:,}, mean pass rate {summary[1]:.3f}, peak RSS so far {duck_peak:.2f} GiB"
        )
        if not args.skip_plain:
            started = time.perf_counter()
            pairs = plain(store, rule)
            plain_s = time.perf_counter() - started
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
            print(f"{'pandas + python':<28}{plain_s:>10.1f}{pairs:>12,}   peak RSS {peak:.2f} GiB")
            print(f"ratio: {plain_s / duck_s:.1f}x (target >= 10x); duckdb target: < 30 s and < 4 GiB")


if __name__ == "__main__":
    main()

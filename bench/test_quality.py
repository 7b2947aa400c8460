"""How right the kept tests are on HumanEval: each suite judged against HumanEval+ ground truth.

HumanEval's tasks are imported as evaluation-only problems, CodeGen-16B's samples (../shared/data/generations,
100 per task) as their programs, labelled by HumanEval+ (base and plus inputs, EvalPlus's comparison). The
suites: tests synthesized offline (the inferred backend on the canonical solution, then the filter), CodeGen-16B's
own raw tests (raw, and filtered by the canonical solution), and both together; each with and without the
input-domain guards (the inferred tests' and the filter's `domain_guard`), measured on a copy of the database
taken after labelling. Every labelled program runs on
every test; the report prints TPR, TNR, FAR, FRR, precision, pair-label precision, pass-rate MAE, tests kept per
problem, problems kept and wall time per suite, beside CodeRM-8B's and CodeContests-O's published figures.

    .venv/bin/python bench/test_quality.py                          # all 164 tasks x 100 samples
    .venv/bin/python bench/test_quality.py --tasks 40 --samples 20  # a quicker look

Not part of the test suite (its name is the benchmark's, not a pytest module's: pytest collects tests/ only).
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path

import polars as pl
from rich.console import Console
from rich.table import Table

from acecoder.core.settings import REPO_ROOT
from acecoder.core.store import Store
from acecoder.stages.filter import FilterConfig, filter_problems
from acecoder.stages.imports import (
    ImportConfig,
    add_inferred_tests,
    import_benchmark,
    import_llm_tests,
    import_samples,
)
from acecoder.stages.imports.labels import label_programs
from acecoder.stages.quality import ANCHORS, QualityConfig, quality_report, save_plot, score_all_tests

GENERATIONS = REPO_ROOT.parent / "shared" / "data" / "generations"
SAMPLES = GENERATIONS / "humaneval_codegen16b_t0.8_n100.samples.jsonl.gz"
LLM_TESTS = GENERATIONS / "humaneval_codegen16b_t0.8_n100.test_cases.jsonl.gz"
ROWS = {  # suite in the report -> row label ("unguarded": the database without domain guards)
    "inferred/filtered": "offline synthesized (inferred), filtered, domain guards",
    "unguarded inferred/filtered": "  the same without the domain guards",
    "llm/raw": "CodeGen-16B tests, raw",
    "unguarded llm/filtered": "CodeGen-16B tests, filtered by the canonical solution",
    "llm/filtered": "  the same with the filter's domain guard",
    "all/filtered": "both, filtered, domain guards",
    "unguarded all/filtered": "  the same without the domain guards",
}
TARGET_FAR = TARGET_FRR = 0.05


def pct(value: float | None) -> str:
    return "" if value is None else f"{100 * value:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=None, help="only the first TASKS HumanEval tasks")
    parser.add_argument("--samples", type=int, default=None, help="samples per task (of 100)")
    parser.add_argument("--db", type=Path, default=None, help="DuckDB file (default: a fresh temporary one)")
    parser.add_argument("--min-tests", type=int, default=QualityConfig.min_tests)
    parser.add_argument("--json", type=Path, default=None, help="also write the report here")
    parser.add_argument("--png", type=Path, default=None, help="also draw FAR/FRR here")
    args = parser.parse_args()
    console = Console(width=200)
    db = args.db or Path(tempfile.mkdtemp(prefix="quality-")) / "quality.duckdb"
    times: dict[str, float] = {}

    def timed(name: str, work):
        start = time.perf_counter()
        result = work()
        times[name] = times.get(name, 0.0) + time.perf_counter() - start
        return result

    with Store(db) as store:
        tasks = [f"HumanEval/{i}" for i in range(args.tasks)] if args.tasks else None
        timed("import", lambda: import_benchmark(store, "humaneval+", task_ids=tasks))
        timed(
            "import",
            lambda: import_samples(
                store, SAMPLES, "humaneval+", "codegen-16b", ImportConfig(limit=args.samples)
            ),
        )
        labels = timed("labels", lambda: label_programs(store, "humaneval+", progress=False))
        labelled = store.frame("quality_programs")
    right = int(labelled.select(pl.coalesce("plus_passed", "base_passed").sum()).item() or 0)
    console.print(
        f"{labelled.height} distinct programs labelled ({labels.programs} in this run): {right} right on HumanEval+"
    )
    # the same tasks, programs and labels, for the suites without domain guards
    unguarded_db = db.with_name(db.stem + "-unguarded.duckdb")
    shutil.copyfile(db, unguarded_db)
    guarded = FilterConfig(mutants_per_problem=0, domain_guard=True)
    plain = FilterConfig(mutants_per_problem=0)
    with Store(db) as store:
        inferred = timed("inferred", lambda: add_inferred_tests(store))
        timed("inferred", lambda: filter_problems(store, guarded, progress=False))
        llm = timed("llm raw", lambda: import_llm_tests(store, LLM_TESTS))
        llm_filter = timed("llm guarded filter", lambda: filter_problems(store, guarded, progress=False))
        timed("scoring", lambda: score_all_tests(store, progress=False))
        report = timed("report", lambda: quality_report(store, QualityConfig(min_tests=args.min_tests)))
    with Store(unguarded_db) as store:
        unguarded = timed("unguarded inferred", lambda: add_inferred_tests(store, domain_guards=False))
        timed("unguarded inferred", lambda: filter_problems(store, plain, progress=False))
        timed("llm raw", lambda: import_llm_tests(store, LLM_TESTS))
        timed("llm filter", lambda: filter_problems(store, plain, progress=False))
        timed("scoring", lambda: score_all_tests(store, progress=False))
        without = quality_report(store, QualityConfig(min_tests=args.min_tests))
    guards = {k: v for k, v in inferred.dropped.items() if k.startswith("outside the domain")}
    console.print(
        f"inferred tests: {inferred.tests} with the domain guards ({guards}), {unguarded.tests} without; "
        f"CodeGen-16B tests kept from the raw text: {llm.tests}, dropped {llm.dropped}; "
        f"the filter's domain guard dropped {llm_filter.drop_reasons.get('outside the domain', 0)} tests"
    )

    llm_raw = times["llm raw"] / 2  # imported once into each database
    wall = {
        "inferred/filtered": times["inferred"],
        "unguarded inferred/filtered": times["unguarded inferred"],
        "llm/raw": llm_raw,
        "unguarded llm/filtered": llm_raw + times["llm filter"],
        "llm/filtered": llm_raw + times["llm guarded filter"],
        "all/filtered": times["inferred"] + llm_raw + times["llm guarded filter"],
        "unguarded all/filtered": times["unguarded inferred"] + llm_raw + times["llm filter"],
    }
    rows = {row["suite"]: row for row in report.rows}
    rows |= {f"unguarded {row['suite']}": row for row in without.rows}
    table = Table(title=f"test suites against HumanEval+ ({report.programs} programs, {report.right} right)")
    for column in (
        "suite",
        "TPR",
        "TNR",
        "FAR",
        "FRR",
        "precision",
        "pair-label precision",
        "pass-rate MAE",
        "tests kept / problem",
        "problems kept",
        "wall s",
    ):
        table.add_column(column, justify="left" if column == "suite" else "right")
    for suite, label in ROWS.items():
        row = rows.get(suite)
        if row is None:
            continue
        table.add_row(
            label,
            pct(row["tpr"]),
            pct(row["tnr"]),
            pct(row["far"]),
            pct(row["frr"]),
            pct(row["precision"]),
            pct(row["pair_label_precision"]),
            f"{row['pass_rate_mae']:.3f}" if row["pass_rate_mae"] is not None else "",
            f"{row['tests_per_problem']:.1f}",
            str(row["problems"]),
            f"{wall[suite]:.0f}",
        )
    coderm = ANCHORS["CodeRM-8B (HumanEval+)"]
    table.add_row(
        "CodeRM-8B (published, HumanEval+)",
        "",
        "",
        f"{coderm['far']:.1f}",
        f"{coderm['frr']:.1f}",
        "",
        "",
        "",
        "",
        "",
        "",
    )
    for name in ("CodeContests-O", "CodeContests' own tests"):
        anchor = ANCHORS[name]
        table.add_row(
            f"{name} (published)",
            f"{anchor['tpr']:.1f}",
            f"{anchor['tnr']:.1f}",
            f"{100 - anchor['tnr']:.1f}",
            f"{100 - anchor['tpr']:.1f}",
            "",
            "",
            "",
            "",
            "",
            "",
        )
    console.print(table)
    console.print(
        "shared costs: "
        + ", ".join(
            f"{name} {seconds:.0f} s"
            for name, seconds in times.items()
            if name in ("import", "labels", "scoring", "report")
        )
        + f"; target FAR and FRR <= {100 * TARGET_FAR:.0f}% for the offline suite"
    )
    if args.json:
        figures = {
            **report.as_dict(),
            "without_domain_guards": without.as_dict(),
            "times_s": times,
            "wall_s": wall,
        }
        args.json.write_text(json.dumps(figures, indent=2, default=str))
    if args.png:
        save_plot(report, args.png)


if __name__ == "__main__":
    main()

"""The quality report on a planted case whose figures are worked out by hand, the ground-truth labels of real
HumanEval+ programs, and the `acecoder report quality` command."""

from __future__ import annotations

import json

import polars as pl
import pytest

from acecoder.stages.imports.common import problem_row, program_row, stored_test_row
from acecoder.stages.quality import QualityConfig, confusion_metrics, quality_report, save_plot

# One problem, three tests: t1 (llm, kept), t2 (llm, failed by the reference), t3 (inferred, kept).
# Programs A and B are right, C and D wrong; ground-truth pass rates 1, 1, 0.5, 0.
VERDICTS = {  # program -> passes t1, t2, t3
    "A": (True, False, True),
    "B": (False, False, True),
    "C": (True, True, True),
    "D": (False, True, False),
}
RIGHT = {"A": True, "B": True, "C": False, "D": False}
GT_RATE = {"A": 1.0, "B": 1.0, "C": 0.5, "D": 0.0}


def _planted(store):
    pid = "P"
    store.insert(
        "imports_problems_insert",
        [
            problem_row(
                problem_id=pid,
                dataset="d",
                row_id="P",
                question="q",
                entry_point="f",
                reference="def f(): pass",
                origin="benchmark",
                evaluation_only=True,
                metadata={"task_id": "Task/0"},
                status="kept",
            )
        ],
        run_id="r",
    )
    tests = [
        stored_test_row(pid, 0, "assert f(1)", "llm"),
        stored_test_row(pid, 1, "assert f(2)", "llm"),
        stored_test_row(pid, 2, "assert f(3)", "inferred"),
    ]
    store.insert("tests_insert", tests, run_id="r")
    for test, kept, reason in zip(tests, (True, False, True), ("", "reference fail", ""), strict=True):
        store.con.execute(
            "UPDATE tests SET kept = ?, drop_reason = ? WHERE test_id = ?",
            [kept, reason or None, test["test_id"]],
        )
    programs = {
        name: program_row(pid, f"def f(x):\n    return {name!r}", "m", i) for i, name in enumerate(VERDICTS)
    }
    store.insert("programs_insert", list(programs.values()), run_id="r")
    executions, labels = [], []
    for name, passes in VERDICTS.items():
        program_id = programs[name]["program_id"]
        labels.append(
            {
                "program_id": program_id,
                "problem_id": pid,
                "task_id": "Task/0",
                "base_passed": RIGHT[name],
                "plus_passed": RIGHT[name],
                "pass_rate": GT_RATE[name],
            }
        )
        for test, passed in zip(tests, passes, strict=True):
            executions.append(
                {
                    "program_id": program_id,
                    "test_id": test["test_id"],
                    "status": "pass" if passed else "fail",
                    "error_type": None,
                    "error_line": None,
                    "category": None,
                    "message": None,
                    "duration_ms": 1.0,
                    "run_id": "r",
                }
            )
    nulls = {"error_type": pl.String, "error_line": pl.Int64, "category": pl.String, "message": pl.String}
    store.insert("executions_insert", pl.DataFrame(executions, schema_overrides=nulls))
    store.insert("ground_truth_insert", labels, run_id="r")


def test_planted_suite_metrics(store, tmp_path):
    _planted(store)
    report = quality_report(store, QualityConfig(min_tests=1))
    rows = {row["suite"]: row for row in report.rows}
    assert list(rows) == [
        "inferred/raw",
        "inferred/filtered",
        "llm/raw",
        "llm/filtered",
        "all/raw",
        "all/filtered",
    ]
    assert (report.programs, report.right) == (4, 2)
    # llm/raw (t1, t2): only C passes both -> TP 0, FN 2 (A, B), FP 1 (C), TN 1 (D)
    raw = rows["llm/raw"]
    assert (raw["tp"], raw["fn"], raw["fp"], raw["tn"]) == (0, 2, 1, 1)
    assert (raw["tpr"], raw["tnr"], raw["far"], raw["frr"], raw["precision"]) == (0.0, 0.5, 0.5, 1.0, 0.0)
    assert raw["f1"] is None and raw["gold_false_negatives"] == 0.5 and raw["tests_per_problem"] == 2
    # llm/filtered (t1): A and C accepted -> every rate 1/2; pass rates 1, 0, 1, 0 against 1, 1, .5, 0
    kept = rows["llm/filtered"]
    assert (kept["tpr"], kept["tnr"], kept["far"], kept["frr"], kept["precision"], kept["f1"]) == (0.5,) * 6
    assert kept["pass_rate_mae"] == pytest.approx((0 + 1 + 0.5 + 0) / 4)
    assert kept["problems"] == 1 and kept["tests_per_problem"] == 1
    # inferred (t3): A, B, C accepted
    inferred = rows["inferred/filtered"]
    assert (inferred["tpr"], inferred["far"], inferred["frr"]) == (1.0, 0.5, 0.0)
    assert inferred["precision"] == pytest.approx(2 / 3) and inferred["gold_false_negatives"] == 0.0
    # all/raw: pass rates A 2/3, B 1/3, C 1, D 1/3; AceCoder's rule pairs C over B and C over D
    both = rows["all/raw"]
    assert both["pairs"] == 2 and both["pair_label_precision"] == 0.0 and both["pair_order_precision"] == 0.5
    assert both["pass_rate_mae"] == pytest.approx((1 / 3 + 2 / 3 + 0.5 + 1 / 3) / 4)
    # all/filtered (t1, t3): A and C accepted; pass rates 1, .5, 1, 0 -> A over B and C over B (D's 0 is ruled
    # out): B is right, so neither pair's label is right, and B's ground-truth rate is the highest
    filtered = rows["all/filtered"]
    assert (filtered["tp"], filtered["fn"], filtered["fp"], filtered["tn"]) == (1, 1, 1, 1)
    assert (
        filtered["pairs"] == 2
        and filtered["pair_label_precision"] == 0.0
        and filtered["pair_order_precision"] == 0.0
    )
    worst = report.worst["llm/raw"]
    assert worst["false_rejects"] == [
        {"problem_id": "P", "task_id": "Task/0", "false_accepts": 1, "false_rejects": 2, "programs": 4}
    ]
    # a min_tests above the suite's size leaves the problem out
    assert {r["suite"]: r["problems"] for r in quality_report(store, QualityConfig(min_tests=2)).rows}[
        "llm/raw"
    ] == 1
    assert {r["suite"]: r["problems"] for r in quality_report(store, QualityConfig(min_tests=2)).rows}[
        "llm/filtered"
    ] == 0
    path = report.save_json(tmp_path / "q.json")
    assert json.loads(path.read_text())["rows"][0]["suite"] == "inferred/raw"
    assert save_plot(report, tmp_path / "q.png").read_bytes()[:4] == b"\x89PNG"


def test_confusion_metrics_by_hand():
    right = pl.Series([True, True, True, False, False])
    accepted = pl.Series([True, True, False, True, False])
    found = confusion_metrics(right, accepted)
    assert (found["tpr"], found["tnr"], found["far"], found["frr"]) == (2 / 3, 0.5, 0.5, 1 / 3)
    assert found["precision"] == 2 / 3 and found["f1"] == pytest.approx(2 / 3) and found["accuracy"] == 0.6


def test_labels_from_the_benchmark_tests(store):
    from conftest import FIXTURES

    from acecoder.code import benchmarks
    from acecoder.stages.imports import import_benchmark
    from acecoder.stages.imports.labels import label_programs

    path = str(FIXTURES / "humanevalplus_slice.jsonl")
    import_benchmark(store, path, task_ids=["HumanEval/2", "HumanEval/7"])
    tasks = {t.task_id: t for t in benchmarks.load_file(path)}
    pid = {
        r[0]: r[1]
        for r in store.con.execute("SELECT metadata->>'task_id', problem_id FROM problems").fetchall()
    }
    truncate, substring = tasks["HumanEval/2"], tasks["HumanEval/7"]
    programs = [
        program_row(pid["HumanEval/2"], truncate.prompt + truncate.canonical_solution, "m", 0),
        program_row(
            pid["HumanEval/2"],
            truncate.prompt + "    return number - int(number) if number < 1e9 else 0.0\n",
            "m",
            1,
        ),
        program_row(pid["HumanEval/2"], truncate.prompt + "    return 0.5\n", "m", 2),
        program_row(
            pid["HumanEval/7"],
            substring.prompt + "    return [s for s in strings if s.startswith(substring)]\n",
            "m",
            3,
        ),
        program_row(
            pid["HumanEval/7"],
            substring.prompt + "    return [s for s in strings if substring in s]\n",
            "m",
            4,
        ),
    ]
    store.insert("programs_insert", programs, run_id="r")
    report = label_programs(store, path, workers=2, progress=False)
    assert report.programs == 5 and report.tasks == 2
    labels = dict(
        (row[0], row[1:])
        for row in store.con.execute(
            "SELECT p.sample_idx, base_passed, plus_passed, g.pass_rate FROM ground_truth g JOIN programs p USING (program_id)"
        ).fetchall()
    )
    assert labels[0] == (True, True, 1.0) and labels[4] == (True, True, 1.0)
    assert labels[2][:2] == (False, False) and labels[2][2] < 0.5
    assert labels[3][:2] == (False, False) and 0 < labels[3][2] < 1
    assert (
        labels[1][0] is True and labels[1][1] is False
    )  # right on the base inputs, wrong on the plus inputs past 1e9
    assert label_programs(store, path, progress=False).programs == 0


@pytest.mark.slow
def test_report_quality_command_and_flow(tmp_path):
    from prefect.testing.utilities import prefect_test_harness
    from typer.testing import CliRunner

    from acecoder.cli.main import app
    from acecoder.core.store import Store

    db = tmp_path / "q.duckdb"
    with Store(db) as store:
        _planted(store)
    result = CliRunner().invoke(
        app,
        [
            "report",
            "quality",
            "--db",
            str(db),
            "--out",
            str(tmp_path / "cli"),
            "--min-tests",
            "1",
            "--no-run-tests",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "llm/filtered" in result.output and "most false rejects: Task/0 (2/4)" in result.output
    saved = json.loads((tmp_path / "cli" / "quality.json").read_text())
    assert {r["suite"]: r["far"] for r in saved["rows"]}["llm/filtered"] == 0.5
    with prefect_test_harness(server_startup_timeout=120):
        from flows.imports import quality_flow

        found = quality_flow(db=db, out=tmp_path / "flow", min_tests=1)
    assert {r["suite"]: r["frr"] for r in found["rows"]}["inferred/filtered"] == 0.0
    assert (tmp_path / "flow" / "quality.png").is_file()


def test_programs_not_run_on_every_test_are_left_out(store):
    _planted(store)
    store.con.execute(
        "DELETE FROM executions WHERE program_id = (SELECT program_id FROM programs WHERE sample_idx = 0) "
        "AND test_id = (SELECT test_id FROM tests WHERE idx = 0)"
    )
    rows = {r["suite"]: r for r in quality_report(store, QualityConfig(min_tests=1)).rows}
    # A (right) has no verdict on t1: left out of the suites holding t1, still judged where t1 is absent
    assert rows["llm/filtered"]["not_yet_run"] == 1 and rows["llm/filtered"]["programs"] == 3
    assert (rows["llm/filtered"]["tp"], rows["llm/filtered"]["fn"]) == (0, 1)
    assert rows["inferred/filtered"]["not_yet_run"] == 0 and rows["inferred/filtered"]["programs"] == 4

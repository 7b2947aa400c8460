"""Importers (AceCode rows, raw LLM tests, program samples, benchmark tasks), the evaluation-only rule, and
entry-point inference; on real DuckDB files and the data slices in tests/fixtures."""

from __future__ import annotations

import gzip
import json

import polars as pl
import pytest
from conftest import FIXTURES

from acecoder.code.entry_points import infer_entry_point, served_function
from acecoder.stages.imports import (
    ImportConfig,
    import_acecode,
    import_benchmark,
    import_llm_tests,
    import_samples,
)
from acecoder.stages.imports.llm_tests import check_fragment, fragments

HEP = str(FIXTURES / "humanevalplus_slice.jsonl")


def _count(store, sql: str):
    return store.con.execute(sql).fetchall()[0][0]


def test_benchmark_tasks_are_evaluation_only_and_idempotent(store):
    report = import_benchmark(store, HEP)
    assert (report.rows, report.problems) == (8, 8)
    rows = store.con.execute(
        "SELECT evaluation_only, status, origin, metadata->>'task_id', entry_point, reference FROM problems ORDER BY 4"
    ).fetchall()
    assert all(r[0] and r[1] == "imported" and r[2] == "benchmark" for r in rows)
    assert rows[0][3] == "HumanEval/0" and rows[0][4] == "has_close_elements"
    assert rows[0][5].startswith("from typing import List") and "return False" in rows[0][5]
    assert import_benchmark(store, HEP).problems == 0


def test_llm_tests_split_checked_and_counted(store):
    import_benchmark(store, HEP)
    report = import_llm_tests(store, FIXTURES / "codegen_humaneval_tests_slice.jsonl")
    assert report.rows == 8 and report.bad_row_count == 0 and report.tests > 20
    assert {"does not parse", "empty"} <= set(report.dropped)
    origins = store.con.execute(
        "SELECT DISTINCT t.origin, q.evaluation_only FROM tests t JOIN problems q USING (problem_id)"
    ).fetchall()
    assert origins == [("llm", True)]
    codes = store.con.execute("SELECT code FROM tests").fetchall()
    assert all(c[0].startswith("assert ") for c in codes)
    assert len({c[0] for c in codes}) == len(codes)
    # problems that got tests go to the filter stage
    assert _count(store, "SELECT count(*) FROM problems WHERE status = 'synthesized'") >= 1
    assert import_llm_tests(store, FIXTURES / "codegen_humaneval_tests_slice.jsonl").tests == 0


def test_llm_fragments_reasons():
    prompt_names = {"List"}
    sample = "\n    f([1, 2]) == 3, 'sum'\nassert f([]) == 0\nassert ____ == ____\nassert g(1) == 2\nassert f(1) == x\nassert f(["
    found = [check_fragment(frag, "f", prompt_names) for frag in fragments(sample)]
    assert found == [
        ("assert f([1, 2]) == 3, 'sum'", None),
        ("assert f([]) == 0", None),
        (None, "does not call the entry point"),
        (None, "does not call the entry point"),
        (None, "compares placeholders"),
        (None, "does not parse"),
    ]
    assert check_fragment("assert f(...) == 1", "f", set()) == (None, "compares placeholders")
    assert check_fragment("assert f([i for i in range(3)]) == List", "f", prompt_names)[1] is None


def test_llm_tests_malformed_rows_are_reported_by_line_and_field(store, tmp_path):
    import_benchmark(store, HEP)
    good = json.loads((FIXTURES / "codegen_humaneval_tests_slice.jsonl").read_text().splitlines()[0])
    path = tmp_path / "tests.jsonl.gz"
    lines = [
        "{not json",
        json.dumps({"prompt": good["prompt"]}),
        json.dumps({"prompt": good["prompt"], "samples": "assert x"}),
        json.dumps(good),
        json.dumps(
            {"prompt": "def unknown_function(x):\n    pass\n", "samples": ["unknown_function(1) == 1\n"]}
        ),
    ]
    with gzip.open(path, "wt") as handle:
        handle.write("\n".join(lines) + "\n")
    report = import_llm_tests(store, path)
    assert report.bad_row_count == 3 and report.unmatched == 1 and report.tests > 0
    assert report.bad_rows[0].endswith(
        "line 1: malformed JSON (Expecting property name enclosed in double quotes at column 2)"
    )
    assert report.bad_rows[1].endswith("line 2: field 'samples' is missing")
    assert report.bad_rows[2].endswith("line 3: field 'samples' must be a list, got str")


def test_samples_become_programs_of_the_task(store):
    import_benchmark(store, HEP)
    report = import_samples(store, FIXTURES / "codegen_humaneval_slice.jsonl", HEP, "codegen-16b")
    assert report.rows == 48 and report.unmatched == 0
    stored = store.con.execute(
        "SELECT q.metadata->>'task_id' AS task, count(*), min(p.policy), max(p.policy) FROM programs p "
        "JOIN problems q USING (problem_id) GROUP BY 1 ORDER BY 1"
    ).fetchall()
    assert [s[0] for s in stored] == [
        "HumanEval/0",
        "HumanEval/2",
        "HumanEval/3",
        "HumanEval/4",
        "HumanEval/5",
        "HumanEval/7",
    ]
    assert sum(s[1] for s in stored) == report.programs and all(s[2] == s[3] == "codegen-16b" for s in stored)
    code = store.con.execute("SELECT code FROM programs LIMIT 1").fetchall()[0][0]
    assert "def " in code
    assert import_samples(store, FIXTURES / "codegen_humaneval_slice.jsonl", HEP, "codegen-16b").programs == 0


ACECODE_ROWS = [
    {
        "id": "oss_1",
        "source": "oss",
        "question": "Write `add_pair(a, b)` that returns the sum of two numbers.",
        "test_cases": [
            "assert add_pair(1, 2) == 3",
            "assert add_pair(0, 0) == 0",
            "assert add_pair(-1, 1) == 0",
            "print(1)",
        ],
        "inferences": [
            {
                "model_name": "m1",
                "completion_id": 0,
                "completion": "```python\ndef add_pair(a, b):\n    return a - b\n```",
                "pass_rate": 0.33,
            },
            {
                "model_name": "m1",
                "completion_id": 1,
                "completion": "```python\ndef _check(x):\n    return x\n\ndef add_pair(a, b):\n    return _check(a) + b\n```",
                "pass_rate": 1.0,
            },
            {"model_name": "m2", "completion_id": 2, "completion": "I cannot help.", "pass_rate": 0.0},
        ],
    },
    {"id": "oss_2", "source": "oss", "question": "q", "test_cases": "assert f(1) == 1", "inferences": []},
    {
        "id": "oss_3",
        "source": "oss",
        "question": "q",
        "test_cases": ["assert f(1) == 1"],
        "inferences": [{"model_name": "m"}],
    },
]


def test_acecode_rows(store, tmp_path):
    path = tmp_path / "acecode.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in ACECODE_ROWS) + "\n")
    report = import_acecode(store, path, ImportConfig(batch_size=1))
    assert (report.rows, report.problems, report.tests, report.programs, report.bad_row_count) == (
        3,
        1,
        3,
        2,
        2,
    )
    assert report.bad_rows[0].endswith("line 2: field 'test_cases' must be a list, got str")
    assert report.bad_rows[1].endswith("line 3: field 'inferences'[0]: field 'completion' is missing")
    assert report.dropped == {"inference without the entry point": 1, "test not a single assert": 1}
    problem = store.con.execute(
        "SELECT entry_point, reference, evaluation_only, origin FROM problems"
    ).fetchall()[0]
    assert problem[0] == "add_pair" and "_check(a) + b" in problem[1] and problem[2] is False
    programs = store.con.execute(
        "SELECT policy, (metadata->>'dataset_pass_rate')::DOUBLE FROM programs ORDER BY sample_idx"
    ).fetchall()
    assert programs == [("m1", 0.33), ("m1", 1.0)]
    assert set(store.con.execute("SELECT DISTINCT origin FROM tests").fetchall()) == {("llm",)}
    assert import_acecode(store, path).problems == 0


@pytest.mark.parametrize(
    ("task_id", "expected"),
    [
        ("HumanEval/10", "make_palindrome"),
        ("HumanEval/32", "find_zero"),
        ("HumanEval/38", "decode_cyclic"),
        ("HumanEval/50", "decode_shift"),
    ],
)
def test_entry_point_is_the_served_function(benchmark_tasks, task_id, expected):
    task = next(t for t in benchmark_tasks if t.task_id == task_id)
    code = task.prompt + task.canonical_solution
    assert served_function(code, task.prompt) == expected
    assert infer_entry_point(programs=[code], question=task.prompt) == expected


def test_entry_point_sources_in_order():
    assert infer_entry_point(field="given", programs=["def other(): pass"]) == "given"
    assert (
        infer_entry_point(
            tests=["assert len(g(1)) == 1"], programs=["def h():\n    return 1\ndef g(x):\n    return h()"]
        )
        == "g"
    )
    assert (
        infer_entry_point(question="use `solve`", programs=["def solve():\n    pass\ndef other():\n    pass"])
        == "solve"
    )
    assert infer_entry_point(programs=["x = 1"]) is None


def _kept_problem_with_programs(store, problem_id: str, evaluation_only: bool):
    from acecoder.core.hashing import content_hash
    from acecoder.stages.imports.common import problem_row, program_row, stored_test_row

    problem = problem_row(
        problem_id=problem_id,
        dataset="d",
        row_id=problem_id,
        question="q",
        entry_point="f",
        reference="def f(x):\n    return x",
        origin="benchmark" if evaluation_only else "imported",
        evaluation_only=evaluation_only,
        status="kept",
    )
    tests = [stored_test_row(problem_id, i, f"assert f({i}) == {i}", "llm") for i in range(5)]
    programs = [
        program_row(problem_id, f"def f(x):\n    return x if x < {k} else -1", "m", k) for k in (5, 1)
    ]
    store.insert("imports_problems_insert", [problem], run_id="r")
    store.insert("tests_insert", tests, run_id="r")
    store.con.execute("UPDATE tests SET kept = true WHERE problem_id = ?", [problem_id])
    store.con.execute("UPDATE problems SET status = 'kept' WHERE problem_id = ?", [problem_id])
    store.insert("programs_insert", programs, run_id="r")
    rows = []
    for program in programs:
        limit = 5 if "< 5" in program["code"] else 1
        for i, test in enumerate(tests):
            rows.append(
                {
                    "program_id": program["program_id"],
                    "test_id": test["test_id"],
                    "status": "pass" if i < limit else "fail",
                    "error_type": None,
                    "error_line": None,
                    "category": None,
                    "message": None,
                    "duration_ms": 1.0,
                    "run_id": "r",
                }
            )
    store.insert(
        "executions_insert",
        pl.DataFrame(
            rows,
            schema_overrides={
                "error_type": pl.String,
                "error_line": pl.Int64,
                "category": pl.String,
                "message": pl.String,
            },
        ),
    )
    return content_hash


def test_evaluation_only_problems_never_reach_pairs_export_or_rl(store, tmp_path):
    from acecoder.stages.export import export_rl_prompts, reward_pairs_frame
    from acecoder.stages.pairs import make_pairs

    _kept_problem_with_programs(store, "train", evaluation_only=False)
    _kept_problem_with_programs(store, "bench", evaluation_only=True)
    report = make_pairs(store)
    pairs = store.con.execute("SELECT problem_id FROM pairs").fetchall()
    assert report.new_pairs == 1 and pairs == [("train",)]
    # a pair stored for a benchmark task (by an older run) still never leaves in an export
    store.con.execute(
        "INSERT INTO pairs SELECT 'x', 'bench', chosen_program_id, rejected_program_id, 1.0, 0.2, NULL, 'r', now() FROM pairs"
    )
    assert reward_pairs_frame(store).height == 1
    assert set(store.frame("export_pairs")["problem_id"]) == {"train"}
    assert set(store.frame("export_rl")["problem_id"]) == {"train"}
    path, rows = export_rl_prompts(store, tmp_path / "rl")
    assert rows == 1


def test_dataset_pass_rates_beside_ours(store, tmp_path):
    from acecoder.stages.quality import dataset_pass_rates

    path = tmp_path / "acecode.jsonl"
    path.write_text(json.dumps(ACECODE_ROWS[0]) + "\n")
    import_acecode(store, path)
    store.con.execute("UPDATE tests SET kept = true")
    programs = store.con.execute("SELECT program_id, sample_idx FROM programs ORDER BY sample_idx").fetchall()
    tests = [r[0] for r in store.con.execute("SELECT test_id FROM tests ORDER BY idx").fetchall()]
    # ours: the wrong program passes 1 of 3 (dataset: 0.33), the right one 3 of 3 (dataset: 1.0)
    rows = [
        {
            "program_id": pid,
            "test_id": tid,
            "status": "pass" if idx == 1 or i == 2 else "fail",
            "error_type": None,
            "error_line": None,
            "category": None,
            "message": None,
            "duration_ms": 1.0,
            "run_id": "r",
        }
        for pid, idx in programs
        for i, tid in enumerate(tests)
    ]
    nulls = {"error_type": pl.String, "error_line": pl.Int64, "category": pl.String, "message": pl.String}
    store.insert("executions_insert", pl.DataFrame(rows, schema_overrides=nulls))
    found = dataset_pass_rates(store).to_dicts()
    assert len(found) == 1 and found[0]["policy"] == "m1" and found[0]["programs"] == 2
    assert found[0]["mean_abs_difference"] == pytest.approx(abs(1 / 3 - 0.33) / 2)
    assert found[0]["full_pass_agreement"] == 1.0


def test_import_commands(tmp_path):
    from typer.testing import CliRunner

    from acecoder.cli.main import app
    from acecoder.core.store import Store

    db = str(tmp_path / "cli.duckdb")
    acecode_rows = tmp_path / "acecode.jsonl"
    acecode_rows.write_text(json.dumps(ACECODE_ROWS[0]) + "\n")
    runner = CliRunner()
    steps = [
        ["import", "benchmark", HEP, "--task", "HumanEval/2", "--task", "HumanEval/5"],
        [
            "import",
            "samples",
            str(FIXTURES / "codegen_humaneval_slice.jsonl"),
            "--benchmark",
            HEP,
            "--policy",
            "cg",
        ],
        ["import", "llm-tests", str(FIXTURES / "codegen_humaneval_tests_slice.jsonl")],
        ["import", "inferred-tests", "--no-domain-guards"],
        ["import", "labels", HEP, "--workers", "2", "--no-progress"],
        ["import", "acecode", str(acecode_rows), "--dataset", "acecode-sample"],
    ]
    for step in steps:
        result = runner.invoke(app, [*step, "--db", db])
        assert result.exit_code == 0, result.output
    with Store(db) as store:
        counts = dict(store.con.execute("SELECT origin, count(*) FROM tests GROUP BY 1").fetchall())
        programs = store.con.execute("SELECT count(*) FROM programs WHERE policy = 'cg'").fetchall()[0][0]
        labelled = store.con.execute("SELECT count(*), count(DISTINCT task_id) FROM ground_truth").fetchall()[
            0
        ]
        imported = store.con.execute("SELECT count(*) FROM problems WHERE origin = 'imported'").fetchall()[0][
            0
        ]
    assert counts["inferred"] > 0 and counts["llm"] > 0 and programs == 16
    assert labelled == (16, 2) and imported == 1
    missing = runner.invoke(app, ["import", "llm-tests", str(tmp_path / "nope.jsonl"), "--db", db])
    assert missing.exit_code == 2 and "nope.jsonl: no such file" in missing.output

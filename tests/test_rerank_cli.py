"""`acecoder rerank` end to end on real CodeGen-16B samples (real sandbox), and its errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from acecoder.cli.main import app
from acecoder.rerank.pipeline import rerank

SLICE = Path(__file__).parent / "fixtures" / "codegen_humaneval_slice.jsonl"
HUMANEVALPLUS_SLICE = Path(__file__).parent / "fixtures" / "humanevalplus_slice.jsonl"
runner = CliRunner()


def _invoke(*args: str):
    return runner.invoke(app, ["rerank", *args, "--no-progress"], catch_exceptions=False)


@pytest.fixture(scope="module")
def exec_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli")
    result = _invoke(
        str(SLICE),
        "-o",
        str(folder / "selected.jsonl"),
        "--benchmark",
        "humaneval",
        "--method",
        "exec",
        "--report",
        str(folder / "report"),
    )
    assert result.exit_code == 0, result.output
    return folder, result


def test_exec_beats_random_and_writes_the_report(exec_run):
    folder, result = exec_run
    report = json.loads((folder / "report" / "report.json").read_text())
    assert set(report) == {
        "benchmark",
        "method",
        "seed",
        "tasks",
        "n",
        "min_n",
        "tests",
        "selected",
        "timings_s",
    }
    assert (report["tasks"], report["n"], list(report["tests"])) == (6, 8, ["base"])
    base = report["tests"]["base"]
    assert set(base) == {"selected_pass@1", "random_pass@1", "oracle", "pass@k", "curve"}
    assert set(base["pass@k"]) == {"1", "8"}
    assert [point["n"] for point in base["curve"]] == [1, 2, 4, 8]
    verdicts = [json.loads(line) for line in (folder / "report" / "verdicts.jsonl").read_text().splitlines()]
    assert (
        sum(0 < sum(row["base"]) < len(row["base"]) for row in verdicts) >= 2
    )  # tasks that split candidates
    assert base["selected_pass@1"] > base["random_pass@1"]
    assert base["random_pass@1"] <= base["oracle"]
    png = (folder / "report" / "selection_curve.png").read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 10_000
    assert "selected pass@1" in result.output and "oracle" in result.output


def test_the_selection_is_one_sanitised_program_per_task(exec_run):
    folder, _ = exec_run
    rows = [json.loads(line) for line in (folder / "selected.jsonl").read_text().splitlines()]
    slice_ids = list(dict.fromkeys(json.loads(line)["task_id"] for line in SLICE.read_text().splitlines()))
    assert [row["task_id"] for row in rows] == slice_ids
    report = json.loads((folder / "report" / "report.json").read_text())
    assert [entry["task_id"] for entry in report["selected"]] == slice_ids
    for row in rows:
        assert set(row) == {"task_id", "solution"} and "\nassert " not in row["solution"]


def test_plus_tests_from_a_benchmark_file(tmp_path):
    # the HumanEval+ slice holds the first 8 tasks; the samples slice draws from them
    result = _invoke(
        str(SLICE),
        "-o",
        str(tmp_path / "selected.jsonl"),
        "--benchmark",
        str(HUMANEVALPLUS_SLICE),
        "--method",
        "first",
        "--n",
        "2",
        "--evaluate",
    )
    assert result.exit_code == 0, result.output
    assert "plus tests" in result.output and "first 2" in result.output


def _blanked_benchmark(path: Path, blank: bool) -> Path:
    """The slice's HumanEval+ tasks, with everything but prompt and entry point emptied if `blank`."""
    rows = [json.loads(line) for line in HUMANEVALPLUS_SLICE.read_text().splitlines()]
    with open(path, "w") as handle:
        for row in rows:
            if blank:
                row |= {
                    "canonical_solution": "",
                    "test": "",
                    "base_input": [],
                    "plus_input": [],
                    "atol": 0,
                    "contract": "",
                }
            handle.write(json.dumps(row) + "\n")
    return path


def _by_length(questions: list[str], programs: list[str]) -> list[float]:
    """A deterministic stand-in reward model: shorter programs score higher."""
    return [-float(len(program)) for program in programs]


@pytest.mark.parametrize("method", ["exec", "rm", "rm+exec", "random", "first"])
def test_no_method_reads_tests_canonical_solution_or_inputs(tmp_path, method):
    selections = []
    for blank in (False, True):
        benchmark = _blanked_benchmark(tmp_path / f"benchmark-{blank}.jsonl", blank)
        outcome = rerank(
            SLICE,
            tmp_path / f"selected-{blank}.jsonl",
            benchmark=str(benchmark),
            method=method,
            scorer=_by_length if method.startswith("rm") else None,
            seed=3,
            progress=False,
        )
        selections.append((tmp_path / f"selected-{blank}.jsonl").read_text())
        assert outcome.report is None
    assert selections[0] == selections[1]


def test_rm_without_a_model_says_what_it_needs(tmp_path):
    result = _invoke(str(SLICE), "-o", str(tmp_path / "out.jsonl"), "--method", "rm")
    assert result.exit_code == 2
    assert "need a trained reward model" in result.output and "--model" in result.output
    assert not (tmp_path / "out.jsonl").exists()


def test_bad_samples_and_unknown_tasks_are_reported_with_file_and_line(tmp_path):
    samples = tmp_path / "samples.jsonl"
    samples.write_text(
        '{"task_id": "HumanEval/0", "completion": "    return 1\\n"}\n'
        '{"task_id": "HumanEval/9999", "completion": "    return 1\\n"}\n'
    )
    result = _invoke(str(samples), "-o", str(tmp_path / "out.jsonl"), "--method", "first")
    assert result.exit_code == 2
    assert "samples.jsonl, line 2: task_id 'HumanEval/9999' is not a task of the benchmark" in result.output
    result = _invoke(str(samples), "-o", str(tmp_path / "out.jsonl"), "--benchmark", "nosuchbench")
    assert result.exit_code == 2 and "unknown benchmark" in result.output


def test_help_explains_every_option():
    result = runner.invoke(app, ["rerank", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    for option in (
        "--output",
        "--benchmark",
        "--method",
        "--n",
        "--seed",
        "--evaluate",
        "--report",
        "--workers",
        "--model",
        "--inputs",
        "--progress",
    ):
        assert option in result.output
    for method in ("exec", "rm+exec", "random", "first"):
        assert method in result.output

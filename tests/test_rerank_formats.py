"""Reading samples in each input layout, writing the selection, and the errors for bad input."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from acecoder.code import benchmarks
from acecoder.rerank.formats import SamplesError, read_samples, write_selected

SLICE = Path(__file__).parent / "fixtures" / "codegen_humaneval_slice.jsonl"


@pytest.fixture(scope="module")
def humaneval():
    return benchmarks.load("humaneval")


@pytest.fixture(scope="module")
def slice_rows():
    return [json.loads(line) for line in SLICE.read_text().splitlines()]


def _expected_programs(humaneval, slice_rows) -> dict[str, list[str]]:
    prompts = {task.task_id: task.prompt for task in humaneval}
    programs: dict[str, list[str]] = {}
    for row in slice_rows:
        programs.setdefault(row["task_id"], []).append(prompts[row["task_id"]] + row["completion"])
    return programs


def _as_dict(groups) -> dict[str, list[str]]:
    return {group.task.task_id: list(group.programs) for group in groups}


def test_evalplus_completions_become_full_programs_in_benchmark_order(humaneval, slice_rows):
    groups = read_samples(SLICE, humaneval)
    assert _as_dict(groups) == _expected_programs(humaneval, slice_rows)
    order = [task.task_id for task in humaneval]
    assert [g.task.task_id for g in groups] == sorted({r["task_id"] for r in slice_rows}, key=order.index)


def test_evalplus_solutions_gzipped_and_limited(tmp_path, humaneval, slice_rows):
    expected = _expected_programs(humaneval, slice_rows)
    path = tmp_path / "samples.jsonl.gz"
    with gzip.open(path, "wt") as handle:
        for task_id, programs in expected.items():
            for program in programs:
                handle.write(json.dumps({"task_id": task_id, "solution": program}) + "\n")
    assert _as_dict(read_samples(path, humaneval, limit=3)) == {t: p[:3] for t, p in expected.items()}


def test_bigcode_generations_json(tmp_path, humaneval, slice_rows):
    expected = _expected_programs(humaneval, slice_rows)
    last = max(i for i, task in enumerate(humaneval) if task.task_id in expected)
    generations = [expected.get(task.task_id, []) for task in humaneval[: last + 1]]
    path = tmp_path / "generations.json"
    path.write_text(json.dumps(generations))
    assert _as_dict(read_samples(path, humaneval)) == expected


def test_grouped_samples_mix_full_programs_and_completions(tmp_path, humaneval, slice_rows):
    expected = _expected_programs(humaneval, slice_rows)
    completions: dict[str, list[str]] = {}
    for row in slice_rows:
        completions.setdefault(row["task_id"], []).append(row["completion"])
    path = tmp_path / "grouped.jsonl"
    with open(path, "w") as handle:
        for task_id, programs in expected.items():
            # the first half as full programs, the rest as completions of the prompt
            half = len(programs) // 2
            mixed = programs[:half] + completions[task_id][half:]
            handle.write(json.dumps({"task_id": task_id, "samples": mixed}) + "\n")
    assert _as_dict(read_samples(path, humaneval)) == expected


def test_selection_is_written_in_the_evalplus_layout(tmp_path):
    path = tmp_path / "selected.jsonl"
    write_selected(path, [("HumanEval/0", "def f():\n    return 1\n")])
    assert [json.loads(line) for line in path.read_text().splitlines()] == [
        {"task_id": "HumanEval/0", "solution": "def f():\n    return 1\n"}
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            '{"task_id": "HumanEval/0", "completion": "x"}\n{"task_id": "HumanEval/0", "completion": 3}\n',
            "line 2: field 'completion' must be a str",
        ),
        ('{"task_id": "HumanEval/0", "completion": "x"}\n\n{"task_id": \n', "line 3: malformed JSON"),
        ('{"completion": "x"}\n', "line 1: field 'task_id' is missing"),
        ('{"task_id": "HumanEval/0"}\n', "line 1: needs a 'solution', 'completion' or 'samples' field"),
        (
            '{"task_id": "HumanEval/999", "completion": "x"}\n',
            "line 1: task_id 'HumanEval/999' is not a task of",
        ),
        ('{"task_id": "HumanEval/0", "samples": ["x", 2]}\n', "line 1: field 'samples'[1] must be a string"),
        (
            '{"task_id": "HumanEval/0", "completion": "x"}\n[1, 2]\n',
            "samples.txt, line 2: expected a JSON object",
        ),
        ('[["a"], "b"]', "task list 1 (HumanEval/1): expected a list of program strings"),
        ('[["a", null]]', "task list 0 (HumanEval/0), sample 1: expected a string"),
        ("", "no samples found"),
    ],
)
def test_bad_input_names_file_line_and_field(tmp_path, humaneval, content, message):
    path = tmp_path / "samples.txt"
    path.write_text(content)
    with pytest.raises(SamplesError, match="samples.txt") as raised:
        read_samples(path, humaneval)
    assert message in str(raised.value)


def test_more_task_lists_than_tasks_is_an_error(tmp_path, humaneval):
    path = tmp_path / "generations.json"
    path.write_text(json.dumps([["x"]] * (len(humaneval) + 1)))
    with pytest.raises(SamplesError, match="165 task lists but the benchmark has 164 tasks"):
        read_samples(path, humaneval)


def test_missing_file(tmp_path, humaneval):
    with pytest.raises(SamplesError, match="no such file"):
        read_samples(tmp_path / "absent.jsonl", humaneval)

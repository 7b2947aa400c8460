"""Benchmark data: HumanEval+ and MBPP+ ship with the package; ACECODER_DATA_DIR and file paths override them;
ingest's decontamination checks both with no data folder beside the repository."""

from __future__ import annotations

import gzip
import json

import pytest

from acecoder.code import benchmarks
from acecoder.core.settings import get_settings


@pytest.fixture
def settings_env(monkeypatch):
    """Settings re-read from the environment the test sets, and restored afterwards."""
    monkeypatch.delenv("ACECODER_DATA_DIR", raising=False)
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


def write_release(folder, file_name, rows):
    folder.mkdir(parents=True, exist_ok=True)
    with gzip.open(folder / file_name, "wt", encoding="utf-8") as handle:
        handle.writelines(json.dumps(row) + "\n" for row in rows)
    return folder / file_name


def test_bundled_files_load_without_a_data_folder(settings_env):
    for name, count, first in (("humaneval+", 164, "HumanEval/0"), ("mbpp+", 378, "Mbpp/2")):
        path = benchmarks.benchmark_path(name)
        assert path.parent == benchmarks.BUNDLED_DIR and path.is_file()
        tasks = benchmarks.load(name)
        assert len(tasks) == count and tasks[0].task_id == first
        assert all(task.base_input and task.canonical_solution for task in tasks), name
    # the bundled licence note names both files
    note = (benchmarks.BUNDLED_DIR / "README.md").read_text()
    assert "Apache-2.0" in note and all(f in note for f in benchmarks.BENCHMARK_FILES.values())


def test_data_dir_variable_and_explicit_paths_override_the_bundled_files(tmp_path, settings_env):
    one = benchmarks.load("mbpp+")[5]
    row = {"task_id": one.task_id, "prompt": one.prompt, "entry_point": one.entry_point,
           "canonical_solution": one.canonical_solution, "base_input": one.base_input,
           "plus_input": [], "atol": 0}  # fmt: skip
    folder = tmp_path / "release"
    path = write_release(folder, "MbppPlus.jsonl.gz", [row])
    assert [t.task_id for t in benchmarks.load(str(path))] == [one.task_id]
    assert [t.task_id for t in benchmarks.load("mbpp+", data_dir=folder)] == [one.task_id]

    settings_env.setenv("ACECODER_DATA_DIR", str(folder))
    get_settings.cache_clear()
    assert [t.task_id for t in benchmarks.load("mbpp+")] == [one.task_id]
    # a named folder without the file is an error naming both, never a silent fallback
    with pytest.raises(benchmarks.BenchmarkNotFound, match="HumanEvalPlus.jsonl.gz.*ACECODER_DATA_DIR"):
        benchmarks.load("humaneval+")
    tasks, warnings = benchmarks.decontamination_tasks()
    assert len(warnings) == 1 and "HumanEvalPlus.jsonl.gz" in warnings[0]
    assert one.task_id in {t.task_id for t in tasks}


def test_hub_release_offline_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    with pytest.raises(benchmarks.BenchmarkNotFound, match="hf:acecoder-test/not-a-release: could not load"):
        benchmarks.load("hf:acecoder-test/not-a-release@v9")


def test_ingest_decontamination_flags_a_planted_mbpp_plus_prompt(tmp_path, store, settings_env):
    from acecoder.stages.ingest import ingest

    mbpp = next(t for t in benchmarks.load("mbpp+") if t.task_id == "Mbpp/2")
    humaneval = next(t for t in benchmarks.load("humaneval+") if t.task_id == "HumanEval/12")
    clean = "def pick(xs: list[str]) -> str:\n    return max(xs, key=len)\n"
    rows = [
        {"problem": mbpp.prompt, "solution": f"```python\n{clean}```"},
        {"problem": humaneval.prompt, "solution": f"```python\n{clean.replace('pick', 'longest')}```"},
        {
            "problem": "Return the longest string.",
            "solution": f"```python\n{clean.replace('pick', 'top')}```",
        },
    ]
    source = tmp_path / "planted.jsonl"
    source.write_text("".join(json.dumps(row) + "\n" for row in rows))
    report = ingest(str(source), store)  # the default index: HumanEval, HumanEval+ and MBPP+
    assert not report.warnings
    assert report.contaminated == 2
    reasons = dict(
        store.con.execute("SELECT row_ref, contamination_reason FROM sources WHERE contaminated").fetchall()
    )
    assert "Mbpp/2 prompt" in reasons[f"{source}:line 1"]
    assert "HumanEval/12 prompt" in reasons[f"{source}:line 2"]

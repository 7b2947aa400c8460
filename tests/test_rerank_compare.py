"""Several selection methods judged by one evaluation, on real CodeGen-16B HumanEval samples (real sandbox)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from acecoder.core.store import Store
from acecoder.rerank.compare import DEMO_SAMPLES, ORACLE_ROW, RANDOM_ROW, compare_and_record, compare_methods

SLICE = Path(__file__).parent / "fixtures" / "codegen_humaneval_slice.jsonl"


def test_methods_beside_random_and_oracle(tmp_path):
    def by_length(questions, programs):  # a stand-in reward model: prefers the longest program
        return [float(len(program)) for program in programs]

    comparison = compare_methods(
        SLICE, "humaneval", ["exec", "random", "first", "rm"], scorer=by_length, progress=False
    )
    assert comparison.tasks == 6 and comparison.n == 8
    rows = comparison.rows
    assert set(rows) == {"exec", "random", "first", "rm", RANDOM_ROW, ORACLE_ROW}
    # the oracle bounds every selection; the slice holds tasks no sample solves and tasks some do
    assert all(row.base <= rows[ORACLE_ROW].base for row in rows.values())
    assert 0 < rows[ORACLE_ROW].base < 1 and 0 < rows[RANDOM_ROW].base < rows[ORACLE_ROW].base
    assert rows["exec"].base > rows[RANDOM_ROW].base and rows["exec"].wall_s > 0
    assert all(row.plus is None for row in rows.values())  # no plus benchmark given
    table = comparison.table()
    assert [column.header for column in table.columns] == ["selection", "base pass@1", "wall time"]


def test_recorded_in_runs(tmp_path):
    db = tmp_path / "runs.duckdb"
    comparison = compare_and_record(db, SLICE, "humaneval", ["first"], tasks=2, progress=False)
    with Store(db, read_only=True) as store:
        stage, params, metrics = store.con.execute("SELECT stage, params, metrics FROM runs").fetchone()
    assert stage == "rerank" and json.loads(params)["methods"] == ["first"]
    assert json.loads(metrics)["first_base_pass@1"] == comparison.rows["first"].base and comparison.tasks == 2


def test_unknown_method_and_missing_model_are_refused():
    with pytest.raises(ValueError, match="unknown method"):
        compare_methods(SLICE, "humaneval", ["best"])
    with pytest.raises(Exception, match="trained reward model"):
        compare_methods(SLICE, "humaneval", ["rm"])


def test_the_bundled_demo_samples_are_readable():
    from acecoder.code import benchmarks
    from acecoder.rerank.formats import read_samples

    groups = read_samples(DEMO_SAMPLES, benchmarks.load("humaneval"))
    assert len(groups) == 40 and {len(group.programs) for group in groups} == {10}

"""The DuckDB store: migrations, named queries, transactions and lineage rows."""

from __future__ import annotations

import pytest

from acecoder.core.store import Store


def test_schema_is_idempotent_and_versioned(tmp_path):
    path = tmp_path / "a.duckdb"
    with Store(path) as first:
        version = first.schema_version
        tables = {
            r[0] for r in first.con.execute("SELECT table_name FROM information_schema.tables").fetchall()
        }
    assert {
        "sources",
        "problems",
        "tests",
        "programs",
        "executions",
        "pairs",
        "runs",
        "llm_cache",
        "pass_rates",
        "schema_version",
    } <= tables
    with Store(path) as second:
        assert second.migrate() == []  # nothing left to apply
        assert second.schema_version == version
        assert second.con.execute("SELECT count(*) FROM schema_version").fetchone()[0] == version + 1


def test_transaction_rolls_back_every_write(store):
    with pytest.raises(RuntimeError), store.transaction():
        store.run("run_start", run_id="r1", stage="x", params="{}", flow_run_id=None, version="0")
        raise RuntimeError("boom")
    assert store.con.execute("SELECT count(*) FROM runs").fetchone()[0] == 0


def test_tracked_run_records_metrics_and_failures(store):
    with store.tracked_run("demo", {"a": 1}) as (run_id, metrics):
        metrics["rows"] = 3
    with pytest.raises(ValueError), store.tracked_run("demo", {}) as (failed_id, _):
        raise ValueError("bad")
    rows = dict(store.con.execute("SELECT run_id, status FROM runs").fetchall())
    assert rows == {run_id: "ok", failed_id: "failed"}
    assert (
        store.con.execute("SELECT metrics->>'rows' FROM runs WHERE run_id = ?", [run_id]).fetchone()[0] == "3"
    )


def test_pass_rate_divides_by_kept_tests(store):
    con = store.con
    con.execute("INSERT INTO programs (program_id, problem_id, code, policy) VALUES ('a', 'p', 'x', 'm')")
    con.executemany(
        "INSERT INTO tests (test_id, problem_id, idx, code, origin, kept) VALUES (?, 'p', ?, 't', 'llm', ?)",
        [("t1", 0, True), ("t2", 1, True), ("t3", 2, False), ("t4", 3, True), ("t5", 4, True)],
    )
    con.executemany(
        "INSERT INTO executions (program_id, test_id, status) VALUES ('a', ?, ?)",
        [("t1", "pass"), ("t2", "pass"), ("t3", "pass"), ("t4", "fail"), ("t5", "error")],
    )
    row = con.execute("SELECT kept_tests, executed, passed, pass_rate FROM pass_rates").fetchone()
    assert row == (4, 4, 2, 0.5)  # the dropped test t3 counts neither above nor below the line


def test_pass_rate_ignores_other_problems_tests_and_starts_at_zero(store):
    con = store.con
    con.executemany(
        "INSERT INTO programs (program_id, problem_id, code, policy) VALUES (?, ?, 'x', 'm')",
        [("a", "p"), ("fresh", "p")],
    )
    con.executemany(
        "INSERT INTO tests (test_id, problem_id, idx, code, origin, kept) VALUES (?, ?, 0, 't', 'llm', true)",
        [("t1", "p"), ("other", "q")],
    )
    con.executemany(
        "INSERT INTO executions (program_id, test_id, status) VALUES ('a', ?, 'pass')", [("t1",), ("other",)]
    )
    rows = con.execute(
        "SELECT program_id, kept_tests, executed, passed, pass_rate FROM pass_rates ORDER BY 1"
    ).fetchall()
    assert rows == [("a", 1, 1, 1, 1.0), ("fresh", 1, 0, 0, 0.0)]  # q's test says nothing about a p program

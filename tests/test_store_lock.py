"""Several processes on one DuckDB file: a writer waits (bounded) for the process holding the file, then
fails naming it; read-only commands open it read-only, alongside other readers."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time

import pytest
from typer.testing import CliRunner

from acecoder.cli.main import app
from acecoder.core.store import DatabaseLocked, Store, open_store

WRITER = textwrap.dedent(
    """
    import sys, time
    from acecoder.core.store import open_store
    print("trying", flush=True)
    with open_store(sys.argv[1], lock_timeout_s=60) as store:
        got = time.time()
        run_id = store.start_run("lock-test", {"writer": sys.argv[2]})
        time.sleep(0.3)
        store.finish_run(run_id, {})
        left = time.time()
    print(got, left)
    """
)
HOLDER = textwrap.dedent(
    """
    import sys
    from acecoder.core.store import open_store
    with open_store(sys.argv[1], read_only=sys.argv[2] == "ro"):
        print("holding", flush=True)
        sys.stdin.read()
    """
)


def _holder(db, mode: str) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db), mode],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout.readline().strip() == "holding"
    return process


def _release(process: subprocess.Popen) -> None:
    process.stdin.close()
    assert process.wait(timeout=30) == 0


def test_two_writers_at_once_both_finish(tmp_path):
    db = tmp_path / "shared.duckdb"
    Store(db).close()
    holder = _holder(db, "rw")  # both writers start while the file is taken, so both must wait
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(db), str(n)], stdout=subprocess.PIPE, text=True)
        for n in range(2)
    ]
    for writer in writers:
        assert writer.stdout.readline().strip() == "trying"
    time.sleep(0.5)
    released = time.time()
    _release(holder)
    spans = []
    for writer in writers:
        out, _ = writer.communicate(timeout=60)
        assert writer.returncode == 0
        spans.append(tuple(map(float, out.split())))
    first, second = sorted(spans)
    assert first[0] >= released  # neither got in while the holder had the file
    assert second[0] >= first[1]  # nor while the other writer had it
    with open_store(db, read_only=True) as store:
        rows = store.con.execute("SELECT stage, status FROM runs WHERE stage = 'lock-test'").fetchall()
    assert rows == [("lock-test", "ok")] * 2


def test_a_held_file_fails_after_the_timeout_naming_file_and_holder(tmp_path):
    db = tmp_path / "held.duckdb"
    Store(db).close()
    holder = _holder(db, "rw")
    try:
        for read_only in (False, True):  # duckdb 2 refuses even a read-only open while a writer has it
            started = time.monotonic()
            with pytest.raises(DatabaseLocked) as caught:
                open_store(db, read_only=read_only, lock_timeout_s=0.5)
            assert 0.5 <= time.monotonic() - started < 5
            message = str(caught.value)
            assert str(db) in message and f"PID {holder.pid}" in message
            assert "ACECODER_DB_LOCK_TIMEOUT_S" in message
    finally:
        _release(holder)


def test_read_only_commands_run_beside_another_reader(tmp_path, monkeypatch):
    db = tmp_path / "read.duckdb"
    Store(db).close()
    from acecoder.core.settings import get_settings

    monkeypatch.setenv("ACECODER_DB_LOCK_TIMEOUT_S", "0.5")  # fail fast, should the command wait
    get_settings.cache_clear()
    monkeypatch.setattr("acecoder.core.settings.get_settings", get_settings)
    reader = _holder(db, "ro")
    try:
        result = CliRunner().invoke(app, ["status", "--db", str(db)])
        assert result.exit_code == 0, result.output
        assert "pairs" in result.output
        result = CliRunner().invoke(app, ["report", "tests", "--db", str(db)])
        assert result.exit_code == 0, result.output
    finally:
        _release(reader)
        get_settings.cache_clear()
    with pytest.raises(FileNotFoundError, match="no database at"):
        open_store(tmp_path / "missing.duckdb", read_only=True)
    assert not (tmp_path / "missing.duckdb").exists()

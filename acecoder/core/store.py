"""The DuckDB store: opens (and migrates) the database file and runs named queries from `sql/`.

DuckDB lets one process at a time open a file for writing, and (as of duckdb 2.0) none may open it, not
even read-only, while that process has it; several processes may have it open read-only together, which
keeps writers out meanwhile. So opening waits, with backoff, until the file is free or
`ACECODER_DB_LOCK_TIMEOUT_S` has passed, and then fails naming the file and the process holding it.
"""

from __future__ import annotations

import json
import logging
import random
import re
import time
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from acecoder import __version__
from acecoder.core import sqlfiles

log = logging.getLogger(__name__)

_FIRST_WAIT_S = 0.05
_LONGEST_WAIT_S = 2.0
# DuckDB's message for a file another process holds: `... Conflicting lock is held in <program> (PID <n>)`
_HOLDER = re.compile(r"Conflicting lock is held in (?P<program>.*?) \(PID (?P<pid>\d+)\)")


class DatabaseLocked(RuntimeError):
    """Another process kept the database file for longer than the lock timeout."""

    def __init__(self, path: Path, waited_s: float, holder: str | None) -> None:
        by = f" by {holder}" if holder else ""
        super().__init__(
            f"the database {path} is held{by} and stayed so for {waited_s:.0f} s; DuckDB lets one process "
            "at a time have it open for writing. Wait for that process to finish, or raise "
            "ACECODER_DB_LOCK_TIMEOUT_S"
        )
        self.path = path
        self.holder = holder


class Store:
    """One open DuckDB file.

    Reads go through `frame()`/`scalar()`, writes through `run()` and `insert()`; `transaction()` groups
    writes so that a failure leaves the file as it was.
    """

    def __init__(self, path: str | Path, *, read_only: bool = False, lock_timeout_s: float | None = None):
        self.path = Path(path)
        self.read_only = read_only
        if read_only and not self.path.exists():
            raise FileNotFoundError(f"no database at {self.path}: a stage that writes (ingest) creates it")
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self.con = _connect(self.path, read_only, lock_timeout_s)
        self._depth = 0
        if not read_only:
            self.migrate()

    # -- lifecycle -------------------------------------------------------------------------------------
    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def migrate(self) -> list[int]:
        """Apply the schema files not yet recorded in `schema_version`; returns the versions applied."""
        applied: list[int] = []
        steps = sqlfiles.migrations()
        with self.transaction():
            self.con.execute(steps[0][2])  # 0000: the version table itself
            done = {row[0] for row in self.con.execute("SELECT version FROM schema_version").fetchall()}
            for version, name, text in steps:
                if version in done:
                    continue
                self.con.execute(text)
                self.con.execute("INSERT INTO schema_version (version, name) VALUES (?, ?)", [version, name])
                applied.append(version)
        return applied

    @property
    def schema_version(self) -> int:
        return self.con.execute("SELECT max(version) FROM schema_version").fetchall()[0][0]

    @contextmanager
    def transaction(self) -> Iterator[Store]:
        """All-or-nothing writes; nested uses join the outer transaction."""
        if self._depth:
            self._depth += 1
            try:
                yield self
            finally:
                self._depth -= 1
            return
        self._depth = 1
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield self
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        else:
            self.con.execute("COMMIT")
        finally:
            self._depth = 0

    # -- queries ---------------------------------------------------------------------------------------
    def frame(self, name: str, staged: pl.DataFrame | None = None, **params: Any) -> pl.DataFrame:
        """Run the named query and return its result as a polars frame (`staged` as for `insert`)."""
        # DuckDB 2 refuses a relation query while an earlier execute() result is not fully fetched
        # (a caller's fetchone()); finishing it first keeps one caller's habit from breaking the next.
        self.con.complete()
        if staged is None:
            return self.con.sql(sqlfiles.query(name), params=params or None).pl()
        self.con.register("staged", staged.to_arrow())
        try:
            return self.con.sql(sqlfiles.query(name), params=params or None).pl()
        finally:
            self.con.unregister("staged")

    def rows(self, name: str, **params: Any) -> list[tuple]:
        return self.con.execute(sqlfiles.query(name), params or None).fetchall()

    def scalar(self, name: str, **params: Any) -> Any:
        rows = self.con.execute(sqlfiles.query(name), params or None).fetchall()
        return rows[0][0] if rows else None

    def run(self, name: str, **params: Any) -> None:
        """Run a named statement (or several separated by `;`) for its effect."""
        self.con.execute(sqlfiles.query(name), params or None)

    def insert(self, name: str, rows: pl.DataFrame | list[Mapping[str, Any]], **params: Any) -> int:
        """Run the named `INSERT ... SELECT ... FROM staged` with `rows` registered as `staged`.

        Returns the number of rows the table gained (queries use `ON CONFLICT DO NOTHING`, so
        re-inserting the same content adds nothing).
        """
        frame = rows if isinstance(rows, pl.DataFrame) else pl.DataFrame(rows, infer_schema_length=None)
        if frame.height == 0:
            return 0
        self.con.register("staged", frame.to_arrow())
        try:
            result = self.con.execute(sqlfiles.query(name), params or None).fetchall()
        finally:
            self.con.unregister("staged")
        return int(result[0][0]) if result else 0

    # -- runs (lineage) --------------------------------------------------------------------------------
    def start_run(self, stage: str, params: Mapping[str, Any], flow_run_id: str | None = None) -> str:
        run_id = f"{stage}-{uuid.uuid4().hex[:12]}"
        self.run(
            "run_start",
            run_id=run_id,
            stage=stage,
            params=json.dumps(dict(params), default=str),
            flow_run_id=flow_run_id,
            version=__version__,
        )
        return run_id

    def finish_run(self, run_id: str, metrics: Mapping[str, Any], status: str = "ok") -> None:
        self.run("run_finish", run_id=run_id, status=status, metrics=json.dumps(dict(metrics), default=str))

    @contextmanager
    def tracked_run(
        self, stage: str, params: Mapping[str, Any], flow_run_id: str | None = None
    ) -> Iterator[tuple[str, dict[str, Any]]]:
        """A `runs` row around a stage: yields (run_id, metrics dict to fill); marks failures.

        `flow_run_id` links the row to the orchestrator's run (Prefect passes its flow run id)."""
        run_id = self.start_run(stage, params, flow_run_id=flow_run_id)
        with _filled_run(run_id, self.finish_run) as row:
            yield row


@contextmanager
def detached_run(
    db: str | Path | None, stage: str, params: Mapping[str, Any], flow_run_id: str | None = None
) -> Iterator[tuple[str, dict[str, Any]]]:
    """`Store.tracked_run` for long stages (reward-model training, evaluation): the file (default:
    ACECODER_DB) is open only while the row is written, so other stages can use the database while the work
    runs."""
    with open_store(db) as store:
        run_id = store.start_run(stage, params, flow_run_id=flow_run_id)

    def finish(run_id: str, metrics: Mapping[str, Any], status: str = "ok") -> None:
        with open_store(db) as store:
            store.finish_run(run_id, metrics, status=status)

    with _filled_run(run_id, finish) as row:
        yield row


@contextmanager
def _filled_run(run_id: str, finish) -> Iterator[tuple[str, dict[str, Any]]]:
    metrics: dict[str, Any] = {}
    try:
        yield run_id, metrics
    except BaseException as exc:
        metrics["error"] = f"{type(exc).__name__}: {exc}"
        finish(run_id, metrics, status="failed")
        raise
    finish(run_id, metrics)


def open_store(
    path: str | Path | None = None, *, read_only: bool = False, lock_timeout_s: float | None = None
) -> Store:
    """Open the configured database (`ACECODER_DB`, default data/acecoder.duckdb); wait up to
    `lock_timeout_s` (default `ACECODER_DB_LOCK_TIMEOUT_S`) while another process holds it.

    `read_only=True` for commands that only read (`status`, `report`): they never migrate or write, and
    several of them may have the file open together."""
    if path is None:
        from acecoder.core.settings import get_settings

        path = get_settings().db
    return Store(path, read_only=read_only, lock_timeout_s=lock_timeout_s)


def _connect(path: Path, read_only: bool, lock_timeout_s: float | None) -> duckdb.DuckDBPyConnection:
    """duckdb.connect, retried with growing, jittered waits while another process holds the file."""
    if lock_timeout_s is None:
        from acecoder.core.settings import get_settings

        lock_timeout_s = get_settings().db_lock_timeout_s
    started = time.monotonic()
    wait = _FIRST_WAIT_S
    logged = False
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as exc:
            holder = _lock_holder(str(exc))
            if holder is None and "Could not set lock" not in str(exc):
                raise
            waited = time.monotonic() - started
            if waited >= lock_timeout_s:
                raise DatabaseLocked(path, waited, holder) from exc
            if not logged:
                log.info(
                    "%s is held by %s; waiting up to %g s", path, holder or "another process", lock_timeout_s
                )
                logged = True
            time.sleep(min(wait * random.uniform(0.5, 1.0), lock_timeout_s - waited))
            wait = min(wait * 2, _LONGEST_WAIT_S)


def _lock_holder(message: str) -> str | None:
    """The process DuckDB names as holding the file ("python3.11 (PID 123)"), if it names one."""
    match = _HOLDER.search(message)
    if match is None:
        return None
    return f"{Path(match['program']).name} (PID {match['pid']})"

"""A `runs` row around a long reward-model stage, with the database open only to write the row.

Training holds no DuckDB connection while it runs, so the pipeline's other stages can use the file meanwhile.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from acecoder.store import Store


@contextmanager
def recorded_run(db: Path, stage: str, params: Mapping[str, Any], flow_run_id: str | None = None
                 ) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yields (run_id, metrics to fill); the row is finished `ok` with them, or `failed` with the error.
    `flow_run_id` links the row to an orchestrator's run."""
    with Store(db) as store:
        run_id = store.start_run(stage, params, flow_run_id=flow_run_id)
    metrics: dict[str, Any] = {}
    try:
        yield run_id, metrics
    except BaseException as exc:
        metrics["error"] = f"{type(exc).__name__}: {exc}"
        with Store(db) as store:
            store.finish_run(run_id, metrics, status="failed")
        raise
    with Store(db) as store:
        store.finish_run(run_id, metrics)

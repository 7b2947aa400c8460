"""How a stage's driver runs its sandbox batches: here, one after another (the default), or through an
orchestrator that ships each batch elsewhere (the Prefect flows pass one that submits tasks).

A driver owns everything else (the pending query, run tracking, writing each batch as its result arrives,
the totals); a runner only turns `work(*args, pool=...)` calls into results, in the order of the batches,
so the same driver loop serves the CLI, the Python API and the flows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol


class BatchRunner(Protocol):
    def map(self, work: Callable[..., Any], batches: Iterable[tuple]) -> Iterator[tuple[tuple, Any]]:
        """Run `work(*args, pool=<a sandbox pool>)` for each `args` in `batches`; yield `(args, result)` in the
        batches' order. `batches` is consumed lazily, so a driver may read each batch from the store as it goes."""
        ...


class SerialRunner:
    """Runs each batch in this thread on one sandbox pool: the one given, else one opened on first use and
    closed by `close()` (so a run with nothing to do starts no workers)."""

    def __init__(self, pool=None) -> None:
        self._pool = pool
        self._owned = None

    @property
    def pool(self):
        if self._pool is None:
            from acecoder.core.pools import new_pool

            self._pool = self._owned = new_pool()
        return self._pool

    def map(self, work: Callable[..., Any], batches: Iterable[tuple]) -> Iterator[tuple[tuple, Any]]:
        for args in batches:
            yield args, work(*args, pool=self.pool)

    def close(self) -> None:
        if self._owned is not None:
            self._owned.close()
            self._owned = self._pool = None


@contextmanager
def batch_runner(runner: BatchRunner | None = None, pool=None) -> Iterator[BatchRunner]:
    """The runner a driver uses: `runner` when given (its owner closes it), else a `SerialRunner` on `pool`."""
    if runner is not None:
        yield runner
        return
    serial = SerialRunner(pool)
    try:
        yield serial
    finally:
        serial.close()


def slices(items, size: int) -> Iterator:
    """Consecutive slices of a list or a polars frame, `size` rows each (the last may be shorter)."""
    if size < 1:
        raise ValueError(f"batch size must be at least 1, got {size}")
    for start in range(0, len(items), size):
        yield items[start : start + size]

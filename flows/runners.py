"""Task runners for the execution-heavy stages: threads (default, no extra dependency), a Dask cluster
(`prefect-dask`: an address, or a local cluster), or Ray (`prefect-ray`); and the batch runner through which
a stage's driver submits its sandbox batches as Prefect tasks."""

from __future__ import annotations


def make_task_runner(kind: str = "threads", address: str | None = None, workers: int | None = None):
    if kind == "threads":
        from prefect.task_runners import ThreadPoolTaskRunner

        return ThreadPoolTaskRunner(max_workers=workers or 2)
    if kind == "dask":
        try:
            from prefect_dask import DaskTaskRunner
        except ImportError as exc:
            raise RuntimeError(
                "the dask task runner needs prefect-dask: pip install 'acecoder[dask]'"
            ) from exc
        if address:
            return DaskTaskRunner(address=address)
        # processes, one thread each: each worker process keeps its own warm sandbox pool
        return DaskTaskRunner(
            cluster_kwargs={
                "n_workers": workers or 2,
                "threads_per_worker": 1,
                "processes": True,
                "dashboard_address": None,
            }
        )
    if kind == "ray":
        try:
            from prefect_ray import RayTaskRunner
        except ImportError as exc:
            raise RuntimeError("the ray task runner needs prefect-ray: pip install prefect-ray") from exc
        return RayTaskRunner(address=address) if address else RayTaskRunner()
    raise ValueError(f"unknown task runner {kind!r}: use threads, dask or ray")


class PrefectBatches:
    """A stage driver's batch runner that submits each batch as a Prefect task to the flow's task runner
    (threads, Dask or Ray), at most `window` in flight, and hands results back in the batches' order: the
    driver then writes each batch from the flow's own thread (DuckDB has one writer) as it completes."""

    def __init__(self, task, window: int = 4) -> None:
        self.task = task
        self.window = window

    def map(self, work, batches):
        from collections import deque

        in_flight: deque = deque()
        for args in batches:
            in_flight.append((args, self.task.submit(work, args)))
            if len(in_flight) >= self.window:
                done_args, future = in_flight.popleft()
                yield done_args, future.result()
        while in_flight:
            done_args, future = in_flight.popleft()
            yield done_args, future.result()

"""SandboxPool: warm, confined worker processes that run jobs in parallel, batch after batch.

Each worker (worker.py) is started once, confines itself, and then has a fresh job process forked per job.
The pool keeps every worker one job ahead (it waits in the worker's pipe), so that a worker never waits
for the pool between jobs; but a job never waits behind a slow one (a looping program holds its worker for
its whole limit) while another worker idles: an idle worker, when no job is left to give it, takes over a
job queued behind a running one, which the pool cancels where it was (the worker skips it if it has not
started; if it has, the first verdict counts). So N looping programs on W workers take ceil(N / W) limits.
It reads replies as they come, turns them into Results (verdicts.py, plan.py) and yields them as they
finish. A worker that dies is replaced: the job it was running gets status `killed` (WorkerDied), the job
queued behind it runs elsewhere. One pool serves one batch at a time; other threads wait their turn.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import selectors
import subprocess
import sys
import threading
import weakref
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from acecoder.sandbox import verdicts
from acecoder.sandbox.job import Job, Limits
from acecoder.sandbox.namespaces import Isolation
from acecoder.sandbox.plan import ValueCheck, plan_test, script_unit
from acecoder.sandbox.verdicts import Result

# Imported once in every worker, so that programs find them loaded (and tests get pristine copies).
# Not `random` (nor `statistics`, which imports it): its fork hook would cost every job more than its import
# costs the few programs that use it.
DEFAULT_PRELOAD = (
    "array",
    "bisect",
    "cmath",
    "collections",
    "copy",
    "dataclasses",
    "datetime",
    "decimal",
    "enum",
    "fractions",
    "functools",
    "hashlib",
    "heapq",
    "itertools",
    "json",
    "math",
    "numbers",
    "operator",
    "re",
    "string",
    "struct",
    "textwrap",
    "typing",
    "unicodedata",
)
_JOBS_PER_WORKER = 2  # the running job and the next, so that a worker never waits for the pool between jobs
_START_TIMEOUT_S = 60.0
log = logging.getLogger(__name__)
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])


@dataclass
class _Pending:
    seq: int
    index: int
    job: Job
    checks: list[ValueCheck | None]
    request: bytes  # the JSON line the worker reads
    done: bool = False  # its Result was yielded (a job taken over may be answered twice)


class _WorkerProcess:
    """One worker: its process, the jobs sent to it in order, and unsent / unparsed bytes."""

    def __init__(self, command: list[str], env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            cwd="/",
            start_new_session=True,
            bufsize=0,
        )
        self.stdin = self.process.stdin.fileno()
        self.stdout = self.process.stdout.fileno()
        self.pending: deque[_Pending] = deque()
        self.cancelled: set[int] = set()  # seqs of pending jobs handed to another worker
        self.outbox = bytearray()
        self.inbox = bytearray()

    def handshake(self) -> dict[str, Any]:
        selector = selectors.DefaultSelector()
        selector.register(self.stdout, selectors.EVENT_READ)
        while b"\n" not in self.inbox:
            if not selector.select(_START_TIMEOUT_S) or not self._read():
                selector.close()
                raise RuntimeError(f"a sandbox worker failed to start (exit code {self.process.poll()})")
        selector.close()
        os.set_blocking(self.stdin, False)
        return json.loads(self.lines()[0])

    def send(self, pending: _Pending) -> None:
        self.pending.append(pending)
        self.outbox += pending.request + b"\n"

    def cancel(self, seq: int) -> None:
        self.cancelled.add(seq)
        self.outbox += json.dumps({"cancel": seq}).encode() + b"\n"

    def flush(self) -> None:
        try:
            written = os.write(self.stdin, self.outbox)
        except BlockingIOError:
            return
        except BrokenPipeError:  # it died; the reader will see it
            self.outbox.clear()
            return
        del self.outbox[:written]

    def _read(self) -> bool:
        data = os.read(self.stdout, 1 << 16)
        self.inbox += data
        return bool(data)

    def receive(self) -> tuple[list[bytes], bool]:
        """Complete reply lines received, and whether the worker is still alive."""
        alive = self._read()
        return self.lines(), alive

    def lines(self) -> list[bytes]:
        *complete, rest = self.inbox.split(b"\n")
        self.inbox = bytearray(rest)
        return complete

    def kill(self) -> None:
        # Its zygote, and with it every process of its jobs, dies with the worker (PDEATHSIG, pid namespace).
        self.process.kill()
        self.process.wait()
        self.process.stdin.close()
        self.process.stdout.close()


class SandboxPool:
    """A pool of sandbox workers. Use as a context manager, or call `close()`.

    `workers`: worker processes (None or 0: one per core). `limits`: applied to every job.
    `namespaces=False` runs without Linux namespaces (no network, filesystem or process isolation), and
    says so loudly; `strict=True` refuses to start unless every protection is on.
    `pool.isolation` tells what the workers run under.
    """

    def __init__(
        self,
        workers: int | None = None,
        limits: Limits | None = None,
        *,
        namespaces: bool = True,
        strict: bool = False,
        preload: tuple[str, ...] = DEFAULT_PRELOAD,
    ) -> None:
        self.limits = limits or Limits()
        self.size = workers or os.cpu_count() or 1
        self._command = [
            sys.executable,
            "-s",
            "-c",
            "from acecoder.sandbox.worker import main; main()",
            json.dumps(
                {"namespaces": namespaces, "preload": list(preload), "scratch_mb": self.limits.scratch_mb}
            ),
        ]
        self._env = _worker_environment()
        self._lock = threading.Lock()
        self._running_in: int | None = None
        self._seq = 0
        self._workers: list[_WorkerProcess] = []
        self._finalizer = weakref.finalize(self, _kill_all, self._workers)
        processes = [_WorkerProcess(self._command, self._env) for _ in range(self.size)]
        self._workers.extend(processes)
        report = [process.handshake() for process in processes][0]["isolation"]  # the same for all
        self.isolation = Isolation(**{**report, "warnings": tuple(report["warnings"])})
        if self.isolation.warnings:
            message = "sandbox isolation is incomplete: " + "; ".join(self.isolation.warnings)
            if strict:
                self.close()
                raise RuntimeError(message)
            log.warning("acecoder %s", message)

    def __enter__(self) -> SandboxPool:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the workers (and with them every process they started)."""
        for worker in self._workers:
            with contextlib.suppress(OSError):
                worker.process.stdin.close()  # a worker ends when its input ends
        for worker in self._workers:
            try:
                worker.process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                worker.process.kill()
            worker.process.stdout.close()
        self._workers.clear()

    def run(self, jobs: Iterable[Job]) -> list[Result]:
        """Run `jobs`; their Results in input order."""
        return sorted(self.run_batch(jobs), key=lambda result: result.index)

    def run_batch(self, jobs: Iterable[Job]) -> Iterator[Result]:
        """Run `jobs` (any iterable, read lazily); yield each Result as it finishes.

        Each Result has `index`, the job's position in `jobs`. Leaving the loop early stops the jobs still
        running (their workers are replaced).
        """
        if self._running_in == threading.get_ident():
            raise RuntimeError("this thread is still reading another batch of this pool; finish it first")
        if not self._workers:
            raise RuntimeError("the pool is closed")
        with self._lock:
            self._running_in = threading.get_ident()
            try:
                yield from self._dispatch(iter(enumerate(jobs)))
            finally:
                self._running_in = None
                self._replace_busy_workers()

    def _dispatch(self, jobs: Iterator[tuple[int, Job]]) -> Iterator[Result]:
        # Jobs prepared (planned and encoded) ahead, one per worker, so that a worker that answers gets its
        # next job at once, before its answer is even judged.
        ready: deque[_Pending] = deque()
        exhausted = False
        finished: list[Result] = []
        selector = selectors.DefaultSelector()
        try:
            while True:
                while not exhausted and len(ready) < len(self._workers):
                    item = next(jobs, None)
                    if item is None:
                        exhausted = True
                    else:
                        ready.append(self._prepare(*item))
                for depth in range(1, _JOBS_PER_WORKER + 1):  # a job for every idle worker first
                    for worker in self._workers:
                        if len(worker.pending) < depth and ready:
                            self._send(worker, ready.popleft())
                if not ready:
                    self._take_over_queued_jobs()
                # Handed over only now, with every free worker given its next job: the caller's work on
                # them (storing, printing) overlaps the workers' rather than leaving them idle.
                yield from finished
                if not ready and not any(worker.pending for worker in self._workers):
                    return
                finished = list(self._collect(selector, ready))
        finally:
            selector.close()

    def _take_over_queued_jobs(self) -> None:
        """Give each idle worker a job waiting behind another worker's running job."""
        for thief in self._workers:
            if thief.pending:
                continue
            waiting = [
                (worker, pending)
                for worker in self._workers
                for pending in list(worker.pending)[1:]
                if pending.seq not in worker.cancelled
            ]
            if not waiting:
                return
            victim, pending = waiting[0]
            victim.cancel(pending.seq)
            victim.flush()
            self._send(thief, pending)

    def _collect(self, selector: selectors.BaseSelector, ready: deque[_Pending]) -> Iterator[Result]:
        """Wait for replies (or room to send); hand the workers that answered their next jobs; yield the
        replies' Results; replace dead workers."""
        for worker in self._workers:
            selector.register(worker.stdout, selectors.EVENT_READ, worker)
            if worker.outbox:
                selector.register(worker.stdin, selectors.EVENT_WRITE, worker)
        events = selector.select()
        for fd in list(selector.get_map()):
            selector.unregister(fd)
        for key, _ in events:
            worker: _WorkerProcess = key.data
            if worker not in self._workers:  # replaced a moment ago
                continue
            if key.fd == worker.stdin:
                worker.flush()
                continue
            lines, alive = worker.receive()
            answered = [self._answered(worker, json.loads(line)) for line in lines]
            while alive and len(worker.pending) < _JOBS_PER_WORKER and ready:
                self._send(worker, ready.popleft())
            for pending, reply in answered:
                if reply.get("cancelled") or pending.done:
                    continue
                pending.done = True
                yield verdicts.finalize(pending.job, pending.checks, reply, self.limits, pending.index)
            if not alive:
                yield from self._replace(worker, ready)

    def _prepare(self, index: int, job: Job) -> _Pending:
        if not isinstance(job, Job):
            raise TypeError(f"job {index} is a {type(job).__name__}, not a Job")
        self._seq += 1
        checks = [plan_test(test) for test in job.tests]
        units = [
            check.unit() if check is not None else script_unit(test)
            for check, test in zip(checks, job.tests, strict=True)
        ]
        units += [{"kind": "values", "exprs": [[call, 1]], "where": "call"} for call in job.calls or ()]
        request = {
            "seq": self._seq,
            "program": job.program,
            "units": units,
            "limits": self.limits.for_job(job),
        }
        return _Pending(self._seq, index, job, checks, json.dumps(request, separators=(",", ":")).encode())

    def _send(self, worker: _WorkerProcess, pending: _Pending) -> None:
        worker.send(pending)
        worker.flush()

    def _answered(self, worker: _WorkerProcess, reply: dict[str, Any]) -> tuple[_Pending, dict[str, Any]]:
        pending = worker.pending.popleft()
        if reply.get("seq") != pending.seq:
            raise RuntimeError(f"sandbox worker answered job {reply.get('seq')} instead of {pending.seq}")
        worker.cancelled.discard(pending.seq)
        return pending, reply

    def _replace(self, dead: _WorkerProcess, ready: deque[_Pending]) -> Iterator[Result]:
        dead.kill()
        if dead.pending:  # the first was running when it died; the others never started
            running = dead.pending.popleft()
            ready.extendleft(reversed([p for p in dead.pending if p.seq not in dead.cancelled]))
            if not running.done and running.seq not in dead.cancelled:  # else another worker has it
                running.done = True
                yield verdicts.lost(
                    running.job,
                    running.checks,
                    self.limits,
                    running.index,
                    "the sandbox worker running it died",
                )
        replacement = _WorkerProcess(self._command, self._env)
        replacement.handshake()
        self._workers[self._workers.index(dead)] = replacement

    def _replace_busy_workers(self) -> None:
        """After a batch left early: workers still holding its jobs are replaced rather than waited for."""
        for position, worker in enumerate(self._workers):
            if worker.pending:
                worker.kill()
                replacement = _WorkerProcess(self._command, self._env)
                replacement.handshake()
                self._workers[position] = replacement


def _worker_environment() -> dict[str, str]:
    """All a worker (and so a job) gets of an environment: nothing of the caller's, API keys included."""
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "HOME": "/tmp",
        "TMPDIR": "/tmp",
        "PYTHONHASHSEED": "0",  # set and dict orders, and so outputs, the same in every worker
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONPATH": _PACKAGE_ROOT,
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
    }


def _kill_all(workers: list[_WorkerProcess]) -> None:
    for worker in workers:
        if worker.process.poll() is None:
            worker.process.kill()

"""A sandbox worker: a long-lived, confined process that runs one job at a time.

The pool (pool.py) starts it with `python -s -c "...worker.main()" CONFIG`. It imports the harness and
common stdlib modules, confines itself once (namespaces.py), starts its zygote (zygote.py), says
`{"ready": true, "isolation": ...}`, then reads jobs as JSON lines on stdin and answers each with one JSON
line on stdout.

For each job it compiles the program and the tests, has the zygote fork a job process (child.py) and
supervises it: it checks the job's authenticated frames (frames.py), keeps the first bytes of its output
and throws the rest away, enforces the time limits, and when a unit overruns or the job process dies or
spoils its channel, has the zygote kill every process of the job and starts a fresh attempt at the next
unit. Where the units share the job process (the default, not `fork_per_test`), a unit that ran out of
memory also ends the attempt, so that the next unit starts from a freshly loaded program rather than from
a heap in that state. The worker never runs program code: every verdict it passes on was made by harness
code, or by itself (timeouts, deaths, broken channels).

config (argv): {"namespaces": bool, "preload": [module, ...], "scratch_mb": int}
request: {"seq", "program", "units": [...], "limits": {"timeout_s", "unit_timeouts_s": [...],
          "program_timeout_s", "memory_mb", "max_processes", "max_open_files", "file_size_mb",
          "output_bytes", "cpu_s", "fork_per_test"}}
reply:   {"seq", "load": {...}, "units": [{...} per unit], "output": str, "duration_ms"}
cancel:  {"cancel": seq}, a job sent earlier that the pool has given to another worker: if it has not
         started yet, it never runs and its reply is {"seq", "cancelled": true}
"""

from __future__ import annotations

import contextlib
import gc
import json
import marshal
import os
import select
import signal
import socket
import sys
import time
from collections import deque
from dataclasses import asdict
from typing import Any

from acecoder.sandbox import child, namespaces, zygote
from acecoder.sandbox.frames import CorruptChannel, FrameReader

_READ_SIZE = 1 << 16
_EXIT_GRACE_S = 0.2  # how long a job that closed its channel may take to exit by itself
_STATUSES = frozenset({"ok", "pass", "fail", "error", "timeout", "memory", "syntax", "killed", "values"})
_WHERE = frozenset({"program", "test", "call"})
# Statuses the harness never reports for a unit of that kind: a value check is judged outside the job, so a
# "pass" for one can only be a frame forged with the channel's key, read out of the job's memory.
_IMPOSSIBLE = {"values": frozenset({"pass"}), "script": frozenset({"values"})}


def main() -> None:
    config = json.loads(sys.argv[1])
    requests, replies = os.dup(0), os.dup(1)
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(null, 1)
    os.environ.pop("PYTHONPATH", None)  # it names the project's folder; jobs have no use for it
    child.prepare_worker(tuple(config["preload"]))
    setup = namespaces.enter_namespaces(config["namespaces"])
    child.warm_up()
    child.forget_harness_modules()
    gc.collect()
    gc.freeze()  # a job's collections then leave the worker's objects, and their shared pages, alone
    zygote_socket, zygote_pid = zygote.start(setup, config["scratch_mb"])
    namespaces.drop_privileges(namespaces.Setup())
    ready = zygote.receive(zygote_socket)
    if ready is None:
        raise RuntimeError("the sandbox worker's zygote failed to start")
    _, steps, warnings, host_uid = ready[0]
    isolation = namespaces.Setup(steps, warnings, host_uid).isolation()
    _send(replies, {"ready": True, "isolation": asdict(isolation)})
    worker = Worker(isolation, zygote_socket)
    incoming = _Requests(requests)
    while (taken := incoming.next()) is not None:
        request, cancelled = taken
        _send(replies, {"seq": request["seq"], "cancelled": True} if cancelled else worker.run_job(request))
    zygote_socket.close()  # the zygote ends with its socket; reaping it hands its jobs' usage to the pool
    os.waitpid(zygote_pid, 0)


def _send(fd: int, message: dict[str, Any]) -> None:
    data = memoryview(json.dumps(message, separators=(",", ":")).encode() + b"\n")
    while data:
        data = data[os.write(fd, data) :]


class _Requests:
    """The pool's job requests in order, each with whether the pool took it back before it started."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.buffer = bytearray()
        self.queued: deque[dict[str, Any]] = deque()
        self.cancelled: set[int] = set()
        self.closed = False

    def next(self) -> tuple[dict[str, Any], bool] | None:
        """The next request and whether it was cancelled; None once the pool has closed the input."""
        self._read(block=False)  # the cancellations that came while the last job ran
        while not self.queued:
            if self.closed:
                return None
            self._read(block=True)
        request = self.queued.popleft()
        cancelled = request["seq"] in self.cancelled
        self.cancelled.discard(request["seq"])
        return request, cancelled

    def _read(self, block: bool) -> None:
        poller = select.poll()
        poller.register(self.fd, select.POLLIN)
        while not self.closed and (block or poller.poll(0)):
            data = os.read(self.fd, _READ_SIZE)
            self.closed = not data
            self.buffer += data
            block = False
        *lines, rest = self.buffer.split(b"\n")
        self.buffer = bytearray(rest)
        for line in lines:
            message = json.loads(line)
            if "cancel" not in message:
                self.queued.append(message)
            elif any(request["seq"] == message["cancel"] for request in self.queued):  # else it has run
                self.cancelled.add(message["cancel"])


class _Output:
    """The first `limit` bytes a job writes to stdout and stderr; the rest is counted and dropped."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.kept = bytearray()
        self.dropped = 0

    def add(self, data: bytes) -> None:
        room = max(0, self.limit - len(self.kept))
        self.kept += data[:room]
        self.dropped += len(data) - min(room, len(data))

    def text(self) -> str:
        text = self.kept.decode("utf-8", "replace")
        return text + (f"\n[{self.dropped} more bytes not kept]" if self.dropped else "")


class Worker:
    """Runs jobs one after another, through its zygote, under the isolation they achieved together."""

    def __init__(self, isolation: namespaces.Isolation, zygote_socket: socket.socket) -> None:
        self.isolation = isolation
        self.zygote = zygote_socket
        self.attempts = 0

    def run_job(self, request: dict[str, Any]) -> dict[str, Any]:
        started = time.monotonic()
        job = _JobState(request, started + request["limits"]["program_timeout_s"])
        if job.program.syntax is not None:  # nothing to run
            job.load = _clean(job.program.syntax)
            job.fill(0, job.load)
        else:
            start = self._attempt(job, 0, new_job=True)  # once even without units: the program's own status
            while start < len(job.outcomes):
                start = self._attempt(job, start, new_job=False)
        return {
            "seq": request["seq"],
            "load": job.load,
            "units": job.outcomes,
            "output": job.output.text(),
            "duration_ms": round((time.monotonic() - started) * 1000, 3),
        }

    def _attempt(self, job: _JobState, start: int, new_job: bool) -> int:
        """Run the units from `start` in a fresh job process; returns where the next attempt starts."""
        key = os.urandom(32)
        result_r, result_w = os.pipe()
        output_r, output_w = os.pipe()
        rlimits = child.job_rlimits(job.limits, self._max_tasks(job.limits["max_processes"]))
        unpacked_by_the_job = marshal.dumps(
            (job.program.code, job.program.defined, job.unit_tuples, start, key, job.fork_per_test)
        )
        self.attempts += 1
        zygote.send(
            self.zygote, ("run", self.attempts, new_job, rlimits, unpacked_by_the_job), [result_w, output_w]
        )
        os.close(result_w)
        os.close(output_w)
        attempt = _Attempt(job, start, FrameReader(key))
        try:
            self._supervise(attempt, result_r, output_r)
        finally:
            # With every verdict in, the zygote ends the job while this worker answers; otherwise its
            # end must be known (and its processes gone) to tell what happened.
            status = None if attempt.finished else self._end(attempt)
            if attempt.finished:
                zygote.send(self.zygote, ("end",))
            attempt.drain(result_r, output_r, until_closed=not attempt.finished)
            os.close(result_r)
            os.close(output_r)
        return attempt.conclude(status)

    def _supervise(self, attempt: _Attempt, result_r: int, output_r: int) -> None:
        """Follow the attempt until every unit has a verdict, a limit passes, or the job process fails."""
        poller = select.poll()
        for fd in (result_r, output_r, self.zygote.fileno()):
            poller.register(fd, select.POLLIN)
        while not attempt.finished:
            remaining = attempt.due - time.monotonic()
            if remaining <= 0:
                attempt.stop("timeout")
                return
            for fd, _ in poller.poll(remaining * 1000 + 1):
                if fd == self.zygote.fileno():
                    self._hear_from_zygote(attempt)
                    continue
                data = os.read(fd, _READ_SIZE)
                if fd == output_r:
                    attempt.job.output.add(data)
                else:
                    attempt.receive(data)
                if not data:
                    poller.unregister(fd)
            if attempt.reason == "closed" and attempt.exit_status is None:
                self._await_exit(attempt)
            if attempt.reason is not None:
                return

    def _await_exit(self, attempt: _Attempt) -> None:
        """The job closed its channel: give it a moment to exit by itself, so that its verdict tells how it
        ended (an exit code, a signal) rather than the kill that would otherwise come first."""
        poller = select.poll()
        poller.register(self.zygote.fileno(), select.POLLIN)
        deadline = time.monotonic() + _EXIT_GRACE_S
        while attempt.exit_status is None and (remaining := deadline - time.monotonic()) > 0:
            if not poller.poll(remaining * 1000):
                return
            self._hear_from_zygote(attempt)

    def _hear_from_zygote(self, attempt: _Attempt) -> None:
        """Take in the one message that is waiting (late news of an earlier attempt changes nothing)."""
        received = zygote.receive(self.zygote)
        if received is None:
            raise RuntimeError("the sandbox worker's zygote died")
        message = received[0]
        if message[1] != self.attempts:
            return
        if message[0] == "exited":
            attempt.exit_status = message[2]
            attempt.stop("exited")
        elif message[0] == "failed":  # the job process could not be started
            attempt.stop("failed", message[2])

    def _next_zygote_message(self) -> tuple:
        """Wait for the zygote's next message about the current attempt, skipping late ones."""
        while (received := zygote.receive(self.zygote)) is not None:
            if received[0][1] == self.attempts:
                return received[0]
        raise RuntimeError("the sandbox worker's zygote died")

    def _end(self, attempt: _Attempt) -> int | None:
        """Have the zygote kill every process of the job; returns the job process's wait status."""
        zygote.send(self.zygote, ("end",))
        while (message := self._next_zygote_message())[0] != "ended":
            if message[0] == "exited":
                attempt.exit_status = message[2]
        return attempt.exit_status if message[2] is None else message[2]

    def _max_tasks(self, max_processes: int) -> int:
        if self.isolation.user_namespace:  # counted per user namespace: the worker and its zygote too
            return max_processes + 2
        return max_processes + _count_processes(os.getuid())


class _JobState:
    """Verdicts and output of one job, gathered over its attempts."""

    def __init__(self, request: dict[str, Any], deadline: float) -> None:
        self.program = child.compile_program(request["program"])
        self.unit_tuples = tuple(
            (unit.kind, unit.codes, unit.syntax) for unit in map(child.compile_unit, request["units"])
        )
        self.limits = request["limits"]
        self.fork_per_test = bool(self.limits["fork_per_test"])
        self.deadline = deadline
        self.outcomes: list[dict[str, Any] | None] = [None] * len(request["units"])
        self.output = _Output(self.limits["output_bytes"])
        self.load: dict[str, Any] | None = None

    def fill(self, start: int, outcome: dict[str, Any]) -> None:
        for index in range(start, len(self.outcomes)):
            self.outcomes[index] = dict(outcome)


class _Attempt:
    """State of one job process: which unit runs, since when, and why it stopped."""

    def __init__(self, job: _JobState, start: int, reader: FrameReader) -> None:
        self.job = job
        self.reader = reader
        self.exit_status: int | None = None
        self.loaded = False
        self.current = start
        self.since = time.monotonic()  # start of the load, then of the current unit
        self.reason: str | None = None  # why the attempt stopped before every verdict was in
        self.detail = ""
        self.timed_out: tuple[bool, int] | None = None

    @property
    def finished(self) -> bool:
        return self.loaded and self.current >= len(self.job.outcomes)

    @property
    def limit(self) -> float:
        if not self.loaded:
            return self.job.limits["timeout_s"]
        return self.job.limits["unit_timeouts_s"][self.current]

    @property
    def due(self) -> float:
        return min(self.since + self.limit, self.job.deadline)

    def stop(self, reason: str, detail: str = "") -> None:
        if self.reason is None:
            self.reason, self.detail = reason, detail
            if reason == "timeout":
                self.timed_out = (self.loaded, self.current)

    def receive(self, data: bytes) -> None:
        if not data:
            self.stop("closed")
            return
        if self.reason in ("corrupt", "restart"):  # nothing after that point counts
            return
        try:
            for message in self.reader.feed(data):
                self._handle(message)
                if self.reason == "restart":  # units the process ran after that one do not count
                    return
        except CorruptChannel as exc:
            self.reason, self.detail = "corrupt", str(exc)

    def drain(self, result_r: int, output_r: int, until_closed: bool) -> None:
        """Read what the job wrote: all of it once every writer is dead, else what is there now."""
        for fd in (result_r, output_r):
            os.set_blocking(fd, until_closed)
            with contextlib.suppress(BlockingIOError):
                while data := os.read(fd, _READ_SIZE):
                    if fd == output_r:
                        self.job.output.add(data)
                    else:
                        self.receive(data)

    def _handle(self, message: dict[str, Any]) -> None:
        kind = message.get("k")
        now = time.monotonic()
        if kind == "loaded" and not self.loaded:
            self.job.load = self.job.load or _clean(message)
            self.loaded = True
            if message.get("status") == "ok":
                self.since = now
            else:
                self.job.fill(self.current, _clean(message))
                self.current = len(self.job.outcomes)
        elif kind == "unit" and self.loaded and message.get("i") == self.current:
            outcome = _clean(message)
            if outcome["status"] in _IMPOSSIBLE[self.job.unit_tuples[self.current][0]]:
                raise CorruptChannel(f"status {outcome['status']!r} for a unit that cannot have it")
            self.job.outcomes[self.current] = outcome
            self.current += 1
            self.since = now
            if outcome["status"] == "memory" and not self.job.fork_per_test and not self.finished:
                self.stop("restart")
        elif kind == "ended" and self.job.fork_per_test and self.loaded and message.get("i") == self.current:
            self.job.outcomes[self.current] = _killed(
                *_exit_reason(message.get("exit_code"), message.get("signal"))
            )
            self.current += 1
            self.since = now
        elif kind == "ended" and self.job.fork_per_test and message.get("i") == self.current - 1:
            pass  # the unit reported before its process ended, as it should
        elif kind == "crash":  # explains an exit seen first
            self.reason, self.detail = "crash", str(message.get("message", ""))[:300]
        else:
            raise CorruptChannel(f"unexpected frame {str(kind)[:20]!r}")

    def conclude(self, status: int | None) -> int:
        """Give the unit(s) left without a verdict one; returns where the next attempt starts."""
        job, total = self.job, len(self.job.outcomes)
        if self.finished:
            return total
        elapsed = round((time.monotonic() - self.since) * 1000, 3)
        if time.monotonic() >= job.deadline:
            limit = job.limits["program_timeout_s"]
            outcome = _timeout(f"the program's {limit:g} s limit for all its tests ran out", elapsed)
            if not self.loaded:
                job.load = job.load or outcome
            job.fill(self.current, outcome)
            return total
        if self.reason == "restart":  # the last unit has its verdict; the next starts in a fresh process
            return self.current
        if self.reason == "timeout":
            if self.timed_out != (self.loaded, self.current):
                return self.current  # the unit finished as time ran out; the next one never started
            message = f"took longer than {self.limit:g} s"
            if not self.loaded:
                job.load = job.load or _timeout(f"loading the program {message}", elapsed)
                job.fill(self.current, job.load)
                return total
            job.outcomes[self.current] = _timeout(message, elapsed)
            return self.current + 1
        outcome = _killed(*self._failure(status))
        outcome["duration_ms"] = elapsed
        if not self.loaded:
            job.load = job.load or outcome
            job.fill(self.current, outcome)
            return total
        job.outcomes[self.current] = outcome
        return self.current + 1

    def _failure(self, status: int | None) -> tuple[str, str]:
        if self.reason == "corrupt":
            return "CorruptChannel", f"the program wrote on the harness's channel ({self.detail})"
        if self.reason == "crash":
            return "HarnessError", self.detail
        if self.reason == "failed":
            return "ForkFailed", self.detail
        if status is not None and os.WIFSIGNALED(status):
            return _exit_reason(None, os.WTERMSIG(status))
        if status is not None:
            return _exit_reason(os.WEXITSTATUS(status), None)
        return "ChannelClosed", "the program closed the harness's channel"


def _clean(message: dict[str, Any]) -> dict[str, Any]:
    """Keep the known fields of a unit report, each of its expected type and size."""
    status = message.get("status")
    line = message.get("error_line")
    duration = message.get("duration_ms")
    values = message.get("values")
    return {
        "status": status if status in _STATUSES else "error",
        "error_type": _text(message.get("error_type"), 100),
        "error_line": line if type(line) is int else None,
        "error_where": message.get("error_where") if message.get("error_where") in _WHERE else None,
        "message": _text(message.get("message"), 300) or "",
        "duration_ms": float(duration) if type(duration) in (int, float) else 0.0,
        "values": values if type(values) is list else None,
    }


def _text(value: Any, limit: int) -> str | None:
    return value[:limit] if type(value) is str else None


def _killed(error_type: str, message: str) -> dict[str, Any]:
    return {
        "status": "killed",
        "error_type": error_type,
        "error_line": None,
        "error_where": None,
        "message": message,
        "duration_ms": 0.0,
        "values": None,
    }


def _timeout(message: str, elapsed_ms: float) -> dict[str, Any]:
    return {
        "status": "timeout",
        "error_type": "Timeout",
        "error_line": None,
        "error_where": None,
        "message": message,
        "duration_ms": elapsed_ms,
        "values": None,
    }


def _exit_reason(exit_code: Any, signal_number: Any) -> tuple[str, str]:
    if type(signal_number) is int:
        try:
            name = signal.Signals(signal_number).name
        except ValueError:
            name = f"signal {signal_number}"
        return "Signal", f"the process running it was killed by {name}"
    if type(exit_code) is int:
        return "Exit", f"the process running it exited with code {exit_code} before its verdict"
    return "Exit", "the process running it ended before its verdict"


def _count_processes(uid: int) -> int:
    count = 0
    for entry in os.listdir("/proc"):
        try:
            count += entry.isdigit() and os.stat(f"/proc/{entry}").st_uid == uid
        except OSError:
            continue
    return count

"""Running candidate programs in the sandbox: one warm pool, a progress bar, nothing run twice.

Two kinds of request: calls (evaluate expressions such as `f(1, 2)` after the program and bring back the
repr of each returned value) and tests (snippets judged pass/fail). A request identical to one already run
in this executor (same program up to layout and comments, same calls or tests, same time limit) is answered
from memory, so duplicate samples and repeated evaluations cost nothing.

Each sandbox call costs a process fork, so `grouped_outcomes` evaluates many calls as one tuple, and runs
them one by one only where its caller needs to know which call did what.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tqdm import tqdm

from acecoder.rerank.candidates import behaviour_key
from acecoder.rerank.values import NotALiteral, parse_value, tuple_expression

_Pending = tuple[str, str, list[str], list[str] | None, float]  # key, program, tests, calls, timeout_s


@dataclass(frozen=True)
class CallRequest:
    program: str
    calls: tuple[str, ...]
    timeout_s: float


@dataclass(frozen=True)
class TestRequest:
    program: str
    tests: tuple[str, ...]
    timeout_s: float


@dataclass(frozen=True)
class CallGroup:
    """Calls to evaluate after one program; a group of them may take the sum of their time limits."""

    program: str
    calls: tuple[str, ...]
    timeouts_s: tuple[float, ...]


@dataclass(frozen=True)
class CallOutcome:
    """What one call did: `returned` a plain `value`; `unreadable` (it returned something that cannot be
    carried back: not a plain value, or too large); or failed with the sandbox's `status` (error, timeout,
    memory, syntax, killed) and `error_type`."""

    status: str
    value: Any = None
    error_type: str = ""
    duration_ms: float = 0.0

    @property
    def returned(self) -> bool:
        return self.status == "returned"


class Executor:
    """Runs requests through an open `SandboxPool`.

    Each call of `call_outcomes` or `test_verdicts` is one batch: the pool reads its jobs lazily and keeps
    every worker a job ahead (an idle one takes over a job queued behind a slow one), so the workers stay
    busy to the end of the batch.
    """

    def __init__(self, pool: Any, *, progress: bool = True):
        self.pool = pool
        self.progress = progress
        self._memory: dict[str, Any] = {}  # job key -> what was read from its result

    def call_outcomes(self, requests: Sequence[CallRequest], description: str) -> list[list[CallOutcome]]:
        """One outcome per call of each request, in request order."""
        jobs = [
            (self._key("calls", r.program, r.calls, r.timeout_s), r.program, [], list(r.calls), r.timeout_s)
            for r in requests
        ]
        return self._run(jobs, description, lambda result, job: _call_outcomes(result, len(job[3])))

    def grouped_outcomes(
        self,
        groups: Sequence[CallGroup],
        description: str,
        *,
        split: Callable[[CallOutcome], bool],
        min_group_timeout_s: float,
        min_call_timeout_s: float,
    ) -> list[list[CallOutcome]]:
        """One outcome per call of each group: first all of a group's calls as one tuple, in one sandbox call.

        Where that call does not return every value and `split(outcome)` says the caller needs to know which
        call did what, the group runs again with one sandbox call per call (in one job); otherwise the
        outcome stands for each of its calls. A group's time limit is the sum of its calls' limits, and at
        least `min_group_timeout_s`; a single call's is its own, and at least `min_call_timeout_s`. A value
        returned within a tuple gets an equal share of the tuple's `duration_ms`.
        """
        together = self.call_outcomes(
            [
                CallRequest(
                    g.program, (tuple_expression(list(g.calls)),), max(min_group_timeout_s, sum(g.timeouts_s))
                )
                for g in groups
            ],
            description,
        )
        found: list[list[CallOutcome] | None] = []
        again = []
        for index, (group, (outcome,)) in enumerate(zip(groups, together, strict=True)):
            size = len(group.calls)
            if outcome.returned and isinstance(outcome.value, tuple) and len(outcome.value) == size:
                share = outcome.duration_ms / size
                found.append([CallOutcome("returned", value, duration_ms=share) for value in outcome.value])
            elif size > 1 and split(outcome):
                found.append(None)
                again.append(index)
            else:
                found.append([outcome] * size)
        one_by_one = self.call_outcomes(
            [
                CallRequest(
                    groups[i].program, groups[i].calls, max(min_call_timeout_s, *groups[i].timeouts_s)
                )
                for i in again
            ],
            f"{description}, one call at a time",
        )
        for index, outcomes in zip(again, one_by_one, strict=True):
            found[index] = outcomes
        return found

    def test_verdicts(self, requests: Sequence[TestRequest], description: str) -> list[list[bool]]:
        """Whether each test of each request passed, in request order."""
        jobs = [
            (self._key("tests", r.program, r.tests, r.timeout_s), r.program, list(r.tests), None, r.timeout_s)
            for r in requests
        ]
        return self._run(jobs, description, lambda result, job: _test_verdicts(result, len(job[2])))

    def _run(
        self, jobs: list[_Pending], description: str, read: Callable[[Mapping[str, Any], _Pending], Any]
    ) -> list[Any]:
        """`read(result, job)` of each job, from memory or from the sandbox (each distinct job runs once)."""
        from acecoder.sandbox import Job

        pending = {job[0]: job for job in jobs if job[0] not in self._memory}
        with tqdm(
            total=len(pending),
            desc=description,
            unit="job",
            file=sys.stderr,
            disable=not self.progress,
            dynamic_ncols=True,
        ) as bar:
            sandbox_jobs = (
                Job(id=key, program=program, tests=tests, timeout_s=timeout_s, calls=calls)
                for key, program, tests, calls, timeout_s in pending.values()
            )
            for result in self.pool.run_batch(sandbox_jobs):
                self._memory[result["id"]] = read(result, pending[result["id"]])
                bar.update(1)
        return [self._memory[job[0]] for job in jobs]

    @staticmethod
    def _key(kind: str, program: str, parts: Sequence[str], timeout_s: float) -> str:
        digest = hashlib.sha256()
        for part in (kind, behaviour_key(program), repr(timeout_s), *parts):
            digest.update(part.encode("utf-8", "surrogatepass"))
            digest.update(b"\0")
        return digest.hexdigest()


def _test_verdicts(result: Mapping[str, Any], count: int) -> list[bool]:
    tests = result["tests"]
    return [test["status"] == "pass" for test in tests] if len(tests) == count else [False] * count


def _call_outcomes(result: Mapping[str, Any], count: int) -> list[CallOutcome]:
    outcomes = [_call_outcome(entry) for entry in (result.get("calls") or [])[:count]]
    missing = CallOutcome("killed", error_type="NoVerdict")
    return outcomes + [missing] * (count - len(outcomes))


def _call_outcome(entry: Mapping[str, Any]) -> CallOutcome:
    duration = float(entry.get("duration_ms") or 0.0)
    error_type = entry.get("error_type") or ""
    if entry["status"] == "ok":
        try:
            return CallOutcome("returned", parse_value(entry["value"]), duration_ms=duration)
        except NotALiteral:  # e.g. an int too long to print
            return CallOutcome("unreadable", error_type="UnreadableValue", duration_ms=duration)
    if error_type in ("UnserializableValue", "ValueTooLarge"):
        # it returned, but something the harness does not carry back (an object, a huge value)
        return CallOutcome("unreadable", error_type=error_type, duration_ms=duration)
    return CallOutcome(entry["status"], error_type=error_type, duration_ms=duration)

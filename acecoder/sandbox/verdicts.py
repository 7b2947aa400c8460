"""Verdicts: the output contract of `acecoder execute`, and the rules that fill it from a worker's reply.

One Result per job, a dict of this shape (plus the attribute `index`, the job's place in its batch):

    {"id", "status", "passed", "total", "pass_rate",
     "tests": [{"status", "error_type", "error_line", "error_where", "message", "duration_ms", "category"}],
     "calls": [{"status", "value", "error_type", "error_line", "error_where", "message", "duration_ms"}],
     "output", "duration_ms"}

"calls" is present only for a job given calls; "output" holds the first bytes the program printed.

Test status:
    pass     the test ran and every assert held
    fail     an assert was false, or compared a value that is not plain (error_type NotPlainValue)
    error    an exception (error_type); error_line is the 1-based line where it was raised, in the
             program or the test as error_where says
    timeout  the test, or executing the program, outran its limit, or the program's overall limit ran out
    memory   MemoryError: the address-space limit
    syntax   the program (error_where "program") or the test ("test") does not compile
    killed   the process ended, or spoiled the harness's channel, before a verdict; error_type says how:
             Signal, Exit, CorruptChannel, ChannelClosed, ForkFailed, HarnessError, WorkerDied
A call's status is "ok" (with `value`, the repr() of the plain value it returned) or one of the above but
pass and fail; a value that is not plain gives error UnserializableValue, a repr longer than
`Limits.max_value_chars` error ValueTooLarge.

Program status: "syntax" if the program does not compile; else "pass" if every test and call passed (or
there are none and the program ran); else the first status any of them has in this order: timeout,
memory, killed, error, syntax (a test that does not compile), fail.

RLTF categories, for each test that did not pass:
    global  the program is cut short or runs away: a syntax error on its last line or about an unclosed
            bracket, an unterminated string or the end of input; a RecursionError; timeout; memory
    line    any other syntax error in the program; an exception other than AssertionError raised on a line
            of the program
    ignore  a false assert, an AssertionError, an error raised in the test itself or not traceable to a
            program line, a killed process, a test that does not compile
"""

from __future__ import annotations

from typing import Any

from acecoder.sandbox import values
from acecoder.sandbox.job import Job, Limits
from acecoder.sandbox.plan import ValueCheck

TEST_STATUSES = frozenset({"pass", "fail", "error", "timeout", "memory", "syntax", "killed"})
PROGRAM_STATUS_ORDER = ("timeout", "memory", "killed", "error", "syntax", "fail")
_CUT_SHORT = ("was never closed", "unexpected EOF", "unterminated triple-quoted string")
_FIELDS = ("status", "error_type", "error_line", "error_where", "message")


class Result(dict):
    """One job's verdicts in the output contract's shape; `index` is the job's position in its batch."""

    def __init__(self, fields: dict[str, Any], index: int) -> None:
        super().__init__(fields)
        self.index = index

    @property
    def id(self) -> str:
        return self["id"]

    @property
    def status(self) -> str:
        return self["status"]

    @property
    def pass_rate(self) -> float:
        return self["pass_rate"]

    @property
    def tests(self) -> list[dict[str, Any]]:
        return self["tests"]

    @property
    def calls(self) -> list[dict[str, Any]] | None:
        return self.get("calls")


def finalize(
    job: Job, checks: list[ValueCheck | None], reply: dict[str, Any], limits: Limits, index: int
) -> Result:
    """The Result of `job` from its worker's reply."""
    units = reply["units"]
    tests = [_test_verdict(job.program, check, unit) for check, unit in zip(checks, units, strict=False)]
    calls = [_call_verdict(unit, limits.max_value_chars) for unit in units[len(checks) :]]
    passed = sum(test["status"] == "pass" for test in tests)
    fields: dict[str, Any] = {
        "id": job.id,
        "status": _program_status(reply.get("load"), tests, calls),
        "passed": passed,
        "total": len(tests),
        "pass_rate": passed / len(tests) if tests else 0.0,
        "tests": tests,
    }
    if job.calls is not None:
        fields["calls"] = calls
    fields["output"] = reply.get("output", "")
    fields["duration_ms"] = reply.get("duration_ms", 0.0)
    return Result(fields, index)


def lost(job: Job, checks: list[ValueCheck | None], limits: Limits, index: int, message: str) -> Result:
    """The Result of a job whose worker died under it."""
    unit = {
        "status": "killed",
        "error_type": "WorkerDied",
        "error_line": None,
        "error_where": None,
        "message": message,
        "duration_ms": 0.0,
        "values": None,
    }
    count = len(job.tests) + len(job.calls or ())
    return finalize(job, checks, {"load": unit, "units": [unit] * count}, limits, index)


def _test_verdict(program: str, check: ValueCheck | None, unit: dict[str, Any]) -> dict[str, Any]:
    verdict = {name: unit.get(name) for name in _FIELDS}
    if unit["status"] == "values":
        decoded = _decode(unit, 0 if check is None else len(check.exprs))
        verdict.update(check.judge(decoded) if check is not None and decoded is not None else _corrupt())
    elif unit["error_type"] in ("NotPlainValue", "ValueTooLarge") and unit["error_where"] is None:
        verdict["status"] = "fail"  # a compared value the harness refused to compare
        if check is not None:
            verdict.update(error_line=check.line, error_where="test")
    if verdict["status"] not in TEST_STATUSES:
        verdict["status"] = "error"
    verdict["duration_ms"] = unit["duration_ms"]
    verdict["category"] = category(verdict, program)
    return verdict


def _call_verdict(unit: dict[str, Any], max_chars: int) -> dict[str, Any]:
    verdict = {"status": unit["status"], "value": None, **{name: unit.get(name) for name in _FIELDS[1:]}}
    if unit["status"] == "values":
        decoded = _decode(unit, 1)
        if decoded is None:
            verdict.update(_corrupt())
        else:
            try:
                text = repr(decoded[0])
            except ValueError:  # an int past Python's digit limit for str()
                text = None
            if text is None or len(text) > max_chars:
                verdict.update(
                    status="error",
                    error_type="ValueTooLarge",
                    message=f"repr() of the value is longer than {max_chars} characters",
                )
            else:
                verdict.update(status="ok", value=text)
    elif unit["error_type"] == "NotPlainValue":
        verdict["error_type"] = "UnserializableValue"
    elif unit["status"] in ("pass", "fail"):
        verdict.update(_corrupt())
    verdict["duration_ms"] = unit["duration_ms"]
    return verdict


def _decode(unit: dict[str, Any], count: int) -> list[Any] | None:
    encoded = unit.get("values")
    if not isinstance(encoded, list) or len(encoded) != count:
        return None
    try:
        return [values.decode(item) for item in encoded]
    except (ValueError, TypeError, RecursionError, OverflowError):
        return None


def _corrupt() -> dict[str, Any]:
    return {
        "status": "killed",
        "error_type": "CorruptChannel",
        "error_line": None,
        "error_where": None,
        "message": "the job sent values that do not decode",
    }


def _program_status(load: dict[str, Any] | None, tests: list[dict], calls: list[dict]) -> str:
    if load is not None and load["status"] == "syntax":
        return "syntax"
    statuses = {unit["status"] for unit in (*tests, *calls)}
    if not statuses:
        return "pass" if load is None or load["status"] == "ok" else load["status"]
    for status in PROGRAM_STATUS_ORDER:
        if status in statuses:
            return status
    return "pass"


def category(verdict: dict[str, Any], program: str) -> str | None:
    """The RLTF category of a test's verdict (None when it passed); the rules are in the module doc."""
    status = verdict["status"]
    if status == "pass":
        return None
    if status in ("timeout", "memory") or verdict["error_type"] == "RecursionError":
        return "global"
    if status == "syntax" and verdict["error_where"] == "program":
        return "global" if _cut_short(program, verdict) else "line"
    if (
        status == "error"
        and verdict["error_where"] == "program"
        and verdict["error_type"] != "AssertionError"
    ):
        return "line"
    return "ignore"


def _cut_short(program: str, verdict: dict[str, Any]) -> bool:
    """A syntax error that says the program was truncated: at its last line, or about the end of input."""
    if any(marker in (verdict["message"] or "") for marker in _CUT_SHORT):
        return True
    lines = program.rstrip().splitlines()
    return verdict["error_line"] is None or verdict["error_line"] >= len(lines)

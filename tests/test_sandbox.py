"""The execution sandbox through its Python API, with real worker processes: isolation, unforgeable
verdicts, fine-grained feedback, limits, calls, and a pool reused across batches. What depends on how a
job's tests run (one after another in one process, or a fork per test) is checked in both modes."""

from __future__ import annotations

import dataclasses
import os
import signal
import socket
import textwrap
import threading
import time
from pathlib import Path

import pytest

from acecoder.sandbox import Job, JobError, Limits, SandboxPool

LIMITS = Limits(timeout_s=2.0, program_timeout_s=8.0, memory_mb=512, max_processes=8, output_bytes=1000)
SECRET = "sk-test-do-not-leak"


def _pool(limits):
    os.environ["OPENAI_API_KEY"] = SECRET  # present in the caller, as in real use
    try:
        with SandboxPool(workers=2, limits=limits) as sandbox:
            yield sandbox
    finally:
        os.environ.pop("OPENAI_API_KEY", None)  # the module's other pool may have taken it away already


@pytest.fixture(scope="module")
def pool():
    """Tests of a job one after another in one process (the default)."""
    yield from _pool(LIMITS)


@pytest.fixture(scope="module")
def fork_pool():
    """A process forked for each test."""
    yield from _pool(dataclasses.replace(LIMITS, fork_per_test=True))


@pytest.fixture(scope="module", params=["one-process", "fork-per-test"])
def any_pool(request):
    return request.getfixturevalue("pool" if request.param == "one-process" else "fork_pool")


@pytest.fixture(scope="module")
def isolated(any_pool):
    if not any_pool.isolation.complete:
        pytest.skip(f"this kernel refuses part of the isolation: {any_pool.isolation.warnings}")
    return any_pool


def run(pool, program, tests=(), calls=None, **job):
    return pool.run([Job(id="job", program=textwrap.dedent(program), tests=list(tests), calls=calls, **job)])[
        0
    ]


def value(pool, program, call):
    result = run(pool, program, calls=[call])
    entry = result["calls"][0]
    assert entry["status"] == "ok", entry
    return entry["value"]


ADD = "def f(x):\n    return x + 1\n"


# --- the output contract ---------------------------------------------------------------------------------


def test_pass_fail_and_contract_fields(any_pool):
    result = run(any_pool, ADD, ["assert f(1) == 2", "assert f(1) == 3", "x = f(2)\nassert x == 3"])
    assert set(result) == {"id", "status", "passed", "total", "pass_rate", "tests", "output", "duration_ms"}
    assert (result.id, result.index, result.status, result["passed"], result["total"]) == (
        "job",
        0,
        "fail",
        2,
        3,
    )
    assert result.pass_rate == pytest.approx(2 / 3)
    assert [t["status"] for t in result.tests] == ["pass", "fail", "pass"]
    for test in result.tests:
        assert set(test) == {
            "status",
            "error_type",
            "error_line",
            "error_where",
            "message",
            "duration_ms",
            "category",
        }
    failed = result.tests[1]
    assert (failed["error_type"], failed["error_line"], failed["error_where"], failed["category"]) == (
        "AssertionError",
        1,
        "test",
        "ignore",
    )
    assert "2 == 3" in failed["message"]


def test_error_line_in_program_or_test_and_categories(any_pool):
    program = """\
        def f(xs):
            total = 0
            return xs[10] + total
        def g():
            return g()
        def h():
            assert False, "the program's own assert"
        """
    tests = [
        "assert f([1]) == 1",
        "y = 1\nassert undefined_name == y",
        "assert g() == 1",
        "assert h() is None",
    ]
    result = run(any_pool, program, tests)
    index_error, name_error, recursion, own_assert = result.tests
    assert (
        index_error["status"],
        index_error["error_type"],
        index_error["error_where"],
        index_error["error_line"],
        index_error["category"],
    ) == ("error", "IndexError", "program", 3, "line")
    assert (
        name_error["error_type"],
        name_error["error_where"],
        name_error["error_line"],
        name_error["category"],
    ) == ("NameError", "test", 2, "ignore")
    assert (recursion["error_type"], recursion["category"]) == ("RecursionError", "global")
    assert (
        own_assert["status"],
        own_assert["error_type"],
        own_assert["error_where"],
        own_assert["category"],
    ) == ("error", "AssertionError", "program", "ignore")
    assert result.status == "error"


def test_syntax_errors_truncated_or_not(any_pool):
    truncated = run(any_pool, "def f(x):\n    return [x,\n", ["assert f(1) == [1]"])
    assert truncated.status == "syntax"
    assert (
        truncated.tests[0]["status"],
        truncated.tests[0]["error_where"],
        truncated.tests[0]["category"],
    ) == ("syntax", "program", "global")
    middle = run(any_pool, "def f(x):\n    return x +* 1\n\ndef g():\n    return 2\n", ["assert g() == 2"])
    assert (middle.tests[0]["error_line"], middle.tests[0]["category"]) == (2, "line")
    bad_test = run(any_pool, ADD, ["assert f(1) == 2", "assert f(1 ==", "assert f(2) == 3"])
    assert [t["status"] for t in bad_test.tests] == ["pass", "syntax", "pass"]
    assert (bad_test.tests[1]["error_where"], bad_test.tests[1]["category"]) == ("test", "ignore")
    assert bad_test.status == "syntax"


def test_program_status_priority_and_no_tests(any_pool):
    assert run(any_pool, ADD, ["assert f(1) == 5", "assert f(None) == 1"]).status == "error"
    assert run(any_pool, ADD, ["assert f(1) == 5", "while True: pass"], timeout_s=0.5).status == "timeout"
    empty = run(any_pool, ADD, [])
    assert (empty.status, empty["total"], empty.pass_rate) == ("pass", 0, 0.0)
    assert run(any_pool, "raise ValueError('at import')", []).status == "error"


def test_with_a_fork_per_test_no_test_sees_another(fork_pool):
    program = """\
        seen = []
        def f(x):
            seen.append(x)
            return len(seen)
        """
    tests = [
        "assert f(1) == 1",
        "import os; os._exit(0)",
        "assert f(2) == 1",
        "while True: pass",
        "assert f(3) == 1",
        "raise SystemExit(0)",
        "assert f(4) == 1",
    ]
    result = run(fork_pool, program, tests, timeout_s=0.5)
    assert [t["status"] for t in result.tests] == [
        "pass",
        "killed",
        "pass",
        "timeout",
        "pass",
        "error",
        "pass",
    ]
    assert result.tests[1]["error_type"] == "Exit"
    assert result.tests[3]["category"] == "global"


def test_error_in_a_value_check_points_at_the_program(any_pool):
    result = run(any_pool, "def f(d):\n    return d['missing']\n", ["assert f({}) == 1"])
    assert (result.tests[0]["error_type"], result.tests[0]["error_where"], result.tests[0]["error_line"]) == (
        "KeyError",
        "program",
        2,
    )


def test_comparison_that_python_refuses_is_an_error_in_the_test(pool):
    result = run(pool, "def f():\n    return None\n", ["assert f() < 3"])
    assert (result.tests[0]["status"], result.tests[0]["error_type"], result.tests[0]["error_where"]) == (
        "error",
        "TypeError",
        "test",
    )


# --- calls mode --------------------------------------------------------------------------------------------


def test_calls_return_reprs_of_plain_values(pool):
    program = """\
        def f(*args):
            return args[0] if len(args) == 1 else args
        """
    cases = {
        "f(None)": "None",
        "f(True)": "True",
        "f(-7)": "-7",
        "f(10**30)": repr(10**30),
        "f(0.1)": "0.1",
        "f(float('nan'))": "nan",
        "f(float('-inf'))": "-inf",
        "f('é\\n')": repr("é\n"),
        "f(b'\\x00a')": "b'\\x00a'",
        "f([1, (2, [3])])": "[1, (2, [3])]",
        "f({'a': {1: [2]}})": "{'a': {1: [2]}}",
        "f({3})": "{3}",
        "f(frozenset({1}))": "frozenset({1})",
        "f(1, 'x')": "(1, 'x')",
        "f(set())": "set()",
        "f(1j)": "1j",
    }
    result = run(pool, program, calls=list(cases))
    assert [entry["value"] for entry in result["calls"]] == list(cases.values())
    assert {entry["status"] for entry in result["calls"]} == {"ok"}
    assert set(result["calls"][0]) == {
        "status",
        "value",
        "error_type",
        "error_line",
        "error_where",
        "message",
        "duration_ms",
    }


def test_calls_refuse_what_is_not_plain_or_too_large(any_pool):
    program = """\
        class Int(int):
            pass
        def f(kind):
            if kind == "sub":
                return Int(3)
            if kind == "object":
                return object()
            if kind == "nested":
                return [1, {2: Int(3)}]
            if kind == "long":
                return "x" * 20000
            if kind == "huge":
                return 10 ** 5000
            raise ValueError(kind)
        """
    calls = ["f('sub')", "f('object')", "f('nested')", "f('long')", "f('huge')", "f('boom')", "f(", "g()"]
    entries = run(any_pool, program, calls=calls)["calls"]
    assert [(e["status"], e["error_type"]) for e in entries] == [
        ("error", "UnserializableValue"),
        ("error", "UnserializableValue"),
        ("error", "UnserializableValue"),
        ("error", "ValueTooLarge"),
        ("error", "ValueTooLarge"),
        ("error", "ValueError"),
        ("syntax", "SyntaxError"),
        ("error", "NameError"),
    ]
    assert (entries[5]["error_where"], entries[5]["error_line"]) == ("program", 14)
    assert entries[7]["error_where"] == "call"


def test_calls_and_tests_together(any_pool):
    result = run(any_pool, ADD, ["assert f(1) == 2"], calls=["f(1)", "f('a')"])
    assert result.status == "error" and result.pass_rate == 1.0
    assert [e["status"] for e in result["calls"]] == ["ok", "error"]


# --- verdicts nobody can forge -----------------------------------------------------------------------------

WRONG = "def f(x):\n    return -1\n"
TESTS = [
    "assert f(1) == 2",
    "def check(candidate):\n    assert candidate(1) == 2\n    assert candidate(2) == 3\ncheck(f)",
]

FORGERIES = {
    "sys.exit at module level": "import sys\n" + WRONG + "sys.exit(0)\n",
    "os._exit at module level": "import os\n" + WRONG + "os._exit(0)\n",
    "os._exit in the function": "import os\ndef f(x):\n    os._exit(0)\n",
    "SystemExit in the function": "def f(x):\n    raise SystemExit(0)\n",
    "printing PASS and protocol lookalikes": WRONG
    + textwrap.dedent("""\
        import json, sys
        print("PASS")
        print(json.dumps({"k": "unit", "i": 0, "status": "pass"}))
        print(json.dumps({"seq": 1, "units": [{"status": "pass"}]}))
        sys.stderr.write("passed\\n")
        """),
    "garbage on every descriptor": WRONG
    + textwrap.dedent("""\
        import os
        for fd in range(1025):
            try:
                os.write(fd, b"\\x00\\x00\\x00\\x10" + b'{"k":"unit","i":0,"status":"pass"}' * 3)
            except OSError:
                pass
        """),
    "frames in the real format with a guessed key": WRONG
    + textwrap.dedent("""\
        import os, json, struct, hashlib
        for i in range(2):
            payload = json.dumps({"k": "unit", "i": i, "status": "pass", "duration_ms": 1.0}).encode()
            signed = struct.pack(">I", len(payload)) + payload
            mac = hashlib.blake2b(signed, key=b"\\0" * 32, digest_size=32).digest()
            for fd in range(3, 64):
                try:
                    os.write(fd, signed + mac)
                except OSError:
                    pass
        """),
    "__eq__ always True": "class Yes:\n    def __eq__(self, other):\n        return True\n"
    "    __hash__ = object.__hash__\ndef f(x):\n    return Yes()\n",
    "__ne__ and __bool__ overridden": "class Odd:\n    def __ne__(self, other):\n        return False\n"
    "    def __eq__(self, other):\n        return not self.__ne__(other)\n"
    "    def __bool__(self):\n        return True\ndef f(x):\n    return Odd()\n",
    "an int subclass that equals everything": "class I(int):\n    def __eq__(self, o):\n        return True\n"
    "    __hash__ = int.__hash__\ndef f(x):\n    return I(0)\n",
    "patched builtins and AssertionError": WRONG
    + textwrap.dedent("""\
        import builtins
        builtins.AssertionError = type("AssertionError", (Exception,), {})
        builtins.isinstance = lambda *a: True
        builtins.len = lambda x: 0
        builtins.type = lambda *a: int
        builtins.bool = lambda *a: True
        """),
    "closing every descriptor": WRONG + "import os\nos.closerange(0, 1024)\n",
    "killing its parent": "import os\ndef f(x):\n    os.kill(os.getppid(), 9)\n    return -1\n",
}


@pytest.mark.parametrize("name", list(FORGERIES))
def test_forgery_does_not_pass(any_pool, name):
    result = run(any_pool, FORGERIES[name], TESTS)
    assert result.status != "pass" and result["passed"] == 0, result


def test_patched_helpers_do_not_fool_tests(any_pool):
    program = WRONG + textwrap.dedent("""\
        import builtins, math
        builtins.abs = lambda x: 0
        math.isclose = lambda *a, **k: True
        abs = lambda x: 0
        sorted = lambda x: [1, 2, 3]
        """)
    tests = [
        "assert abs(f(1) - 2.5) < 1e-9",
        "import math\nassert math.isclose(f(1), 2.5)",
        "assert math.isclose(f(1), 2.5)",
        "assert sorted([f(1)]) == [1, 2, 3]",
    ]
    assert [t["status"] for t in run(any_pool, program, tests).tests] == ["fail"] * 4


def test_a_top_level_function_may_shadow_a_builtin(any_pool):
    program = "def max(xs):\n    return min(xs)\n"
    assert run(any_pool, program, ["assert max([1, 2]) == 1"]).status == "pass"


def test_a_value_test_never_sees_its_expected_value(any_pool):
    program = textwrap.dedent("""\
        import gc
        def f(x):
            found = [o for o in gc.get_objects() if isinstance(o, str) and "EXPECTED-7391" in o]
            return found[0] if found else "nothing"
        """)
    assert run(any_pool, program, ["assert f(1) == 'EXPECTED-7391'"]).status == "fail"


# --- isolation -----------------------------------------------------------------------------------------


def test_no_network(isolated):
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        program = f"import socket\ndef f():\n    socket.create_connection(('127.0.0.1', {port}), timeout=1)\n"
        result = run(isolated, program, ["f()"])
    assert (result.tests[0]["error_type"], result.tests[0]["error_where"]) == ("OSError", "program")
    assert "unreachable" in result.tests[0]["message"]


def test_no_writes_outside_scratch(isolated, tmp_path):
    target = tmp_path / "escaped.txt"
    program = """\
        def f(path):
            with open(path, "w") as handle:
                handle.write("x")
            return open(path).read()
        """
    result = run(
        isolated,
        program,
        calls=[
            f"f({str(target)!r})",
            "f('/etc/escaped')",
            "f('/usr/escaped')",
            "f('scratch.txt')",
            "f('/tmp/also-scratch.txt')",
        ],
    )
    assert [entry["status"] for entry in result["calls"]] == ["error", "error", "error", "ok", "ok"]
    assert not target.exists() and not os.path.exists("/usr/escaped")
    leftover = run(isolated, "import os\ndef f():\n    return sorted(os.listdir('.'))\n", calls=["f()"])
    assert leftover["calls"][0]["value"] == "[]"  # the next job starts with an empty scratch directory


def test_host_files_and_processes_are_out_of_sight(isolated, tmp_path):
    program = """\
        import os
        def f(path):
            return os.path.exists(path)
        def pids():
            return sorted(int(p) for p in os.listdir('/proc') if p.isdigit())
        def uid():
            return os.getuid()
        """
    repo_file = os.path.abspath(__file__)
    caller_file = tmp_path / "caller.txt"
    caller_file.write_text("the caller's")
    result = run(
        isolated,
        program,
        calls=[f"f({repo_file!r})", f"f({str(caller_file)!r})", "f('/home')", "pids()", "uid()"],
    )
    values = [entry["value"] for entry in result["calls"]]
    assert values[:3] == ["False", "False", "False"]
    assert str(os.getpid()) not in values[3] and len(eval(values[3])) <= 3
    assert values[4] != "0"


def test_environment_is_empty_of_secrets(any_pool):
    program = "import os\ndef f():\n    return sorted(os.environ)\ndef g():\n    return os.environ.get('OPENAI_API_KEY')\n"
    result = run(any_pool, program, calls=["f()", "g()"])
    assert result["calls"][1]["value"] == "None"
    assert SECRET not in result["calls"][0]["value"]
    assert set(eval(result["calls"][0]["value"])) <= {
        "PATH",
        "LANG",
        "LC_ALL",
        "HOME",
        "TMPDIR",
        "PYTHONHASHSEED",
        "PYTHONDONTWRITEBYTECODE",
        "OMP_NUM_THREADS",
        "OPENBLAS_NUM_THREADS",
        "MKL_NUM_THREADS",
    }


def test_stdin_is_closed(any_pool):
    assert (
        run(any_pool, "def f():\n    return input()\n", calls=["f()"])["calls"][0]["error_type"] == "EOFError"
    )


def _processes_with(marker: str) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as handle:
                if marker.encode() in handle.read():
                    found.append(int(entry))
        except (OSError, ValueError):
            continue
    return found


def test_no_process_left_behind(any_pool):
    program = """\
        import os, subprocess, time
        def f():
            subprocess.Popen(["sleep", "987654"], start_new_session=True)
            if os.fork() == 0:
                os.setsid()
                if os.fork() == 0:
                    os.execv("/bin/sleep", ["sleep", "987653"])
                os._exit(0)
            time.sleep(0.3)
            return 1
        """
    result = run(any_pool, program, ["assert f() == 1"])
    assert result.status == "pass"
    time.sleep(0.2)
    assert _processes_with("987654") == [] and _processes_with("987653") == []


def test_killing_its_parent_does_not_hurt_the_pool(any_pool):
    hostile = Job(
        "hostile",
        "import os\ndef f():\n    os.kill(os.getppid(), 9)\n    os.kill(1, 9)\n"
        "    try:\n        os.kill(-1, 9)\n    except ProcessLookupError:\n        pass\n"
        "    return 1\n",
        ["assert f() == 1"],
    )
    good = [Job(str(n), ADD, [f"assert f({n}) == {n + 1}"]) for n in range(6)]
    results = any_pool.run([good[0], hostile, *good[1:]])
    assert [r.status for r in results] == ["pass", "pass", *["pass"] * 5]


def test_ignoring_signals_does_not_escape_the_time_limit(any_pool):
    program = "import signal\nfor s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):\n    signal.signal(s, signal.SIG_IGN)\n"
    result = run(any_pool, program, ["while True: pass"], timeout_s=0.5)
    assert result.tests[0]["status"] == "timeout"


def test_fork_bomb_is_limited(any_pool):
    program = """\
        import os, time
        def f():
            made = 0
            for _ in range(200):
                try:
                    pid = os.fork()
                except OSError:
                    break
                if pid == 0:
                    time.sleep(30)
                    os._exit(0)
                made += 1
            return made
        """
    made = int(run(any_pool, program, calls=["f()"])["calls"][0]["value"])
    assert 0 < made < LIMITS.max_processes
    bomb = run(
        any_pool,
        "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n",
        ["assert True"],
        timeout_s=1,
    )
    assert bomb.status == "timeout"
    assert run(any_pool, ADD, ["assert f(1) == 2"]).status == "pass"


def test_memory_hog_gets_memory(any_pool):
    result = run(any_pool, "def f():\n    return len(bytearray(4 * 1024**3))\n", ["assert f() > 0"])
    assert (result.status, result.tests[0]["category"]) == ("memory", "global")
    smaller = run(
        any_pool, "def f():\n    return len(bytearray(64 * 1024**2))\n", ["assert f() > 0"], memory_mb=2048
    )
    assert smaller.status == "pass"


def test_infinite_loop_times_out(any_pool):
    started = time.monotonic()
    result = run(
        any_pool, "def f():\n    while True:\n        pass\n", ["assert f()", "assert 1 == 1"], timeout_s=0.5
    )
    assert [t["status"] for t in result.tests] == ["timeout", "pass"]
    assert time.monotonic() - started < 3


def test_output_flood_is_cut_and_judged(any_pool):
    program = "import sys\nfor _ in range(20000):\n    print('x' * 1000)\nsys.stdout.flush()\n" + ADD
    result = run(any_pool, program, ["print('y' * 10**6)\nassert f(1) == 2"])
    assert result.status == "pass"
    assert len(result["output"]) < LIMITS.output_bytes + 100 and "more bytes not kept" in result["output"]


def test_files_too_large_fail_the_write_not_the_job(any_pool):
    program = "def f():\n    with open('big', 'wb') as h:\n        h.write(b'x' * (64 * 1024**2))\n"
    result = run(any_pool, program, ["f()", "assert True"])
    assert [t["status"] for t in result.tests] == ["error", "pass"]


# --- limits ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fork_per_test", [False, True], ids=["one-process", "fork-per-test"])
def test_program_time_limit_covers_all_tests(fork_per_test):
    limits = Limits(timeout_s=1, program_timeout_s=1.2, fork_per_test=fork_per_test)
    with SandboxPool(workers=1, limits=limits) as pool:
        result = run(pool, "import time\n", ["time.sleep(0.5)", "time.sleep(0.5)", "time.sleep(0.5)", "pass"])
    assert [t["status"] for t in result.tests] == ["pass", "pass", "timeout", "timeout"]
    assert "limit for all its tests" in result.tests[3]["message"]


def test_a_job_may_set_its_own_program_time_limit(pool):
    started = time.monotonic()
    result = run(
        pool, "def f():\n    while True:\n        pass\n", ["f()"] * 6, timeout_s=0.3, program_timeout_s=0.5
    )
    assert time.monotonic() - started < 1.5  # not 6 x 0.3 s
    assert [t["status"] for t in result.tests] == ["timeout"] * 6
    assert "0.5 s limit for all its tests" in result.tests[-1]["message"]
    with pytest.raises(JobError, match="program_timeout_s"):
        Job(id="j", program="", program_timeout_s=0)


@pytest.mark.parametrize("fork_per_test", [False, True], ids=["one-process", "fork-per-test"])
def test_reference_relative_time_limit(fork_per_test):
    limits = Limits(timeout_s=2, reference_factor=2.0, reference_floor_s=0.2, fork_per_test=fork_per_test)
    with SandboxPool(workers=1, limits=limits) as pool:
        result = run(
            pool, "import time\n", ["time.sleep(0.35)", "time.sleep(0.35)"], reference_ms=[10.0, 300.0]
        )
    assert [t["status"] for t in result.tests] == ["timeout", "pass"]
    assert limits.test_timeout(None, 10.0) == 0.2 and limits.test_timeout(None, 5000.0) == 2


def test_job_and_limits_validation():
    with pytest.raises(JobError, match="'tests'"):
        Job("a", "pass", "assert True")
    with pytest.raises(JobError, match="'timeout_s'"):
        Job("a", "pass", [], timeout_s=-1)
    with pytest.raises(JobError, match="'program'"):
        Job.from_dict({"id": "a", "tests": []})
    with pytest.raises(JobError, match="reference_ms"):
        Job("a", "pass", ["pass"], reference_ms=[1.0, 2.0])
    with pytest.raises(ValueError, match="timeout_s"):
        Limits(timeout_s=0)


# --- the pool ----------------------------------------------------------------------------------------------


def test_results_stream_with_their_index_and_pool_is_reused(pool):
    slow_first = [Job("slow", "import time\ntime.sleep(0.6)\n" + ADD, ["assert f(1) == 2"])]
    quick = [Job(f"q{n}", ADD, [f"assert f({n}) == {n + 1}"]) for n in range(8)]
    streamed = list(pool.run_batch(slow_first + quick))
    assert streamed[0].id != "slow"  # yielded as finished, not in input order
    assert sorted(r.index for r in streamed) == list(range(9))
    for _batch in range(3):
        results = pool.run(quick)
        assert [r.id for r in results] == [j.id for j in quick] and {r.status for r in results} == {"pass"}


def test_one_pool_serves_several_threads(pool):
    outcomes = {}

    def work(name):
        outcomes[name] = [r.status for r in pool.run([Job(name, ADD, ["assert f(1) == 2"])] * 5)]

    threads = [threading.Thread(target=work, args=(f"t{n}",)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes == {f"t{n}": ["pass"] * 5 for n in range(3)}


def test_leaving_a_batch_early_leaves_the_pool_usable(pool):
    jobs = [Job(str(n), "import time\ntime.sleep(0.2)\n" + ADD, ["assert f(1) == 2"]) for n in range(10)]
    for result in pool.run_batch(jobs):
        assert result.status == "pass"
        break
    assert [r.status for r in pool.run(jobs[:3])] == ["pass"] * 3


def test_hostile_jobs_leave_the_rest_of_the_batch_right(any_pool):
    hostile = [
        "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n",
        "x = bytearray(4 * 1024**3)\n",
        "import os\nfor fd in range(1025):\n    try:\n        os.write(fd, b'garbage')\n    except OSError:\n        pass\n",
        "import os\nos.kill(os.getppid(), 9)\n",
        "while True:\n    print('flood' * 1000)\n",
    ]
    jobs = []
    for n in range(15):
        jobs.append(Job(f"good{n}", ADD, [f"assert f({n}) == {n + 1}", "assert f(0) == 1"]))
        if n % 3 == 0:
            jobs.append(Job(f"bad{n}", hostile[n // 3], ["assert False"], timeout_s=1))
    results = any_pool.run(jobs)
    assert [r.id for r in results] == [job.id for job in jobs]
    assert {r.status for r in results if r.id.startswith("good")} == {"pass"}
    assert [r.status for r in results if r.id.startswith("bad")] == [
        "timeout",
        "memory",
        "killed",
        "fail",
        "timeout",
    ]


def test_jobs_must_be_jobs(pool):
    with pytest.raises(TypeError, match="not a Job"):
        pool.run([{"id": "a"}])
    assert run(pool, ADD, ["assert f(1) == 2"]).status == "pass"


def test_isolation_report(pool):
    isolation = pool.isolation
    assert isolation.host_uid != 0
    if isolation.complete:
        assert {
            "user_namespace",
            "network_namespace",
            "pid_namespace",
            "mount_namespace",
            "minimal_root",
            "read_only_root",
            "private_proc",
            "seccomp",
        } <= set(isolation.enabled)
    assert "jobs run as host uid" in str(isolation)


def test_without_namespaces_the_pool_says_so_loudly(caplog):
    with (
        caplog.at_level("WARNING", logger="acecoder.sandbox.pool"),
        SandboxPool(workers=1, namespaces=False) as pool,
    ):
        assert not pool.isolation.complete and not pool.isolation.network_namespace
        assert run(pool, ADD, ["assert f(1) == 2"]).status == "pass"
    assert any(
        r.levelname == "WARNING" and "isolation is incomplete" in r.getMessage() for r in caplog.records
    )
    with pytest.raises(RuntimeError, match="isolation is incomplete"):
        SandboxPool(workers=1, namespaces=False, strict=True)


def _worker_processes() -> list[int]:
    children = []
    for task in os.listdir("/proc/self/task"):
        with open(f"/proc/self/task/{task}/children") as handle:
            children += [int(pid) for pid in handle.read().split()]
    return [
        pid for pid in children if b"acecoder.sandbox.worker" in Path(f"/proc/{pid}/cmdline").read_bytes()
    ]


def test_a_worker_that_dies_costs_only_its_running_job():
    jobs = [Job(str(n), "import time\ntime.sleep(0.3)\n" + ADD, ["assert f(1) == 2"]) for n in range(12)]
    others = set(_worker_processes())  # the module's pool has workers too
    with SandboxPool(workers=2, limits=LIMITS) as pool:
        mine = [pid for pid in _worker_processes() if pid not in others]
        threading.Timer(0.5, os.kill, (mine[0], signal.SIGKILL)).start()
        results = pool.run(jobs)
        assert sorted(r.status for r in results) == ["killed"] + ["pass"] * 11
        assert [t["error_type"] for r in results for t in r.tests if t["status"] == "killed"] == [
            "WorkerDied"
        ]
        assert [r.status for r in pool.run(jobs[:4])] == ["pass"] * 4


def test_closing_a_pool_right_after_a_batch_is_quiet(capfd):
    # The workers leave while their zygotes may still be reporting the last job's end: no traceback.
    for _ in range(3):
        with SandboxPool(workers=2, limits=LIMITS) as sandbox:
            results = sandbox.run(
                [Job(id=str(i), program="x = 1", tests=["assert x == 1"]) for i in range(6)]
            )
        assert [result["status"] for result in results] == ["pass"] * 6
    assert "Traceback" not in capfd.readouterr().err


def test_a_failed_assert_describes_the_comparison_that_failed(pool):
    # Scripts (more than one plain assert) are judged inside the job: the message names the last comparison
    # or truth test made, after a large value compared equal first.
    result = run(
        pool,
        "def f(n):\n    return list(range(n))\n",
        tests=[
            "xs = f(10**5)\nassert len(xs) == 10**5 and xs[:2] == [0, 2]",
            "xs = f(0)\nassert f(3)\nassert xs",
            "assert f(2) == [0, 1]\nassert not f(1) == [0]",
        ],
    )
    assert [test["message"] for test in result["tests"]] == [
        "assertion false: [0, 1] == [0, 2] is False",
        "assertion false: [] is falsy",
        "assertion false: [0] == [0] is True",
    ]


LOOP = "def f():\n    while True:\n        pass\n"


def test_a_looping_job_holds_up_only_its_own_worker():
    # N looping jobs on W workers take about ceil(N / W) program limits; quick jobs queued behind a looping
    # one run on the free worker meanwhile.
    limit = 0.6
    looping = dataclasses.replace(LIMITS, timeout_s=limit, program_timeout_s=limit)
    with SandboxPool(workers=2, limits=looping) as sandbox:
        for count in (2, 4):
            started = time.monotonic()
            results = sandbox.run([Job(f"loop{n}", LOOP, ["f()"]) for n in range(count)])
            elapsed = time.monotonic() - started
            assert [r.status for r in results] == ["timeout"] * count
            rounds = -(-count // 2)
            assert rounds * limit <= elapsed < rounds * limit + 0.5, (count, elapsed)
        jobs = [Job("loop", LOOP, ["f()"])] + [Job(f"q{n}", ADD, ["assert f(1) == 2"]) for n in range(20)]
        started = time.monotonic()
        results = list(sandbox.run_batch(jobs))
        elapsed = time.monotonic() - started
        # the quick job queued behind the looping one was taken over by the other worker, and counted once
        assert results[-1].id == "loop" and sorted(r.index for r in results) == list(range(21))
        assert {r.status for r in results[:-1]} == {"pass"}
        assert elapsed < limit + 0.5, elapsed

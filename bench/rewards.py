"""Time to reward one GRPO batch: 256 completions x 16 tests, through the warm sandbox pool (one batch call,
as `acecoder.rl.rewards.pass_rate` makes it) versus a fresh `python` process per completion (the naive way:
program and tests in one script, one process per completion, as many at once as there are cores).

    .venv/bin/python bench/rewards.py [--completions 256] [--tests 16] [--repeats 3] [--fork-per-test]

The batch mixes what a policy writes: correct programs, wrong answers, runtime errors and syntax errors,
each inside a markdown answer. Prints both times, their ratio, and the mean pass rate each way found (the
two must agree).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from acecoder.rl.completions import locate_program
from acecoder.rl.execution import CompletionRunner
from acecoder.rl.rewards import ExecutionReward, pass_rate_score

SAMPLES_PER_PROBLEM = 16

# Programs `f(x)` for problem k (answer: x * k + 1): right, wrong, crashing, not compiling. `seed` makes every
# sampled program distinct, as they are at temperature 1, so none is answered from another's run.
VARIANTS = (
    "def f(x):\n    seed = {seed}\n    total = x * {k}\n    return total + 1\n",
    "def f(x):\n    seed = {seed}\n    return x * {k} - 1\n",
    "def f(x):\n    seed = {seed}\n    values = [x] * {k}\n    return values[{k} + 5] + 1\n",
    "def f(x)\n    seed = {seed}\n    return x * {k} + 1\n",
)
VARIANT_SHARE = (8, 4, 2, 2)  # of every 16 samples of a problem


def make_batch(completions: int, tests_per_problem: int) -> tuple[list[str], list[list[str]]]:
    answers, tests = [], []
    variants = [v for v, count in zip(VARIANTS, VARIANT_SHARE, strict=True) for _ in range(count)]
    for index in range(completions):
        k = index // SAMPLES_PER_PROBLEM + 2
        program = variants[index % SAMPLES_PER_PROBLEM].format(k=k, seed=index)
        answers.append(f"Here is the function.\n\n```python\n{program}```\n\nIt returns x * {k} + 1.")
        tests.append([f"assert f({x}) == {x * k + 1}" for x in range(tests_per_problem)])
    return answers, tests


def warm_pool(pool, answers: list[str], tests: list[list[str]]) -> tuple[float, float]:
    """Seconds to reward the batch, and its mean pass rate."""
    reward = ExecutionReward("pass_rate", pass_rate_score, CompletionRunner(pool))  # a fresh runner: no memo
    started = time.perf_counter()
    values = reward([""] * len(answers), answers, tests=tests, entry_point=["f"] * len(answers))
    return time.perf_counter() - started, statistics.mean(values)


_SCRIPT = """
import json, sys
passed = 0
namespace = {}
try:
    exec(compile(PROGRAM, "<program>", "exec"), namespace)
    for test in TESTS:
        try:
            exec(test, dict(namespace))
            passed += 1
        except BaseException:
            pass
except BaseException:
    pass
print(json.dumps({"passed": passed}))
"""


def _fresh_process(program: str | None, tests: list[str]) -> int:
    if program is None:
        return 0
    script = f"PROGRAM = {program!r}\nTESTS = {json.dumps(tests)}\n{_SCRIPT}"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    return json.loads(done.stdout)["passed"] if done.returncode == 0 else 0


def fresh_processes(answers: list[str], tests: list[list[str]]) -> tuple[float, float]:
    """Seconds to reward the batch, and its mean pass rate."""
    started = time.perf_counter()
    programs = [locate_program(answer, "f") for answer in answers]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as workers:
        passed = list(workers.map(_fresh_process, [p.code if p else None for p in programs], tests))
    elapsed = time.perf_counter() - started
    return elapsed, statistics.mean(p / len(t) for p, t in zip(passed, tests, strict=True))


def timed(run, repeats: int) -> tuple[float, float]:
    """The median time of `repeats` runs, and the mean pass rate they found."""
    outcomes = [run() for _ in range(repeats)]
    return statistics.median(seconds for seconds, _ in outcomes), outcomes[0][1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--completions", type=int, default=256)
    parser.add_argument("--tests", type=int, default=16)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--fork-per-test",
        action="store_true",
        help="the sandbox forks a process per test (Limits.fork_per_test)",
    )
    args = parser.parse_args()

    from acecoder.sandbox import Limits, SandboxPool

    answers, tests = make_batch(args.completions, args.tests)
    with SandboxPool(limits=Limits(fork_per_test=args.fork_per_test)) as pool:
        warm_pool(pool, answers[:16], tests[:16])  # workers started and warm before timing
        pooled, pooled_mean = timed(lambda: warm_pool(pool, answers, tests), args.repeats)
    fresh, fresh_mean = timed(lambda: fresh_processes(answers, tests), args.repeats)
    print(
        f"one GRPO batch: {args.completions} completions x {args.tests} tests, {os.cpu_count()} cores, "
        f"median of {args.repeats} (load average {os.getloadavg()[0]:.1f})"
    )
    mode = "a fork per test" if args.fork_per_test else "tests in one process"
    rows = (
        (f"warm sandbox pool, {mode}:", f"{pooled:7.3f} s   mean pass rate {pooled_mean:.3f}"),
        ("fresh python process per completion:", f"{fresh:7.3f} s   mean pass rate {fresh_mean:.3f}"),
        ("ratio (fresh / pool):", f"{fresh / pooled:7.1f}x"),
    )
    for label, figure in rows:
        print(f"  {label:<42}{figure}")


if __name__ == "__main__":
    main()

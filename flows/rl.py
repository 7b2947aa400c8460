"""Prefect flow for RL training: export the kept problems (when no export folder is given), run GRPO with
sandbox rewards, and optionally evaluate the policy on HumanEval+/MBPP+. Each task is a call into
`acecoder.rl`; with no model the training is the CPU demonstration (a tiny random model), and says so.

    python -m flows.rl                 # the demonstration on the seed corpus
    python -m flows.rl --model M --data runs/rl-prompts --evaluate
"""

import argparse
from dataclasses import asdict
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from acecoder.core.store import open_store
from acecoder.rl.config import RLConfig
from acecoder.rl.evaluate import EvalConfig, evaluate_policy
from acecoder.rl.train import DEMONSTRATION_NOTICE, train
from acecoder.stages.export import export_rl_prompts


@task(name="rl-export", cache_policy=NO_CACHE)
def export_task(db: Path | None, out: Path) -> Path:
    with open_store(db) as store:
        return export_rl_prompts(store, out)[0]


# Training holds the accelerator for hours: no retries, and never cached.
@task(name="rl-train", cache_policy=NO_CACHE)
def train_task(config: RLConfig):
    return train(config)


@task(name="rl-eval", cache_policy=NO_CACHE)
def eval_task(config: EvalConfig):
    return evaluate_policy(config)


@flow(name="rl", log_prints=True)
def rl_flow(
    model: str | None = None,
    data: Path | None = None,
    from_db: bool = False,
    db: Path | None = None,
    hard_only: bool = False,
    limit: int | None = None,
    prompt_style: str = "plain",
    rewards: dict[str, float] | None = None,
    fine_grained: bool = True,
    max_steps: int | None = None,
    out: Path = Path("runs/rl"),
    evaluate: bool = False,
    eval_limit: int | None = 20,
) -> dict:
    """`from_db` exports the database's kept problems to OUT/prompts first and trains on them."""
    logger = get_run_logger()
    if from_db:
        data = export_task(db, out / "prompts")
    config = RLConfig(
        out=out,
        model=model,
        data=data,
        hard_only=hard_only,
        limit=limit,
        prompt_style=prompt_style,
        rewards=rewards or {"binary": 1.0},
        fine_grained=fine_grained,
        max_steps=max_steps,
    )
    if config.demonstration:
        logger.warning(DEMONSTRATION_NOTICE)
    report = train_task(config)
    logger.info("rl: %s steps on %s problems, policy in %s", report.steps, report.problems, report.model_dir)
    summary = {**asdict(report), "model_dir": str(report.model_dir)}
    if evaluate:
        scores = eval_task(
            EvalConfig(model=str(report.model_dir), limit=eval_limit, prompt_style=prompt_style)
        )
        summary["evaluation"] = [asdict(score) for score in scores]
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description="GRPO training flow (a CPU demonstration without --model).")
    parser.add_argument("--model")
    parser.add_argument("--data", type=Path)
    parser.add_argument("--from-db", action="store_true")
    parser.add_argument("--hard-only", action="store_true")
    parser.add_argument("--max-steps", type=int)
    parser.add_argument("--out", type=Path, default=Path("runs/rl"))
    parser.add_argument("--evaluate", action="store_true")
    args = parser.parse_args()
    print(
        rl_flow(
            model=args.model,
            data=args.data,
            from_db=args.from_db,
            hard_only=args.hard_only,
            max_steps=args.max_steps,
            out=args.out,
            evaluate=args.evaluate,
        )
    )


if __name__ == "__main__":
    main()

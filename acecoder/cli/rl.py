"""`acecoder rl train`, `acecoder rl eval` and `acecoder serve-reward`: RL on code with sandbox rewards."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from acecoder.cli.common import print_mapping
from acecoder.cli.options import DbOption

console = Console(stderr=True)
rl_app = typer.Typer(
    help="GRPO training with sandbox rewards and RLTF's fine-grained feedback; evaluation.",
    no_args_is_help=True,
)


def _weighted(specs: list[str]) -> dict[str, float]:
    """`name` or `name=weight` -> {name: weight}."""
    weights = {}
    for spec in specs:
        name, _, weight = spec.partition("=")
        try:
            weights[name.strip()] = float(weight) if weight else 1.0
        except ValueError:
            raise typer.BadParameter(f"{spec!r}: write NAME or NAME=WEIGHT") from None
    return weights


@rl_app.command("train")
def train(
    model: Annotated[
        str | None,
        typer.Option(
            help="Policy (local folder or Hub id). Without one, a DEMONSTRATION runs: a tiny random model built "
            "here takes a few CPU steps."
        ),
    ] = None,
    data: Annotated[
        Path | None,
        typer.Option(
            help="An `acecoder export rl` folder. Default: the seed corpus, with its docstring examples as tests."
        ),
    ] = None,
    hard: Annotated[
        bool, typer.Option("--hard", help="Only AceCoder's hard subset of the problems.")
    ] = False,
    limit: Annotated[int | None, typer.Option(help="First N problems only.")] = None,
    prompt_style: Annotated[
        str, typer.Option(help="plain, or r1 (<think>...</think><answer>...</answer>).")
    ] = "plain",
    reward: Annotated[
        list[str] | None,
        typer.Option(
            help="Reward NAME[=WEIGHT], repeatable: binary, pass_rate, coderl, rltf_adaptive, format, "
            "reward_model. Default: binary (AceCoder)."
        ),
    ] = None,
    reward_model: Annotated[
        str | None, typer.Option(help="Trained reward model folder (reward_model).")
    ] = None,
    fine_grained: Annotated[bool, typer.Option(help="RLTF's per-token penalty on faulty lines.")] = True,
    penalty_weight: Annotated[float, typer.Option(help="Size of that penalty (RLTF: 0.3).")] = 0.3,
    preset: Annotated[
        str | None,
        typer.Option(
            help="acecoder (8 samples/prompt, lr 5e-7, KL 0.01) or cpu-demo. Default: acecoder with --model, "
            "cpu-demo without."
        ),
    ] = None,
    max_steps: Annotated[int | None, typer.Option(help="Optimiser steps (overrides the preset).")] = None,
    use_vllm: Annotated[
        bool | None, typer.Option(help="Generate with vLLM (default: on with a GPU).")
    ] = None,
    test_timeout_s: Annotated[
        float | None, typer.Option(help="Time limit of one test (default: the sandbox's).")
    ] = None,
    out: Annotated[Path, typer.Option(help="Run folder; the policy is saved to OUT/model.")] = Path(
        "runs/rl"
    ),
    seed: Annotated[int, typer.Option()] = 0,
) -> None:
    """Train a policy with GRPO on the exported problems, rewarded by running its programs on their tests."""
    from acecoder.rl.config import RLConfig
    from acecoder.rl.train import DEMONSTRATION_NOTICE
    from acecoder.rl.train import train as run_training

    config = RLConfig(
        out=out,
        model=model,
        data=data,
        hard_only=hard,
        limit=limit,
        prompt_style=prompt_style,
        rewards=_weighted(reward or ["binary"]),
        reward_model=reward_model,
        fine_grained=fine_grained,
        penalty_weight=penalty_weight,
        preset=preset,
        max_steps=max_steps,
        use_vllm=use_vllm,
        test_timeout_s=test_timeout_s,
        seed=seed,
    )
    if config.demonstration:
        console.print(f"[bold yellow]{DEMONSTRATION_NOTICE}[/]")
    if config.data is None:
        console.print(
            "No --data: the problems are the seed corpus's functions, with their docstring examples "
            "as tests (a demonstration set; export real ones with `acecoder export rl DIR`)."
        )
    report = run_training(config)
    shown = {"policy saved to": str(report.model_dir), "problems": report.problems, "steps": report.steps}
    shown |= {
        k: v for k, v in report.metrics.items() if k.startswith(("reward", "fine_grained", "loss", "kl"))
    }
    print_mapping(shown, "rl train (DEMONSTRATION)" if report.demonstration else "rl train")


@rl_app.command("eval")
def evaluate(
    model: Annotated[str, typer.Argument(help="Policy folder or Hub id.")],
    benchmark: Annotated[
        list[str] | None,
        typer.Option(
            help="humaneval, humaneval+, mbpp+ or a file; repeatable. Default: humaneval+ and mbpp+."
        ),
    ] = None,
    limit: Annotated[int | None, typer.Option(help="First N tasks of each benchmark (0: all).")] = 20,
    samples: Annotated[int, typer.Option(help="Answers per task.", min=1)] = 1,
    temperature: Annotated[float, typer.Option(help="0 for greedy decoding.")] = 0.0,
    max_new_tokens: Annotated[int, typer.Option()] = 512,
    prompt_style: Annotated[str, typer.Option(help="plain or r1, as the policy was trained.")] = "plain",
) -> None:
    """pass@1 of a policy on HumanEval(+) / MBPP+ (base and plus tests, run in the sandbox)."""
    from acecoder.rl.evaluate import EvalConfig, evaluate_policy

    config = EvalConfig(
        model=model,
        benchmarks=tuple(benchmark or ("humaneval+", "mbpp+")),
        limit=limit or None,
        samples=samples,
        temperature=temperature,
        max_new_tokens=max_new_tokens,
        prompt_style=prompt_style,
    )
    for score in evaluate_policy(config):
        print_mapping(
            {
                "tasks": score.tasks,
                "samples per task": score.samples,
                "pass@1 (base)": score.pass_at_1_base,
                "pass@1 (plus)": score.pass_at_1_plus,
            },
            f"rl eval: {score.benchmark}",
        )


def serve_reward(
    data: Annotated[
        Path | None,
        typer.Option(
            help="An `acecoder export rl` folder with the problems. Default: the kept problems of the database."
        ),
    ] = None,
    reward: Annotated[
        str, typer.Option(help="binary (AceCoder), pass_rate, coderl, rltf_adaptive or format.")
    ] = "binary",
    prompt_style: Annotated[str, typer.Option(help="Prompt style the format reward checks.")] = "plain",
    test_timeout_s: Annotated[
        float | None, typer.Option(help="Time limit of one test (default: the sandbox's).")
    ] = None,
    host: Annotated[
        str, typer.Option(help="Address to bind; 0.0.0.0 exposes it to the network.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option()] = 5000,
    db: DbOption = None,
) -> None:
    """Serve rewards over HTTP for OpenRLHF's --remote_rm_url: POST /get_reward {"query": [...]}."""
    from acecoder.rl.data import load_export, load_store
    from acecoder.rl.execution import CompletionRunner
    from acecoder.rl.lookup import ProblemIndex
    from acecoder.rl.rewards import build_reward
    from acecoder.rl.server import RewardService, make_server

    index = ProblemIndex(load_export(data) if data else load_store(db))
    runner = CompletionRunner(timeout_s=test_timeout_s)
    service = RewardService(index, build_reward(reward, runner=runner, prompt_style=prompt_style))
    server = make_server(service, host, port)
    bound_host, bound_port = server.server_address[:2]
    typer.echo(
        f"serving {reward} rewards for {len(index):,} problems on "
        f"http://{bound_host}:{bound_port}/get_reward",
        err=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        console.print("stopped")
    finally:
        server.server_close()

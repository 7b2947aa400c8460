"""`acecoder sample`: N candidate programs per kept problem, from a policy model or (offline) from mutants."""

from __future__ import annotations

from typing import Annotated

import typer

from acecoder.cli.common import print_mapping
from acecoder.cli.options import DbOption, config_option
from acecoder.stages.sample import SampleConfig as C


def sample(
    policy: Annotated[str, config_option(C, "policy")] = C.policy,
    model: Annotated[str | None, config_option(C, "model")] = C.model,
    n: Annotated[int, config_option(C, "n", min=1)] = C.n,
    temperature: Annotated[float, config_option(C, "temperature")] = C.temperature,
    top_p: Annotated[float, config_option(C, "top_p")] = C.top_p,
    max_tokens: Annotated[int, config_option(C, "max_tokens", min=1)] = C.max_tokens,
    batch_size: Annotated[int, config_option(C, "batch_size", min=1)] = C.batch_size,
    limit: Annotated[int | None, config_option(C, "limit")] = C.limit,
    seed: Annotated[int, config_option(C, "seed")] = C.seed,
    progress: Annotated[bool, typer.Option(help="Show a progress bar.")] = True,
    db: DbOption = None,
) -> None:
    """Sample N candidate programs for every kept problem not yet sampled by this policy."""
    from acecoder.core.store import open_store
    from acecoder.stages.sample import sample_programs

    config = C(
        policy=policy,
        model=model,
        n=n,
        temperature=temperature,
        top_p=top_p,
        max_tokens=max_tokens,
        batch_size=batch_size,
        limit=limit,
        seed=seed,
    )
    with open_store(db) as store:
        report = sample_programs(store, config, progress=progress)
    summary = {
        "policy": report.policy,
        "problems": report.problems,
        "programs stored": report.programs,
        "failed requests": report.failed_requests,
        "answers without the function": report.unextracted,
    }
    summary |= {f"llm {k}": v for k, v in (report.usage or {}).items()}
    print_mapping(summary, f"sample, run {report.run_id or '(nothing to do)'}")

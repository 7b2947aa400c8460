"""Program sampling: N candidate programs per kept problem, from a policy model or (offline) from mutants.

The LLM policy uses AceCoder's settings (temperature 0.7, top-p 1.0, max 1024 tokens) and the `n`
parameter where the server supports it; answers are cached like synthesis. The `mutants` policy needs no
model: the reference, a reformatted copy, and single- and double-edit mutants of it, so that pass rates
spread from 0 to 1. Every program is stored with the policy that made it.
"""

from __future__ import annotations

import ast
import logging
import random
from dataclasses import asdict, dataclass

import polars as pl
from tqdm import tqdm

from acecoder.code.mutation import iter_mutants, sample_mutants
from acecoder.core.batches import slices
from acecoder.core.config import setting
from acecoder.core.records import program_row
from acecoder.core.store import Store

log = logging.getLogger(__name__)


@dataclass
class SampleConfig:
    policy: str = setting(
        "mutants",
        "mutants: no model; the reference, a reformatted copy and single/double-edit mutants of it. llm: a "
        "policy model through the OpenAI-compatible endpoint (answers cached).",
    )
    model: str | None = setting(None, "Policy model (default: ACECODER_POLICY_MODEL).")
    n: int = setting(16, "Programs per problem.")
    temperature: float = setting(0.7, "Sampling temperature (AceCoder: 0.7).")
    top_p: float = setting(1.0, "Nucleus sampling (AceCoder: 1.0).")
    max_tokens: int = setting(1024, "Longest answer (AceCoder: 1024).")
    batch_size: int = setting(
        256,
        "Problems per batch (each batch is committed as it completes). With the LLM policy keep it several "
        "times ACECODER_LLM_CONCURRENCY, so that requests stay in flight.",
    )
    limit: int | None = setting(None, "Problems to sample in this run.")
    seed: int = setting(0, "Seed of the mutants policy.")


@dataclass
class SampleReport:
    policy: str
    run_id: str = ""
    problems: int = 0
    programs: int = 0
    failed_requests: int = 0
    unextracted: int = 0
    usage: dict[str, object] | None = None


def mutant_programs(problem_id: str, reference: str, n: int, seed: int) -> list[dict]:
    """The reference, a reformatted copy, then mutants: about two thirds single-edit, the rest double-edit."""
    rows = [program_row(problem_id, reference, "reference", 0)]
    reformatted = ast.unparse(ast.parse(reference)) + "\n"
    if reformatted != reference and n > 1:
        rows.append(program_row(problem_id, reformatted, "reformat", 1))
    room = n - len(rows)
    singles = sample_mutants(reference, max(1, (room * 2 + 2) // 3), seed=seed)
    rng = random.Random(seed)
    for mutant in singles:
        rows.append(program_row(problem_id, mutant.code, f"mutant:{mutant.operator}", len(rows)))
    while len(rows) < n and singles:
        base = rng.choice(singles)
        seconds = list(iter_mutants(base.code))
        if not seconds:
            break
        second = rng.choice(seconds)
        rows.append(
            program_row(problem_id, second.code, f"mutant:{base.operator}+{second.operator}", len(rows))
        )
    unique = {r["program_id"]: r for r in rows[:n]}
    return list(unique.values())


def sample_programs(
    store: Store,
    config: SampleConfig | None = None,
    *,
    client=None,
    progress: bool = False,
    flow_run_id: str | None = None,
) -> SampleReport:
    """Sample programs for every kept problem that has no programs from this policy yet, a batch of problems
    at a time, each batch committed as it completes."""
    config = config or SampleConfig()
    policy_key = "llm" if config.policy == "llm" else "mutants"
    report = SampleReport(policy=policy_key)
    model = None
    if policy_key == "llm":
        from acecoder.core.settings import get_settings

        model = config.model or get_settings().policy_model
    # a problem counts as sampled by the mutants policy once it has a mutant, by a model once it has its programs
    todo = store.frame(
        "sample_pending",
        policy=model or "",
        policy_prefix="mutant:" if model is None else None,
        limit=config.limit,
    )
    report.problems = todo.height
    if todo.height == 0:
        return report
    with (
        store.tracked_run("sample", {**asdict(config), "model": model}, flow_run_id) as (run_id, metrics),
        tqdm(total=todo.height, desc="sample", unit="problem", disable=not progress) as bar,
    ):
        report.run_id = run_id
        if policy_key == "llm" and client is None:
            from acecoder.core.settings import get_settings
            from acecoder.llm import LLMClient, LLMConfig

            client = LLMClient(
                LLMConfig.from_settings(get_settings(), model=model), store=store, run_id=run_id
            )
        for batch in slices(todo, config.batch_size):
            if policy_key == "mutants":
                rows = [
                    row
                    for r in batch.iter_rows(named=True)
                    for row in mutant_programs(r["problem_id"], r["reference"], config.n, config.seed)
                ]
            else:
                rows = _llm_programs(batch, store, model, config, report, client)
            with store.transaction():
                report.programs += store.insert(
                    "programs_insert", pl.DataFrame(rows, infer_schema_length=None), run_id=run_id
                )
            bar.update(batch.height)
        if client is not None:
            report.usage = client.meter.as_dict()
        metrics.update(asdict(report))
    log.info("sample: %s programs for %s problems", report.programs, report.problems)
    return report


def _llm_programs(
    todo: pl.DataFrame,
    store: Store,
    model: str,
    config: SampleConfig,
    report: SampleReport,
    client,
) -> list[dict]:
    from acecoder.code.extract import extract_program
    from acecoder.llm import ChatFailure, ChatRequest, prompts
    from acecoder.llm.parsing import extract_code_blocks

    first = store.frame("problem_first_tests", staged=todo.select("problem_id"), n=1)
    first_test = dict(zip(first["problem_id"], first["code"], strict=True))
    requests = [
        ChatRequest.from_prompt(
            prompts.render(
                prompts.SOLVE, question=r["question"], example_tests=first_test.get(r["problem_id"], "")
            ),
            model=model,
            temperature=config.temperature,
            top_p=config.top_p,
            max_tokens=config.max_tokens,
            n=config.n,
        )
        for r in todo.iter_rows(named=True)
    ]
    rows = []
    for problem, reply in zip(todo.iter_rows(named=True), client.run_many(requests), strict=True):
        if isinstance(reply, ChatFailure):
            report.failed_requests += 1
            continue
        for index, text in enumerate(reply.texts):
            code = extract_program(text, problem["entry_point"])
            extracted = code is not None
            if not extracted:
                report.unextracted += 1
                blocks = extract_code_blocks(text)
                code = blocks[-1] if blocks else text  # kept: it scores 0, which is a real outcome
            rows.append(program_row(problem["problem_id"], code, model, index, {"extracted": extracted}))
    return rows

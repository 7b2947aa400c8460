"""The synthesis stage: pick the sources still to do, run a backend, store `problems` and `tests`."""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field

from acecoder.core.hashing import content_hash
from acecoder.core.settings import get_settings
from acecoder.core.store import Store
from acecoder.stages.synth.config import SynthConfig
from acecoder.stages.synth.inferred import SourceRow, Synthesized, infer_tests

log = logging.getLogger(__name__)
INFERRED_VERSION = "inferred_v1"


@dataclass
class SynthReport:
    backend: str
    model: str | None
    run_id: str = ""
    sources: int = 0
    problems: int = 0
    failed: int = 0
    tests: int = 0
    dropped_tests: int = 0
    failures: dict[str, int] = field(default_factory=dict)
    usage: dict[str, object] = field(default_factory=dict)
    dry_run_prompt: str | None = None
    note: str | None = None


def resolve_backend(config: SynthConfig) -> tuple[str, str | None, str | None]:
    """(backend, model, note): `auto` picks the LLM when an endpoint is configured, and says so either way."""
    settings = get_settings()
    if config.backend == "auto":
        if settings.llm_configured:
            return "llm", config.model or settings.synth_model, None
        return (
            "inferred",
            None,
            "no LLM endpoint configured (OPENAI_BASE_URL/OPENAI_API_KEY): using the "
            "inferred backend (tests from running the reference on generated inputs)",
        )
    if config.backend == "llm":
        return "llm", config.model or settings.synth_model, None
    if config.backend == "inferred":
        return "inferred", None, None
    raise ValueError(f"unknown backend {config.backend!r}: use auto, llm or inferred")


def problem_id(source_id: str, origin: str, model: str | None, version: str) -> str:
    return content_hash(source_id, origin, model or "", version)


def pending_sources(store: Store, config: SynthConfig) -> tuple[SynthReport, list[SourceRow]]:
    """The report skeleton (backend resolved) and the sources this run should synthesize."""
    backend, model, note = resolve_backend(config)
    report = SynthReport(backend=backend, model=model, note=note)
    rows = [
        SourceRow(*r)
        for r in store.rows("synth_sources", origin=backend, model=model or "", limit=config.limit)
    ]
    report.sources = len(rows)
    return report, rows


def synthesize(
    store: Store, config: SynthConfig | None = None, *, pool=None, client=None, flow_run_id: str | None = None
) -> SynthReport:
    """Synthesize problems for the sources that have none from this backend yet."""
    config = config or SynthConfig()
    report, rows = pending_sources(store, config)
    backend, model = report.backend, report.model
    if config.dry_run:
        from acecoder.stages.synth import llm_backend

        report.dry_run_prompt = llm_backend.prompt_for(rows[0]) if rows and backend == "llm" else None
        return report
    if not rows:
        return report
    params = {"backend": backend, "model": model, **asdict(config)}
    with store.tracked_run("synth", params, flow_run_id) as (run_id, metrics):
        report.run_id = run_id
        if backend == "llm":
            outcomes, versions = _llm(rows, model, config, store, run_id, pool, client, report)
        else:
            outcomes = _with_pool(
                pool,
                lambda p: infer_tests(
                    rows,
                    p,
                    max_tests=config.max_tests,
                    inputs_per_problem=config.inputs_per_problem,
                    seed=config.seed,
                ),
            )
            versions = [INFERRED_VERSION] * len(outcomes)
        store_outcomes(store, outcomes, versions, backend, model, run_id, report)
        metrics.update({k: v for k, v in asdict(report).items() if k != "dry_run_prompt"})
    return report


def _with_pool(pool, work):
    if pool is not None:
        return work(pool)
    from acecoder.core.pools import new_pool

    with new_pool() as own:
        return work(own)


def _llm(rows, model, config, store, run_id, pool, client, report):
    from acecoder.llm import ChatFailure, ChatRequest, LLMClient, LLMConfig
    from acecoder.stages.synth import llm_backend

    if client is None:
        client = LLMClient(LLMConfig.from_settings(get_settings(), model=model), store=store, run_id=run_id)
    requests = [
        ChatRequest.from_prompt(
            llm_backend.prompt_for(row), temperature=config.temperature, max_tokens=config.max_tokens
        )
        for row in rows
    ]
    outcomes: list[Synthesized] = []
    for row, reply in zip(rows, client.run_many(requests), strict=True):
        if isinstance(reply, ChatFailure):
            outcomes.append(Synthesized(row.source_id, failure=f"request failed: {reply.reason}"))
        else:
            outcomes.append(llm_backend.parse_reply(row, reply.text))
    report.usage = client.meter.as_dict()
    if config.augment:
        _augment(rows, outcomes, config, pool)
    return outcomes, [llm_backend.prompt_version(row) for row in rows]


def _augment(rows: list[SourceRow], outcomes: list[Synthesized], config: SynthConfig, pool) -> None:
    """Add inferred tests to LLM problems whose entry point the source program defines."""
    usable = [(row, o) for row, o in zip(rows, outcomes, strict=True) if not o.failure and o.reference]
    targets = [SourceRow(row.source_id, row.question, row.solution, o.entry_point) for row, o in usable]
    inferred = _with_pool(
        pool,
        lambda p: infer_tests(
            targets,
            p,
            max_tests=config.max_tests,
            inputs_per_problem=config.inputs_per_problem,
            seed=config.seed,
        ),
    )
    for (_, outcome), extra in zip(usable, inferred, strict=True):
        new = [t for t in extra.tests if t not in outcome.tests]
        outcome.tests += new
        outcome.test_origins += ["inferred"] * len(new)


def store_outcomes(
    store: Store,
    outcomes: list[Synthesized],
    versions: list[str],
    backend: str,
    model: str | None,
    run_id: str,
    report: SynthReport,
) -> None:
    """Store one batch of outcomes (problems, failed ones included, and their tests) in one transaction."""
    problems, tests = [], []
    for outcome, version in zip(outcomes, versions, strict=True):
        pid = problem_id(outcome.source_id, backend, model, version)
        failed = outcome.failure is not None
        report.failed += failed
        report.dropped_tests += len(outcome.dropped)
        if failed:
            reason = outcome.failure.split(":")[0]
            report.failures[reason] = report.failures.get(reason, 0) + 1
        problems.append(
            {
                "problem_id": pid,
                "source_id": outcome.source_id,
                "question": outcome.question,
                "entry_point": outcome.entry_point,
                "reference": outcome.reference,
                "origin": backend,
                "model": model,
                "prompt_version": version,
                "status": "failed" if failed else "synthesized",
                "status_reason": outcome.failure,
                "metadata": json.dumps(
                    {"dropped_tests": [{"test": t[:300], "reason": r} for t, r in outcome.dropped[:50]]}
                ),
            }
        )
        if failed:
            continue
        for idx, (code, origin) in enumerate(zip(outcome.tests, outcome.test_origins, strict=True)):
            tests.append(
                {
                    "test_id": content_hash(pid, code),
                    "problem_id": pid,
                    "idx": idx,
                    "code": code,
                    "origin": origin,
                }
            )
    with store.transaction():
        store.insert("problems_upsert", problems, run_id=run_id)
        report.tests = store.insert("tests_insert", tests, run_id=run_id)
    report.problems += sum(p["status"] != "failed" for p in problems)

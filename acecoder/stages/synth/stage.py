"""The synthesis stage's driver: pick the sources still to do, run a backend on them a batch at a time, store
each batch's `problems` and `tests` as it completes."""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field

from tqdm import tqdm

from acecoder.core.batches import BatchRunner, batch_runner, slices
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
    store: Store,
    config: SynthConfig | None = None,
    *,
    pool=None,
    runner: BatchRunner | None = None,
    client=None,
    progress: bool = False,
    flow_run_id: str | None = None,
) -> SynthReport:
    """Synthesize problems for the sources that have none from this backend yet, a batch at a time: each
    batch is stored as it completes, so a killed run loses at most the batch in flight (whose LLM replies
    the cache still holds)."""
    config = config or SynthConfig()
    report, rows = pending_sources(store, config)
    backend, model = report.backend, report.model
    if report.note:
        log.warning(report.note)
    if config.dry_run:
        from acecoder.stages.synth import llm_backend

        report.dry_run_prompt = llm_backend.prompt_for(rows[0]) if rows and backend == "llm" else None
        return report
    if not rows:
        return report
    params = {**asdict(config), "backend": backend, "model": model}
    with (
        store.tracked_run("synth", params, flow_run_id) as (run_id, metrics),
        batch_runner(runner, pool) as run,
        tqdm(total=len(rows), desc="synth", unit="source", disable=not progress) as bar,
    ):
        report.run_id = run_id
        if backend == "llm":
            from acecoder.stages.synth import llm_backend

            if client is None:
                from acecoder.core.settings import get_settings
                from acecoder.llm import LLMClient, LLMConfig

                client = LLMClient(
                    LLMConfig.from_settings(get_settings(), model=model), store=store, run_id=run_id
                )
            for batch in slices(rows, config.batch_size):
                outcomes = _llm_batch(batch, config, client, run)
                versions = [llm_backend.prompt_version(row) for row in batch]
                store_outcomes(store, outcomes, versions, backend, model, run_id, report)
                bar.update(len(batch))
            report.usage = client.meter.as_dict()
        else:
            work = ((batch, config) for batch in slices(rows, config.batch_size))
            for (batch, _), outcomes in run.map(infer_batch, work):
                versions = [INFERRED_VERSION] * len(outcomes)
                store_outcomes(store, outcomes, versions, backend, model, run_id, report)
                bar.update(len(batch))
        metrics.update({k: v for k, v in asdict(report).items() if k != "dry_run_prompt"})
    log.info("synth: %s problems, %s tests, %s failed", report.problems, report.tests, report.failed)
    return report


def infer_batch(rows: list[SourceRow], config: SynthConfig, *, pool) -> list[Synthesized]:
    """The inferred backend on one batch of sources (a pure function of its inputs: inputs are seeded)."""
    return infer_tests(
        rows, pool, max_tests=config.max_tests, inputs_per_problem=config.inputs_per_problem, seed=config.seed
    )


def _llm_batch(rows: list[SourceRow], config: SynthConfig, client, run: BatchRunner) -> list[Synthesized]:
    from acecoder.llm import ChatFailure, ChatRequest
    from acecoder.stages.synth import llm_backend

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
    if config.augment:
        _augment(rows, outcomes, config, run)
    return outcomes


def _augment(
    rows: list[SourceRow], outcomes: list[Synthesized], config: SynthConfig, run: BatchRunner
) -> None:
    """Add inferred tests to LLM problems whose entry point the source program defines."""
    usable = [(row, o) for row, o in zip(rows, outcomes, strict=True) if not o.failure and o.reference]
    if not usable:
        return
    targets = [SourceRow(row.source_id, row.question, row.solution, o.entry_point) for row, o in usable]
    [(_, inferred)] = list(run.map(infer_batch, [(targets, config)]))
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
        report.tests += store.insert("tests_insert", tests, run_id=run_id)
    report.problems += sum(p["status"] != "failed" for p in problems)

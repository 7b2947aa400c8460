"""Test filtering by reference execution, flaky-test removal, and test strength by mutation score.

For each synthesized problem: run a reference program against every test in the sandbox and keep the tests
it passes; run the kept tests once more and drop any whose verdict changes; drop problems with fewer than
`min_tests` left. Then plant single-edit bugs in the reference (`acecoder.code.mutation`) and record the fraction
of mutants the kept tests catch. Work is done and committed in batches, so an interrupted run resumes.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field

import polars as pl
from tqdm import tqdm

from acecoder.code.mutation import sample_mutants
from acecoder.core.batches import BatchRunner, batch_runner, slices
from acecoder.core.config import setting
from acecoder.core.hashing import content_hash
from acecoder.core.records import execution_rows, program_row
from acecoder.core.store import Store
from acecoder.sandbox.job import scaled_limit

log = logging.getLogger(__name__)
# References asked of the reference model at once: enough to keep the client's requests in flight.
REFERENCE_REQUESTS_AT_ONCE = 512


@dataclass
class FilterConfig:
    min_tests: int = setting(5, "Drop problems with fewer kept tests.")
    reference_model: str | None = setting(
        None,
        "Sample each problem's reference from this model (AceCoder's prompt: the question plus its first two "
        "tests) instead of using the source solution.",
    )
    mutants_per_problem: int = setting(20, "Mutants per problem for the mutation score (0: off).")
    # A mutant is killed by its first failing test, so a looping one need not wait out every test; a mutant
    # that needs longer than these limits counts as killed, as mutation-testing tools count timeouts.
    mutant_timeout_s: float = setting(
        0.5,
        "A mutant's per-test time limit floor (seconds); the limit is the larger of this and the factor below.",
    )
    mutant_program_timeout_s: float = setting(1.0, "A mutant's time limit floor for all its tests together.")
    mutant_time_factor: float = setting(
        4.0, "A mutant's limits: this times the reference's own time (slowest kept test; all of them)."
    )
    batch_size: int = setting(32, "Problems per batch (each batch is committed as it completes).")
    limit: int | None = setting(None, "Problems to filter in this run.")
    seed: int = setting(0, "Seed of the mutants.")
    domain_guard: bool = setting(
        False,
        "Drop tests on inputs outside the task's domain (what its examples rule out; its input contract, where "
        "it has one) before the reference judges the rest.",
    )


@dataclass
class FilterReport:
    run_id: str = ""
    problems: int = 0
    kept: int = 0
    dropped: int = 0
    tests: int = 0
    tests_kept: int = 0
    drop_reasons: dict[str, int] = field(default_factory=dict)
    mean_mutation_score: float | None = None
    reference_requests_failed: int = 0  # reference step: problems left pending for the next run

    def add_batch(self, rows: dict) -> None:
        """Count one batch's outcome (as returned by `filter_batch`)."""
        problems, tests = rows["problems"], rows["tests"]
        self.problems += len(problems)
        self.kept += sum(p["status"] == "kept" for p in problems)
        self.dropped += sum(p["status"] == "dropped" for p in problems)
        self.tests += len(tests)  # each test appears once: its first-run failure or its re-run verdict
        self.tests_kept += sum(bool(t["kept"]) for t in tests)
        for reason in [t["drop_reason"] for t in tests] + [p["status_reason"] for p in problems]:
            if reason:
                key = "too few tests left" if "tests left" in reason else reason.split(":")[0]
                self.drop_reasons[key] = self.drop_reasons.get(key, 0) + 1


def _drop_reason(verdict: dict[str, object]) -> str:
    detail = verdict.get("error_type") or ""
    return f"reference {verdict['status']}" + (f": {detail}" if detail else "")


def filter_batch(
    problems: pl.DataFrame, tests: pl.DataFrame, config: FilterConfig, run_id: str, *, pool
) -> dict:
    """Verdicts for one batch of problems: rows for `programs`, `executions`, `tests` and `problems`."""
    from acecoder.sandbox import Job

    by_problem = {pid: group.sort("idx") for (pid,), group in tests.group_by("problem_id")}
    programs, executions, test_updates, problem_updates, references = [], [], [], [], []
    first_jobs = []
    for row in problems.iter_rows(named=True):
        pid, reference = row["problem_id"], row["reference"]
        model = row.get("reference_policy")
        if model and reference:
            references.append({"problem_id": pid, "reference": reference, "reference_policy": model})
        group = by_problem.get(pid)
        if not reference or group is None:
            no_reference = (
                f"the reference model's answer defines no {row['entry_point']}"
                if model
                else "no reference program"
            )
            problem_updates.append(
                {
                    "problem_id": pid,
                    "status": "dropped",
                    "mutation_score": None,
                    "status_reason": no_reference if not reference else "no tests",
                }
            )
            continue
        metadata = {"reference_policy": model} if model else None
        programs.append(program_row(pid, reference, "reference", None, metadata, normalized=False))
        first_jobs.append(Job(id=pid, program=reference, tests=group["code"].to_list()))
    first = {r["id"]: r for r in pool.run(first_jobs)}
    rerun_jobs = []
    for job in first_jobs:
        group, result = by_problem[job.id], first[job.id]
        program_id = content_hash(job.id, job.program)
        executions += execution_rows(program_id, group["test_id"].to_list(), result, run_id)
        passing = [i for i, v in enumerate(result["tests"]) if v["status"] == "pass"]
        for i, verdict in enumerate(result["tests"]):
            if verdict["status"] != "pass":
                test_updates.append(
                    {"test_id": group["test_id"][i], "kept": False, "drop_reason": _drop_reason(verdict)}
                )
        if passing:
            rerun_jobs.append(Job(id=job.id, program=job.program, tests=[job.tests[i] for i in passing]))
        first[job.id]["passing"] = passing
    second = {r["id"]: r for r in pool.run(rerun_jobs)}
    kept_tests: dict[str, list[str]] = {}
    kept_ms: dict[str, list[float]] = {}  # the reference's time on each kept test, the slower of its two runs
    for job in first_jobs:
        group, passing = by_problem[job.id], first[job.id]["passing"]
        again = second.get(job.id)
        kept, kept_ms[job.id] = [], []
        for position, i in enumerate(passing):
            stable = again is not None and again["tests"][position]["status"] == "pass"
            test_updates.append(
                {
                    "test_id": group["test_id"][i],
                    "kept": stable,
                    "drop_reason": None if stable else "flaky: verdict changed on a second run",
                }
            )
            if stable:
                kept.append(job.tests[i])
                runs = (first[job.id]["tests"][i], again["tests"][position])
                kept_ms[job.id].append(max(float(run["duration_ms"] or 0.0) for run in runs))
        kept_tests[job.id] = kept
    scores = (
        _mutation_scores(first_jobs, kept_tests, kept_ms, pool, config) if config.mutants_per_problem else {}
    )
    for job in first_jobs:
        kept = kept_tests[job.id]
        ok = len(kept) >= config.min_tests
        problem_updates.append(
            {
                "problem_id": job.id,
                "status": "kept" if ok else "dropped",
                "status_reason": None
                if ok
                else f"{len(kept)} tests left after filtering (< {config.min_tests})",
                "mutation_score": scores.get(job.id) if ok else None,
            }
        )
    return {
        "programs": programs,
        "executions": executions,
        "tests": test_updates,
        "problems": problem_updates,
        "references": references,
    }


def write_filter_rows(store: Store, rows: dict, run_id: str) -> None:
    """Store one batch's filtering outcome in one transaction."""
    with store.transaction():
        store.insert("programs_insert", rows["programs"], run_id=run_id)
        store.insert("executions_insert", rows["executions"])
        store.insert("tests_set_kept", rows["tests"])
        store.insert("problems_set_filtered", rows["problems"])
        if rows.get("references"):
            store.insert("problems_set_reference", rows["references"])


def mutant_time_limits(reference_ms: list[float], config: FilterConfig, limits) -> tuple[float, float]:
    """(per test, all tests) time limits of a problem's mutants, from the reference's time on each kept test,
    within the pool's `limits`."""
    factor = config.mutant_time_factor
    per_test = scaled_limit(max(reference_ms, default=0.0), factor, config.mutant_timeout_s, limits.timeout_s)
    floor = max(config.mutant_program_timeout_s, per_test)
    return per_test, scaled_limit(sum(reference_ms), factor, floor, limits.program_timeout_s)


def _mutation_scores(
    jobs, kept_tests: dict[str, list[str]], kept_ms: dict[str, list[float]], pool, config: FilterConfig
) -> dict[str, float]:
    from acecoder.sandbox import Job

    mutant_jobs, owners = [], []
    for job in jobs:
        tests = kept_tests[job.id]
        if len(tests) < config.min_tests:
            continue
        timeout, program_timeout = mutant_time_limits(kept_ms[job.id], config, pool.limits)
        for i, mutant in enumerate(sample_mutants(job.program, config.mutants_per_problem, seed=config.seed)):
            mutant_jobs.append(
                Job(
                    id=f"{job.id}:{i}",
                    program=mutant.code,
                    tests=tests,
                    timeout_s=timeout,
                    program_timeout_s=program_timeout,
                )
            )
            owners.append(job.id)
    killed: dict[str, list[bool]] = {}
    for owner, result in zip(owners, pool.run(mutant_jobs), strict=True):
        killed.setdefault(owner, []).append(result["passed"] < result["total"])
    return {pid: sum(flags) / len(flags) for pid, flags in killed.items()}


def with_model_references(
    problems: pl.DataFrame, store: Store, client, model: str, report: FilterReport
) -> pl.DataFrame:
    """AceCoder's reference step on one batch: each problem's reference becomes the program `model` writes for
    the question and its first two tests (AceCoder's prompt), recorded with `reference_policy` = the model.
    Problems whose request failed are left out, so they stay pending for the next run; an answer without the
    entry point (cached, so asking again would not help) leaves the reference empty and the problem is dropped."""
    from acecoder.code.extract import extract_program
    from acecoder.llm import ChatFailure, ChatRequest, prompts

    first_tests = store.frame("problem_first_tests", staged=problems.select("problem_id"), n=2)
    examples = {pid: "\n".join(g.sort("idx")["code"]) for (pid,), g in first_tests.group_by("problem_id")}
    requests = [
        ChatRequest.from_prompt(
            prompts.render(
                prompts.SOLVE, question=r["question"], example_tests=examples.get(r["problem_id"], "")
            ),
            temperature=0.0,
            max_tokens=2048,
        )
        for r in problems.iter_rows(named=True)
    ]
    answered, references = [], []
    for row, reply in zip(problems.iter_rows(named=True), client.run_many(requests), strict=True):
        answered.append(not isinstance(reply, ChatFailure))
        if isinstance(reply, ChatFailure):
            report.reference_requests_failed += 1
            continue
        references.append(extract_program(reply.text, row["entry_point"]))
    return problems.filter(pl.Series(answered, dtype=pl.Boolean)).with_columns(
        pl.Series("reference", references, dtype=pl.String), pl.lit(model).alias("reference_policy")
    )


def filter_problems(
    store: Store,
    config: FilterConfig | None = None,
    *,
    pool=None,
    runner: BatchRunner | None = None,
    progress: bool = True,
    flow_run_id: str | None = None,
) -> FilterReport:
    """Filter every synthesized problem not yet filtered, a batch at a time (each committed as it completes)."""
    config = config or FilterConfig()
    report = FilterReport()
    todo = store.frame("filter_pending", limit=config.limit)
    if todo.height == 0:
        return report
    scores: list[float] = []
    with (
        store.tracked_run("filter", asdict(config), flow_run_id) as (run_id, metrics),
        batch_runner(runner, pool) as run,
        tqdm(total=todo.height, desc="filter", unit="problem", disable=not progress) as bar,
    ):
        report.run_id = run_id
        client = None
        if config.reference_model:
            from acecoder.core.settings import get_settings
            from acecoder.llm import LLMClient, LLMConfig

            settings = get_settings()
            client = LLMClient(
                LLMConfig.from_settings(settings, model=config.reference_model), store=store, run_id=run_id
            )

        def work():
            # The reference step asks for many references at once (so that requests stay in flight), then
            # the sandbox takes them a batch at a time.
            step = (
                max(config.batch_size, REFERENCE_REQUESTS_AT_ONCE)
                if client is not None
                else config.batch_size
            )
            for chunk in slices(todo, step):
                if client is not None:
                    asked = chunk.height
                    chunk = with_model_references(chunk, store, client, config.reference_model, report)
                    bar.update(asked - chunk.height)  # left pending: their requests failed
                for batch in slices(chunk, config.batch_size):
                    yield (
                        batch,
                        store.frame("problem_tests", staged=batch.select("problem_id")),
                        config,
                        run_id,
                    )

        judge = filter_batch
        if config.domain_guard:
            from acecoder.stages.domain_guard import guarded_filter_batch as judge
        for _, rows in run.map(judge, work()):
            write_filter_rows(store, rows, run_id)
            report.add_batch(rows)
            scores += [p["mutation_score"] for p in rows["problems"] if p["mutation_score"] is not None]
            bar.update(len(rows["problems"]))
        report.mean_mutation_score = sum(scores) / len(scores) if scores else None
        metrics.update(asdict(report))
    log.info("filter: %s kept, %s dropped", report.kept, report.dropped)
    return report

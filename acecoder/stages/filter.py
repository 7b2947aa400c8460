"""Test filtering by reference execution, flaky-test removal, and test strength by mutation score.

For each synthesized problem: run a reference program against every test in the sandbox and keep the tests
it passes; run the kept tests once more and drop any whose verdict changes; drop problems with fewer than
`min_tests` left. Then plant single-edit bugs in the reference (`acecoder.code.mutation`) and record the fraction
of mutants the kept tests catch. Work is done and committed in batches, so an interrupted run resumes.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import polars as pl
from tqdm import tqdm

from acecoder.code.mutation import sample_mutants
from acecoder.core.hashing import content_hash
from acecoder.core.store import Store
from acecoder.sandbox.job import scaled_limit


@dataclass
class FilterConfig:
    min_tests: int = 5
    reference_model: str | None = None  # sample references with this model instead of using the source's
    mutants_per_problem: int = 20  # 0 turns the mutation score off
    # A mutant's time limits: per test, and for all its tests together (a mutant is killed by its first failing
    # test, so a looping one need not wait out every test). Each is the larger of its floor here and
    # `mutant_time_factor` x the reference's own time (its slowest kept test; all of them), within the pool's
    # limits; a mutant that needs longer counts as killed, as mutation-testing tools count timeouts.
    mutant_timeout_s: float = 0.5
    mutant_program_timeout_s: float = 1.0
    mutant_time_factor: float = 4.0
    batch_size: int = 64
    limit: int | None = None
    seed: int = 0


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


def execution_rows(program_id: str, test_ids: list[str], result, run_id: str) -> list[dict[str, object]]:
    return [
        {
            "program_id": program_id,
            "test_id": test_id,
            "status": verdict["status"],
            "error_type": verdict.get("error_type"),
            "error_line": verdict.get("error_line"),
            "category": verdict.get("category"),
            "message": verdict.get("message"),
            "duration_ms": verdict.get("duration_ms"),
            "run_id": run_id,
        }
        for test_id, verdict in zip(test_ids, result["tests"], strict=True)
    ]


def _drop_reason(verdict: dict[str, object]) -> str:
    detail = verdict.get("error_type") or ""
    return f"reference {verdict['status']}" + (f": {detail}" if detail else "")


def filter_batch(
    problems: pl.DataFrame, tests: pl.DataFrame, pool, config: FilterConfig, run_id: str
) -> dict:
    """Verdicts for one batch of problems: rows for `programs`, `executions`, `tests` and `problems`."""
    from acecoder.sandbox import Job

    by_problem = {pid: group.sort("idx") for (pid,), group in tests.group_by("problem_id")}
    programs, executions, test_updates, problem_updates = [], [], [], []
    first_jobs = []
    for row in problems.iter_rows(named=True):
        pid, reference = row["problem_id"], row["reference"]
        group = by_problem.get(pid)
        if not reference or group is None:
            problem_updates.append(
                {
                    "problem_id": pid,
                    "status": "dropped",
                    "mutation_score": None,
                    "status_reason": "no reference program" if not reference else "no tests",
                }
            )
            continue
        programs.append(
            {
                "program_id": content_hash(pid, reference),
                "problem_id": pid,
                "code": reference,
                "policy": "reference",
                "normalized_hash": None,
                "sample_idx": None,
                "metadata": None,
            }
        )
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
    }


def write_filter_rows(store: Store, rows: dict, run_id: str) -> None:
    """Store one batch's filtering outcome in one transaction."""
    with store.transaction():
        store.insert("programs_insert", rows["programs"], run_id=run_id)
        store.insert("executions_insert", rows["executions"])
        store.insert("tests_set_kept", rows["tests"])
        store.insert("problems_set_filtered", rows["problems"])


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


def _references(problems: pl.DataFrame, store: Store, model: str, run_id: str) -> pl.DataFrame:
    """Replace each problem's reference with a program sampled from `model` (AceCoder's prompt)."""
    from acecoder.code.extract import extract_program
    from acecoder.core.settings import get_settings
    from acecoder.llm import ChatFailure, ChatRequest, LLMClient, LLMConfig, prompts

    client = LLMClient(LLMConfig.from_settings(get_settings(), model=model), store=store, run_id=run_id)
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
    references = []
    for row, reply in zip(problems.iter_rows(named=True), client.run_many(requests), strict=True):
        code = None if isinstance(reply, ChatFailure) else extract_program(reply.text, row["entry_point"])
        references.append(code)
    return problems.with_columns(pl.Series("reference", references, dtype=pl.String))


def filter_problems(
    store: Store,
    config: FilterConfig | None = None,
    *,
    pool=None,
    progress: bool = True,
    flow_run_id: str | None = None,
) -> FilterReport:
    """Filter every synthesized problem not yet filtered."""
    config = config or FilterConfig()
    report = FilterReport()
    todo = store.frame("filter_pending", limit=config.limit)
    if todo.height == 0:
        return report
    own_pool = None
    if pool is None:
        from acecoder.core.pools import new_pool

        pool = own_pool = new_pool()
    scores: list[float] = []
    try:
        with store.tracked_run("filter", asdict(config), flow_run_id) as (run_id, metrics):
            report.run_id = run_id
            if config.reference_model:
                todo = _references(todo, store, config.reference_model, run_id)
            bar = tqdm(total=todo.height, desc="filter", unit="problem", disable=not progress)
            for start in range(0, todo.height, config.batch_size):
                batch = todo.slice(start, config.batch_size)
                tests = store.frame("problem_tests", staged=batch.select("problem_id"))
                rows = filter_batch(batch, tests, pool, config, run_id)
                write_filter_rows(store, rows, run_id)
                report.add_batch(rows)
                scores += [p["mutation_score"] for p in rows["problems"] if p["mutation_score"] is not None]
                bar.update(batch.height)
            bar.close()
            report.mean_mutation_score = sum(scores) / len(scores) if scores else None
            metrics.update(asdict(report))
    finally:
        if own_pool is not None:
            own_pool.close()
    return report

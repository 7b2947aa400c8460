"""How right the tests are: kept (and raw) test suites judged against ground-truth labels.

For every program with a ground-truth label (`ground_truth`, from the benchmark's own tests) and every suite
(the tests of one origin, or all of them, before and after the filter), a program is *accepted* when it passes
every test of its problem's suite. Against the label (right = passes the benchmark's plus inputs, or base where
there are none):

- TPR = accepted right / right, TNR = rejected wrong / wrong, FAR = accepted wrong / wrong (1 - TNR), FRR =
  rejected right / right (1 - TPR), precision = right among accepted, F1, accuracy;
- pass-rate MAE: mean |passed / suite size - ground-truth pass rate|;
- pair-label precision: of the pairs AceCoder's rule (`PairRule`) builds from the suite's pass rates, the share
  whose chosen program is right and rejected one wrong, and the share whose ground-truth pass rates are
  ordered as the pair says;
- gold false negatives: the share of the suite's filtered tests the reference failed;
- tests per problem and problems covered (a problem counts when its suite has at least `min_tests` tests);
- the problems contributing most false acceptances and false rejections.

Programs are run on every test of their problem (`score_all_tests`), so raw suites are measured on the same
programs as filtered ones. `quality_report` returns a `QualityReport` (a JSON-able dict via `as_dict`);
`save_plot` draws FAR and FRR per suite beside the CodeRM-8B anchor.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
from tqdm import tqdm

from acecoder.core.records import execution_rows
from acecoder.core.store import Store
from acecoder.stages.pairs import PairRule

log = logging.getLogger(__name__)

# Published anchors the report is read against (percent).
ANCHORS = {
    "CodeRM-8B (HumanEval+)": {"far": 16.48, "frr": 22.71},
    "CodeContests-O": {"tpr": 89.37, "tnr": 90.89},
    "CodeContests' own tests": {"tpr": 85.05, "tnr": 81.52},
}
ALL_ORIGINS = "all"


@dataclass
class QualityConfig:
    min_tests: int = field(
        default=5, metadata={"help": "A problem counts for a suite with at least this many tests."}
    )
    label: str = field(
        default="plus", metadata={"help": "Ground truth: plus (base where a task has none) or base."}
    )
    top: int = field(
        default=5, metadata={"help": "Problems listed per suite for false acceptances / rejections."}
    )
    pair_rule: PairRule = field(
        default_factory=PairRule, metadata={"help": "The rule whose pairs are checked."}
    )


@dataclass
class QualityReport:
    rows: list[dict[str, Any]] = field(default_factory=list)  # one per suite
    worst: dict[str, dict[str, list[dict[str, Any]]]] = field(default_factory=dict)
    programs: int = 0
    right: int = 0
    config: dict[str, Any] = field(default_factory=dict)
    anchors: dict[str, dict[str, float]] = field(default_factory=lambda: dict(ANCHORS))

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def frame(self) -> pl.DataFrame:
        return pl.DataFrame(self.rows)

    def save_json(self, path: str | Path) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.as_dict(), indent=2, default=str))
        return path


def _ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator else None


def confusion_metrics(right: pl.Series, accepted: pl.Series) -> dict[str, Any]:
    """TPR, TNR, FAR, FRR, precision, F1 and accuracy of `accepted` against `right` (booleans per program)."""
    frame = pl.DataFrame({"right": right, "accepted": accepted})
    tp = frame.filter(pl.col("right") & pl.col("accepted")).height
    fn = frame.filter(pl.col("right") & ~pl.col("accepted")).height
    fp = frame.filter(~pl.col("right") & pl.col("accepted")).height
    tn = frame.filter(~pl.col("right") & ~pl.col("accepted")).height
    precision = _ratio(tp, tp + fp)
    recall = _ratio(tp, tp + fn)
    f1 = (
        _ratio(2 * precision * recall, precision + recall)
        if precision is not None and recall is not None
        else None
    )
    return {
        "programs": frame.height,
        "right": tp + fn,
        "tp": tp,
        "fn": fn,
        "fp": fp,
        "tn": tn,
        "tpr": recall,
        "tnr": _ratio(tn, tn + fp),
        "far": _ratio(fp, fp + tn),
        "frr": _ratio(fn, tp + fn),
        "precision": precision,
        "f1": f1,
        "accuracy": _ratio(tp + tn, frame.height),
    }


def rule_pairs(scores: pl.DataFrame, rule: PairRule) -> pl.DataFrame:
    """The pairs `rule` builds from `scores` (problem_id, program_id, normalized_hash, pass_rate, right,
    gt_rate), as `pairs_select.sql` builds them: one program per normalised AST, the rule's thresholds, at
    most `max_per_problem` per problem, largest gap first."""
    distinct = (
        scores.with_columns(pl.coalesce("normalized_hash", "program_id").alias("_key"))
        .sort("program_id")
        .unique(["problem_id", "_key"], keep="first", maintain_order=True)
        .drop("_key")
    )
    chosen = distinct.filter(pl.col("pass_rate") >= rule.min_chosen - 1e-9)
    rejected = distinct.filter(pl.col("pass_rate") > rule.min_rejected + 1e-9)
    pairs = chosen.join(rejected, on="problem_id", suffix="_rejected").filter(
        (pl.col("program_id") != pl.col("program_id_rejected"))
        & (pl.col("pass_rate") - pl.col("pass_rate_rejected") >= rule.min_gap - 1e-9)
    )
    return (
        pairs.with_columns((pl.col("pass_rate") - pl.col("pass_rate_rejected")).alias("gap"))
        .sort(
            ["problem_id", "gap", "program_id", "program_id_rejected"], descending=[False, True, False, False]
        )
        .with_columns(pl.int_range(pl.len()).over("problem_id").alias("_rank"))
        .filter(pl.col("_rank") < rule.max_per_problem)
        .drop("_rank")
    )


def suite_metrics(
    programs: pl.DataFrame, results: pl.DataFrame, tests: pl.DataFrame, config: QualityConfig
) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
    """Metrics of one suite. `programs`: program_id, problem_id, task_id, normalized_hash, right, gt_rate;
    `results`: program_id, test_id, passed (for this suite's tests); `tests`: test_id, problem_id, kept,
    drop_reason of the suite."""
    sizes = tests.group_by("problem_id").agg(pl.len().alias("suite_tests"))
    covered = sizes.filter(pl.col("suite_tests") >= config.min_tests)
    counts = results.group_by("program_id").agg(
        pl.len().alias("executed"), pl.col("passed").sum().alias("passed")
    )
    scored = (
        programs.join(covered, on="problem_id")
        .join(counts, on="program_id", how="left")
        .with_columns(pl.col("executed").fill_null(0), pl.col("passed").fill_null(0))
    )
    incomplete = scored.filter(pl.col("executed") < pl.col("suite_tests")).height
    if incomplete:
        # a program not yet run on every test would count as rejected; it is left out until it is
        log.warning(
            "%d programs left out: not run on every test of the suite yet (score_all_tests)", incomplete
        )
        scored = scored.filter(pl.col("executed") >= pl.col("suite_tests"))
    scored = scored.with_columns(
        (pl.col("passed") == pl.col("suite_tests")).alias("accepted"),
        (pl.col("passed") / pl.col("suite_tests")).alias("pass_rate"),
    )
    row = (
        confusion_metrics(scored["right"], scored["accepted"])
        if scored.height
        else confusion_metrics(pl.Series([], dtype=pl.Boolean), pl.Series([], dtype=pl.Boolean))
    )
    row["not_yet_run"] = incomplete
    row["pass_rate_mae"] = (scored["pass_rate"] - scored["gt_rate"]).abs().mean() if scored.height else None
    pairs = rule_pairs(scored, config.pair_rule) if scored.height else pl.DataFrame()
    row["pairs"] = pairs.height
    row["pair_label_precision"] = (
        _ratio(pairs.filter(pl.col("right") & ~pl.col("right_rejected")).height, pairs.height)
        if pairs.height
        else None
    )
    row["pair_order_precision"] = (
        _ratio(pairs.filter(pl.col("gt_rate") > pl.col("gt_rate_rejected")).height, pairs.height)
        if pairs.height
        else None
    )
    filtered = tests.filter(pl.col("kept").is_not_null())
    gold_failed = filtered.filter(~pl.col("kept") & pl.col("drop_reason").str.starts_with("reference")).height
    row["gold_false_negatives"] = _ratio(gold_failed, filtered.height)
    row["problems"] = covered.height
    row["tests_per_problem"] = covered["suite_tests"].mean() if covered.height else 0.0
    per_problem = scored.group_by("problem_id", "task_id").agg(
        (~pl.col("right") & pl.col("accepted")).sum().alias("false_accepts"),
        (pl.col("right") & ~pl.col("accepted")).sum().alias("false_rejects"),
        pl.len().alias("programs"),
    )
    worst = {
        kind: per_problem.filter(pl.col(kind) > 0)
        .sort([kind, "problem_id"], descending=[True, False])
        .head(config.top)
        .to_dicts()
        for kind in ("false_accepts", "false_rejects")
    }
    return row, worst


def load_frames(store: Store, config: QualityConfig) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """(labelled programs, their verdicts on every test of their problem, those tests)."""
    programs = store.frame("quality_programs")
    if config.label == "base":
        right = pl.col("base_passed")
    elif config.label == "plus":
        right = pl.coalesce("plus_passed", "base_passed")
    else:
        raise ValueError(f"unknown label {config.label!r}: use plus or base")
    programs = programs.with_columns(right.alias("right"), pl.col("gt_pass_rate").alias("gt_rate"))
    results = store.frame("quality_results")
    tests = store.frame("quality_tests")
    return programs, results, tests


def suites(tests: pl.DataFrame) -> list[tuple[str, str, pl.Expr]]:
    """(origin, stage, selection) of every suite: each origin and all together, raw and filtered."""
    origins = sorted(tests["origin"].unique().to_list())
    found = []
    for origin in [*origins, ALL_ORIGINS] if len(origins) > 1 else origins:
        chosen = pl.lit(True) if origin == ALL_ORIGINS else pl.col("origin") == origin
        found.append((origin, "raw", chosen))
        found.append((origin, "filtered", chosen & pl.col("kept").fill_null(False)))
    return found


def quality_report(
    store: Store, config: QualityConfig | None = None, *, flow_run_id: str | None = None
) -> QualityReport:
    """The report over every labelled program (see the module's docstring); recorded as a `quality` run."""
    config = config or QualityConfig()
    report = QualityReport(config=asdict(config))
    with store.tracked_run("quality", {k: v for k, v in asdict(config).items()}, flow_run_id) as (_, metrics):
        programs, results, tests = load_frames(store, config)
        report.programs, report.right = programs.height, int(programs["right"].sum() or 0)
        for origin, stage, chosen in suites(tests):
            suite_tests = tests.filter(chosen)
            suite_results = results.join(suite_tests.select("test_id"), on="test_id")
            row, worst = suite_metrics(programs, suite_results, suite_tests, config)
            name = f"{origin}/{stage}"
            report.rows.append({"suite": name, "origin": origin, "stage": stage, **row})
            report.worst[name] = worst
        metrics.update({"suites": report.rows})
    return report


def dataset_pass_rates(store: Store) -> pl.DataFrame:
    """Per policy, imported programs' own dataset pass rate (AceCode's) against the one scoring gave them on
    the kept tests: counts, means, mean absolute difference, correlation, agreement on fully passing."""
    return store.frame("quality_dataset_pass_rates")


def score_all_tests(
    store: Store, *, pool=None, batch_size: int = 256, progress: bool = True, flow_run_id: str | None = None
) -> int:
    """Run every labelled program on the tests of its problem it has no verdict on (kept or not, so raw suites
    can be judged); returns the verdicts added. Verdicts go to `executions`, where `pass_rates` counts only
    the kept tests."""
    from acecoder.sandbox import Job

    todo = store.frame("quality_missing")
    if todo.height == 0:
        return 0
    own = None
    if pool is None:
        from acecoder.core.pools import new_pool

        pool = own = new_pool()
    added = 0
    try:
        with store.tracked_run("quality-score", {"batch_size": batch_size}, flow_run_id) as (run_id, metrics):
            groups = todo.partition_by("program_id", maintain_order=True)
            with tqdm(
                total=len(groups), desc="quality: run tests", unit="program", disable=not progress
            ) as bar:
                for start in range(0, len(groups), batch_size):
                    chunk = groups[start : start + batch_size]
                    jobs = [
                        Job(id=g["program_id"][0], program=g["code"][0], tests=g["test_code"].to_list())
                        for g in chunk
                    ]
                    test_ids = {g["program_id"][0]: g["test_id"].to_list() for g in chunk}
                    rows = [
                        row
                        for result in pool.run_batch(jobs)
                        for row in execution_rows(result["id"], test_ids[result["id"]], result, run_id)
                    ]
                    with store.transaction():
                        added += store.insert("executions_insert", rows)
                    bar.update(len(chunk))
            metrics["executions"] = added
    finally:
        if own is not None:
            own.close()
    return added


def save_plot(report: QualityReport, path: str | Path) -> Path:
    """FAR and FRR (percent) per suite as bars, with CodeRM-8B's figures as dashed lines."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    names = [row["suite"] for row in report.rows]
    far = [100 * (row["far"] or 0) for row in report.rows]
    frr = [100 * (row["frr"] or 0) for row in report.rows]
    positions = range(len(names))
    figure, axis = plt.subplots(figsize=(max(6, 1.2 * len(names)), 4))
    axis.bar([p - 0.2 for p in positions], far, width=0.4, label="false acceptance rate")
    axis.bar([p + 0.2 for p in positions], frr, width=0.4, label="false rejection rate")
    anchor = ANCHORS["CodeRM-8B (HumanEval+)"]
    axis.axhline(anchor["far"], color="C0", linestyle="--", linewidth=1, label="CodeRM-8B FAR")
    axis.axhline(anchor["frr"], color="C1", linestyle="--", linewidth=1, label="CodeRM-8B FRR")
    axis.set_xticks(list(positions), names, rotation=30, ha="right")
    axis.set_ylabel("percent of programs")
    axis.set_title(f"Test suites judged against ground truth ({report.programs} labelled programs)")
    axis.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)
    return path

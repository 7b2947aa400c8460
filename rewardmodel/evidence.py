"""Reward-model evidence on real programs: does a Bradley-Terry model trained on pairs labelled by synthesized
tests pick better programs on tasks it never saw?

Benchmark tasks (HumanEval+) are imported as evaluation-only problems, tests are synthesized offline from each
task's reference and filtered, a policy's samples (CodeGen-16B's 100 per task) are imported, labelled by the
benchmark's own tests and scored on the synthesized tests. The tasks are split into K folds; for each fold a
reward model is trained on the other folds' pairs (AceCoder's rule) and ranks each held-out task's samples.
Per method, the pass@1 of the pick on HumanEval+ base and plus with a bootstrap interval over tasks:

- `rm`: the highest reward; `rm+exec`: the highest pass rate on the synthesized tests, ties by reward;
- `exec`: the highest pass rate on the synthesized tests, ties by sample order;
- `random`: the expected pass@1 of a uniform pick among the samples (duplicates counted);
- `first`: the first sample; `oracle`: whether any sample passes.

Research use only: the pairs of evaluation-only problems are built here (`evidence_pairs.sql`), never stored
in `pairs` nor exported; the training export keeps leaving benchmark tasks out.
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from acecoder.core import rm_format
from acecoder.core.config import setting
from acecoder.core.store import Store
from rewardmodel.config import default_model, model_label

log = logging.getLogger(__name__)

DEFAULT_SAMPLES = Path("../shared/data/generations/humaneval_codegen16b_t0.8_n100.samples.jsonl.gz")
METHODS = ("rm", "rm+exec", "exec", "random", "first", "oracle")
# AceCodeRM-7B's best-of-32 figures (average over benchmarks) from the AceCoder paper, for the README table.
ACECODERM = {
    "Llama-3.1-8B-Instruct": (40.9, 48.9),
    "Qwen2.5-Coder-7B-Instruct": (55.2, 57.8),
}


@dataclass
class EvidenceConfig:
    samples: Path = setting(DEFAULT_SAMPLES, "Program samples of the benchmark's tasks (EvalPlus layout).")
    benchmark: str = setting("humaneval+", "Benchmark whose tasks are ranked (base and plus inputs).")
    policy: str = setting("codegen-16b", "Policy name the samples are stored under.")
    tasks: int | None = setting(None, "Use the benchmark's first N tasks (all when unset).")
    samples_per_task: int | None = setting(None, "Samples per task (all when unset).")
    folds: int = setting(4, "Folds by task: each fold's tasks are ranked by a model trained on the others.")
    model: str = field(default_factory=default_model)  # base of every fold's reward model
    max_length: int = setting(384, "Tokens of prompt + program (most HumanEval programs fit in 384).")
    # 2 epochs at 2e-4 with the program alone beat 1 epoch at 5e-5 with the question on the quick run (README).
    epochs: float = setting(2.0, "Epochs over each fold's training pairs.")
    learning_rate: float = setting(
        2e-4, "Peak learning rate (MiniLM on a few hundred pairs needs a high one)."
    )
    batch_size: int = setting(8, "Pairs per step.")
    pairs_per_problem: int = setting(8, "Most pairs per training task (AceCoder's rule, largest gap first).")
    min_chosen: float = setting(0.8, "Pair rule: chosen pass rate at least this.")
    min_gap: float = setting(0.4, "Pair rule: chosen minus rejected pass rate at least this.")
    program_only: bool = setting(
        True,
        "Score the program alone: HumanEval's programs repeat the prompt, and question + program overflow "
        "MiniLM's positions for most tasks (--no-program-only puts the question in the prompt).",
    )
    margin: bool = setting(False, "Train with the pass-rate gap as the Bradley-Terry margin.")
    transfer_model: Path | None = setting(
        None, "A reward model trained on the seed corpus's pairs alone, ranked on every task (transfer)."
    )
    mutants_per_problem: int = setting(0, "Mutants per task in the filter (0: the reference run only).")
    bootstrap: int = setting(1000, "Bootstrap resamples of the tasks for the intervals.")
    seed: int = setting(0, "Seed of the folds, the pair choice and the bootstrap.")
    out: Path = setting(Path("runs/rm-evidence"), "Folder for the fold models and the report.")
    progress: bool = setting(True, "Progress bars.")

    def __post_init__(self) -> None:
        self.samples, self.out = Path(self.samples), Path(self.out)
        self.transfer_model = Path(self.transfer_model) if self.transfer_model else None
        if self.folds < 2:
            raise ValueError("folds must be at least 2")

    def params(self) -> dict[str, Any]:
        return {k: str(v) if isinstance(v, Path) else v for k, v in asdict(self).items()}


# ----------------------------------------------------------------------------------------------- preparation


def prepare(store: Store, config: EvidenceConfig, pool=None, flow_run_id: str | None = None) -> dict:
    """Bring the store to: tasks imported, offline tests synthesized and filtered, samples imported, labelled
    and scored. Each step runs only where work is left, so a killed preparation picks up where it stopped."""
    from acecoder.code import benchmarks
    from acecoder.stages.filter import FilterConfig, filter_problems
    from acecoder.stages.imports import ImportConfig, add_inferred_tests, import_benchmark, import_samples
    from acecoder.stages.imports.labels import label_programs
    from acecoder.stages.score import score_programs

    steps: dict[str, Any] = {}
    progress = store.frame("evidence_progress", policy=config.policy).to_dicts()[0]
    if progress["problems"] == 0:
        task_ids = [t.task_id for t in benchmarks.load(config.benchmark)][: config.tasks]
        steps["import_benchmark"] = import_benchmark(
            store, config.benchmark, task_ids=task_ids, flow_run_id=flow_run_id
        ).metrics()
    if progress["problems_with_inferred_tests"] == 0:
        steps["inferred_tests"] = add_inferred_tests(
            store, seed=config.seed, pool=pool, flow_run_id=flow_run_id
        ).metrics()
    steps["filter"] = asdict(
        filter_problems(
            store,
            FilterConfig(mutants_per_problem=config.mutants_per_problem),
            pool=pool,
            progress=config.progress,
            flow_run_id=flow_run_id,
        )
    )
    if progress["programs"] == 0:
        steps["import_samples"] = import_samples(
            store,
            config.samples,
            config.benchmark,
            config.policy,
            ImportConfig(limit=config.samples_per_task),
            flow_run_id=flow_run_id,
        ).metrics()
    steps["labels"] = asdict(
        label_programs(store, config.benchmark, progress=config.progress, flow_run_id=flow_run_id)
    )
    steps["score"] = asdict(
        score_programs(store, pool=pool, progress=config.progress, flow_run_id=flow_run_id)
    )
    steps["progress"] = store.frame("evidence_progress", policy=config.policy).to_dicts()[0]
    return steps


def sample_counts(config: EvidenceConfig, programs: pl.DataFrame) -> dict[str, int]:
    """How many of a task's samples each stored program stands for (identical samples are stored once), read
    from the samples file through the importer's own reading and sanitising."""
    from acecoder.code import benchmarks
    from acecoder.core.hashing import content_hash
    from acecoder.rerank.candidates import candidate_sets
    from acecoder.rerank.formats import read_samples

    problem_of_task = dict(zip(programs["task_id"], programs["problem_id"], strict=True))
    counts: dict[str, int] = {}
    groups = read_samples(config.samples, benchmarks.load(config.benchmark), limit=config.samples_per_task)
    groups = [group for group in groups if group.task.task_id in problem_of_task]
    for group, candidates in zip(groups, candidate_sets(groups), strict=True):
        problem_id = problem_of_task[group.task.task_id]
        for program in candidates.programs:
            if program.strip():
                key = content_hash(problem_id, program)
                counts[key] = counts.get(key, 0) + 1
    return counts


# ------------------------------------------------------------------------------------------- folds and pairs


def assign_folds(task_ids: list[str], folds: int, seed: int) -> dict[str, int]:
    """Tasks in an order fixed by a hash of (seed, id), dealt round-robin: folds differ by one task at most."""
    ranked = sorted(set(task_ids), key=lambda t: hashlib.sha256(f"{seed}:{t}".encode()).hexdigest())
    return {task: i % folds for i, task in enumerate(ranked)}


def prompt_of(question: str, first_test: str | None, program_only: bool) -> str:
    return "" if program_only else rm_format.prompt_text(question, first_test)


def texts(programs: pl.DataFrame, program_only: bool) -> pl.DataFrame:
    """`prompt` and `response` of every program, as the pairs export writes them."""
    return programs.with_columns(
        pl.struct("question", "first_test")
        .map_elements(
            lambda r: prompt_of(r["question"], r["first_test"], program_only), return_dtype=pl.String
        )
        .alias("prompt"),
        pl.col("code").map_elements(rm_format.response_text, return_dtype=pl.String).alias("response"),
    )


def evidence_pairs(store: Store, config: EvidenceConfig, programs: pl.DataFrame) -> pl.DataFrame:
    """AceCoder's pairs among the policy's samples of every evaluation-only task, with their texts and task."""
    raw = store.frame(
        "evidence_pairs",
        policy=config.policy,
        min_chosen=config.min_chosen,
        min_gap=config.min_gap,
        min_rejected=0.0,
        max_per_problem=config.pairs_per_problem,
        seed=config.seed,
    )
    side = programs.select("program_id", "task_id", "prompt", "response")
    return (
        raw.join(
            side.rename({"program_id": "chosen_program_id", "response": "chosen"}), on="chosen_program_id"
        )
        .join(
            side.select("program_id", "response").rename(
                {"program_id": "rejected_program_id", "response": "rejected"}
            ),
            on="rejected_program_id",
        )
        .with_columns((pl.col("chosen_pass_rate") - pl.col("rejected_pass_rate")).alias("margin"))
    )


def train_fold(
    pairs: pl.DataFrame, folder: Path, config: EvidenceConfig, db: Path, flow_run_id: str | None = None
) -> Path:
    """A reward model trained on `pairs` (kept when the folder already holds one trained on them)."""
    from rewardmodel.config import RMConfig
    from rewardmodel.train import train

    data = folder / "pairs"
    (data / "data").mkdir(parents=True, exist_ok=True)
    columns = ["prompt", "chosen", "rejected", "problem_id", *(["margin"] if config.margin else [])]
    pairs.select(columns).write_parquet(data / "data" / "train-00000-of-00001.parquet")
    rm = RMConfig(
        model=config.model,
        pairs=data,
        out=folder / "model",
        eval_fraction=0.0,
        seed=42 + config.seed,
        max_length=config.max_length,
        epochs=config.epochs,
        learning_rate=config.learning_rate,
        per_device_batch_size=config.batch_size,
        effective_batch_size=config.batch_size,
        checkpoint_steps=50,
        db=db,
    )
    return train(rm, flow_run_id=flow_run_id, reuse=True, resume=True).output_dir


def rm_scores(model_dir: Path, programs: pl.DataFrame, progress: bool) -> list[float]:
    from rewardmodel.scoring import RewardScorer

    scorer = RewardScorer(model_dir)
    return scorer.score_texts(
        programs["prompt"].to_list(), programs["response"].to_list(), batch_size=32, progress=progress
    )


# ----------------------------------------------------------------------------------------------- the figures


def picks(programs: pl.DataFrame, score_column: str = "score") -> pl.DataFrame:
    """Per task, base and plus pass@1 of each method's pick (`random` as an expectation over the samples)."""
    frame = programs.with_columns(
        pl.col("base_passed").cast(pl.Float64).alias("base"),
        pl.col("plus_passed").fill_null(pl.col("base_passed")).cast(pl.Float64).alias("plus"),
        pl.col("pass_rate").fill_null(-1.0).alias("exec_rate"),
    )

    def top(order: list[str], descending: list[bool], name: str) -> pl.DataFrame:
        return (
            frame.sort(["task_id", *order], descending=[False, *descending])
            .group_by("task_id", maintain_order=True)
            .agg(pl.col("base").first().alias(f"{name}_base"), pl.col("plus").first().alias(f"{name}_plus"))
        )

    weighted = (
        frame.group_by("task_id", maintain_order=True)
        .agg(
            ((pl.col("base") * pl.col("copies")).sum() / pl.col("copies").sum()).alias("random_base"),
            ((pl.col("plus") * pl.col("copies")).sum() / pl.col("copies").sum()).alias("random_plus"),
            pl.col("base").max().alias("oracle_base"),
            pl.col("plus").max().alias("oracle_plus"),
        )
        .sort("task_id")
    )
    tables = [
        top([score_column, "sample_idx"], [True, False], "rm"),
        top(["exec_rate", score_column, "sample_idx"], [True, True, False], "rm+exec"),
        top(["exec_rate", "sample_idx"], [True, False], "exec"),
        top(["sample_idx"], [False], "first"),
    ]
    result = weighted
    for table in tables:
        result = result.join(table, on="task_id")
    return result


def bootstrap_interval(values: np.ndarray, resamples: int, seed: int) -> tuple[float, float]:
    """95% percentile interval of the mean over tasks, in points."""
    if len(values) == 0:
        return (float("nan"), float("nan"))
    rng = np.random.default_rng(seed)
    means = values[rng.integers(0, len(values), size=(resamples, len(values)))].mean(axis=1)
    low, high = np.percentile(means, [2.5, 97.5])
    return (100 * float(low), 100 * float(high))


def method_rows(per_task: pl.DataFrame, resamples: int, seed: int, suffix: str = "") -> list[dict]:
    rows = []
    for method in METHODS:
        if f"{method}_base" not in per_task.columns:
            continue
        row: dict[str, Any] = {"method": method + suffix, "tasks": per_task.height}
        for split in ("base", "plus"):
            values = per_task[f"{method}_{split}"].to_numpy()
            row[split] = 100 * float(values.mean()) if len(values) else float("nan")
            row[f"{split}_ci"] = bootstrap_interval(values, resamples, seed)
        rows.append(row)
    return rows


def pair_accuracy(pairs: pl.DataFrame, scores: dict[str, float]) -> float | None:
    """Share of pairs whose chosen program scores higher than the rejected one (ties count as wrong)."""
    if pairs.height == 0:
        return None
    chosen = np.array([scores[p] for p in pairs["chosen_program_id"]])
    rejected = np.array([scores[p] for p in pairs["rejected_program_id"]])
    return float((chosen > rejected).mean())


# ----------------------------------------------------------------------------------------------- the run


@dataclass
class EvidenceResult:
    config: dict[str, Any]
    data: dict[str, Any]
    methods: list[dict[str, Any]]
    folds: list[dict[str, Any]]
    held_out_pair_accuracy: float | None
    transfer: list[dict[str, Any]] = field(default_factory=list)
    transfer_pair_accuracy: float | None = None
    seconds: dict[str, float] = field(default_factory=dict)


def evaluate_folds(
    store: Store, config: EvidenceConfig, db: Path, flow_run_id: str | None = None, fold_runner=None
) -> EvidenceResult:
    """Train one model per fold on the other folds' pairs and rank the fold's tasks; the figures over all.

    `fold_runner(function, *args)` runs a fold's training (a Prefect task from the flow); default: a call."""
    started = time.monotonic()
    programs = store.frame("evidence_programs", policy=config.policy)
    if programs.height == 0:
        raise ValueError("no labelled programs of evaluation-only tasks: run the preparation first")
    counts = sample_counts(config, programs)
    programs = texts(programs, config.program_only).with_columns(
        pl.col("program_id").replace_strict(counts, default=1, return_dtype=pl.Int64).alias("copies")
    )
    pairs = evidence_pairs(store, config, programs)
    fold_of = assign_folds(programs["task_id"].to_list(), config.folds, config.seed)
    programs = programs.with_columns(pl.col("task_id").replace_strict(fold_of).alias("fold"))
    pairs = pairs.with_columns(pl.col("task_id").replace_strict(fold_of).alias("fold"))
    run = fold_runner or (lambda function, *args: function(*args))

    scored, fold_rows, all_scores = [], [], {}
    for fold in range(config.folds):
        fold_started = time.monotonic()
        train_pairs = pairs.filter(pl.col("fold") != fold)
        held_out = programs.filter(pl.col("fold") == fold)
        if train_pairs.height == 0:
            raise ValueError(f"fold {fold}: the other folds have no pairs (too few tasks or samples?)")
        model_dir = run(train_fold, train_pairs, config.out / f"fold-{fold}", config, db, flow_run_id)
        scores = rm_scores(model_dir, held_out, config.progress)
        held_out = held_out.with_columns(pl.Series("score", scores, dtype=pl.Float64))
        fold_scores = dict(zip(held_out["program_id"], scores, strict=True))
        all_scores |= fold_scores
        fold_pairs = pairs.filter(pl.col("fold") == fold)
        fold_rows.append(
            {
                "fold": fold,
                "tasks": held_out["task_id"].n_unique(),
                "train_pairs": train_pairs.height,
                "held_out_pairs": fold_pairs.height,
                "held_out_pair_accuracy": pair_accuracy(fold_pairs, fold_scores),
                "seconds": round(time.monotonic() - fold_started, 1),
            }
        )
        scored.append(held_out)
        log.info("fold %d: %s", fold, fold_rows[-1])
    everything = pl.concat(scored)
    per_task = picks(everything)
    result = EvidenceResult(
        config=config.params(),
        data={
            "tasks": programs["task_id"].n_unique(),
            "programs": programs.height,
            "samples": int(programs["copies"].sum()),
            "scored_programs": int(programs["pass_rate"].is_not_null().sum()),
            "tasks_without_scored_programs": int(
                programs.group_by("task_id").agg(pl.col("pass_rate").is_null().all()).to_series(1).sum()
            ),
            "pairs": pairs.height,
            "tasks_with_pairs": pairs["task_id"].n_unique(),
        },
        methods=method_rows(per_task, config.bootstrap, config.seed),
        folds=fold_rows,
        held_out_pair_accuracy=pair_accuracy(pairs, all_scores),
    )
    if config.transfer_model is not None:
        transfer_scores = rm_scores(config.transfer_model, everything, config.progress)
        moved = everything.with_columns(pl.Series("score", transfer_scores, dtype=pl.Float64))
        rows = method_rows(picks(moved), config.bootstrap, config.seed, suffix=" (seed corpus)")
        result.transfer = [r for r in rows if r["method"].split(" ")[0] in ("rm", "rm+exec")]
        result.transfer_pair_accuracy = pair_accuracy(
            pairs, dict(zip(moved["program_id"], transfer_scores, strict=True))
        )
    result.seconds["folds"] = round(time.monotonic() - started, 1)
    return result


# ----------------------------------------------------------------------------------------------- the report


def markdown(result: EvidenceResult) -> str:
    """The table of methods (pass@1 and 95% bootstrap intervals over tasks) and the pairwise accuracies."""
    data, config = result.data, result.config
    lines = [
        f"Best-of-{round(data['samples'] / max(data['tasks'], 1))} on {data['tasks']} HumanEval+ tasks "
        f"({config['folds']} folds by task; {model_label(config['model'])}, {config['epochs']} epochs, "
        f"lr {config['learning_rate']}, max length {config['max_length']}, {data['pairs']} pairs from "
        f"{data['tasks_with_pairs']} tasks)",
        "",
        "| method | HumanEval+ base pass@1 | 95% CI | HumanEval+ plus pass@1 | 95% CI |",
        "|---|---:|---|---:|---|",
    ]
    for row in result.methods + result.transfer:
        lines.append(
            f"| {row['method']} | {row['base']:.1f} | {row['base_ci'][0]:.1f}-{row['base_ci'][1]:.1f} "
            f"| {row['plus']:.1f} | {row['plus_ci'][0]:.1f}-{row['plus_ci'][1]:.1f} |"
        )
    accuracy = result.held_out_pair_accuracy
    lines += [
        "",
        f"Held-out pairwise accuracy (pairs of tasks the model never saw): "
        f"{accuracy:.3f}"
        + (f"; seed-corpus model: {result.transfer_pair_accuracy:.3f}" if result.transfer else "")
        if accuracy is not None
        else "Held-out pairwise accuracy: no held-out pairs",
        "",
        "AceCodeRM-7B (paper, best-of-32, average over benchmarks): "
        + "; ".join(f"{name} {a} -> {b}" for name, (a, b) in ACECODERM.items())
        + ".",
    ]
    return "\n".join(lines) + "\n"


def save_plot(result: EvidenceResult, path: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = result.methods + result.transfer
    names = [r["method"] for r in rows]
    fig, ax = plt.subplots(figsize=(8, 4), dpi=110)
    x = np.arange(len(rows))
    for offset, split in ((-0.2, "base"), (0.2, "plus")):
        values = np.array([r[split] for r in rows])
        errors = np.array(
            [[v - r[f"{split}_ci"][0], r[f"{split}_ci"][1] - v] for v, r in zip(values, rows, strict=True)]
        )
        ax.bar(x + offset, values, 0.4, yerr=errors.T, capsize=3, label=f"HumanEval+ {split}")
    ax.set_xticks(x, names, rotation=20, ha="right", fontsize=8)
    ax.set_ylabel("pass@1 of the pick (%)")
    ax.set_title(f"best-of-N on {result.data['tasks']} held-out tasks ({result.config['folds']} folds)")
    ax.legend(fontsize=8)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def flat_metrics(result: EvidenceResult) -> dict[str, Any]:
    metrics: dict[str, Any] = {"held_out_pair_accuracy": result.held_out_pair_accuracy}
    for row in result.methods + result.transfer:
        for split in ("base", "plus"):
            metrics[f"{row['method']}_{split}"] = row[split]
    return metrics | result.data | {f"seconds_{k}": v for k, v in result.seconds.items()}

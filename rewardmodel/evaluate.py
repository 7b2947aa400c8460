"""Held-out evaluation of a trained reward model (`acecoder rm eval`): pairwise accuracy overall and by
pass-rate gap, rank correlation of scores with pass rates, and best-of-N selection, all on problems the model
never saw in training."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import polars as pl

from acecoder.core import rm_format
from rewardmodel import layout
from rewardmodel.config import RMConfig, runs_database
from rewardmodel.data import read_pairs

# Pass-rate gaps (chosen - rejected) reported separately; AceCoder's rule keeps gaps of 0.4 and more.
GAP_BUCKETS = ((0.0, 0.4), (0.4, 0.6), (0.6, 0.8), (0.8, 1.0))


def pairwise_accuracy(pairs: pl.DataFrame) -> dict[str, Any]:
    """Share of pairs whose chosen side scores higher (a tie counts as wrong), overall and by gap bucket.

    `pairs` has `chosen_score`, `rejected_score` and, when known, the two pass rates.
    """
    if pairs.height == 0:
        return {"pairs": 0, "problems": 0, "accuracy": None, "by_gap": []}
    correct = pairs.with_columns((pl.col("chosen_score") > pl.col("rejected_score")).alias("correct"))
    result: dict[str, Any] = {
        "pairs": pairs.height,
        "problems": pairs["problem_id"].n_unique(),
        "accuracy": correct["correct"].mean(),
        "by_gap": [],
    }
    if {"chosen_pass_rate", "rejected_pass_rate"} <= set(pairs.columns):
        gap = pl.col("chosen_pass_rate") - pl.col("rejected_pass_rate")
        for low, high in GAP_BUCKETS:
            last = high == GAP_BUCKETS[-1][1]
            # Pass rates are ratios of small integers: edges allow float rounding, the last bucket includes 1.0.
            bucket = correct.filter(
                (gap >= low - 1e-9) & ((gap <= high + 1e-9) if last else (gap < high - 1e-9))
            )
            if bucket.height:
                result["by_gap"].append(
                    {
                        "gap": f"{low:.1f}-{high:.1f}",
                        "pairs": bucket.height,
                        "accuracy": bucket["correct"].mean(),
                    }
                )
    return result


def _spearman(scores: list[float], rates: list[float]) -> float | None:
    from scipy.stats import spearmanr

    if len(set(rates)) < 2 or len(set(scores)) < 2:
        return None  # undefined when either side is constant
    rho = spearmanr(scores, rates).statistic
    return None if math.isnan(rho) else float(rho)


def rank_correlation(programs: pl.DataFrame) -> dict[str, Any]:
    """Spearman correlation between score and pass rate: over all programs, and averaged within problems
    (what best-of-N depends on) over problems whose programs differ in pass rate."""
    if programs.height == 0:
        return {"programs": 0, "spearman": None, "within_problem_spearman": None, "problems": 0}
    within = [
        rho
        for (_,), group in programs.group_by("problem_id")
        if (rho := _spearman(group["score"].to_list(), group["pass_rate"].to_list())) is not None
    ]
    return {
        "programs": programs.height,
        "spearman": _spearman(programs["score"].to_list(), programs["pass_rate"].to_list()),
        "within_problem_spearman": sum(within) / len(within) if within else None,
        "problems": len(within),
    }


def best_of_n(programs: pl.DataFrame) -> dict[str, Any]:
    """For each problem with two or more programs: the pass rate of the top-scored program, against a random
    pick (the mean pass rate) and the best possible pick (the max)."""
    per_problem = (
        programs.sort(["problem_id", "score"], descending=[False, True])
        .group_by("problem_id", maintain_order=True)
        .agg(
            pl.len().alias("n"),
            pl.col("pass_rate").first().alias("selected"),
            pl.col("pass_rate").mean().alias("random"),
            pl.col("pass_rate").max().alias("oracle"),
        )
        .filter(pl.col("n") >= 2)
    )
    if per_problem.height == 0:
        return {
            "problems": 0,
            "mean_n": None,
            "selected_pass_rate": None,
            "random_pass_rate": None,
            "oracle_pass_rate": None,
        }
    return {
        "problems": per_problem.height,
        "mean_n": per_problem["n"].mean(),
        "selected_pass_rate": per_problem["selected"].mean(),
        "random_pass_rate": per_problem["random"].mean(),
        "oracle_pass_rate": per_problem["oracle"].mean(),
    }


def held_out_programs(source: Path, held_out: list[str], pairs: pl.DataFrame) -> pl.DataFrame:
    """(problem_id, program_id, prompt, response, pass_rate) of the held-out problems' programs.

    From a DuckDB file: every fully scored sampled program (the `pass_rates` view). From an exported folder:
    the programs that appear in its pairs, when it carries their ids and pass rates.
    """
    columns = ["problem_id", "program_id", "prompt", "response", "pass_rate"]
    if Path(source).is_file():
        from acecoder.core.store import Store

        with Store(source, read_only=True) as store:
            rows = store.frame(
                "rm_eval_programs",
                staged=pl.DataFrame({"problem_id": held_out}, schema={"problem_id": pl.String}),
            )
        return rows.select(
            "problem_id",
            "program_id",
            pl.struct("question", "first_test")
            .map_elements(
                lambda r: rm_format.prompt_text(r["question"], r["first_test"]), return_dtype=pl.String
            )
            .alias("prompt"),
            pl.col("code").map_elements(rm_format.response_text, return_dtype=pl.String).alias("response"),
            "pass_rate",
        )
    sides = ("chosen", "rejected")
    if not all(f"{side}_{field}" in pairs.columns for side in sides for field in ("program_id", "pass_rate")):
        return pl.DataFrame(schema=dict.fromkeys(columns, pl.String) | {"pass_rate": pl.Float64})
    return pl.concat(
        [
            pairs.select(
                "problem_id",
                pl.col(f"{side}_program_id").alias("program_id"),
                "prompt",
                pl.col(side).alias("response"),
                pl.col(f"{side}_pass_rate").alias("pass_rate"),
            )
            for side in sides
        ]
    ).unique("program_id", keep="first", maintain_order=True)


def evaluate(
    model_dir: Path,
    *,
    source: Path | None = None,
    db: Path | None = None,
    batch_size: int | None = None,
    record: bool = True,
    flow_run_id: str | None = None,
) -> dict[str, Any]:
    """Evaluate the model in `model_dir` on its held-out problems, write `eval_results.json` and the model
    card there, and (with `record`) add an `rm-eval` row to `runs` (in `db`, else as for training).

    `source` replaces the pairs the model was trained from (a DuckDB file or an exported folder)."""
    from acecoder.core.store import detached_run
    from rewardmodel.card import write_model_card
    from rewardmodel.scoring import RewardScorer

    model_dir = Path(model_dir)
    config = RMConfig.load(model_dir / layout.RM_CONFIG)
    source = Path(source) if source is not None else config.pairs
    held_out = layout.held_out_problems(model_dir)
    batch_size = batch_size or config.score_batch_size

    def run() -> dict[str, Any]:
        scorer = RewardScorer(model_dir)
        pairs = read_pairs(source).filter(pl.col("problem_id").is_in(held_out))
        scores = scorer.score_texts(
            pairs["prompt"].to_list() * 2, pairs["chosen"].to_list() + pairs["rejected"].to_list(), batch_size
        )
        pairs = pairs.with_columns(
            chosen_score=pl.Series(scores[: pairs.height], dtype=pl.Float64),
            rejected_score=pl.Series(scores[pairs.height :], dtype=pl.Float64),
        )
        programs = held_out_programs(source, held_out, pairs)
        programs = programs.with_columns(
            score=pl.Series(
                scorer.score_texts(programs["prompt"].to_list(), programs["response"].to_list(), batch_size),
                dtype=pl.Float64,
            )
        )
        return {
            "model_dir": str(model_dir),
            "source": str(source),
            "pairwise": pairwise_accuracy(pairs),
            "rank_correlation": rank_correlation(programs),
            "best_of_n": best_of_n(programs),
        }

    if record:
        with detached_run(
            runs_database(source, db or config.db),
            "rm-eval",
            {"model_dir": str(model_dir), "source": str(source)},
            flow_run_id,
        ) as (_, metrics):
            results = run()
            metrics.update(flat_metrics(results))
    else:
        results = run()
    layout.write_json(model_dir / layout.EVAL_RESULTS, results)
    write_model_card(model_dir)
    return results


def flat_metrics(results: dict[str, Any]) -> dict[str, Any]:
    """The headline figures of an evaluation as flat `runs.metrics` keys."""
    pairwise, ranks, bon = results["pairwise"], results["rank_correlation"], results["best_of_n"]
    return {
        "held_out_pairs": pairwise["pairs"],
        "held_out_problems": pairwise["problems"],
        "held_out_accuracy": pairwise["accuracy"],
        **{f"accuracy_gap_{b['gap']}": b["accuracy"] for b in pairwise["by_gap"]},
        "spearman": ranks["spearman"],
        "within_problem_spearman": ranks["within_problem_spearman"],
        "best_of_n_selected": bon["selected_pass_rate"],
        "best_of_n_random": bon["random_pass_rate"],
        "best_of_n_oracle": bon["oracle_pass_rate"],
    }

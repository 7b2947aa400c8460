"""The ablation's results: rows in DuckDB (`ablation_results`), a CSV and a markdown table, and a PNG plot of
pass@1 per evaluation set, data mix and regime."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from acecoder.ablation.config import AblationConfig
from acecoder.ablation.run import DEMONSTRATION_NOTICE, CellResult


@dataclass
class AblationResults:
    ablation_id: str
    table: pl.DataFrame
    csv: Path
    markdown: Path
    plot: Path
    demonstration: bool


def results_frame(config: AblationConfig, cells: list[CellResult]) -> pl.DataFrame:
    rows = [
        {
            "ablation_id": config.ablation_id,
            "mix": cell.mix,
            "regime": cell.regime,
            "benchmark": score["benchmark"],
            "tests": score["tests"],
            "pass_at_1": float(score["pass_at_1"]),
            "tasks": int(score["tasks"]),
            "model_dir": cell.model_dir,
            "demonstration": config.demonstration,
            "run_id": cell.run_id,
        }
        for cell in cells
        for score in cell.scores
    ]
    schema = {
        "ablation_id": pl.String,
        "mix": pl.String,
        "regime": pl.String,
        "benchmark": pl.String,
        "tests": pl.String,
        "pass_at_1": pl.Float64,
        "tasks": pl.Int64,
        "model_dir": pl.String,
        "demonstration": pl.Boolean,
        "run_id": pl.String,
    }
    return pl.DataFrame(rows, schema=schema)


def _labelled(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with an `evaluation` column: 'benchmark (tests)'."""
    return frame.with_columns((pl.col("benchmark") + " (" + pl.col("tests") + ")").alias("evaluation"))


def wide(frame: pl.DataFrame) -> pl.DataFrame:
    """One row per (mix, regime), one column per evaluation set."""
    if frame.is_empty():
        return pl.DataFrame()
    labelled = _labelled(frame)
    return labelled.pivot("evaluation", index=["mix", "regime"], values="pass_at_1").sort("mix", "regime")


def markdown(config: AblationConfig, table: pl.DataFrame) -> str:
    lines = [f"# SFT / RL ablation {config.ablation_id}", ""]
    if config.demonstration:
        lines += [f"**{DEMONSTRATION_NOTICE}**", ""]
    lines += [
        f"Base model: {config.base_model or 'tiny random Qwen2 (demonstration)'}; recipe "
        f"{config.recipe_name}; split {config.split!r}. pass@1 (greedy):",
        "",
    ]
    if table.is_empty():
        return "\n".join(lines + ["(no results)"]) + "\n"
    lines.append("| " + " | ".join(table.columns) + " |")
    lines.append("|" + "---|" * len(table.columns))
    for row in table.iter_rows():
        lines.append("| " + " | ".join(f"{v:.3f}" if isinstance(v, float) else str(v) for v in row) + " |")
    return "\n".join(lines) + "\n"


def plot(config: AblationConfig, frame: pl.DataFrame, path: Path) -> Path:
    """Grouped bars: one panel per evaluation set, data mixes along x, one bar per regime."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labelled = _labelled(frame)
    evaluations = labelled["evaluation"].unique(maintain_order=True).to_list() or ["(none)"]
    mixes = [m for m in config.mixes if m in set(frame["mix"].to_list())] or list(config.mixes)
    regimes = [r for r in config.regimes if r in set(frame["regime"].to_list())] or list(config.regimes)
    fig, axes = plt.subplots(1, len(evaluations), figsize=(4 * len(evaluations), 3.6), squeeze=False)
    width = 0.8 / max(len(regimes), 1)
    for ax, evaluation in zip(axes[0], evaluations, strict=True):
        for j, regime in enumerate(regimes):
            values = []
            for mix in mixes:
                cell = labelled.filter(
                    (pl.col("evaluation") == evaluation)
                    & (pl.col("mix") == mix)
                    & (pl.col("regime") == regime)
                )
                values.append(cell["pass_at_1"][0] if cell.height else 0.0)
            ax.bar([i + j * width for i in range(len(mixes))], values, width, label=regime)
        ax.set_xticks([i + width * (len(regimes) - 1) / 2 for i in range(len(mixes))], mixes, rotation=20)
        ax.set_ylim(0, 1)
        ax.set_title(evaluation, fontsize=9)
        ax.set_ylabel("pass@1")
    axes[0][0].legend(fontsize=8)
    title = f"SFT / RL ablation {config.ablation_id}"
    if config.demonstration:
        title += " (DEMONSTRATION: tiny random model, a few CPU steps; figures are noise)"
    fig.suptitle(title, fontsize=9)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def record(config: AblationConfig, cells: list[CellResult]) -> AblationResults:
    """Write the cells' scores to `ablation_results` and the result files under `config.out`."""
    from acecoder.core.store import open_store

    frame = results_frame(config, cells)
    with open_store(config.db) as store:
        store.insert("ablation_results_insert", frame)
    table = wide(frame)
    config.out.mkdir(parents=True, exist_ok=True)
    csv = config.out / "results.csv"
    frame.write_csv(csv)
    md = config.out / "results.md"
    md.write_text(markdown(config, table))
    png = plot(config, frame, config.out / "results.png")
    return AblationResults(config.ablation_id, table, csv, md, png, config.demonstration)

"""The rerank report: figures from per-candidate verdicts, printed as a table, saved as JSON and a plot.

For each test set over the tasks evaluated (`base`; and `plus` where the benchmark has plus inputs, which a
candidate passes by passing base and plus inputs, as EvalPlus counts it):
- `selected_pass@1`: share of tasks whose selected candidate passes;
- `random_pass@1`: mean pass rate over candidates (what picking at random scores on average);
- `oracle`: share of tasks where some candidate passes (pass@N);
- `pass@k`: the unbiased estimator for k = 1, 10 and N (k up to the fewest samples any task has);
- `curve`: for N = 1, 2, 4, ..., the method re-run on each task's first N samples, beside random and oracle.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.table import Table

from acecoder.rerank.methods import Chooser
from acecoder.rerank.passk import pass_at_k, sample_counts, selected_pass_rate


def test_set_figures(verdicts: Sequence[Sequence[bool]], choosers: Sequence[Chooser]) -> dict[str, Any]:
    """Every figure for one test set; `verdicts[t][i]`: candidate i of task t passes."""
    most = max(len(task) for task in verdicts)
    fewest = min(len(task) for task in verdicts)
    chosen = [choose(len(task)) for choose, task in zip(choosers, verdicts, strict=True)]
    curve = []
    for n in sample_counts(most):
        prefixes = [task[:n] for task in verdicts]
        curve.append(
            {
                "n": n,
                "selected": selected_pass_rate(verdicts, [choose(n) for choose in choosers]),
                "random": pass_at_k(prefixes, 1),
                "oracle": float(sum(any(task) for task in prefixes) / len(prefixes)),
            }
        )
    return {
        "selected_pass@1": selected_pass_rate(verdicts, chosen),
        "random_pass@1": pass_at_k(verdicts, 1),
        "oracle": float(sum(any(task) for task in verdicts) / len(verdicts)),
        "pass@k": {str(k): pass_at_k(verdicts, k) for k in sorted({1, 10, fewest}) if k <= fewest},
        "curve": curve,
    }


def build_report(
    *,
    benchmark: str,
    method: str,
    seed: int,
    task_ids: Sequence[str],
    chosen: Sequence[int],
    test_sets: dict[str, Sequence[Sequence[bool]]],
    choosers: Sequence[Chooser],
    timings_s: dict[str, float],
) -> dict[str, Any]:
    """The whole report as plain data (what `report.json` holds)."""
    counts = [len(next(iter(test_sets.values()))[t]) for t in range(len(task_ids))]
    return {
        "benchmark": benchmark,
        "method": method,
        "seed": seed,
        "tasks": len(task_ids),
        "n": max(counts),
        "min_n": min(counts),
        "tests": {name: test_set_figures(verdicts, choosers) for name, verdicts in test_sets.items()},
        "selected": [
            {"task_id": task_id, "index": index} for task_id, index in zip(task_ids, chosen, strict=True)
        ],
        "timings_s": {name: round(seconds, 3) for name, seconds in timings_s.items()},
    }


def report_table(report: dict[str, Any]) -> Table:
    """The headline figures, one column per test set."""
    names = list(report["tests"])
    table = Table(
        title=f"rerank {report['benchmark']} with {report['method']}: "
        f"{report['tasks']} tasks, N = {report['n']}"
    )
    table.add_column("figure")
    for name in names:
        table.add_column(f"{name} tests", justify="right")
    rows = [
        ("selected pass@1", "selected_pass@1"),
        ("random pass@1 (mean pass rate)", "random_pass@1"),
        ("oracle (pass@N)", "oracle"),
    ]
    for label, key in rows:
        table.add_row(label, *(_percent(report["tests"][name][key]) for name in names))
    for k in report["tests"][names[0]]["pass@k"]:
        table.add_row(
            f"pass@{k} (unbiased)", *(_percent(report["tests"][name]["pass@k"][k]) for name in names)
        )
    for point in report["tests"][names[0]]["curve"]:
        by_name = {
            name: next(p for p in report["tests"][name]["curve"] if p["n"] == point["n"]) for name in names
        }
        table.add_row(
            f"selected pass@1, first {point['n']}", *(_percent(by_name[name]["selected"]) for name in names)
        )
    return table


def write_report(
    report: dict[str, Any], directory: str | Path, test_sets: dict[str, Sequence[Sequence[bool]]]
) -> list[Path]:
    """`report.json`, `verdicts.jsonl` (every candidate's verdicts) and `selection_curve.png` in `directory`."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    json_path = directory / "report.json"
    json_path.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    verdicts_path = directory / "verdicts.jsonl"
    with open(verdicts_path, "w", encoding="utf-8") as handle:
        for t, entry in enumerate(report["selected"]):
            row = {"task_id": entry["task_id"]} | {
                name: list(verdicts[t]) for name, verdicts in test_sets.items()
            }
            handle.write(json.dumps(row) + "\n")
    png_path = directory / "selection_curve.png"
    _plot(report, png_path)
    return [json_path, verdicts_path, png_path]


def _plot(report: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    figure, axes = plt.subplots(figsize=(7, 4.5))
    styles = {
        "selected": ("tab:blue", f"{report['method']} selection"),
        "random": ("tab:gray", "random (mean)"),
        "oracle": ("tab:green", "oracle (pass@N)"),
    }
    for name, line in zip(report["tests"], ("-", "--"), strict=False):
        curve = report["tests"][name]["curve"]
        for key, (colour, label) in styles.items():
            axes.plot(
                [p["n"] for p in curve],
                [100 * p[key] for p in curve],
                line,
                color=colour,
                marker="o",
                markersize=3,
                label=f"{label}, {name} tests",
            )
    axes.set_xscale("log", base=2)
    axes.set_xlabel("samples per task (N)")
    axes.set_ylabel("pass@1 (%)")
    axes.set_title(f"{report['benchmark']}: {report['tasks']} tasks")
    axes.grid(alpha=0.3)
    axes.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)


def _percent(value: float) -> str:
    return f"{100 * value:.1f}%"

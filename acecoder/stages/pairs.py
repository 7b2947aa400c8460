"""Preference pairs from pass rates (AceCoder's rule, every part a parameter) and their summary."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from acecoder.core.config import setting
from acecoder.core.store import Store

DEFAULT_HISTOGRAM = Path("data/reports/pass_rates.png")


@dataclass(frozen=True)
class PairRule:
    """AceCoder's defaults: chosen >= 0.8, chosen - rejected >= 0.4, rejected > 0, within one policy's samples."""

    min_chosen: float = setting(0.8, "Chosen pass rate at least this.")
    min_gap: float = setting(0.4, "Chosen minus rejected pass rate at least this.")
    min_rejected: float = setting(0.0, "Rejected pass rate above this (strictly).")
    max_per_problem: int = setting(16, "Most pairs per problem.")
    seed: int = setting(0, "Seed of the choice among a problem's eligible pairs.")
    policies: tuple[str, ...] | None = setting(
        None,
        "Pair only the programs of these policies, pooled (e.g. a model's samples and `reference`). Default: "
        "each sampling policy on its own, never the stored reference (`mutants` is the offline policy).",
    )

    def query_params(self) -> dict[str, object]:
        """The rule as the bound parameters of `pairs_select.sql`."""
        params = asdict(self)
        params["policies"] = list(self.policies) if self.policies else None
        return params


@dataclass
class PairsReport:
    run_id: str = ""
    new_pairs: int = 0
    summary: dict[str, object] = field(default_factory=dict)
    histogram: str | None = None


def make_pairs(
    store: Store,
    rule: PairRule | None = None,
    *,
    histogram: Path | None = None,
    flow_run_id: str | None = None,
) -> PairsReport:
    """Insert the pairs the rule selects (those already stored are kept) and summarise."""
    rule = rule or PairRule()
    report = PairsReport()
    with store.tracked_run("pairs", asdict(rule), flow_run_id) as (run_id, metrics):
        report.run_id = run_id
        selected = store.frame("pairs_select", **rule.query_params())
        with store.transaction():
            report.new_pairs = store.insert(
                "pairs_insert", selected, rule=json.dumps(asdict(rule)), run_id=run_id
            )
        report.summary = store.frame("pairs_summary").to_dicts()[0]
        if histogram is not None:
            report.histogram = str(save_histogram(store, histogram))
        metrics.update({"new_pairs": report.new_pairs, **report.summary})
    return report


def save_histogram(store: Store, path: Path) -> Path:
    """A PNG of scored programs' pass rates, stacked by policy family."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    frame = store.frame("pass_rate_histogram")
    fig, ax = plt.subplots(figsize=(7, 4), dpi=110)
    groups = [
        (name, g["pass_rate"].to_numpy())
        for (name,), g in frame.sort("policy").group_by("policy", maintain_order=True)
    ]
    if groups:
        ax.hist(
            [values for _, values in groups],
            bins=[i / 10 for i in range(11)],
            stacked=True,
            label=[name for name, _ in groups],
        )
        ax.legend(fontsize=8)
    ax.set_xlabel("pass rate (tests passed / tests kept)")
    ax.set_ylabel("programs")
    ax.set_title(f"pass rates of {frame.height:,} scored programs")
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path

"""Train/test splits of the synthetic functions that keep the test part out of training.

A composition goes to test when it uses an atom of the held-out target topic, or when its sequence of atoms
is one of the held-out sequences (a seeded hash of the sequence below `held_out_fraction`). Everything else
is training. So no training function uses the target topic, and no training function has the atom sequence
of a test function, whatever its combinators. `leaks()` checks this with a query over the recorded
compositions (`sql/queries/synthetic_split_leaks.sql`), which also compares structures and references.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import polars as pl

from acecoder.core.hashing import content_hash
from acecoder.core.store import Store


@dataclass
class SplitConfig:
    name: str = "default"
    held_out_topic: str | None = "strings"  # None: hold out sequences only
    held_out_fraction: float = 0.2  # share of atom sequences held out
    seed: int = 0

    def __post_init__(self) -> None:
        if not 0.0 <= self.held_out_fraction <= 1.0:
            raise ValueError("held_out_fraction must be between 0 and 1")


@dataclass
class SplitReport:
    split: str
    run_id: str = ""
    train: int = 0
    test: int = 0
    reasons: dict[str, int] = field(default_factory=dict)
    leaks: int = 0


def sequence_held_out(sequence: str, fraction: float, seed: int) -> bool:
    """Whether an atom sequence is held out: a uniform draw from its hash, the same in every run."""
    return int(content_hash("held-out-sequence", seed, sequence, length=12), 16) / 16**12 < fraction


def assign(frame: pl.DataFrame, config: SplitConfig) -> pl.DataFrame:
    """composition_id, part, reason for each composition of `frame` (composition_id, atom_sequence, topics)."""
    rows = []
    for composition_id, sequence, topics in frame.select(
        "composition_id", "atom_sequence", "topics"
    ).iter_rows():
        if config.held_out_topic is not None and config.held_out_topic in topics:
            part, reason = "test", "held-out topic"
        elif sequence_held_out(sequence, config.held_out_fraction, config.seed):
            part, reason = "test", "held-out sequence"
        else:
            part, reason = "train", "train"
        rows.append({"composition_id": composition_id, "part": part, "reason": reason})
    return pl.DataFrame(rows, schema={"composition_id": pl.String, "part": pl.String, "reason": pl.String})


def make_split(
    store: Store, config: SplitConfig | None = None, flow_run_id: str | None = None
) -> SplitReport:
    """(Re)write the named split over every stored composition and check it for leaks."""
    from acecoder.functions.atoms import topics

    config = config or SplitConfig()
    if config.held_out_topic is not None and config.held_out_topic not in topics():
        raise ValueError(f"unknown topic {config.held_out_topic!r}: use one of {', '.join(topics())}")
    report = SplitReport(config.name)
    with store.tracked_run("synthetic-split", asdict(config), flow_run_id) as (run_id, metrics):
        report.run_id = run_id
        members = assign(store.frame("compositions_for_split"), config)
        with store.transaction():
            store.run(
                "synthetic_split_define",
                split=config.name,
                held_out_topic=config.held_out_topic,
                held_out_fraction=config.held_out_fraction,
                seed=config.seed,
                run_id=run_id,
            )
            store.run("synthetic_split_members_clear", split=config.name)
            store.insert("synthetic_split_members_insert", members, split=config.name)
        report.train = int((members["part"] == "train").sum()) if members.height else 0
        report.test = members.height - report.train
        report.reasons = dict(members.group_by("reason").len().iter_rows()) if members.height else {}
        report.leaks = leaks(store, config.name).height
        metrics.update(asdict(report))
    return report


def make_split_in(db, config: SplitConfig | None = None, flow_run_id: str | None = None) -> SplitReport:
    """`make_split` on the database file `db` (default: ACECODER_DB), opened for this call only."""
    from acecoder.core.store import open_store

    with open_store(db) as store:
        return make_split(store, config, flow_run_id=flow_run_id)


def leaks(store: Store, split: str = "default") -> pl.DataFrame:
    """Every way the split's test part occurs in its train part; empty when the split is clean."""
    return store.frame("synthetic_split_leaks", split=split)

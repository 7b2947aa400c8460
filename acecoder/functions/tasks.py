"""Atomic and synthetic functions as training and evaluation tasks, and the study's data mixes.

A task is a question, the function to write, a reference solution and tests:

- atomic: every seed function; the question is its instruction, the reference the function without its
  docstring, the tests its docstring examples;
- synthetic: the stored synthetic problems of one part of a split, with their tests.

Data mixes, named as in the SFT/RL study's ablation: `atomic` (atomic only), `synthetic` (all training
synthetic functions), `atomic+K` (atomic plus K training synthetic functions, drawn with a seed), and
`atomic+synthetic` (both, all of them).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

from acecoder.core.store import Store

_MIX = re.compile(r"^(atomic|synthetic|atomic\+synthetic|atomic\+(\d+))$")


@dataclass(frozen=True)
class CodeTask:
    task_id: str
    kind: str  # atomic | synthetic
    question: str  # ends with the function to write
    entry_point: str
    reference: str
    tests: tuple[str, ...]
    depth: int = 1  # atoms in the function


@dataclass(frozen=True)
class DataMix:
    """Which tasks a model trains on: the atomic set or not, and how many synthetic functions (None: all)."""

    name: str
    atomic: bool
    synthetic: int | None  # None: every training synthetic function; 0: none

    @classmethod
    def parse(cls, name: str) -> DataMix:
        m = _MIX.match(name.strip().lower().replace(" ", ""))
        if m is None:
            raise ValueError(
                f"unknown data mix {name!r}: use atomic, synthetic, atomic+K (K a number) or atomic+synthetic"
            )
        text = m.group(1)
        if text == "atomic":
            return cls(text, True, 0)
        if text == "synthetic":
            return cls(text, False, None)
        if text == "atomic+synthetic":
            return cls(text, True, None)
        return cls(text, True, int(m.group(2)))

    @property
    def uses_synthetic(self) -> bool:
        return self.synthetic is None or self.synthetic > 0


def atomic_tasks() -> list[CodeTask]:
    """Every seed function as a task (question as the synthesis backends write it, docstring examples as
    tests)."""
    from acecoder.code.seed import load_seed
    from acecoder.functions.atoms import strip_docstring
    from acecoder.stages.synth.inferred import SourceRow, question_for

    return [
        CodeTask(
            f"atomic/{fn.topic}/{fn.name}",
            "atomic",
            question_for(SourceRow(fn.name, fn.instruction, fn.solution, fn.name), fn.name),
            fn.name,
            strip_docstring(fn.solution),
            tuple(f"assert {call} == {want}" for call, want in fn.examples),
        )
        for fn in load_seed()
    ]


def synthetic_tasks(store: Store, split: str | None = None, part: str = "train") -> list[CodeTask]:
    """The stored synthetic problems of `part` of `split` (all of them when `split` is None)."""
    frame = store.frame("synthetic_tasks", split=split, part=part)
    return [
        CodeTask(
            f"synthetic/{row['composition_id']}",
            "synthetic",
            row["question"],
            row["entry_point"],
            row["reference"],
            tuple(row["tests"]),
            int(row["depth"]),
        )
        for row in frame.iter_rows(named=True)
    ]


def mix_tasks(
    mix: DataMix | str, store: Store | None, split: str | None = "default", seed: int = 0
) -> list[CodeTask]:
    """The training tasks of a data mix: atomic ones first, then the synthetic ones drawn for it."""
    mix = DataMix.parse(mix) if isinstance(mix, str) else mix
    tasks = atomic_tasks() if mix.atomic else []
    if mix.uses_synthetic:
        if store is None:
            raise ValueError(f"the {mix.name} mix needs the database's synthetic functions")
        pool = synthetic_tasks(store, split, "train")
        if not pool:
            raise ValueError(
                f"no training synthetic functions{f' in split {split!r}' if split else ''}: run "
                "`acecoder synthetic generate` and `acecoder synthetic split` first"
            )
        if mix.synthetic is not None:
            pool = random.Random(seed).sample(pool, min(mix.synthetic, len(pool)))
        tasks += pool
    return tasks


def write_rl_export(tasks: list[CodeTask], folder: Path) -> Path:
    """The tasks in the `acecoder export rl` layout (what `RLConfig.data` reads); returns the folder."""
    import polars as pl

    folder = Path(folder)
    (folder / "data").mkdir(parents=True, exist_ok=True)
    pl.DataFrame(
        {
            "problem_id": [t.task_id for t in tasks],
            "question": [t.question for t in tasks],
            "entry_point": [t.entry_point for t in tasks],
            "tests": [list(t.tests) for t in tasks],
            "hard": [False] * len(tasks),
        },
        schema={
            "problem_id": pl.String,
            "question": pl.String,
            "entry_point": pl.String,
            "tests": pl.List(pl.String),
            "hard": pl.Boolean,
        },
    ).write_parquet(folder / "data" / "train-00000-of-00001.parquet")
    return folder

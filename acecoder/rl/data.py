"""RL problems and the prompt datasets GRPOTrainer reads.

Problems come from an `acecoder export rl` folder (one row per kept problem: question, entry point, kept
tests, AceCoder's hard flag), or, for the demonstration, from the bundled seed corpus with each docstring
example as a test. The dataset has TRL's `prompt` column plus `tests`, `entry_point`, `question` and
`problem_id`, which reach the reward functions as keyword lists.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from acecoder.rl.prompts import build_prompt


@dataclass(frozen=True)
class RLProblem:
    problem_id: str
    question: str
    entry_point: str
    tests: tuple[str, ...]
    hard: bool = False


def export_files(folder: Path) -> list[Path]:
    files = sorted(Path(folder).glob("data/*.parquet")) or sorted(Path(folder).glob("*.parquet"))
    if not files:
        raise FileNotFoundError(f"{folder}: no parquet files; make one with `acecoder export rl {folder}`")
    return files


def load_export(folder: Path, hard_only: bool = False) -> list[RLProblem]:
    """The problems of an `acecoder export rl` folder (only AceCoder's hard subset with `hard_only`)."""
    import polars as pl

    return _problems(pl.concat([pl.read_parquet(path) for path in export_files(folder)]), hard_only)


def load_store(db: Path | None = None, hard_only: bool = False) -> list[RLProblem]:
    """The kept problems of the DuckDB store, as `acecoder export rl` would write them."""
    from acecoder.core.store import open_store

    with open_store(db, read_only=True) as store:
        return _problems(store.frame("export_rl"), hard_only)


def _problems(frame: Any, hard_only: bool) -> list[RLProblem]:
    problems = [
        RLProblem(
            row["problem_id"], row["question"], row["entry_point"], tuple(row["tests"]), bool(row["hard"])
        )
        for row in frame.iter_rows(named=True)
    ]
    return [p for p in problems if p.hard] if hard_only else problems


def demonstration_problems() -> list[RLProblem]:
    """The seed corpus as RL problems, each docstring example an `assert call == result` test."""
    from acecoder.code.seed import load_seed

    return [
        RLProblem(
            f"seed/{fn.topic}/{fn.name}",
            fn.instruction,
            fn.name,
            tuple(f"assert {call} == {want}" for call, want in fn.examples),
        )
        for fn in load_seed()
        if fn.examples
    ]


def prompt_rows(problems: list[RLProblem], style: str, chat: bool) -> list[dict[str, Any]]:
    return [
        {
            "prompt": build_prompt(p.question, p.entry_point, style, chat),
            "question": p.question,
            "entry_point": p.entry_point,
            "tests": list(p.tests),
            "problem_id": p.problem_id,
        }
        for p in problems
    ]


def prompt_dataset(problems: list[RLProblem], style: str = "plain", chat: bool = True):
    """A `datasets.Dataset` of prompts in GRPOTrainer's layout."""
    from datasets import Dataset

    return Dataset.from_list(prompt_rows(problems, style, chat))

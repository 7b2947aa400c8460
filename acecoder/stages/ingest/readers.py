"""Readers: a SOURCE (Hub dataset id, local file or folder, or `seed`) as a polars frame of raw records.

Every frame gets a `row_ref` column (`file:line` or `file:row N`) so errors and stored rows point back at
the exact input row.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from acecoder.stages.ingest.errors import IngestError

SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".parquet": "parquet", ".csv": "csv"}
_HUB_ID = re.compile(r"^[\w.-]+/[\w.-]+$")


@dataclass
class RawSource:
    name: str  # recorded in sources.dataset
    frame: pl.DataFrame  # the records plus `row_ref`
    files: list[str]


def _first_bad_line(path: Path, text: str) -> IngestError | None:
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            return IngestError(
                str(path), f"malformed JSON ({exc.msg} at column {exc.colno})", row=f"line {number}"
            )
        if not isinstance(record, dict):
            return IngestError(
                str(path), f"expected a JSON object, got {type(record).__name__}", row=f"line {number}"
            )
    return None


def _jsonl(path: Path) -> pl.DataFrame:
    text = path.read_text(encoding="utf-8")
    line_numbers = [i for i, line in enumerate(text.split("\n"), start=1) if line.strip()]
    if not line_numbers:
        raise IngestError(str(path), "empty file: no records")
    try:
        frame = pl.read_ndjson(text.encode(), infer_schema_length=None)
    except Exception as exc:  # polars names no line: find the bad one ourselves
        bad = _first_bad_line(path, text)
        raise (bad or IngestError(str(path), f"cannot read as JSON lines: {exc}")) from None
    if frame.height != len(line_numbers):
        raise IngestError(str(path), f"read {frame.height} records from {len(line_numbers)} lines")
    return frame.with_columns(pl.Series("row_ref", [f"{path}:line {n}" for n in line_numbers]))


def _json(path: Path) -> pl.DataFrame:
    try:
        records = json.loads(path.read_text(encoding="utf-8") or "null")
    except json.JSONDecodeError as exc:
        raise IngestError(
            str(path), f"malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None
    if isinstance(records, dict) and isinstance(records.get("data"), list):
        records = records["data"]
    if not isinstance(records, list) or not records:
        raise IngestError(str(path), "expected a non-empty JSON list of objects (or a .jsonl file)")
    for i, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            raise IngestError(str(path), f"expected an object, got {type(record).__name__}", row=i)
    frame = pl.from_dicts(records, infer_schema_length=None)
    return frame.with_columns(pl.Series("row_ref", [f"{path}:row {i}" for i in range(1, frame.height + 1)]))


def _table(path: Path, kind: str) -> pl.DataFrame:
    try:
        frame = pl.read_parquet(path) if kind == "parquet" else pl.read_csv(path, infer_schema_length=0)
    except Exception as exc:
        raise IngestError(str(path), f"cannot read as {kind}: {exc}") from None
    if frame.height == 0:
        raise IngestError(str(path), "empty file: no records")
    # csv rows are numbered as a spreadsheet shows them: the header is line 1.
    first = 2 if kind == "csv" else 1
    return frame.with_columns(
        pl.Series("row_ref", [f"{path}:row {i}" for i in range(first, frame.height + first)])
    )


def read_file(path: Path) -> pl.DataFrame:
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise IngestError(str(path), f"unknown format {path.suffix!r}; use one of {', '.join(SUFFIXES)}")
    if path.stat().st_size == 0:
        raise IngestError(str(path), "empty file: no records")
    if kind == "jsonl":
        return _jsonl(path)
    if kind == "json":
        return _json(path)
    return _table(path, kind)


def _hub(dataset_id: str, split: str) -> pl.DataFrame:
    import datasets

    try:
        data = datasets.load_dataset(dataset_id, split=split)
    except Exception as exc:
        raise IngestError(
            dataset_id, f"cannot load from the Hugging Face Hub ({type(exc).__name__}: {exc})"
        ) from None
    frame = pl.from_arrow(data.data.table)
    return frame.with_columns(
        pl.Series("row_ref", [f"{dataset_id}:{split}:{i}" for i in range(frame.height)])
    )


def read_source(source: str, *, split: str = "train") -> RawSource:
    """Read SOURCE: `seed`, a file, a folder of files, or a Hub dataset id."""
    if source == "seed":
        from acecoder.code.seed import load_seed

        rows = [fn.as_row() for fn in load_seed()]
        if not rows:
            raise IngestError("seed", "the bundled seed corpus is empty")
        frame = pl.DataFrame(rows).with_columns(pl.col("id").alias("row_ref"))
        return RawSource("seed", frame, ["seed"])
    path = Path(source)
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES and p.is_file())
        if not files:
            raise IngestError(str(path), f"no {', '.join(SUFFIXES)} files in this folder")
        frames = [read_file(p) for p in files]
        return RawSource(str(path), pl.concat(frames, how="diagonal_relaxed"), [str(p) for p in files])
    if path.is_file():
        return RawSource(str(path), read_file(path), [str(path)])
    if _HUB_ID.match(source) and not path.suffix:
        return RawSource(source, _hub(source, split), [source])
    raise IngestError(source, "no such file or folder, and not a Hub dataset id (owner/name)")

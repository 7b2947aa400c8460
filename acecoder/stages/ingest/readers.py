"""Readers: a SOURCE (Hub dataset id, local file or folder, saved `datasets` folder, or `seed`) as a stream
of polars frames of raw records, at most `chunk_rows` rows each, so ingest holds one chunk at a time.

Every frame gets a `row_ref` column (`file:line N`, `file:row N`, `id:split:N`) so errors and stored rows
point back at the exact input row. How each format streams:

- parquet: `pyarrow.parquet.ParquetFile.iter_batches`, row groups read as they are needed;
- jsonl / ndjson: the file's lines, `chunk_rows` records at a time (blank lines skipped, numbered as in the
  file), a malformed line named by its line number;
- csv: pyarrow's streaming csv reader, every column read as text;
- json (a single list of objects): parsed whole, as a JSON document has to be, then cut into chunks; use
  jsonl for inputs that do not fit in memory;
- a folder: its files one after another, in name order; a folder written by `datasets.save_to_disk`
  (and a Hub dataset id, with `streaming=True`): its Arrow data in slices;
- `seed`: the bundled corpus (small), in chunks.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from acecoder.stages.ingest.errors import IngestError

SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".parquet": "parquet", ".csv": "csv"}
_HUB_ID = re.compile(r"^[\w.-]+/[\w.-]+$")
DEFAULT_CHUNK_ROWS = 10_000


@dataclass
class RawChunks:
    name: str  # recorded in sources.dataset
    chunks: Iterator[pl.DataFrame]  # the records plus `row_ref`, a chunk at a time
    files: list[str]
    total: int | None = None  # rows in all, when known before reading (parquet, json, seed, saved datasets)


def _bad_line(path: Path, line: str, number: int) -> IngestError | None:
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


def _jsonl_frame(path: Path, lines: list[str], numbers: list[int]) -> pl.DataFrame:
    try:
        frame = pl.read_ndjson("".join(lines).encode(), infer_schema_length=None)
    except Exception as exc:  # polars names no line: find the bad one ourselves
        for line, number in zip(lines, numbers, strict=True):
            if bad := _bad_line(path, line, number):
                raise bad from None
        raise IngestError(str(path), f"cannot read as JSON lines: {exc}") from None
    if frame.height != len(lines):
        raise IngestError(
            str(path), f"read {frame.height} records from {len(lines)} lines", row=f"line {numbers[0]}"
        )
    return frame.with_columns(pl.Series("row_ref", [f"{path}:line {n}" for n in numbers]))


def _jsonl(path: Path, chunk_rows: int) -> Iterator[pl.DataFrame]:
    lines: list[str] = []
    numbers: list[int] = []
    last = 0  # the last line holding a record
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            lines.append(line if line.endswith("\n") else line + "\n")
            numbers.append(number)
            if len(lines) == chunk_rows:
                yield _jsonl_frame(path, lines, numbers)
                lines, numbers = [], []
            last = number
    if lines:
        yield _jsonl_frame(path, lines, numbers)
    elif not last:
        raise IngestError(str(path), "empty file: no records")


def _json(path: Path, chunk_rows: int) -> tuple[Iterator[pl.DataFrame], int]:
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

    def chunks() -> Iterator[pl.DataFrame]:
        for start in range(0, len(records), chunk_rows):
            part = records[start : start + chunk_rows]
            yield pl.from_dicts(part, infer_schema_length=None).with_columns(
                pl.Series("row_ref", [f"{path}:row {i}" for i in range(start + 1, start + len(part) + 1)])
            )

    return chunks(), len(records)


def _numbered(
    frames: Iterator[pl.DataFrame], name: str, first: int, label: str = "row "
) -> Iterator[pl.DataFrame]:
    """Frames with `row_ref` = f"{name}:{label}{n}", n counting on from `first` across the frames."""
    n = first
    for frame in frames:
        yield frame.with_columns(
            pl.Series("row_ref", [f"{name}:{label}{i}" for i in range(n, n + frame.height)])
        )
        n += frame.height


def _parquet(path: Path, chunk_rows: int) -> tuple[Iterator[pl.DataFrame], int]:
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
    except Exception as exc:
        raise IngestError(str(path), f"cannot read as parquet: {exc}") from None
    total = parquet.metadata.num_rows
    if total == 0:
        raise IngestError(str(path), "empty file: no records")

    def batches() -> Iterator[pl.DataFrame]:
        try:
            for batch in parquet.iter_batches(batch_size=chunk_rows):
                yield pl.from_arrow(batch)
        except Exception as exc:
            raise IngestError(str(path), f"cannot read as parquet: {exc}") from None

    return _numbered(batches(), str(path), 1), total


def _csv(path: Path, chunk_rows: int) -> Iterator[pl.DataFrame]:
    import pyarrow as pa
    import pyarrow.csv as pcsv

    with path.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle), None)
    if not header:
        raise IngestError(str(path), "empty file: no records")
    try:
        reader = pcsv.open_csv(
            path,
            read_options=pcsv.ReadOptions(block_size=1 << 22),
            # every column as text, as a spreadsheet holds it: types are the layout's business
            convert_options=pcsv.ConvertOptions(column_types={name: pa.string() for name in header}),
        )
    except Exception as exc:
        raise IngestError(str(path), f"cannot read as csv: {exc}") from None

    def batches() -> Iterator[pl.DataFrame]:
        seen = 0
        try:
            for batch in _rebatched(reader, chunk_rows):
                seen += batch.height
                yield batch
        except IngestError:
            raise
        except Exception as exc:
            raise IngestError(str(path), f"cannot read as csv: {exc}", row=seen + 2) from None
        if seen == 0:
            raise IngestError(str(path), "empty file: no records")

    # csv rows are numbered as a spreadsheet shows them: the header is line 1.
    return _numbered(batches(), str(path), 2)


def _rebatched(batches, chunk_rows: int) -> Iterator[pl.DataFrame]:
    """Arrow record batches of any size as frames of `chunk_rows` rows (the last one shorter)."""
    pending: list[pl.DataFrame] = []
    held = 0
    for batch in batches:
        frame = pl.from_arrow(batch)
        pending.append(frame)
        held += frame.height
        while held >= chunk_rows:
            whole = pl.concat(pending, how="vertical_relaxed")
            yield whole.head(chunk_rows)
            rest = whole.slice(chunk_rows)
            pending, held = [rest], rest.height
    if held:
        yield pl.concat(pending, how="vertical_relaxed")


def read_file(path: Path, chunk_rows: int = DEFAULT_CHUNK_ROWS) -> tuple[Iterator[pl.DataFrame], int | None]:
    """PATH's records in chunks, and how many there are when the format says so up front."""
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise IngestError(str(path), f"unknown format {path.suffix!r}; use one of {', '.join(SUFFIXES)}")
    if path.is_file() and path.stat().st_size == 0:
        raise IngestError(str(path), "empty file: no records")
    if kind == "jsonl":
        return _jsonl(path, chunk_rows), None
    if kind == "json":
        return _json(path, chunk_rows)
    if kind == "parquet":
        return _parquet(path, chunk_rows)
    return _csv(path, chunk_rows), None


def _arrow_slices(table, chunk_rows: int) -> Iterator[pl.DataFrame]:
    for start in range(0, table.num_rows, chunk_rows):
        yield pl.from_arrow(table.slice(start, chunk_rows))


def _saved_dataset(path: Path, chunk_rows: int) -> RawChunks:
    """A folder written by `datasets.Dataset.save_to_disk` (memory-mapped Arrow files, read in slices)."""
    import datasets

    data = datasets.load_from_disk(str(path))
    if isinstance(data, datasets.DatasetDict):
        raise IngestError(str(path), f"a DatasetDict: point at one split's folder ({', '.join(data)})")
    frames = _arrow_slices(data.data.table, chunk_rows)
    return RawChunks(str(path), _numbered(frames, str(path), 0, label=""), [str(path)], data.num_rows)


def _hub(dataset_id: str, split: str, chunk_rows: int) -> Iterator[pl.DataFrame]:
    import datasets

    try:
        data = datasets.load_dataset(dataset_id, split=split, streaming=True)
    except Exception as exc:
        raise IngestError(
            dataset_id, f"cannot load from the Hugging Face Hub ({type(exc).__name__}: {exc})"
        ) from None

    def tables() -> Iterator[pl.DataFrame]:
        try:
            for table in data.with_format("arrow").iter(batch_size=chunk_rows):
                yield pl.from_arrow(table)
        except Exception as exc:
            raise IngestError(
                dataset_id, f"reading from the Hugging Face Hub failed ({type(exc).__name__}: {exc})"
            ) from None

    return _numbered(tables(), f"{dataset_id}:{split}", 0, label="")


def _folder(path: Path, chunk_rows: int) -> RawChunks:
    files = sorted(p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES and p.is_file())
    if not files:
        raise IngestError(str(path), f"no {', '.join(SUFFIXES)} files in this folder")

    def chunks() -> Iterator[pl.DataFrame]:
        for file in files:
            yield from read_file(file, chunk_rows)[0]

    return RawChunks(str(path), chunks(), [str(p) for p in files])


def read_chunks(source: str, *, split: str = "train", chunk_rows: int = DEFAULT_CHUNK_ROWS) -> RawChunks:
    """Read SOURCE, `chunk_rows` records at a time: `seed`, a file, a folder of files, a folder written by
    `datasets.save_to_disk`, or a Hub dataset id (streamed)."""
    if chunk_rows < 1:
        raise ValueError("chunk_rows must be at least 1")
    if source == "seed":
        from acecoder.code.seed import load_seed

        rows = [fn.as_row() for fn in load_seed()]
        if not rows:
            raise IngestError("seed", "the bundled seed corpus is empty")
        frame = pl.DataFrame(rows).with_columns(pl.col("id").alias("row_ref"))
        chunks = (frame.slice(start, chunk_rows) for start in range(0, frame.height, chunk_rows))
        return RawChunks("seed", chunks, ["seed"], frame.height)
    path = Path(source)
    if path.is_dir():
        if (path / "state.json").is_file() and (path / "dataset_info.json").is_file():
            return _saved_dataset(path, chunk_rows)
        return _folder(path, chunk_rows)
    if path.exists():  # a file, or a named pipe (`mkfifo`) another process writes JSON lines into
        chunks, total = read_file(path, chunk_rows)
        return RawChunks(str(path), chunks, [str(path)], total)
    if _HUB_ID.match(source) and not path.suffix:
        return RawChunks(source, _hub(source, split, chunk_rows), [source])
    raise IngestError(source, "no such file or folder, and not a Hub dataset id (owner/name)")


def read_all(source: str, *, split: str = "train", chunk_rows: int = DEFAULT_CHUNK_ROWS) -> RawChunks:
    """SOURCE read whole into one frame (for `--shuffle`, which draws from every row), as one chunk."""
    raw = read_chunks(source, split=split, chunk_rows=chunk_rows)
    frames = list(raw.chunks)
    whole = pl.concat(frames, how="diagonal_relaxed") if len(frames) > 1 else frames[0]
    return RawChunks(raw.name, iter([whole]), raw.files, whole.height)


def limited(chunks: Iterator[pl.DataFrame], limit: int | None) -> Iterator[pl.DataFrame]:
    """The first `limit` rows of the chunks, reading no further than needed."""
    if limit is None:
        yield from chunks
        return
    left = limit
    if left <= 0:
        return
    for chunk in chunks:
        part = chunk.head(left)
        left -= part.height
        yield part
        if left <= 0:
            return

"""The ingest stage, a chunk at a time: read → validate → exact dedup → clean → near dedup → decontaminate →
commit, each chunk of `chunk_rows` rows in its own transaction, under one tracked run.

Memory stays flat in the input's size: the readers stream, exact duplicates are found against the store by
content hash, and near duplicates against the MinHash band keys stored beside each source (schema 0006)
with a DuckDB join, so no stored text is re-read. The rows stored are the same whatever the chunk size: a
row is a near duplicate of the earliest row (stored, or earlier in the input) it resembles, as if the whole
input were checked at once.

A bad row stops the run with its file, row and field; the chunks committed before it stay stored (the run is
recorded as failed, with what it stored), the chunk holding the bad row stores nothing. A killed run loses
only the chunk in flight. Running again adds nothing twice: rows already stored are counted and skipped.
`shuffle` reads the whole input first (a shuffle draws from every row), so it does not stream.
"""

from __future__ import annotations

import itertools
import json
import logging
import random
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field
from multiprocessing import get_context

import numpy as np
import polars as pl
from tqdm import tqdm

from acecoder.core.hashing import content_hash
from acecoder.core.store import Store
from acecoder.stages.ingest import dedup
from acecoder.stages.ingest.cleaning import CleanCode, clean_many
from acecoder.stages.ingest.config import IngestConfig
from acecoder.stages.ingest.decontam import BenchmarkIndex
from acecoder.stages.ingest.errors import IngestError
from acecoder.stages.ingest.layouts import Layout, resolve
from acecoder.stages.ingest.readers import RawChunks, limited, read_all, read_chunks

log = logging.getLogger(__name__)
_PARALLEL_FROM = 5_000  # below this many rows, handing work to other processes costs more than it saves
_CLEAN_BATCH = 5_000


@dataclass
class IngestReport:
    dataset: str
    layout: str
    run_id: str = ""
    read: int = 0
    chunks: int = 0  # chunks committed
    exact_duplicates: int = 0
    skipped: dict[str, int] = field(default_factory=dict)  # reason -> rows
    already_stored: int = 0
    near_duplicates: int = 0
    contaminated: int = 0
    inserted: int = 0
    contamination_examples: list[dict[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def _validate(frame: pl.DataFrame, layout: Layout) -> None:
    for name in (layout.solution_field, layout.question_field):
        if name is None:
            continue
        column = frame[name]
        if column.dtype != pl.String:
            bad = frame.filter(column.is_not_null()).head(1)
            if column.dtype == pl.Null or bad.height == 0:
                bad = frame.head(1)
                raise IngestError.at(bad["row_ref"][0], "missing (null in every row)", field=name)
            raise IngestError.at(bad["row_ref"][0], f"expected text, got {column.dtype}", field=name)
        missing = frame.filter(column.is_null() | (column.str.strip_chars() == "")).head(1)
        if missing.height:
            raise IngestError.at(missing["row_ref"][0], "missing or empty", field=name)


class _Cleaner:
    """Cleans code in this process for small chunks, else on `workers` spawned processes started once per run
    (spawn, not fork: the parent holds DuckDB and polars thread pools that a fork could deadlock on)."""

    def __init__(self, layout: Layout, config: IngestConfig):
        self.markdown, self.strip_prints, self.workers = layout.markdown, config.strip_prints, config.workers
        self.pool: ProcessPoolExecutor | None = None

    def __call__(self, raws: list[str]) -> list[CleanCode]:
        work = [(raw, self.markdown, self.strip_prints) for raw in raws]
        if len(work) < _PARALLEL_FROM or self.workers <= 1:
            return clean_many(work)
        if self.pool is None:
            self.pool = ProcessPoolExecutor(self.workers, mp_context=get_context("spawn"))
        batches = [work[i : i + _CLEAN_BATCH] for i in range(0, len(work), _CLEAN_BATCH)]
        return [item for batch in self.pool.map(clean_many, batches) for item in batch]

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown()


def _select(frame: pl.DataFrame, layout: Layout) -> pl.DataFrame:
    """The chunk's question, code and optional fields under the stage's names, once validated."""
    for name in (layout.question_field, layout.solution_field):
        if name and name not in frame.columns:  # a later file of a folder without the field
            frame = frame.with_columns(pl.lit(None, dtype=pl.Null).alias(name))
    _validate(frame, layout)
    question = pl.col(layout.question_field) if layout.question_field else pl.lit(None, dtype=pl.String)
    extras = [c for c in ("topic", "entry_point") if c in frame.columns]
    return frame.select(
        pl.col("row_ref"),
        question.alias("question"),
        pl.col(layout.solution_field).alias("raw"),
        *[pl.col(c).cast(pl.String).alias(f"given_{c}") for c in extras],
    )


class _NearIndex:
    """Near-duplicate checks of one run against the store's MinHash band keys (`source_lsh_bands`).

    Each chunk fetches only the stored rows that share a band key with one of its rows, and checks them with
    the chunk's own rows in one `dedup.near_duplicates` call, the stored rows first in the order they were
    ingested: so each new row links to the earliest row it resembles, as with the whole input at once."""

    def __init__(self, store: Store, threshold: float, batch_rows: int):
        self.store, self.threshold = store, threshold
        self.on = threshold < 1.0
        self.scheme = dedup.scheme(threshold) if self.on else ""
        self.empty = np.full(dedup.NUM_PERM, np.iinfo(np.uint32).max, dtype="<u4").tobytes()
        self.position = 0
        if self.on:
            self._backfill(batch_rows)
            self.position = int(store.frame("source_minhash_next_position")["position"][0])

    def _backfill(self, batch_rows: int) -> None:
        """Sign stored rows that have no signature yet, and band the signatures banded for another threshold."""
        while (todo := self.store.frame("sources_unsigned", limit=batch_rows)).height:
            self.position = int(self.store.frame("source_minhash_next_position")["position"][0])
            with self.store.transaction():
                self.commit(todo["source_id"], dedup.signatures(_texts(todo)))
        while (
            todo := self.store.frame(
                "source_minhash_unbanded", scheme=self.scheme, empty=self.empty, limit=batch_rows
            )
        ).height:
            with self.store.transaction():
                self.store.insert(
                    "source_lsh_bands_insert",
                    self._bands(todo["source_id"], _unpack(todo)),
                    scheme=self.scheme,
                )

    def mark(self, frame: pl.DataFrame) -> tuple[list[str | None], np.ndarray | None]:
        """The kept row each of the chunk's rows nearly duplicates (None: none), and the rows' signatures."""
        if not self.on or frame.height == 0:
            return [None] * frame.height, None
        sig = dedup.signatures(_texts(frame))
        keys = dedup.band_keys(sig, self.threshold)[~dedup.empty_rows(sig)]
        probe = pl.DataFrame(
            {
                "band": np.tile(np.arange(keys.shape[1], dtype=np.int16), keys.shape[0]),
                "band_key": keys.ravel(),
            }
        ).unique()
        stored = self.store.frame("source_near_candidates", staged=probe, scheme=self.scheme)
        known = stored.height
        dup_of = dedup.near_duplicates(np.vstack([_unpack(stored), sig]), self.threshold, fixed=known)[known:]
        roots, ids = stored["root"].to_list(), frame["source_id"].to_list()
        return [None if d < 0 else roots[d] if d < known else ids[d - known] for d in dup_of.tolist()], sig

    def commit(self, source_ids: pl.Series, sig: np.ndarray | None) -> None:
        """Store the rows' signatures and band keys (inside the caller's transaction)."""
        if not self.on or sig is None or len(source_ids) == 0:
            return
        signed = pl.DataFrame(
            {
                "source_id": source_ids,
                "position": np.arange(self.position, self.position + len(source_ids), dtype=np.int64),
                "signature": [row.tobytes() for row in sig.astype("<u4")],
            },
            schema={"source_id": pl.String, "position": pl.Int64, "signature": pl.Binary},
        )
        self.store.insert("source_minhash_insert", signed)
        self.position += len(source_ids)
        self.store.insert("source_lsh_bands_insert", self._bands(source_ids, sig), scheme=self.scheme)

    def _bands(self, source_ids: pl.Series, sig: np.ndarray) -> pl.DataFrame:
        keep = ~dedup.empty_rows(sig)  # texts without shingles match nothing: no band keys
        keys = dedup.band_keys(sig[keep], self.threshold)
        bands = keys.shape[1]
        return pl.DataFrame(
            {
                "band": np.tile(np.arange(bands, dtype=np.int16), keys.shape[0]),
                "band_key": keys.ravel(),
                "source_id": np.repeat(np.asarray(source_ids.to_list(), dtype=object)[keep], bands),
            },
            schema={"band": pl.Int16, "band_key": pl.UInt64, "source_id": pl.String},
        )


def _texts(frame: pl.DataFrame) -> pl.Series:
    return frame.select(
        pl.concat_str([pl.col("question").fill_null(""), pl.col("solution")], separator="\n")
    ).to_series()


def _unpack(frame: pl.DataFrame) -> np.ndarray:
    """The `signature` blobs of a frame as a (rows, NUM_PERM) uint32 array."""
    blob = b"".join(frame["signature"].to_list())
    return np.frombuffer(blob, dtype="<u4").reshape(-1, dedup.NUM_PERM).astype(np.uint32)


def _chunks(source: str, config: IngestConfig) -> tuple[RawChunks, Iterator[pl.DataFrame]]:
    if not config.shuffle:
        raw = read_chunks(source, split=config.split, chunk_rows=config.chunk_rows)
        return raw, limited(raw.chunks, config.limit)
    raw = read_all(source, split=config.split, chunk_rows=config.chunk_rows)
    frame = next(raw.chunks)
    order = list(range(frame.height))
    random.Random(config.seed).shuffle(order)
    frame = frame[order]
    if config.limit is not None:
        frame = frame.head(config.limit)
    return raw, (frame.slice(start, config.chunk_rows) for start in range(0, frame.height, config.chunk_rows))


def ingest(
    source: str,
    store: Store,
    config: IngestConfig | None = None,
    benchmark_index: BenchmarkIndex | None = None,
    flow_run_id: str | None = None,
    progress: bool = False,
) -> IngestReport:
    """Ingest SOURCE into `sources`, a chunk of `config.chunk_rows` rows per transaction.

    Raises IngestError on bad input: nothing is written when the input's layout or first chunk is bad; when
    a later chunk holds the bad row, the chunks before it stay stored and a re-run adds nothing twice."""
    config = config or IngestConfig()
    raw, chunks = _chunks(source, config)
    first = next(chunks, None)
    if first is None:  # --limit 0
        return IngestReport(dataset=raw.name, layout=config.layout)
    layout = resolve(
        config.layout,
        first.columns,
        config.question_field,
        config.solution_field,
        file=raw.files[0] if len(raw.files) == 1 else raw.name,
    )
    report = IngestReport(dataset=raw.name, layout=layout.name)
    index = None
    if config.decontaminate:
        index = benchmark_index or _benchmark_index(config.decontam_ngram, report)
    total = raw.total if config.limit is None or raw.total is None else min(raw.total, config.limit)
    near = _NearIndex(store, config.near_dup_threshold, config.chunk_rows)
    params = {"source": source, **asdict(config)}
    with ExitStack() as stack:
        if (memory_limit := config.duckdb_memory_limit()) is not None:
            # DuckDB keeps the blocks it wrote cached up to its limit (80% of RAM): without a cap the
            # process grows with the table, not with the chunk
            store.run("duckdb_memory_limit_set", limit=memory_limit)
            stack.callback(store.run, "duckdb_memory_limit_reset")
        run_id, metrics = stack.enter_context(store.tracked_run("ingest", params, flow_run_id))
        report.run_id = run_id
        cleaner = _Cleaner(layout, config)
        stack.callback(cleaner.close)
        bar = stack.enter_context(tqdm(total=total, desc="ingest", unit="row", disable=not progress))
        for chunk in itertools.chain([first], chunks):
            _ingest_chunk(chunk, layout, store, cleaner, near, index, report)
            bar.update(chunk.height)
            log.debug(
                "ingest %s: chunk %d committed, %d rows stored", raw.name, report.chunks, report.inserted
            )
            metrics.update({k: v for k, v in report.as_dict().items() if k != "contamination_examples"})
    log.info(
        "ingest %s: %s read, %s inserted in %s chunks",
        report.dataset,
        report.read,
        report.inserted,
        report.chunks,
    )
    return report


def _ingest_chunk(
    chunk: pl.DataFrame,
    layout: Layout,
    store: Store,
    clean: _Cleaner,
    near: _NearIndex,
    index: BenchmarkIndex | None,
    report: IngestReport,
) -> None:
    frame = _select(chunk, layout)
    read = frame.height

    first = frame.select(pl.struct("question", "raw").is_first_distinct()).to_series()
    exact_duplicates = frame.height - int(first.sum())
    frame = frame.filter(first)

    cleaned = clean(frame["raw"].to_list())
    reasons = Counter(c.reason for c in cleaned if c.code is None)
    ok = [c.code is not None for c in cleaned]
    frame = frame.with_columns(
        pl.Series("solution", [c.code for c in cleaned], dtype=pl.String),
        pl.Series("entry_point", [c.entry_point for c in cleaned], dtype=pl.String),
    ).filter(pl.Series(ok))
    if "given_entry_point" in frame.columns:
        frame = frame.with_columns(pl.coalesce("given_entry_point", "entry_point").alias("entry_point"))
    questions = frame["question"].str.replace_all(r"\s+", " ").str.strip_chars().to_list()
    frame = frame.with_columns(
        pl.Series(
            "source_id",
            [content_hash(q or "", c) for q, c in zip(questions, frame["solution"], strict=True)],
            dtype=pl.String,
        )
    )
    unique = frame["source_id"].is_first_distinct()
    exact_duplicates += frame.height - int(unique.sum())
    frame = frame.filter(unique)

    # Stored by an earlier chunk of this run: a duplicate within the input, as when read at once.
    stored = store.frame("sources_known_ids", staged=frame.select("source_id"))
    this_run = int((stored["run_id"] == report.run_id).sum())
    is_new = ~frame["source_id"].is_in(stored["source_id"].implode())
    already_stored = frame.height - int(is_new.sum()) - this_run
    exact_duplicates += this_run
    frame = frame.filter(is_new)

    near_dup_of, sig = near.mark(frame)
    frame = frame.with_columns(pl.Series("near_dup_of", near_dup_of, dtype=pl.String))

    frame = frame.with_columns(pl.lit(None, dtype=pl.String).alias("contamination_reason"))
    if index is not None:
        by_question = index.match(frame["question"])
        by_code = index.match(frame["solution"])
        reasons_found = [
            q and f"question: {q}" or (c and f"code: {c}") for q, c in zip(by_question, by_code, strict=True)
        ]
        frame = frame.with_columns(pl.Series("contamination_reason", reasons_found, dtype=pl.String))
    contaminated = frame.filter(pl.col("contamination_reason").is_not_null())

    topics = (
        frame["given_topic"]
        if "given_topic" in frame.columns
        else pl.Series("given_topic", [None] * frame.height, dtype=pl.String)
    )
    metadata = [
        json.dumps({k: v for k, v in (("layout", layout.name), ("topic", t)) if v is not None})
        for t in topics
    ]
    rows = frame.select(
        "source_id", "row_ref", "question", "solution", "entry_point", "near_dup_of", "contamination_reason"
    ).with_columns(
        pl.Series("topic", topics, dtype=pl.String),
        pl.lit(report.dataset).alias("dataset"),
        pl.lit(layout.name).alias("layout"),
        pl.Series("metadata", metadata, dtype=pl.String),
    )
    with store.transaction():
        inserted = store.insert("sources_insert", rows, run_id=report.run_id)
        near.commit(frame["source_id"], sig)

    # counted once the chunk is committed, so a failed run's metrics say what it stored
    report.chunks += 1
    report.read += read
    report.exact_duplicates += exact_duplicates
    report.skipped = dict((Counter(report.skipped) + reasons).most_common())
    report.already_stored += already_stored
    report.near_duplicates += sum(d is not None for d in near_dup_of)
    report.contaminated += contaminated.height
    report.inserted += inserted
    report.contamination_examples.extend(
        {"row": r["row_ref"], "reason": r["contamination_reason"]}
        for r in contaminated.head(5 - len(report.contamination_examples)).iter_rows(named=True)
    )


def _benchmark_index(n: int, report: IngestReport) -> BenchmarkIndex:
    from acecoder.code.benchmarks import decontamination_tasks

    tasks, warnings = decontamination_tasks()
    for warning in warnings:
        log.warning("decontamination without %s", warning)
    report.warnings.extend(warnings)
    return BenchmarkIndex.build(tasks, n)


__all__ = ["IngestReport", "ingest"]

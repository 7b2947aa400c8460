"""The ingest stage: read → validate → exact dedup → clean → near dedup → decontaminate → one transaction."""

from __future__ import annotations

import json
import logging
import random
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from multiprocessing import get_context

import polars as pl

from acecoder.core.hashing import content_hash
from acecoder.core.store import Store
from acecoder.stages.ingest import dedup
from acecoder.stages.ingest.cleaning import CleanCode, clean_many
from acecoder.stages.ingest.config import IngestConfig
from acecoder.stages.ingest.decontam import BenchmarkIndex
from acecoder.stages.ingest.errors import IngestError
from acecoder.stages.ingest.layouts import Layout, resolve
from acecoder.stages.ingest.readers import RawSource, read_source

log = logging.getLogger(__name__)
_PARALLEL_FROM = 5_000  # below this many rows, starting processes costs more than it saves
_CHUNK = 5_000


@dataclass
class IngestReport:
    dataset: str
    layout: str
    run_id: str = ""
    read: int = 0
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


def _clean(frame: pl.DataFrame, layout: Layout, config: IngestConfig) -> list[CleanCode]:
    work = [(raw, layout.markdown, config.strip_prints) for raw in frame["raw"].to_list()]
    if len(work) < _PARALLEL_FROM or config.workers <= 1:
        return clean_many(work)
    chunks = [work[i : i + _CHUNK] for i in range(0, len(work), _CHUNK)]
    # spawn, not fork: the parent holds DuckDB and polars thread pools that a fork could deadlock on
    with ProcessPoolExecutor(config.workers, mp_context=get_context("spawn")) as pool:
        return [item for chunk in pool.map(clean_many, chunks) for item in chunk]


def _select(source: RawSource, config: IngestConfig) -> tuple[pl.DataFrame, Layout]:
    frame = source.frame
    layout = resolve(
        config.layout,
        frame.columns,
        config.question_field,
        config.solution_field,
        file=source.files[0] if len(source.files) == 1 else source.name,
    )
    if config.shuffle:
        order = list(range(frame.height))
        random.Random(config.seed).shuffle(order)
        frame = frame[order]
    if config.limit is not None:
        frame = frame.head(config.limit)
    _validate(frame, layout)
    question = pl.col(layout.question_field) if layout.question_field else pl.lit(None, dtype=pl.String)
    extras = [c for c in ("topic", "entry_point") if c in frame.columns]
    return frame.select(
        pl.col("row_ref"),
        question.alias("question"),
        pl.col(layout.solution_field).alias("raw"),
        *[pl.col(c).cast(pl.String).alias(f"given_{c}") for c in extras],
    ), layout


def ingest(
    source: str,
    store: Store,
    config: IngestConfig | None = None,
    benchmark_index: BenchmarkIndex | None = None,
    flow_run_id: str | None = None,
) -> IngestReport:
    """Ingest SOURCE into `sources`. Raises IngestError on bad input, having written nothing."""
    config = config or IngestConfig()
    raw = read_source(source, split=config.split)
    frame, layout = _select(raw, config)
    report = IngestReport(dataset=raw.name, layout=layout.name, read=frame.height)

    first = frame.select(pl.struct("question", "raw").is_first_distinct()).to_series()
    report.exact_duplicates = frame.height - int(first.sum())
    frame = frame.filter(first)

    cleaned = _clean(frame, layout, config)
    reasons = Counter(c.reason for c in cleaned if c.code is None)
    report.skipped = dict(reasons.most_common())
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
            "source_id", [content_hash(q or "", c) for q, c in zip(questions, frame["solution"], strict=True)]
        )
    )
    unique = frame["source_id"].is_first_distinct()
    report.exact_duplicates += frame.height - int(unique.sum())
    frame = frame.filter(unique)

    stored = store.frame("sources_known_ids", staged=frame.select("source_id"))["source_id"]
    is_new = ~frame["source_id"].is_in(stored.implode())
    report.already_stored = frame.height - int(is_new.sum())
    frame = frame.filter(is_new)

    frame = _mark_near_duplicates(frame, store, config.near_dup_threshold)
    report.near_duplicates = int(frame["near_dup_of"].is_not_null().sum())

    frame = frame.with_columns(pl.lit(None, dtype=pl.String).alias("contamination_reason"))
    if config.decontaminate:
        index = benchmark_index or _benchmark_index(config.decontam_ngram, report)
        by_question = index.match(frame["question"])
        by_code = index.match(frame["solution"])
        reasons_found = [
            q and f"question: {q}" or (c and f"code: {c}") for q, c in zip(by_question, by_code, strict=True)
        ]
        frame = frame.with_columns(pl.Series("contamination_reason", reasons_found, dtype=pl.String))
    contaminated = frame.filter(pl.col("contamination_reason").is_not_null())
    report.contaminated = contaminated.height
    report.contamination_examples = [
        {"row": r["row_ref"], "reason": r["contamination_reason"]}
        for r in contaminated.head(5).iter_rows(named=True)
    ]

    metadata = [
        json.dumps({k: v for k, v in (("layout", layout.name), ("topic", t)) if v is not None})
        for t in (frame["given_topic"] if "given_topic" in frame.columns else [None] * frame.height)
    ]
    rows = frame.select(
        "source_id",
        "row_ref",
        "question",
        "solution",
        "entry_point",
        "near_dup_of",
        "contamination_reason",
        (pl.col("given_topic") if "given_topic" in frame.columns else pl.lit(None, dtype=pl.String)).alias(
            "topic"
        ),
    ).with_columns(
        pl.lit(raw.name).alias("dataset"),
        pl.lit(layout.name).alias("layout"),
        pl.Series("metadata", metadata, dtype=pl.String),
    )
    params = {"source": source, **asdict(config)}
    with store.transaction(), store.tracked_run("ingest", params, flow_run_id) as (run_id, metrics):
        report.run_id = run_id
        report.inserted = store.insert("sources_insert", rows, run_id=run_id)
        metrics.update({k: v for k, v in report.as_dict().items() if k not in ("contamination_examples",)})
    return report


def _benchmark_index(n: int, report: IngestReport) -> BenchmarkIndex:
    from acecoder.code.benchmarks import decontamination_tasks

    tasks, warnings = decontamination_tasks()
    for warning in warnings:
        log.warning("decontamination without %s", warning)
    report.warnings.extend(warnings)
    return BenchmarkIndex.build(tasks, n)


def _mark_near_duplicates(frame: pl.DataFrame, store: Store, threshold: float) -> pl.DataFrame:
    if threshold >= 1.0 or frame.height == 0:
        return frame.with_columns(pl.lit(None, dtype=pl.String).alias("near_dup_of"))
    known = store.frame("sources_for_dedup")
    ids = known["source_id"].to_list() + frame["source_id"].to_list()
    texts = pl.concat(
        [
            known.select(
                pl.concat_str([pl.col("question").fill_null(""), pl.col("solution")], separator="\n")
            ),
            frame.select(
                pl.concat_str([pl.col("question").fill_null(""), pl.col("solution")], separator="\n")
            ),
        ]
    ).to_series()
    dup_of = dedup.near_duplicates(dedup.signatures(texts), threshold)[known.height :]
    near = [ids[i] if i >= 0 else None for i in dup_of.tolist()]
    return frame.with_columns(pl.Series("near_dup_of", near, dtype=pl.String))


__all__ = ["IngestReport", "ingest"]

"""Options of the ingest stage."""

from __future__ import annotations

from dataclasses import dataclass

from acecoder.core.config import setting


@dataclass
class IngestConfig:
    layout: str = setting(
        "auto",
        "How to read the rows: auto (detect from the columns), magicoder-oss (problem, solution), "
        "magicoder-evol (instruction, response), evol-codealpaca (instruction, output), stack-fns (content), "
        "seed (question, solution), generic (with the field options).",
    )
    question_field: str | None = setting(None, "Field with the question (generic layout).")
    solution_field: str | None = setting(
        None, "Field with the code or a markdown answer holding it (generic layout)."
    )
    split: str = setting("train", "Split of a Hub dataset.")
    limit: int | None = setting(None, "Ingest at most this many rows (after --shuffle).")
    shuffle: bool = setting(
        False, "Shuffle the rows before --limit (reads the whole input into memory first: no streaming)."
    )
    seed: int = setting(0, "Seed of --shuffle.")
    strip_prints: bool = setting(True, "Remove print(...) lines where the code stays valid, as AceCoder did.")
    near_dup_threshold: float = setting(
        0.85,
        "Jaccard similarity (token 3-grams, MinHash) above which a row is a near duplicate of an earlier one; "
        "1.0 turns near-dedup off.",
    )
    decontam_ngram: int = setting(
        13, "Flag rows sharing this many consecutive words with a HumanEval(+)/MBPP(+) prompt or solution."
    )
    decontaminate: bool = setting(True, "Check rows against the benchmarks.")
    workers: int = setting(2, "Processes cleaning code on large inputs.")
    chunk_rows: int = setting(
        10_000,
        "Rows read, checked and committed at a time: memory stays flat in the input's size, and a killed run "
        "loses at most the chunk in flight.",
    )
    duckdb_memory_mb: int | None = setting(
        128,
        "DuckDB's memory limit while ingest runs: its cache of the blocks it writes grows with the table "
        "otherwise (it spills to disk past the limit); None keeps DuckDB's own (80% of RAM).",
    )

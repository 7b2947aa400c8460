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
        None,
        "DuckDB's memory limit while ingest runs, in MB: its cache of the blocks it writes grows with the table "
        "otherwise. By default 32 MB plus 4 KB per chunk row (a chunk's uncommitted rows stay in memory); "
        "0 keeps DuckDB's own (80% of RAM).",
    )

    def duckdb_memory_limit(self) -> str | None:
        """The memory limit to set on DuckDB while ingest runs, or None to leave DuckDB's own."""
        if self.duckdb_memory_mb == 0:
            return None
        return f"{self.duckdb_memory_mb or 32 + self.chunk_rows * 4 // 1024}MB"

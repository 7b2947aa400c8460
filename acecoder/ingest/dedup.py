"""Near-duplicate detection: MinHash signatures over token 3-gram shingles, banded LSH, Jaccard check.

Signatures for a whole column are computed with numpy (one pass per permutation over all shingles), which is
what lets ingest keep up with 100k-row files; the banding follows the usual LSH recipe (as in datasketch):
choose b bands of r rows that minimise false positives plus false negatives around the threshold.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import polars as pl

from acecoder.ingest.tokens import CODE_TOKEN, ngram_hashes, token_hashes

NUM_PERM = 64
SHINGLE = 3
_MERSENNE = np.uint64((1 << 61) - 1)


def _permutations(num_perm: int, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    a = rng.integers(1, 1 << 61, size=num_perm, dtype=np.uint64) | np.uint64(1)
    b = rng.integers(0, 1 << 61, size=num_perm, dtype=np.uint64)
    return a, b


def signatures(texts: pl.Series, num_perm: int = NUM_PERM) -> np.ndarray:
    """(len(texts), num_perm) uint32 MinHash signatures; an empty text gets all-max (matches nothing)."""
    hashes, offsets = token_hashes(texts, CODE_TOKEN)
    shingles, rows = ngram_hashes(hashes, offsets, SHINGLE)
    n = len(texts)
    sig = np.full((n, num_perm), np.iinfo(np.uint32).max, dtype=np.uint32)
    if shingles.size == 0:
        return sig
    order = np.argsort(rows, kind="stable")
    shingles, rows = shingles[order], rows[order]
    present, starts = np.unique(rows, return_index=True)
    a, b = _permutations(num_perm)

    def fill(ks: range) -> None:
        with np.errstate(over="ignore"):
            for k in ks:
                # multiply-shift universal hashing: the high 32 bits of a*x + b (mod 2^64)
                values = ((shingles * a[k] + b[k]) >> np.uint64(32)).astype(np.uint32)
                sig[present, k] = np.minimum.reduceat(values, starts)

    # numpy releases the GIL in these loops, so threads split the permutations across cores
    threads = max(1, min(4, os.cpu_count() or 1))
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(fill, [range(i, num_perm, threads) for i in range(threads)]))
    return sig


def lsh_params(
    threshold: float, num_perm: int = NUM_PERM, false_negative_weight: float = 0.8
) -> tuple[int, int]:
    """(bands, rows per band) minimising the weighted false-positive and false-negative areas around
    `threshold`. Candidates are verified against the signatures afterwards, so a false positive costs only
    a comparison while a false negative keeps a duplicate: hence the weight on false negatives."""
    xs = np.linspace(0, 1, 201)
    best, best_err = (1, num_perm), float("inf")
    for bands in range(1, num_perm + 1):
        if num_perm % bands:
            continue
        rows = num_perm // bands
        p = 1 - (1 - xs**rows) ** bands
        err = (1 - false_negative_weight) * np.trapezoid(p[xs < threshold], xs[xs < threshold]) + (
            false_negative_weight * np.trapezoid(1 - p[xs >= threshold], xs[xs >= threshold])
        )
        if err < best_err:
            best, best_err = (bands, rows), err
    return best


def near_duplicates(sig: np.ndarray, threshold: float) -> np.ndarray:
    """For each row, the index of an earlier row it nearly duplicates (estimated Jaccard >= threshold), or -1.

    Rows are taken in order, so the first of a group is the one kept.
    """
    n, num_perm = sig.shape
    dup_of = np.full(n, -1, dtype=np.int64)
    if n < 2 or threshold >= 1.0:
        return dup_of
    bands, rows = lsh_params(threshold, num_perm)
    empty = (sig == np.iinfo(np.uint32).max).all(axis=1)
    rng = np.random.default_rng(7)
    mix = rng.integers(1, 1 << 63, size=rows, dtype=np.uint64)
    candidates: set[tuple[int, int]] = set()
    with np.errstate(over="ignore"):
        for band in range(bands):
            keys = (sig[:, band * rows : (band + 1) * rows].astype(np.uint64) * mix).sum(axis=1)
            keys[empty] = np.arange(int(empty.sum()), dtype=np.uint64) + np.uint64(1 << 40)  # never collide
            order = np.argsort(keys, kind="stable")
            sorted_keys = keys[order]
            same = np.flatnonzero(sorted_keys[1:] == sorted_keys[:-1])
            if same.size == 0:
                continue
            # every row in a run of equal keys pairs with the run's first (earliest) row
            run_start = np.maximum.accumulate(
                np.where(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]], np.arange(n), 0)
            )
            for i in same + 1:
                first, other = order[run_start[i]], order[i]
                candidates.add((min(first, other), max(first, other)))
    for first, other in sorted(candidates):
        if dup_of[other] != -1:
            continue
        if np.mean(sig[first] == sig[other]) >= threshold:
            root = first
            while dup_of[root] != -1:
                root = dup_of[root]
            dup_of[other] = root
    return dup_of

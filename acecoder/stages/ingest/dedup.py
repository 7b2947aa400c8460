"""Near-duplicate detection: MinHash signatures over token 3-gram shingles, banded LSH, Jaccard check.

Signatures for a whole column are computed with numpy, every permutation over cache-sized blocks of rows at a
time, which is what lets ingest keep up with 100k-row files; the banding follows the usual LSH recipe (as in
datasketch): choose b bands of r rows that minimise false positives plus false negatives around the threshold.
Candidate pairs are deduplicated and checked against the signatures as arrays; only the grouping of confirmed
pairs (earliest row first) is a loop.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import polars as pl

from acecoder.stages.ingest.tokens import CODE_TOKEN, ngram_hashes, token_hashes

NUM_PERM = 64
SHINGLE = 3
_MERSENNE = np.uint64((1 << 61) - 1)
_BLOCK = 1 << 17  # shingles per block: 1 MiB of hashes and as much of scratch
_PAIRS_AT_ONCE = 1 << 20  # candidate pairs compared at once (2 x 64 MiB of signatures)


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
    a, b = _permutations(num_perm)

    def fill(block: tuple[int, int]) -> None:
        lo, hi = block
        segment, segment_rows = shingles[lo:hi], rows[lo:hi]
        starts = np.flatnonzero(np.r_[True, segment_rows[1:] != segment_rows[:-1]])
        present = segment_rows[starts]
        values = np.empty(hi - lo, dtype=np.uint64)
        with np.errstate(over="ignore"):
            for k in range(num_perm):
                # multiply-shift universal hashing: the high 32 bits of a*x + b (mod 2^64), in place
                np.multiply(segment, a[k], out=values)
                np.add(values, b[k], out=values)
                np.right_shift(values, np.uint64(32), out=values)
                sig[present, k] = np.minimum.reduceat(values, starts)

    # Blocks of whole rows small enough to stay in cache through all the permutations (one pass per
    # permutation over every shingle at once spends its time on memory), spread over threads: numpy
    # releases the GIL in these loops, and the blocks write disjoint rows of `sig`.
    threads = max(1, min(4, os.cpu_count() or 1))
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(fill, _row_blocks(rows, _BLOCK)))
    return sig


def _row_blocks(rows: np.ndarray, size: int) -> list[tuple[int, int]]:
    """[lo, hi) ranges of the sorted `rows`, each of whole rows and at most `size` entries unless a single
    row is longer."""
    row_ends = np.r_[np.flatnonzero(rows[1:] != rows[:-1]) + 1, rows.size]
    blocks, lo = [], 0
    while lo < rows.size:
        last = np.searchsorted(row_ends, lo + size, side="right") - 1  # the last row ending within size
        if last >= 0 and row_ends[last] > lo:
            hi = int(row_ends[last])
        else:  # the row starting at lo is longer than size on its own
            hi = int(row_ends[np.searchsorted(row_ends, lo, side="right")])
        blocks.append((lo, hi))
        lo = hi
    return blocks


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


def scheme(threshold: float, num_perm: int = NUM_PERM) -> str:
    """The banding `threshold` uses, as stored beside band keys ("{bands}x{rows}")."""
    bands, rows = lsh_params(threshold, num_perm)
    return f"{bands}x{rows}"


def empty_rows(sig: np.ndarray) -> np.ndarray:
    """Rows whose text had no shingles: they nearly duplicate nothing."""
    return (sig == np.iinfo(np.uint32).max).all(axis=1)


def band_keys(sig: np.ndarray, threshold: float) -> np.ndarray:
    """(rows, bands) uint64 LSH keys of the signatures under the banding `threshold` uses: two rows are
    candidates when any band's keys are equal."""
    bands, rows = lsh_params(threshold, sig.shape[1])
    mix = np.random.default_rng(7).integers(1, 1 << 63, size=rows, dtype=np.uint64)
    keys = np.empty((sig.shape[0], bands), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for band in range(bands):
            keys[:, band] = (sig[:, band * rows : (band + 1) * rows].astype(np.uint64) * mix).sum(axis=1)
    return keys


def near_duplicates(sig: np.ndarray, threshold: float, fixed: int = 0) -> np.ndarray:
    """For each row, the index of an earlier row it nearly duplicates (estimated Jaccard >= threshold), or -1.

    Rows are taken in order, so the first of a group is the one kept. The first `fixed` rows are already
    decided (stored rows, whose own links are known): they are never marked, only matched against, so a
    later row links to the earliest of them it resembles.
    """
    n, num_perm = sig.shape
    dup_of = np.full(n, -1, dtype=np.int64)
    if n < 2 or threshold >= 1.0:
        return dup_of
    empty = empty_rows(sig)
    all_keys = band_keys(sig, threshold)
    pairs = []
    with np.errstate(over="ignore"):
        for band in range(all_keys.shape[1]):
            keys = all_keys[:, band].copy()
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
            first, other = order[run_start[same + 1]], order[same + 1]
            # one uint64 key per pair (earlier row, later row); both parts uint64, or numpy would mix in floats
            earlier, later = (
                np.minimum(first, other).astype(np.uint64),
                np.maximum(first, other).astype(np.uint64),
            )
            pairs.append(earlier * np.uint64(n) + later)
    if not pairs:
        return dup_of
    # each candidate pair once, earlier rows first; kept where the signatures agree on enough positions
    candidates = np.unique(np.concatenate(pairs))
    firsts, others = (
        (candidates // np.uint64(n)).astype(np.int64),
        (candidates % np.uint64(n)).astype(np.int64),
    )
    similar = np.concatenate(
        [
            (sig[firsts[i : i + _PAIRS_AT_ONCE]] == sig[others[i : i + _PAIRS_AT_ONCE]]).mean(axis=1)
            >= threshold
            for i in range(0, candidates.size, _PAIRS_AT_ONCE)
        ]
    )
    links = dup_of.tolist()
    for first, other in zip(firsts[similar].tolist(), others[similar].tolist(), strict=True):
        if links[other] != -1 or other < fixed:
            continue
        root = first
        while links[root] != -1:
            root = links[root]
        links[other] = root
    return np.array(links, dtype=np.int64)

"""MinHash near-duplicate detection against plain reference implementations on small inputs."""

from __future__ import annotations

import itertools
import random

import numpy as np
import polars as pl
import pytest

from acecoder.stages.ingest import dedup
from acecoder.stages.ingest.tokens import CODE_TOKEN, ngram_hashes, token_hashes


def _texts(count: int, seed: int = 3) -> list[str]:
    rng = random.Random(seed)
    words = ["def", "f", "(", ")", ":", "return", "x", "+", "1", "y", "if", "else", "for", "in"]
    base = [" ".join(rng.choices(words, k=rng.randint(0, 40))) for _ in range(count)]
    # near copies of earlier texts: one word changed
    for i in range(0, count, 3):
        tokens = base[i].split()
        if tokens:
            tokens[rng.randrange(len(tokens))] = "z"
        base.append(" ".join(tokens))
    return base


def _reference_signatures(texts: list[str]) -> np.ndarray:
    """The min over each text's shingles of each permutation, one text at a time."""
    hashes, offsets = token_hashes(pl.Series(texts), CODE_TOKEN)
    shingles, rows = ngram_hashes(hashes, offsets, dedup.SHINGLE)
    a, b = dedup._permutations(dedup.NUM_PERM)
    expected = np.full((len(texts), dedup.NUM_PERM), np.iinfo(np.uint32).max, dtype=np.uint32)
    with np.errstate(over="ignore"):
        for row in range(len(texts)):
            mine = shingles[rows == row]
            if mine.size:
                expected[row] = [((mine * a[k] + b[k]) >> np.uint64(32)).min() for k in range(dedup.NUM_PERM)]
    return expected


@pytest.mark.parametrize("block", [1, 7, 64, 1 << 17])
def test_signatures_do_not_depend_on_how_rows_are_blocked(monkeypatch, block):
    texts = _texts(60)
    monkeypatch.setattr(dedup, "_BLOCK", block)
    assert np.array_equal(dedup.signatures(pl.Series(texts)), _reference_signatures(texts))


def test_row_blocks_cover_whole_rows():
    rows = np.array([0, 0, 0, 1, 1, 2, 2, 2, 2, 2, 3])
    for size in (1, 2, 4, 5, 100):
        blocks = dedup._row_blocks(rows, size)
        assert blocks[0][0] == 0 and blocks[-1][1] == rows.size
        assert all(left[1] == right[0] for left, right in itertools.pairwise(blocks))
        assert all(rows[hi - 1] != rows[hi] for _, hi in blocks[:-1])  # no row cut in two
        assert all(hi - lo <= size or len(set(rows[lo:hi])) == 1 for lo, hi in blocks)


def _reference_near_duplicates(sig: np.ndarray, threshold: float) -> np.ndarray:
    """Plain loops over all pairs: a pair is a candidate where, in some band, the later row's band equals the
    earlier row's and no row before the earlier one has it (LSH pairs each row with the first of its bucket)."""
    n = sig.shape[0]
    bands, rows = dedup.lsh_params(threshold, sig.shape[1])
    empty = (sig == np.iinfo(np.uint32).max).all(axis=1)
    first_with: list[dict[bytes, int]] = [{} for _ in range(bands)]
    bucket_first = np.zeros((n, bands), dtype=np.int64)
    for row in range(n):
        for band in range(bands):
            content = sig[row, band * rows : (band + 1) * rows].tobytes()
            bucket_first[row, band] = row if empty[row] else first_with[band].setdefault(content, row)
    dup_of = np.full(n, -1, dtype=np.int64)
    for first, other in itertools.combinations(range(n), 2):
        if dup_of[other] != -1 or first not in bucket_first[other]:
            continue
        if np.mean(sig[first] == sig[other]) >= threshold:
            root = first
            while dup_of[root] != -1:
                root = dup_of[root]
            dup_of[other] = root
    return dup_of


@pytest.mark.parametrize("threshold", [0.5, 0.85])
def test_near_duplicates_match_a_pairwise_reference(threshold):
    sig = dedup.signatures(pl.Series(_texts(45)))
    found = dedup.near_duplicates(sig, threshold)
    assert (found >= 0).sum() > 0
    assert np.array_equal(found, _reference_near_duplicates(sig, threshold))

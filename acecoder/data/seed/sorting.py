"""Seed corpus, topic: sorting."""


def sort_version_strings(versions: list[str]) -> list[str]:
    """Sort version strings such as '1.10.2' in ascending order, comparing their dot-separated components
    as integers from left to right, so '1.9' comes before '1.10'. When one version is a prefix of another,
    the shorter one comes first ('1.2' before '1.2.0'). Versions that compare equal, such as '1.01' and
    '1.1', keep their input order. Raise ValueError if any component is empty or not made of ASCII digits.

    >>> sort_version_strings(["1.10", "1.2.0", "1.9", "1.2"])
    ['1.2', '1.2.0', '1.9', '1.10']
    >>> sort_version_strings(["2.0.1", "10", "2"])
    ['2', '2.0.1', '10']
    >>> sort_version_strings([])
    []
    """

    def key(version: str) -> tuple[int, ...]:
        parts = version.split(".")
        if not all(part.isascii() and part.isdigit() for part in parts):
            raise ValueError(f"invalid version string: {version!r}")
        return tuple(int(part) for part in parts)

    return sorted(versions, key=key)


def rank_records_by_score(records: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Order a list of (name, score) records by score from highest to lowest; records with the same score
    are ordered by name in ascending (case-sensitive) string order. Exact duplicate records are all kept.
    Return a new list.

    >>> rank_records_by_score([("bob", 70), ("amy", 90), ("cid", 70)])
    [('amy', 90), ('bob', 70), ('cid', 70)]
    >>> rank_records_by_score([("z", -1), ("a", -5)])
    [('z', -1), ('a', -5)]
    >>> rank_records_by_score([])
    []
    """
    return sorted(records, key=lambda record: (-record[1], record[0]))


def sort_by_frequency_desc(values: list[int]) -> list[int]:
    """Rearrange the list so that values occurring more often come first, keeping every copy of each value
    next to the others. Values with equal frequency are ordered from smallest to largest.

    >>> sort_by_frequency_desc([4, 6, 2, 6, 4, 6])
    [6, 6, 6, 4, 4, 2]
    >>> sort_by_frequency_desc([3, -1, 3, -1, 0])
    [-1, -1, 3, 3, 0]
    >>> sort_by_frequency_desc([])
    []
    """
    from collections import Counter

    counts = Counter(values)
    return sorted(values, key=lambda v: (-counts[v], v))


def sort_evens_before_odds(values: list[int]) -> list[int]:
    """Return a new list holding all even numbers of the input in ascending order, followed by all odd
    numbers in ascending order. Zero and negative even numbers count as even; duplicates are kept.

    >>> sort_evens_before_odds([5, 2, 7, 8, -4, 1])
    [-4, 2, 8, 1, 5, 7]
    >>> sort_evens_before_odds([3, -3, 0])
    [0, -3, 3]
    >>> sort_evens_before_odds([])
    []
    """
    return sorted(values, key=lambda v: (v % 2, v))


def sort_by_distance_to(values: list[int], pivot: int) -> list[int]:
    """Return the values ordered by their absolute distance from `pivot`, closest first. When two values
    are equally far from `pivot`, the smaller value comes first. Duplicates are kept.

    >>> sort_by_distance_to([10, 1, 6, 4, 5], 5)
    [5, 4, 6, 1, 10]
    >>> sort_by_distance_to([-2, 2, 0], 0)
    [0, -2, 2]
    >>> sort_by_distance_to([], 3)
    []
    """
    return sorted(values, key=lambda v: (abs(v - pivot), v))


def natural_sort_filenames(names: list[str]) -> list[str]:
    """Sort file names the way a person would: compare them case-insensitively, treating every maximal run
    of ASCII digits as a single number, so 'img2.png' comes before 'img10.png'. Names that compare equal
    under this rule (such as 'a01' and 'a1', or 'A' and 'a') are ordered by plain string comparison.

    >>> natural_sort_filenames(["img10.png", "img2.png", "IMG1.png"])
    ['IMG1.png', 'img2.png', 'img10.png']
    >>> natural_sort_filenames(["a1", "a01", "a"])
    ['a', 'a01', 'a1']
    >>> natural_sort_filenames([])
    []
    """
    import re

    def key(name: str) -> tuple[list[str | int], str]:
        parts = re.split(r"([0-9]+)", name.lower())
        return [int(part) if i % 2 else part for i, part in enumerate(parts)], name

    return sorted(names, key=key)


def sortable_by_removing_one(values: list[int]) -> bool:
    """Decide whether the list can be made non-decreasing by deleting at most one element. A list that is
    already non-decreasing (including empty and one-element lists) qualifies.

    >>> sortable_by_removing_one([1, 5, 3, 4])
    True
    >>> sortable_by_removing_one([3, 1, 2, 0])
    False
    >>> sortable_by_removing_one([])
    True
    """

    def non_decreasing(seq: list[int]) -> bool:
        return all(seq[k] <= seq[k + 1] for k in range(len(seq) - 1))

    for i in range(len(values) - 1):
        if values[i] > values[i + 1]:
            without_left = values[:i] + values[i + 1 :]
            without_right = values[: i + 1] + values[i + 2 :]
            return non_decreasing(without_left) or non_decreasing(without_right)
    return True


def merge_sorted_dedup(first: list[int], second: list[int]) -> list[int]:
    """Merge two lists that are each sorted in non-decreasing order into one strictly increasing list
    that contains every value appearing in either input exactly once. Raise ValueError if either input is
    not sorted in non-decreasing order.

    >>> merge_sorted_dedup([1, 3, 3, 7], [2, 3, 8])
    [1, 2, 3, 7, 8]
    >>> merge_sorted_dedup([], [4, 4])
    [4]
    >>> merge_sorted_dedup([], [])
    []
    """
    import heapq

    for seq in (first, second):
        if any(a > b for a, b in zip(seq, seq[1:])):
            raise ValueError("inputs must be sorted in non-decreasing order")
    merged: list[int] = []
    for value in heapq.merge(first, second):
        if not merged or merged[-1] != value:
            merged.append(value)
    return merged


def wiggle_arrange(values: list[int]) -> list[int]:
    """Rearrange the numbers into a zig-zag pattern r[0] <= r[1] >= r[2] <= r[3] >= ... as follows: sort
    them in ascending order, then swap the elements at positions 1 and 2, then those at positions 3 and 4,
    and so on while both positions exist. Return the new list.

    >>> wiggle_arrange([5, 1, 4, 2, 3])
    [1, 3, 2, 5, 4]
    >>> wiggle_arrange([2, 2, 1, 1])
    [1, 2, 1, 2]
    >>> wiggle_arrange([7])
    [7]
    """
    result = sorted(values)
    for i in range(1, len(result) - 1, 2):
        result[i], result[i + 1] = result[i + 1], result[i]
    return result


def sort_between_zeros(values: list[int]) -> list[int]:
    """Treat every 0 in the list as a fixed separator: each maximal run of non-zero values between
    separators (or between a separator and either end of the list) is sorted in ascending order on its own,
    while every 0 keeps its position. Return the new list.

    >>> sort_between_zeros([3, 1, 0, 5, -2, 4, 0, 0, 9])
    [1, 3, 0, -2, 4, 5, 0, 0, 9]
    >>> sort_between_zeros([2, 1])
    [1, 2]
    >>> sort_between_zeros([0])
    [0]
    """
    result: list[int] = []
    run: list[int] = []
    for value in values:
        if value == 0:
            result.extend(sorted(run))
            result.append(0)
            run = []
        else:
            run.append(value)
    result.extend(sorted(run))
    return result

"""Seed corpus, topic: searching."""


def lower_bound_index(sorted_values: list[int], target: int) -> int:
    """Take a list of integers sorted in non-decreasing order (duplicates allowed) and return the index of
    the first element that is greater than or equal to `target`. When every element is smaller than
    `target`, including when the list is empty, return the length of the list.

    >>> lower_bound_index([1, 3, 3, 3, 7], 3)
    1
    >>> lower_bound_index([1, 3, 3, 3, 7], 4)
    4
    >>> lower_bound_index([1, 2], 9)
    2
    >>> lower_bound_index([], 5)
    0
    """
    lo, hi = 0, len(sorted_values)
    while lo < hi:
        mid = (lo + hi) // 2
        if sorted_values[mid] < target:
            lo = mid + 1
        else:
            hi = mid
    return lo


def last_index_at_most(sorted_values: list[int], target: int) -> int:
    """Take a list of integers sorted in non-decreasing order (duplicates allowed) and return the index of
    the last element that is less than or equal to `target`. When no element qualifies (every element
    exceeds `target`, or the list is empty), return -1.

    >>> last_index_at_most([2, 4, 4, 4, 9], 4)
    3
    >>> last_index_at_most([2, 4, 4, 4, 9], 8)
    3
    >>> last_index_at_most([2, 4], 1)
    -1
    """
    import bisect

    return bisect.bisect_right(sorted_values, target) - 1


def count_in_closed_range(sorted_values: list[int], low: int, high: int) -> int:
    """Take a list of integers sorted in non-decreasing order and count how many of its elements `v`
    satisfy `low <= v <= high`, counting duplicates separately. When `low` is greater than `high` the range
    is empty and the count is 0.

    >>> count_in_closed_range([1, 2, 2, 5, 8, 8, 10], 2, 8)
    5
    >>> count_in_closed_range([1, 2, 3], 4, 9)
    0
    >>> count_in_closed_range([1, 2, 3], 3, 1)
    0
    """
    import bisect

    if low > high:
        return 0
    return bisect.bisect_right(sorted_values, high) - bisect.bisect_left(sorted_values, low)


def find_rotation_point(values: list[int]) -> int:
    """A list of distinct integers was sorted in ascending order and then rotated, i.e. some prefix was
    moved to the end. Return the index of its smallest element using O(log n) comparisons. A list that
    was not rotated at all gives 0. Raise ValueError when the list is empty.

    >>> find_rotation_point([15, 18, 22, 3, 7, 11])
    3
    >>> find_rotation_point([1, 2, 3, 4])
    0
    >>> find_rotation_point([9])
    0
    """
    if not values:
        raise ValueError("values must not be empty")
    lo, hi = 0, len(values) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if values[mid] > values[hi]:
            lo = mid + 1
        else:
            hi = mid
    return lo


def nearest_value_in_sorted(sorted_values: list[int], target: int) -> int:
    """Take a non-empty list of integers sorted in non-decreasing order and return the element whose
    absolute difference from `target` is smallest. If two different elements are equally close, return
    the smaller one. Raise ValueError when the list is empty.

    >>> nearest_value_in_sorted([1, 4, 9, 16], 11)
    9
    >>> nearest_value_in_sorted([1, 4, 9, 16], 12)
    9
    >>> nearest_value_in_sorted([1, 4, 9, 16], 13)
    16
    >>> nearest_value_in_sorted([5], -100)
    5
    """
    import bisect

    if not sorted_values:
        raise ValueError("sorted_values must not be empty")
    i = bisect.bisect_left(sorted_values, target)
    candidates = sorted_values[max(0, i - 1) : i + 1]
    return min(candidates, key=lambda v: (abs(v - target), v))


def first_value_seen_twice(values: list[int]) -> int | None:
    """Scan the list from left to right and return the first value that has already appeared earlier in
    the scan, that is, the value whose second occurrence comes first. Return None when all values are
    distinct, including for an empty list.

    >>> first_value_seen_twice([2, 5, 1, 5, 2])
    5
    >>> first_value_seen_twice([-3, 0, -3])
    -3
    >>> (first_value_seen_twice([1, 2, 3]) is None)
    True
    """
    seen = set()
    for value in values:
        if value in seen:
            return value
        seen.add(value)
    return None


def first_peak_index(values: list[int]) -> int:
    """Return the index of the first element that is strictly greater than each of its neighbours. The
    first and last elements have only one neighbour each, and the single element of a one-element list
    counts as a peak. Return -1 when there is no such element, for example for an empty list or a list
    whose largest values form a flat plateau.

    >>> first_peak_index([1, 3, 2, 5, 4])
    1
    >>> first_peak_index([7, 1, 2])
    0
    >>> first_peak_index([4, 4])
    -1
    >>> first_peak_index([])
    -1
    """
    for i, value in enumerate(values):
        left_ok = i == 0 or value > values[i - 1]
        right_ok = i == len(values) - 1 or value > values[i + 1]
        if left_ok and right_ok:
            return i
    return -1


def kth_smallest_distinct(values: list[int], k: int) -> int | None:
    """Return the k-th smallest distinct value of the list, counting from k = 1 for the minimum and
    ignoring repeated copies of a value. Return None when the list has fewer than k distinct values.
    Raise ValueError when k is less than 1.

    >>> kth_smallest_distinct([5, 1, 5, 3, 1, 9], 2)
    3
    >>> kth_smallest_distinct([5, 1, 5, 3, 1, 9], 4)
    9
    >>> (kth_smallest_distinct([2, 2, 2], 2) is None)
    True
    """
    if k < 1:
        raise ValueError("k must be at least 1")
    distinct = sorted(set(values))
    return distinct[k - 1] if k <= len(distinct) else None


def longest_run_of_value(values: list[int], target: int) -> int:
    """Return the length of the longest block of consecutive positions in the list that all hold `target`.
    Return 0 when `target` does not occur.

    >>> longest_run_of_value([1, 1, 0, 1, 1, 1, 0], 1)
    3
    >>> longest_run_of_value([4, 0, 0, 4], 0)
    2
    >>> longest_run_of_value([4, 5], 7)
    0
    """
    best = current = 0
    for value in values:
        current = current + 1 if value == target else 0
        best = max(best, current)
    return best


def overlapping_match_positions(text: str, pattern: str) -> list[int]:
    """Return, in increasing order, every index at which `pattern` starts inside `text`, allowing matches
    to overlap one another. Return an empty list when there is no match. Raise ValueError when `pattern`
    is the empty string.

    >>> overlapping_match_positions("abababa", "aba")
    [0, 2, 4]
    >>> overlapping_match_positions("aaaa", "aa")
    [0, 1, 2]
    >>> overlapping_match_positions("hello", "xyz")
    []
    """
    if not pattern:
        raise ValueError("pattern must not be empty")
    positions = []
    start = text.find(pattern)
    while start != -1:
        positions.append(start)
        start = text.find(pattern, start + 1)
    return positions

"""Seed corpus, topic: lists."""


def rotate_right_keep_negatives(values: list[int], k: int) -> list[int]:
    """Rotate the non-negative elements of `values` to the right by `k` steps among the positions they
    occupy, while every negative element stays at its original index. Rotating by one step moves each
    non-negative element to the next non-negative slot and the last one wraps around to the first slot.
    `k` may be larger than the number of non-negative elements, and a negative `k` rotates to the left.
    A list with no non-negative elements is returned unchanged (as a new list).

    >>> rotate_right_keep_negatives([1, -1, 2, 3, -5, 4], 1)
    [4, -1, 1, 2, -5, 3]
    >>> rotate_right_keep_negatives([5, 6, 7], -1)
    [6, 7, 5]
    >>> rotate_right_keep_negatives([-3, -2], 4)
    [-3, -2]
    """
    slots = [i for i, value in enumerate(values) if value >= 0]
    result = list(values)
    if not slots:
        return result
    shift = k % len(slots)
    movable = [values[i] for i in slots]
    rotated = movable[-shift:] + movable[:-shift] if shift else movable
    for index, value in zip(slots, rotated, strict=True):
        result[index] = value
    return result


def split_into_chunks(values: list[int], size: int) -> list[list[int]]:
    """Split `values` into consecutive chunks of exactly `size` elements, in order; only the final chunk
    may be shorter when the length is not a multiple of `size`. An empty list gives an empty list of
    chunks. Raise ValueError if `size` is less than 1.

    >>> split_into_chunks([9, 4, 6, 1, 3], 2)
    [[9, 4], [6, 1], [3]]
    >>> split_into_chunks([7, 8], 5)
    [[7, 8]]
    >>> split_into_chunks([], 3)
    []
    """
    if size < 1:
        raise ValueError("size must be at least 1")
    return [values[start : start + size] for start in range(0, len(values), size)]


def running_maximum(values: list[int]) -> list[int]:
    """Return a list of the same length as `values` whose element at index i is the largest value among
    `values[0]` through `values[i]`. An empty list gives an empty list.

    >>> running_maximum([3, 1, 4, 1, 5, 2])
    [3, 3, 4, 4, 5, 5]
    >>> running_maximum([-2, -5, -1])
    [-2, -2, -1]
    >>> running_maximum([])
    []
    """
    result: list[int] = []
    for value in values:
        result.append(value if not result else max(result[-1], value))
    return result


def alternates_parity(values: list[int]) -> bool:
    """Return True if every pair of neighbouring elements in `values` consists of one even and one odd
    number, so parity switches at each step. Negative numbers follow the usual rule (-3 is odd, -4 is
    even). Lists with fewer than two elements trivially alternate.

    >>> alternates_parity([2, 5, -4, 7])
    True
    >>> alternates_parity([1, 3, 4])
    False
    >>> alternates_parity([])
    True
    """
    from itertools import pairwise

    return all((a - b) % 2 == 1 for a, b in pairwise(values))


def consecutive_differences(values: list[int]) -> list[int]:
    """Return the list of differences between neighbouring elements of `values`, where element i of the
    result is `values[i + 1] - values[i]`. The result is one element shorter than the input; a list with
    fewer than two elements gives an empty list.

    >>> consecutive_differences([1, 4, 9, 16])
    [3, 5, 7]
    >>> consecutive_differences([5, 2])
    [-3]
    >>> consecutive_differences([42])
    []
    """
    from itertools import pairwise

    return [b - a for a, b in pairwise(values)]


def three_way_partition(values: list[int], pivot: int) -> list[int]:
    """Rearrange `values` into three groups placed one after another: first the elements smaller than
    `pivot`, then the elements equal to it, then the elements greater than it. Inside each group the
    elements keep their original relative order. Return a new list; the input is not modified.

    >>> three_way_partition([5, 1, 3, 7, 3, 2], 3)
    [1, 2, 3, 3, 5, 7]
    >>> three_way_partition([9, -1, 8, 0], 4)
    [-1, 0, 9, 8]
    >>> three_way_partition([], 0)
    []
    """
    smaller = [v for v in values if v < pivot]
    equal = [v for v in values if v == pivot]
    larger = [v for v in values if v > pivot]
    return smaller + equal + larger


def strict_peak_indices(values: list[int]) -> list[int]:
    """Return, in increasing order, the indices i with 0 < i < len(values) - 1 for which `values[i]` is
    strictly greater than both of its neighbours. The first and last positions are never peaks, and a
    plateau of equal values contains no peak. Return an empty list when there are none.

    >>> strict_peak_indices([1, 3, 2, 5, 4])
    [1, 3]
    >>> strict_peak_indices([1, 2, 2, 1])
    []
    >>> strict_peak_indices([7])
    []
    """
    return [i for i in range(1, len(values) - 1) if values[i - 1] < values[i] > values[i + 1]]


def sliding_window_sums(values: list[int], width: int) -> list[int]:
    """Return the sums of every contiguous window of `width` elements of `values`, ordered by the
    window's starting index. If `width` exceeds the length of the list, there are no windows and the
    result is empty. Raise ValueError if `width` is less than 1.

    >>> sliding_window_sums([2, 7, 1, 8, 2], 3)
    [10, 16, 11]
    >>> sliding_window_sums([4, -4], 1)
    [4, -4]
    >>> sliding_window_sums([1, 2], 3)
    []
    """
    if width < 1:
        raise ValueError("width must be at least 1")
    if width > len(values):
        return []
    total = sum(values[:width])
    sums = [total]
    for i in range(width, len(values)):
        total += values[i] - values[i - width]
        sums.append(total)
    return sums


def is_mountain_sequence(values: list[int]) -> bool:
    """Return True if `values` strictly increases up to a single summit and then strictly decreases to
    the end, with at least one rising step before the summit and at least one falling step after it.
    Equal neighbours anywhere, a purely increasing or purely decreasing list, and lists with fewer than
    three elements are not mountains.

    >>> is_mountain_sequence([1, 3, 5, 4, 2])
    True
    >>> is_mountain_sequence([1, 2, 2, 1])
    False
    >>> is_mountain_sequence([3, 2, 1])
    False
    """
    n = len(values)
    i = 0
    while i + 1 < n and values[i] < values[i + 1]:
        i += 1
    if i == 0 or i == n - 1:
        return False
    while i + 1 < n and values[i] > values[i + 1]:
        i += 1
    return i == n - 1


def interleave_lists_round_robin(groups: list[list[int]]) -> list[int]:
    """Merge several lists by taking elements round-robin: the first element of each list in order, then
    the second element of each list that still has one, and so on until every list is exhausted. Lists
    of different lengths are allowed, and empty inner lists are simply skipped. No lists gives an empty
    result.

    >>> interleave_lists_round_robin([[1, 2, 3], [10], [20, 30]])
    [1, 10, 20, 2, 30, 3]
    >>> interleave_lists_round_robin([[], [5, 6]])
    [5, 6]
    >>> interleave_lists_round_robin([])
    []
    """
    longest = max((len(group) for group in groups), default=0)
    return [group[i] for i in range(longest) for group in groups if i < len(group)]

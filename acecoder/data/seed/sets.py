"""Seed corpus, topic: sets."""


def common_values_sorted(first: list[int], second: list[int]) -> list[int]:
    """Treat both lists as sets and return, in ascending order and without repeats, the values that occur
    in both of them. Repeated values in the inputs count once. Return an empty list when the lists share
    nothing.

    >>> common_values_sorted([5, 1, 3, 3, 9], [3, 9, 9, 2])
    [3, 9]
    >>> common_values_sorted([6, 8], [5, 7])
    []
    >>> common_values_sorted([], [1])
    []
    """
    return sorted(set(first) & set(second))


def values_in_exactly_one_of_two(first: list[int], second: list[int]) -> list[int]:
    """Treat both lists as sets and return, in ascending order and without repeats, the values that occur
    in one of the lists but not in the other (the symmetric difference). Repeated values count once.

    >>> values_in_exactly_one_of_two([1, 2, 2, 3], [3, 4])
    [1, 2, 4]
    >>> values_in_exactly_one_of_two([7, 7], [7])
    []
    >>> values_in_exactly_one_of_two([], [-1, -1])
    [-1]
    """
    return sorted(set(first) ^ set(second))


def share_no_values(first: list[int], second: list[int]) -> bool:
    """Return True if no value occurs in both `first` and `second`, i.e. the two lists are disjoint when
    treated as sets. If either list is empty, the lists are disjoint.

    >>> share_no_values([1, 3, 5], [2, 4])
    True
    >>> share_no_values([1, 3, 5], [5, 6])
    False
    >>> share_no_values([], [])
    True
    """
    return set(first).isdisjoint(second)


def jaccard_index(first: list[int], second: list[int]) -> float:
    """Return the Jaccard similarity of the two lists treated as sets: the number of distinct values
    they share divided by the number of distinct values in either of them, a float between 0.0 and 1.0.
    Repeated values count once. Two empty lists are defined to have similarity 1.0.

    >>> jaccard_index([1, 2, 3], [2, 3, 4])
    0.5
    >>> jaccard_index([1, 1], [2])
    0.0
    >>> jaccard_index([], [])
    1.0
    """
    a, b = set(first), set(second)
    union = a | b
    if not union:
        return 1.0
    return len(a & b) / len(union)


def values_unique_to_one_group(groups: list[list[int]]) -> list[int]:
    """Given several lists of integers, return in ascending order the values that occur in exactly one of
    the lists. A value repeated inside a single list still counts as occurring in one list; what matters
    is how many different lists contain it. No lists, or only empty lists, give an empty result.

    >>> values_unique_to_one_group([[1, 2, 2], [2, 3], [3, 4]])
    [1, 4]
    >>> values_unique_to_one_group([[5, 5, 5]])
    [5]
    >>> values_unique_to_one_group([])
    []
    """
    from collections import Counter

    membership = Counter(value for group in groups for value in set(group))
    return sorted(value for value, count in membership.items() if count == 1)


def union_of_groups(groups: list[list[int]]) -> list[int]:
    """Return, in ascending order and without repeats, every value that occurs in at least one of the
    given lists. No lists, or only empty lists, give an empty result.

    >>> union_of_groups([[3, 1], [2, 3], [], [-4]])
    [-4, 1, 2, 3]
    >>> union_of_groups([[], []])
    []
    """
    return sorted({value for group in groups for value in group})


def contains_all_values(container: list[int], required: list[int]) -> bool:
    """Return True if every value in `required` also occurs somewhere in `container`, treating both as
    sets: how many times a value is repeated does not matter. An empty `required` list is always
    satisfied.

    >>> contains_all_values([4, 1, 2, 3], [3, 1, 1])
    True
    >>> contains_all_values([1, 2], [2, 5])
    False
    >>> contains_all_values([], [])
    True
    """
    return set(required) <= set(container)


def missing_in_closed_range(values: list[int], low: int, high: int) -> list[int]:
    """Return, in ascending order, the integers from `low` to `high` (both inclusive) that do not occur
    in `values`. Values outside that range are ignored. Raise ValueError if `low` is greater than
    `high`.

    >>> missing_in_closed_range([3, 1, 7, 20], 1, 8)
    [2, 4, 5, 6, 8]
    >>> missing_in_closed_range([0, 1, 2], 0, 2)
    []
    >>> missing_in_closed_range([], -1, 1)
    [-1, 0, 1]
    """
    if low > high:
        raise ValueError("low must not exceed high")
    present = set(values)
    return [n for n in range(low, high + 1) if n not in present]


def all_subsets_by_size(values: list[int]) -> list[list[int]]:
    """Return every subset of the distinct values in `values`, each subset as an ascending list. Subsets
    are ordered first by size, from the empty subset up to the full one, and subsets of equal size are
    in lexicographic order. Duplicate input values count once. Raise ValueError if there are more than
    12 distinct values, since the result would grow too large.

    >>> all_subsets_by_size([2, 1, 2])
    [[], [1], [2], [1, 2]]
    >>> all_subsets_by_size([30, 10, 20])
    [[], [10], [20], [30], [10, 20], [10, 30], [20, 30], [10, 20, 30]]
    >>> all_subsets_by_size([])
    [[]]
    """
    from itertools import combinations

    distinct = sorted(set(values))
    if len(distinct) > 12:
        raise ValueError("at most 12 distinct values are supported")
    return [list(combo) for size in range(len(distinct) + 1) for combo in combinations(distinct, size)]


def characters_in_every_word(words: list[str]) -> str:
    """Return the characters that occur in every string of `words`, each listed once, sorted by code
    point and joined into a single string. Comparison is case-sensitive, and how often a character
    occurs inside a word does not matter. An empty list of words, or a list containing an empty string,
    gives the empty string.

    >>> characters_in_every_word(["banana", "cabana", "abba"])
    'ab'
    >>> characters_in_every_word(["Abc", "abc"])
    'bc'
    >>> characters_in_every_word([])
    ''
    """
    if not words:
        return ""
    shared = set(words[0])
    for word in words[1:]:
        shared &= set(word)
    return "".join(sorted(shared))

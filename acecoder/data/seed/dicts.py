"""Seed corpus, topic: dicts."""


def merge_summing_common_keys(first: dict[str, int], second: dict[str, int]) -> dict[str, int]:
    """Merge two dictionaries of integer counts into a new dictionary. A key present in both gets the sum
    of its two values; a key present in only one keeps its value. The result lists the keys of `first`
    in their original order, followed by the keys that appear only in `second`, in their order there.
    Neither input is modified.

    >>> merge_summing_common_keys({"a": 1, "b": 2}, {"b": 5, "c": -1})
    {'a': 1, 'b': 7, 'c': -1}
    >>> merge_summing_common_keys({}, {"x": 3})
    {'x': 3}
    >>> merge_summing_common_keys({}, {})
    {}
    """
    merged = dict(first)
    for key, value in second.items():
        merged[key] = merged.get(key, 0) + value
    return merged


def group_keys_by_value(mapping: dict[str, int]) -> dict[int, list[str]]:
    """Invert `mapping` so that each distinct value maps to the sorted list of keys that had that value.
    The keys of the result are the distinct values in ascending order. An empty mapping gives an empty
    dictionary.

    >>> group_keys_by_value({"b": 1, "a": 1, "c": 2})
    {1: ['a', 'b'], 2: ['c']}
    >>> group_keys_by_value({"z": -3})
    {-3: ['z']}
    >>> group_keys_by_value({})
    {}
    """
    grouped: dict[int, list[str]] = {}
    for key, value in mapping.items():
        grouped.setdefault(value, []).append(key)
    return {value: sorted(grouped[value]) for value in sorted(grouped)}


def flatten_two_level_dict(nested: dict[str, dict[str, int]], separator: str) -> dict[str, int]:
    """Flatten a two-level dictionary into one level: every inner entry becomes a single key made of the
    outer key, `separator` and the inner key, mapped to the inner value. Entries appear in the order of
    the outer keys and, within each, the order of the inner keys; an outer key whose inner dictionary is
    empty contributes nothing. Raise ValueError if two different entries would produce the same flat key.

    >>> flatten_two_level_dict({"db": {"host": 1, "port": 2}, "cache": {"ttl": 3}}, ".")
    {'db.host': 1, 'db.port': 2, 'cache.ttl': 3}
    >>> flatten_two_level_dict({"a": {}}, "/")
    {}
    >>> flatten_two_level_dict({"a_b": {"c": 1}, "a": {"b_c": 2}}, "_")
    Traceback (most recent call last):
        ...
    ValueError: duplicate flattened key: 'a_b_c'
    """
    flat: dict[str, int] = {}
    for outer, inner in nested.items():
        for key, value in inner.items():
            flat_key = f"{outer}{separator}{key}"
            if flat_key in flat:
                raise ValueError(f"duplicate flattened key: {flat_key!r}")
            flat[flat_key] = value
    return flat


def top_k_keys_by_value(scores: dict[str, int], k: int) -> list[str]:
    """Return the keys of the `k` highest-valued entries of `scores`, ordered from highest value to
    lowest; keys with equal values are ordered alphabetically. If `k` is larger than the number of
    entries, return all keys in that order. Raise ValueError if `k` is negative.

    >>> top_k_keys_by_value({"ann": 5, "bob": 9, "cy": 5, "dee": 1}, 3)
    ['bob', 'ann', 'cy']
    >>> top_k_keys_by_value({"x": 1}, 4)
    ['x']
    >>> top_k_keys_by_value({"x": 1}, 0)
    []
    """
    if k < 0:
        raise ValueError("k must be non-negative")
    ranked = sorted(scores, key=lambda key: (-scores[key], key))
    return ranked[:k]


def dict_key_changes(old: dict[str, int], new: dict[str, int]) -> tuple[list[str], list[str], list[str]]:
    """Compare two versions of a dictionary and return a triple of sorted key lists: the keys added (only
    in `new`), the keys removed (only in `old`), and the keys whose value changed (in both, with different
    values). Keys present in both with equal values appear in none of the lists.

    >>> dict_key_changes({"a": 1, "b": 2, "c": 3}, {"b": 2, "c": 4, "d": 0})
    (['d'], ['a'], ['c'])
    >>> dict_key_changes({}, {})
    ([], [], [])
    """
    added = sorted(key for key in new if key not in old)
    removed = sorted(key for key in old if key not in new)
    changed = sorted(key for key in old if key in new and old[key] != new[key])
    return added, removed, changed


def values_are_distinct(mapping: dict[str, int]) -> bool:
    """Return True if no two keys of `mapping` share the same value, i.e. the mapping could be inverted
    without losing information. An empty mapping counts as having distinct values.

    >>> values_are_distinct({"a": 1, "b": 2})
    True
    >>> values_are_distinct({"a": 1, "b": 2, "c": 1})
    False
    >>> values_are_distinct({})
    True
    """
    return len(set(mapping.values())) == len(mapping)


def filter_values_in_range(mapping: dict[str, int], low: int, high: int) -> dict[str, int]:
    """Return a new dictionary with only the entries of `mapping` whose value lies between `low` and
    `high`, both bounds inclusive, keeping the original key order. Raise ValueError if `low` is greater
    than `high`.

    >>> filter_values_in_range({"a": 1, "b": 5, "c": 3, "d": 9}, 2, 5)
    {'b': 5, 'c': 3}
    >>> filter_values_in_range({"a": -1}, 0, 0)
    {}
    """
    if low > high:
        raise ValueError("low must not exceed high")
    return {key: value for key, value in mapping.items() if low <= value <= high}


def rename_dict_keys(mapping: dict[str, int], renames: dict[str, str]) -> dict[str, int]:
    """Return a copy of `mapping` in which every key that appears in `renames` is replaced by its new
    name, keeping values and entry order; keys not mentioned in `renames` stay as they are, and entries
    of `renames` for keys absent from `mapping` are ignored. Raise ValueError if two entries of the
    result would end up with the same key.

    >>> rename_dict_keys({"fname": 1, "age": 2}, {"fname": "first_name"})
    {'first_name': 1, 'age': 2}
    >>> rename_dict_keys({"a": 1, "b": 2}, {"a": "b", "b": "a"})
    {'b': 1, 'a': 2}
    >>> rename_dict_keys({"a": 1, "b": 2}, {"a": "b"})
    Traceback (most recent call last):
        ...
    ValueError: key collision on 'b'
    """
    renamed: dict[str, int] = {}
    for key, value in mapping.items():
        new_key = renames.get(key, key)
        if new_key in renamed:
            raise ValueError(f"key collision on {new_key!r}")
        renamed[new_key] = value
    return renamed


def group_words_by_initial(words: list[str]) -> dict[str, list[str]]:
    """Group `words` by their first letter, compared case-insensitively: each key is the lowercased first
    character and maps to the words starting with it, in their original order and original spelling.
    Empty strings are skipped. The keys of the result are in ascending order.

    >>> group_words_by_initial(["banana", "Apple", "avocado", "", "blueberry"])
    {'a': ['Apple', 'avocado'], 'b': ['banana', 'blueberry']}
    >>> group_words_by_initial(["", ""])
    {}
    """
    groups: dict[str, list[str]] = {}
    for word in words:
        if word:
            groups.setdefault(word[0].lower(), []).append(word)
    return {key: groups[key] for key in sorted(groups)}


def is_sub_dictionary(part: dict[str, int], whole: dict[str, int]) -> bool:
    """Return True if every key of `part` is also a key of `whole` and maps to the same value there.
    `whole` may contain additional keys. An empty `part` is contained in any dictionary.

    >>> is_sub_dictionary({"a": 1}, {"a": 1, "b": 2})
    True
    >>> is_sub_dictionary({"a": 1, "c": 3}, {"a": 1, "b": 2})
    False
    >>> is_sub_dictionary({"a": 2}, {"a": 1})
    False
    >>> is_sub_dictionary({}, {})
    True
    """
    return all(key in whole and whole[key] == value for key, value in part.items())

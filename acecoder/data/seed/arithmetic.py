"""Seed corpus, topic: arithmetic."""


def normalize_to_unit_interval(value: float, low: float, high: float) -> float:
    """Map `value` linearly from the interval [`low`, `high`] onto [0.0, 1.0], so that `low` maps to 0.0
    and `high` maps to 1.0. Values outside the interval are clamped first, so anything below `low` gives
    0.0 and anything above `high` gives 1.0. Raise ValueError if `high` is not greater than `low`.

    >>> normalize_to_unit_interval(15.0, 10.0, 20.0)
    0.5
    >>> normalize_to_unit_interval(-3.0, 0.0, 4.0)
    0.0
    >>> normalize_to_unit_interval(9.0, 0.0, 4.0)
    1.0
    """
    if not high > low:
        raise ValueError("high must be greater than low")
    clamped = min(max(value, low), high)
    return (clamped - low) / (high - low)


def wrap_into_range(value: int, low: int, high: int) -> int:
    """Map `value` into the half-open range from `low` (inclusive) to `high` (exclusive) by wrapping
    around, the way angles wrap into a full turn: the result is the unique number in that range that
    differs from `value` by a multiple of `high - low`. Works for values below `low` as well as above.
    Raise ValueError if `high` is not greater than `low`.

    >>> wrap_into_range(370, 0, 360)
    10
    >>> wrap_into_range(-1, 0, 360)
    359
    >>> wrap_into_range(7, 3, 5)
    3
    """
    if high <= low:
        raise ValueError("high must be greater than low")
    return low + (value - low) % (high - low)


def percent_change(old: float, new: float) -> float:
    """Return the percentage change from `old` to `new`, that is (new - old) / |old| * 100, rounded to
    two decimal places with Python's round. A decrease gives a negative result; dividing by the absolute
    value of `old` keeps an increase positive even when `old` is negative. Raise ValueError if `old` is
    zero.

    >>> percent_change(80.0, 100.0)
    25.0
    >>> percent_change(200.0, 150.0)
    -25.0
    >>> percent_change(-50.0, -25.0)
    50.0
    """
    if old == 0:
        raise ValueError("old must be non-zero")
    return round((new - old) / abs(old) * 100, 2)


def has_strictly_increasing_digits(number: int) -> bool:
    """Return True if the decimal digits of `number`, read from left to right, are strictly increasing,
    such as 1479. The sign is ignored, so a negative number is judged by its absolute value, and every
    single-digit number (including 0) qualifies.

    >>> has_strictly_increasing_digits(1479)
    True
    >>> has_strictly_increasing_digits(1224)
    False
    >>> has_strictly_increasing_digits(-58)
    True
    >>> has_strictly_increasing_digits(0)
    True
    """
    from itertools import pairwise

    digits = str(abs(number))
    return all(a < b for a, b in pairwise(digits))


def round_to_nearest_multiple(value: int, step: int) -> int:
    """Round the integer `value` to the nearest multiple of `step`. When `value` lies exactly halfway
    between two multiples, choose the one farther from zero (so 15 with step 10 gives 20 and -15 gives
    -20). Raise ValueError if `step` is not positive.

    >>> round_to_nearest_multiple(23, 5)
    25
    >>> round_to_nearest_multiple(-15, 10)
    -20
    >>> round_to_nearest_multiple(0, 7)
    0
    """
    if step <= 0:
        raise ValueError("step must be positive")
    rounded = (2 * abs(value) + step) // (2 * step) * step
    return rounded if value >= 0 else -rounded


def weighted_mean(values: list[float], weights: list[float]) -> float:
    """Return the weighted arithmetic mean of `values`, where `weights[i]` is the weight of `values[i]`:
    the sum of value times weight divided by the sum of the weights. Raise ValueError if the two lists
    have different lengths, if they are empty, or if the weights add up to zero.

    >>> weighted_mean([4.0, 8.0, 5.0], [3.0, 1.0, 0.0])
    5.0
    >>> weighted_mean([10.0], [2.0])
    10.0
    >>> weighted_mean([], [])
    Traceback (most recent call last):
        ...
    ValueError: values must not be empty
    """
    if len(values) != len(weights):
        raise ValueError("values and weights must have the same length")
    if not values:
        raise ValueError("values must not be empty")
    total_weight = sum(weights)
    if total_weight == 0:
        raise ValueError("weights must not sum to zero")
    return sum(v * w for v, w in zip(values, weights, strict=True)) / total_weight


def group_thousands(number: int, separator: str) -> str:
    """Write the integer `number` in decimal with `separator` inserted between each group of three
    digits, counting from the right, as in "1,234,567". A negative number keeps its leading minus sign
    before the first group, and numbers with at most three digits have no separator. The separator may
    be any string, including an empty one.

    >>> group_thousands(1234567, ",")
    '1,234,567'
    >>> group_thousands(-1000, " ")
    '-1 000'
    >>> group_thousands(999, ".")
    '999'
    """
    digits = str(abs(number))
    head = len(digits) % 3 or 3
    groups = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return ("-" if number < 0 else "") + separator.join(groups)


def split_total_evenly(total: int, parts: int) -> list[int]:
    """Split the non-negative integer `total` into `parts` non-negative integers that add up to `total`
    and differ from each other by at most one, with the larger shares placed first. Raise ValueError if
    `total` is negative or `parts` is less than 1.

    >>> split_total_evenly(10, 3)
    [4, 3, 3]
    >>> split_total_evenly(2, 4)
    [1, 1, 0, 0]
    >>> split_total_evenly(0, 2)
    [0, 0]
    """
    if total < 0:
        raise ValueError("total must be non-negative")
    if parts < 1:
        raise ValueError("parts must be at least 1")
    base, extra = divmod(total, parts)
    return [base + 1] * extra + [base] * (parts - extra)


def compound_balance(principal: float, rate_percent: float, years: int) -> float:
    """Return the balance after `years` years of annual compounding of `principal` at an interest rate
    of `rate_percent` percent per year (the balance is multiplied by 1 + rate_percent / 100 once per
    year), rounded to two decimal places with Python's round. A rate of 0 leaves the principal unchanged
    and a negative rate models depreciation. Raise ValueError if `years` is negative, if `rate_percent`
    is below -100, or if the balance is too large to represent as a float.

    >>> compound_balance(1000.0, 5.0, 2)
    1102.5
    >>> compound_balance(250.0, 0.0, 10)
    250.0
    >>> compound_balance(100.0, 10.0, 0)
    100.0
    """
    if years < 0:
        raise ValueError("years must be non-negative")
    if rate_percent < -100:
        raise ValueError("rate_percent must be at least -100")
    try:
        return round(principal * (1 + rate_percent / 100) ** years, 2)
    except OverflowError:
        raise ValueError("balance is too large to represent") from None


def digit_count_in_base(number: int, base: int) -> int:
    """Return how many digits are needed to write the absolute value of `number` in positional notation
    with the given `base`; zero is written with a single digit. Raise ValueError if `base` is less than 2.

    >>> digit_count_in_base(255, 16)
    2
    >>> digit_count_in_base(-8, 2)
    4
    >>> digit_count_in_base(0, 10)
    1
    """
    if base < 2:
        raise ValueError("base must be at least 2")
    remaining = abs(number)
    count = 1
    while remaining >= base:
        remaining //= base
        count += 1
    return count

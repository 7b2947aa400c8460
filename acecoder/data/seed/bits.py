"""Seed corpus, topic: bits."""


def swap_adjacent_bit_pairs(n: int) -> int:
    """Treat `n` as an unsigned 32-bit integer and exchange each even-numbered bit with the odd-numbered
    bit just above it (bit 0 with bit 1, bit 2 with bit 3, ..., bit 30 with bit 31), returning the
    resulting value. Raise ValueError unless 0 <= n < 2**32.

    >>> swap_adjacent_bit_pairs(0b1001)
    6
    >>> swap_adjacent_bit_pairs(1)
    2
    >>> swap_adjacent_bit_pairs(0x80000000)
    1073741824
    >>> swap_adjacent_bit_pairs(0xFFFFFFFF)
    4294967295
    """
    if not 0 <= n < 2**32:
        raise ValueError("n must fit in an unsigned 32-bit integer")
    return ((n & 0xAAAAAAAA) >> 1) | ((n & 0x55555555) << 1)


def reverse_bits_width(n: int, width: int) -> int:
    """Write `n` in binary using exactly `width` bits (padding with leading zeros), reverse the order of
    those bits, and return the resulting number. Raise ValueError if `width` is less than 1 or `n` is
    negative or does not fit in `width` bits.

    >>> reverse_bits_width(0b0011, 4)
    12
    >>> reverse_bits_width(1, 8)
    128
    >>> reverse_bits_width(0, 3)
    0
    """
    if width < 1:
        raise ValueError("width must be at least 1")
    if not 0 <= n < 2**width:
        raise ValueError(f"n must fit in {width} unsigned bits")
    return int(format(n, f"0{width}b")[::-1], 2)


def longest_binary_gap(n: int) -> int:
    """Return the length of the longest run of consecutive 0 bits in the binary form of `n` that has a 1
    bit on both sides. Return 0 when there is no such run (for example for 0 or for powers of two). Raise
    ValueError for a negative `n`.

    >>> longest_binary_gap(529)
    4
    >>> longest_binary_gap(0b10100001)
    4
    >>> longest_binary_gap(32)
    0
    >>> longest_binary_gap(0)
    0
    """
    if n < 0:
        raise ValueError("n must be non-negative")
    return max(len(gap) for gap in bin(n)[2:].strip("0").split("1"))


def gray_code_decode(gray: int) -> int:
    """Given a non-negative integer in reflected binary Gray code, return the ordinary integer it encodes,
    i.e. the `n` such that n ^ (n >> 1) == gray. Raise ValueError for a negative input.

    >>> gray_code_decode(0b11)
    2
    >>> gray_code_decode(0b100)
    7
    >>> gray_code_decode(0)
    0
    """
    if gray < 0:
        raise ValueError("gray must be non-negative")
    n = 0
    while gray:
        n ^= gray
        gray >>= 1
    return n


def differ_by_one_bit(a: int, b: int) -> bool:
    """Decide whether two non-negative integers differ in exactly one bit position of their binary forms.
    Equal numbers differ in no bits, so they do not qualify. Raise ValueError if either number is negative.

    >>> differ_by_one_bit(0b1010, 0b1000)
    True
    >>> differ_by_one_bit(5, 6)
    False
    >>> differ_by_one_bit(7, 7)
    False
    >>> differ_by_one_bit(0, 64)
    True
    """
    if a < 0 or b < 0:
        raise ValueError("inputs must be non-negative")
    diff = a ^ b
    return diff != 0 and diff & (diff - 1) == 0


def next_higher_same_popcount(n: int) -> int:
    """Return the smallest integer greater than `n` whose binary form contains the same number of 1 bits
    as that of `n`. Raise ValueError unless `n` is positive.

    >>> next_higher_same_popcount(6)
    9
    >>> next_higher_same_popcount(7)
    11
    >>> next_higher_same_popcount(1)
    2
    """
    if n <= 0:
        raise ValueError("n must be positive")
    lowest = n & -n
    ripple = n + lowest
    return ripple | (((ripple ^ n) >> 2) // lowest)


def set_bit_positions(n: int) -> list[int]:
    """Return the positions of the 1 bits in the binary form of `n`, in increasing order, where position 0
    is the least significant bit. Zero has no 1 bits, so it gives an empty list. Raise ValueError for a
    negative `n`.

    >>> set_bit_positions(0b101100)
    [2, 3, 5]
    >>> set_bit_positions(1)
    [0]
    >>> set_bit_positions(0)
    []
    """
    if n < 0:
        raise ValueError("n must be non-negative")
    return [i for i, bit in enumerate(reversed(bin(n)[2:])) if bit == "1"]


def pack_flags(flags: list[bool]) -> int:
    """Pack a list of booleans into one integer in which bit i is 1 exactly when flags[i] is True, so the
    first flag becomes the least significant bit. An empty list packs to 0.

    >>> pack_flags([True, False, True])
    5
    >>> pack_flags([False, False, False, True])
    8
    >>> pack_flags([])
    0
    """
    packed = 0
    for i, flag in enumerate(flags):
        if flag:
            packed |= 1 << i
    return packed


def running_xor(values: list[int]) -> list[int]:
    """Return the list whose i-th element is the bitwise XOR of values[0] through values[i], using Python's
    XOR semantics for negative integers. An empty input gives an empty list.

    >>> running_xor([1, 2, 3, 4])
    [1, 3, 0, 4]
    >>> running_xor([5, 5, -1])
    [5, 0, -1]
    >>> running_xor([])
    []
    """
    result = []
    acc = 0
    for value in values:
        acc ^= value
        result.append(acc)
    return result


def has_alternating_bits(n: int) -> bool:
    """Decide whether the binary form of `n`, written without leading zeros, has no two neighbouring bits
    that are equal (like 101 or 1010). Zero is written as '0' and qualifies. Raise ValueError for a
    negative `n`.

    >>> has_alternating_bits(0b10101)
    True
    >>> has_alternating_bits(0b1011)
    False
    >>> has_alternating_bits(0)
    True
    """
    if n < 0:
        raise ValueError("n must be non-negative")
    digits = bin(n)[2:]
    return "00" not in digits and "11" not in digits

"""Seed corpus, topic: parsing."""


def parse_semicolon_pairs(text: str) -> dict[str, str]:
    """Parse a string of the form "key=value;key2=value2" into a dictionary of strings. Segments are
    separated by semicolons, each segment is split at its first "=", and whitespace around keys and
    values is stripped; a value may be empty or contain further "=" signs. Segments that are empty or
    only whitespace are skipped. When a key repeats, the last value wins. Raise ValueError for a
    non-empty segment that has no "=" or whose key is empty.

    >>> parse_semicolon_pairs("host = db1; port=5432;;opts=a=b")
    {'host': 'db1', 'port': '5432', 'opts': 'a=b'}
    >>> parse_semicolon_pairs("mode=fast;mode=safe")
    {'mode': 'safe'}
    >>> parse_semicolon_pairs("")
    {}
    """
    pairs: dict[str, str] = {}
    for segment in text.split(";"):
        if not segment.strip():
            continue
        key, sep, value = segment.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"malformed segment: {segment!r}")
        pairs[key.strip()] = value.strip()
    return pairs


def parse_compact_duration(text: str) -> int:
    """Convert a compact duration such as "1h30m15s" into a total number of seconds. The text consists of
    up to three parts, each a non-negative integer followed by a lowercase unit letter, in the fixed
    order hours "h", minutes "m", seconds "s"; any part may be left out, and a part's number may exceed
    the usual range (as in "90m"). Spaces, other units, repeated units, the wrong order and the empty
    string are rejected with ValueError.

    >>> parse_compact_duration("1h30m15s")
    5415
    >>> parse_compact_duration("90m")
    5400
    >>> parse_compact_duration("2h5s")
    7205
    """
    import re

    match = re.fullmatch(r"(?:([0-9]+)h)?(?:([0-9]+)m)?(?:([0-9]+)s)?", text)
    if not text or match is None:
        raise ValueError(f"invalid duration: {text!r}")
    hours, minutes, seconds = (int(part) if part else 0 for part in match.groups())
    return hours * 3600 + minutes * 60 + seconds


def parse_clock_to_seconds(text: str) -> int:
    """Convert a clock-style duration into seconds. Two forms are accepted: "H:MM:SS" (hours, minutes,
    seconds) and "M:SS" (minutes, seconds). The leading field is one or more decimal digits with no upper
    limit; every later field must be exactly two digits with a value below 60. Raise ValueError for any
    other shape, including signs, spaces, or fields with one digit after the first.

    >>> parse_clock_to_seconds("1:02:03")
    3723
    >>> parse_clock_to_seconds("75:30")
    4530
    >>> parse_clock_to_seconds("0:00")
    0
    """
    import re

    if re.fullmatch(r"[0-9]+(?::[0-5][0-9]){1,2}", text) is None:
        raise ValueError(f"invalid clock duration: {text!r}")
    total = 0
    for field in text.split(":"):
        total = total * 60 + int(field)
    return total


def expand_integer_ranges(text: str) -> list[int]:
    """Expand a comma-separated list of non-negative integers and inclusive ranges, such as "1-3,5,7-8",
    into the sorted list of all integers mentioned, each listed once. Whitespace around items is
    ignored. An empty or all-whitespace string gives an empty list. Raise ValueError for an empty item,
    an item that is not a number or a "start-end" range, or a range whose start exceeds its end.

    >>> expand_integer_ranges("7-8, 1-3,5,2")
    [1, 2, 3, 5, 7, 8]
    >>> expand_integer_ranges("4-4")
    [4]
    >>> expand_integer_ranges(" ")
    []
    """
    import re

    if not text.strip():
        return []
    numbers: set[int] = set()
    for item in text.split(","):
        match = re.fullmatch(r"\s*([0-9]+)(?:\s*-\s*([0-9]+))?\s*", item)
        if match is None:
            raise ValueError(f"invalid item: {item!r}")
        start = int(match.group(1))
        end = int(match.group(2)) if match.group(2) is not None else start
        if start > end:
            raise ValueError(f"descending range: {item!r}")
        numbers.update(range(start, end + 1))
    return sorted(numbers)


def parse_semantic_version(text: str) -> tuple[int, int, int]:
    """Parse a version string "MAJOR.MINOR.PATCH" into a tuple of three integers. A single leading "v" or
    "V" is allowed. Each component must be a decimal number without leading zeros (a lone "0" is fine).
    Pre-release or build suffixes, missing or extra components, whitespace and signs are rejected with
    ValueError.

    >>> parse_semantic_version("v2.10.0")
    (2, 10, 0)
    >>> parse_semantic_version("0.0.1")
    (0, 0, 1)
    >>> parse_semantic_version("1.02.3")
    Traceback (most recent call last):
        ...
    ValueError: invalid version: '1.02.3'
    """
    import re

    component = r"(0|[1-9][0-9]*)"
    match = re.fullmatch(rf"[vV]?{component}\.{component}\.{component}", text)
    if match is None:
        raise ValueError(f"invalid version: {text!r}")
    major, minor, patch = (int(part) for part in match.groups())
    return major, minor, patch


def is_valid_mac_address(text: str) -> bool:
    """Return True if `text` is a MAC address written as six groups of exactly two hexadecimal digits
    (letters in either case) separated by colons or by hyphens, using the same separator throughout, as
    in "00:1A:2b:3C:4d:5E". Mixed separators, missing groups, surrounding whitespace and other characters
    make it invalid.

    >>> is_valid_mac_address("00:1A:2b:3C:4d:5E")
    True
    >>> is_valid_mac_address("00-1a-2b-3c-4d-5e")
    True
    >>> is_valid_mac_address("00:1a-2b:3c:4d:5e")
    False
    >>> is_valid_mac_address("00:1a:2b:3c:4d")
    False
    """
    import re

    return re.fullmatch(r"[0-9A-Fa-f]{2}([:-])[0-9A-Fa-f]{2}(?:\1[0-9A-Fa-f]{2}){4}", text) is not None


def split_csv_record(line: str) -> list[str]:
    """Split one line of comma-separated values into its fields. A field that begins with a double quote
    is quoted: it may contain commas, a doubled quote "" inside it stands for one literal quote, and the
    closing quote must be followed by a comma or the end of the line. Unquoted fields are taken verbatim,
    spaces included. An empty line is a single empty field. Raise ValueError for an unterminated quoted
    field, for text after a closing quote, or if the line contains a line break.

    >>> split_csv_record('name,"Smith, J.","a ""b"" c",')
    ['name', 'Smith, J.', 'a "b" c', '']
    >>> split_csv_record(" a , b")
    [' a ', ' b']
    >>> split_csv_record("")
    ['']
    """
    import csv

    if "\n" in line or "\r" in line:
        raise ValueError("line must not contain line breaks")
    try:
        rows = list(csv.reader([line], strict=True))
    except csv.Error as error:
        raise ValueError(f"malformed CSV line: {error}") from None
    return rows[0] if rows and rows[0] else [""]


def extract_hashtags(text: str) -> list[str]:
    """Return the hashtags of `text`, lowercased and without the "#", in order of first appearance and
    without duplicates (tags differing only in case count as the same). A hashtag is a "#" followed by
    one or more ASCII letters, digits or underscores, and it ends at the first other character. A "#"
    directly preceded by an ASCII letter, digit or underscore (as in "issue#12") does not start a
    hashtag. Return an empty list when there are none.

    >>> extract_hashtags("Loving #Python and #python3! #Python again, not issue#12")
    ['python', 'python3']
    >>> extract_hashtags("#a-#b #")
    ['a', 'b']
    >>> extract_hashtags("no tags here")
    []
    """
    import re

    tags: list[str] = []
    for match in re.finditer(r"(?<![A-Za-z0-9_])#([A-Za-z0-9_]+)", text):
        tag = match.group(1).lower()
        if tag not in tags:
            tags.append(tag)
    return tags


def parse_query_parameters(query: str) -> dict[str, list[str]]:
    """Parse a URL query string such as "?a=1&b=x+y&a=3" into a dictionary mapping each parameter name to
    the list of its values in order of appearance; names appear in order of first occurrence. One
    leading "?" is ignored, empty segments between "&" are skipped, a segment without "=" has the empty
    string as its value, and both names and values are decoded ("+" becomes a space and "%XX" escapes
    are decoded as UTF-8).

    >>> parse_query_parameters("?a=1&b=x+y&a=3")
    {'a': ['1', '3'], 'b': ['x y']}
    >>> parse_query_parameters("flag&&name=%C3%A9t%C3%A9")
    {'flag': [''], 'name': ['été']}
    >>> parse_query_parameters("")
    {}
    """
    from urllib.parse import unquote_plus

    if query.startswith("?"):
        query = query[1:]
    params: dict[str, list[str]] = {}
    for segment in query.split("&"):
        if not segment:
            continue
        name, _, value = segment.partition("=")
        params.setdefault(unquote_plus(name), []).append(unquote_plus(value))
    return params


def parse_byte_size(text: str) -> int:
    """Convert a human-readable size such as "1.5 KB" into a number of bytes. The text is a non-negative
    decimal number (digits, optionally with a fractional part after a dot) optionally followed by spaces
    and a unit among B, KB, MB, GB and TB in any letter case, where each step is a factor of 1024; no
    unit means bytes. Surrounding whitespace is ignored and the result is rounded down to a whole number
    of bytes. Raise ValueError for anything else, such as negative numbers or unknown units.

    >>> parse_byte_size("1.5 KB")
    1536
    >>> parse_byte_size("2mb")
    2097152
    >>> parse_byte_size(" 0.3 ")
    0
    """
    import re

    match = re.fullmatch(r"\s*([0-9]+)(?:\.([0-9]+))?\s*([kmgt]?b)?\s*", text, flags=re.IGNORECASE)
    if match is None:
        raise ValueError(f"invalid size: {text!r}")
    whole, fraction, unit = match.groups()
    fraction = fraction or ""
    power = "bkmgt".index(unit[0].lower()) if unit else 0
    return int(whole + fraction) * 1024**power // 10 ** len(fraction)

"""Seed corpus, topic: strings."""


def collapse_blanks_keep_newlines(text: str) -> str:
    """Collapse every run of spaces and tabs in `text` into a single space, while leaving newline
    characters exactly where they are. Spaces and tabs at the start or end of each line are removed
    entirely, so a line holding only blanks becomes empty. The number of lines never changes, and the
    empty string stays empty.

    >>> collapse_blanks_keep_newlines("a  b\\t\\tc\\n  d   e  ")
    'a b c\\nd e'
    >>> collapse_blanks_keep_newlines("x\\n \\t \\ny")
    'x\\n\\ny'
    >>> collapse_blanks_keep_newlines("")
    ''
    """
    import re

    lines = text.split("\n")
    return "\n".join(re.sub(r"[ \t]+", " ", line).strip(" \t") for line in lines)


def camel_to_snake_identifier(name: str) -> str:
    """Convert a camelCase or PascalCase identifier to snake_case. An underscore is inserted before an
    uppercase letter that follows a lowercase letter or a digit, and before the last uppercase letter of
    an acronym when a lowercase letter follows it (so "HTTPServer" becomes "http_server"); then the whole
    result is lowercased. Digits never start a new word, existing underscores are kept as they are, and
    the empty string gives the empty string.

    >>> camel_to_snake_identifier("parseHTTPResponse")
    'parse_http_response'
    >>> camel_to_snake_identifier("UserID2Name")
    'user_id2_name'
    >>> camel_to_snake_identifier("already_snake")
    'already_snake'
    >>> camel_to_snake_identifier("")
    ''
    """
    import re

    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name)
    spaced = re.sub(r"(?<=[A-Z])(?=[A-Z][a-z])", "_", spaced)
    return spaced.lower()


def mask_all_but_last(text: str, visible: int, mask_char: str) -> str:
    """Hide all characters of `text` except the last `visible` ones by replacing each hidden character
    with `mask_char`, keeping the length of the string unchanged. If `visible` is at least the length of
    `text`, return `text` unchanged. Raise ValueError if `visible` is negative or if `mask_char` is not
    exactly one character long.

    >>> mask_all_but_last("4111222233334444", 4, "*")
    '************4444'
    >>> mask_all_but_last("abc", 5, "#")
    'abc'
    >>> mask_all_but_last("secret", 0, "x")
    'xxxxxx'
    """
    if visible < 0:
        raise ValueError("visible must be non-negative")
    if len(mask_char) != 1:
        raise ValueError("mask_char must be a single character")
    hidden = max(len(text) - visible, 0)
    return mask_char * hidden + text[hidden:]


def truncate_at_word_boundary(text: str, max_len: int) -> str:
    """Shorten `text` so that it is at most `max_len` characters long, including a trailing "..." marker
    that is appended whenever anything is cut. If `text` already fits, return it unchanged. Otherwise keep
    the longest prefix of whole space-separated words that fits together with the marker (trailing spaces
    removed); if not even the first word fits, cut that word at the character level instead. Raise
    ValueError if `max_len` is less than 3.

    >>> truncate_at_word_boundary("the quick brown fox", 14)
    'the quick...'
    >>> truncate_at_word_boundary("short", 10)
    'short'
    >>> truncate_at_word_boundary("extraordinary claims", 8)
    'extra...'
    """
    if max_len < 3:
        raise ValueError("max_len must be at least 3")
    if len(text) <= max_len:
        return text
    budget = max_len - 3
    prefix = text[: budget + 1]
    cut = prefix.rfind(" ")
    if cut > 0 and prefix[:cut].strip():
        return prefix[:cut].rstrip() + "..."
    return text[:budget] + "..."


def longest_char_run(text: str) -> tuple[str, int]:
    """Find the longest run of one character repeated consecutively in `text` and return a pair of that
    character and the run's length. When several runs share the maximum length, report the one that
    starts earliest. For the empty string return ("", 0).

    >>> longest_char_run("aabbbcccd")
    ('b', 3)
    >>> longest_char_run("xyz")
    ('x', 1)
    >>> longest_char_run("")
    ('', 0)
    """
    best_char, best_len = "", 0
    index = 0
    while index < len(text):
        end = index
        while end < len(text) and text[end] == text[index]:
            end += 1
        if end - index > best_len:
            best_char, best_len = text[index], end - index
        index = end
    return best_char, best_len


def interleave_characters(first: str, second: str) -> str:
    """Build a string by taking characters alternately from `first` and `second`, starting with `first`.
    When one string runs out, append the rest of the other string unchanged. Either input may be empty.

    >>> interleave_characters("abc", "12")
    'a1b2c'
    >>> interleave_characters("a", "1234")
    'a1234'
    >>> interleave_characters("", "xy")
    'xy'
    """
    shared = min(len(first), len(second))
    woven = "".join(a + b for a, b in zip(first, second, strict=False))
    return woven + first[shared:] + second[shared:]


def is_hex_color_code(text: str) -> bool:
    """Return True if `text` is a CSS-style hexadecimal colour code: a "#" followed by exactly 3 or
    exactly 6 hexadecimal digits, where the letters a-f may be upper or lower case. Any other content,
    including surrounding whitespace, a missing "#", or 4, 5 or 8 digits, makes it invalid.

    >>> is_hex_color_code("#1A2b3C")
    True
    >>> is_hex_color_code("#fff")
    True
    >>> is_hex_color_code("123456")
    False
    >>> is_hex_color_code("#12345g")
    False
    """
    import re

    return re.fullmatch(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})", text) is not None


def greedy_word_wrap(text: str, width: int) -> list[str]:
    """Split `text` into words on whitespace and pack them greedily into lines of at most `width`
    characters, joining the words of a line with single spaces. A word longer than `width` is put on a
    line of its own without being broken. Return the list of lines; text with no words gives an empty
    list. Raise ValueError if `width` is less than 1.

    >>> greedy_word_wrap("one two three four", 9)
    ['one two', 'three', 'four']
    >>> greedy_word_wrap("a verylongword b", 4)
    ['a', 'verylongword', 'b']
    >>> greedy_word_wrap("   ", 5)
    []
    """
    if width < 1:
        raise ValueError("width must be at least 1")
    lines: list[str] = []
    current = ""
    for word in text.split():
        if current and len(current) + 1 + len(word) <= width:
            current += " " + word
        else:
            if current:
                lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines


def count_overlapping_occurrences(text: str, pattern: str) -> int:
    """Count how many times `pattern` occurs in `text` as a substring, counting occurrences that overlap
    each other (so "aa" occurs twice in "aaa"). Matching is case-sensitive. Raise ValueError if `pattern`
    is empty.

    >>> count_overlapping_occurrences("aaaa", "aa")
    3
    >>> count_overlapping_occurrences("abababa", "aba")
    3
    >>> count_overlapping_occurrences("abc", "d")
    0
    """
    if not pattern:
        raise ValueError("pattern must not be empty")
    count = 0
    start = text.find(pattern)
    while start != -1:
        count += 1
        start = text.find(pattern, start + 1)
    return count


def initials_with_periods(full_name: str) -> str:
    """Return the initials of a person's name: split `full_name` into parts on whitespace and on hyphens,
    take the first character of each non-empty part, uppercase it and follow it with a period, and join
    them with no spaces. A name with no parts gives the empty string.

    >>> initials_with_periods("ada  lovelace-byron")
    'A.L.B.'
    >>> initials_with_periods("  grace hopper ")
    'G.H.'
    >>> initials_with_periods(" - ")
    ''
    """
    import re

    parts = [part for part in re.split(r"[\s-]+", full_name) if part]
    return "".join(part[0].upper() + "." for part in parts)

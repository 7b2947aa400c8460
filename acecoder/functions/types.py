"""The types that direct composition: a parsed annotation plus an optional refinement tag.

Python annotations say `str` both for free text and for an ISO date; a chain that feeds a snake_case
identifier into a date parser type-checks but never runs. A `Ty` therefore carries a tag for values whose
content has a format (`date`, `semver`, `matrix`, `sorted`, ...): a parameter with a tag accepts only values
with the same tag, while a tagged value is accepted wherever its untagged type is (a sorted list is a list).

Besides tags, `accepts` allows the widenings Python code relies on: an int where a float is expected, a
member of a union where the union is expected; containers compare member-wise.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

# What each tag means, as a question says it.
TAG_MEANINGS: dict[str, str] = {
    "date": "an ISO date 'YYYY-MM-DD'",
    "month-day": "a month and day 'MM-DD'",
    "clock": "a 24-hour clock time 'HH:MM'",
    "date-ranges": "a list of (start, end) pairs of ISO dates",
    "key-values": "text of the form 'key=value;key2=value2'",
    "duration": "a compact duration such as '1h30m15s'",
    "clock-duration": "a clock-style duration 'H:MM:SS' or 'M:SS'",
    "int-ranges": "a comma-separated list of integers and ranges such as '1-3,5'",
    "semver": "a version 'MAJOR.MINOR.PATCH'",
    "byte-size": "a size such as '1.5 KB'",
    "versions": "a list of dotted version strings",
    "sorted": "a list of integers in non-decreasing order",
    "rotated": "a rotated ascending list of distinct integers",
    "matrix": "a rectangular matrix (rows of equal length)",
}


@dataclass(frozen=True)
class Ty:
    """`name` is int, float, bool, str, None, list, tuple, dict or `|` (a union of `args`)."""

    name: str
    args: tuple[Ty, ...] = ()
    tag: str | None = None

    def __str__(self) -> str:
        """The annotation, as Python writes it (tags are not part of it)."""
        if self.name == "|":
            return " | ".join(str(a) for a in self.args)
        if not self.args:
            return self.name
        return f"{self.name}[{', '.join(str(a) for a in self.args)}]"

    @property
    def key(self) -> str:
        """The annotation with its tag, e.g. `str@date`: what the composer indexes and records."""
        return f"{self}@{self.tag}" if self.tag else str(self)

    def tagged(self, tag: str | None) -> Ty:
        return Ty(self.name, self.args, tag)

    def untagged(self) -> Ty:
        return Ty(self.name, self.args)

    @property
    def is_list(self) -> bool:
        return self.name == "list" and len(self.args) == 1

    @property
    def element(self) -> Ty:
        """The member type of a list."""
        if not self.is_list:
            raise TypeError(f"{self} is not a list type")
        return self.args[0]

    @property
    def optional(self) -> bool:
        return self.name == "|" and any(a.name == "None" for a in self.args)


def parse_type(annotation: str, tag: str | None = None) -> Ty:
    """A `Ty` from an annotation's source text such as `list[tuple[str, int]]` or `int | None`."""
    try:
        node = ast.parse(annotation, mode="eval").body
    except SyntaxError as exc:
        raise ValueError(f"not an annotation: {annotation!r}") from exc
    return _from_node(node).tagged(tag)


def _from_node(node: ast.expr) -> Ty:
    if isinstance(node, ast.Constant) and node.value is None:
        return Ty("None")
    if isinstance(node, ast.Name):
        return Ty(node.id)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        members: list[Ty] = []
        for side in (node.left, node.right):
            parsed = _from_node(side)
            members.extend(parsed.args if parsed.name == "|" else (parsed,))
        return Ty("|", tuple(members))
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
        inner = node.slice
        items = inner.elts if isinstance(inner, ast.Tuple) else [inner]
        return Ty(node.value.id, tuple(_from_node(item) for item in items))
    raise ValueError(f"unsupported annotation: {ast.unparse(node)}")


def accepts(param: Ty, value: Ty) -> bool:
    """Whether every value of type `value` may be passed where `param` is expected."""
    if param.tag is not None and param.tag != value.tag:
        return False
    if value.name == "|":
        return all(accepts(param.untagged() if param.tag else param, member) for member in value.args)
    if param.name == "|":
        return any(accepts(member, value) for member in param.args)
    if param.name == "float" and value.name == "int":
        return True
    if param.name != value.name or len(param.args) != len(value.args):
        return False
    return all(accepts(p, v) for p, v in zip(param.args, value.args, strict=True))


def join(first: Ty, second: Ty) -> Ty | None:
    """The type of a value that is either `first` or `second` (the branches of a conditional), when one of
    them accepts the other; a tag survives only where both have it."""
    if accepts(first, second):
        return first if first.tag == second.tag else first.untagged()
    if accepts(second, first):
        return second if first.tag == second.tag else second.untagged()
    return None

"""Checks on synthesized tests: each parses, is one `assert` (imports allowed before it), calls the entry
point, and is not a duplicate of another."""

from __future__ import annotations

import ast
import builtins
from collections import Counter
from dataclasses import dataclass, field

MAX_TEST_CHARS = 4_000


@dataclass
class CheckedTests:
    kept: list[str] = field(default_factory=list)
    dropped: list[tuple[str, str]] = field(default_factory=list)  # (test, reason)


def called_names(code: str) -> Counter[str]:
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return Counter()
    return Counter(
        n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
    )


def guess_entry_point(tests: list[str], defined: set[str] | None = None) -> str | None:
    """The function the tests call most, among `defined` when given, never a builtin."""
    counts: Counter[str] = Counter()
    for test in tests:
        counts.update(set(called_names(test)))
    for name, _ in counts.most_common():
        if hasattr(builtins, name):
            continue
        if defined is None or name in defined:
            return name
    return None


def check_tests(tests: list[object], entry_point: str) -> CheckedTests:
    result = CheckedTests()
    seen: set[str] = set()
    for test in tests:
        if not isinstance(test, str) or not test.strip():
            result.dropped.append((str(test), "not a non-empty string"))
            continue
        text = test.strip()
        if len(text) > MAX_TEST_CHARS:
            result.dropped.append((text[:200], "too long"))
            continue
        try:
            tree = ast.parse(text)
        except SyntaxError as exc:
            result.dropped.append((text, f"does not parse: {exc.msg}"))
            continue
        *setup, last = tree.body or [None]
        if not isinstance(last, ast.Assert) or not all(
            isinstance(s, ast.Import | ast.ImportFrom) for s in setup
        ):
            result.dropped.append((text, "not a single assert"))
            continue
        if not any(isinstance(n, ast.Name) and n.id == entry_point for n in ast.walk(last)):
            result.dropped.append((text, f"does not use {entry_point}"))
            continue
        key = ast.dump(tree)
        if key in seen:
            result.dropped.append((text, "duplicate"))
            continue
        seen.add(key)
        result.kept.append(text)
    return result


def defined_functions(code: str) -> set[str]:
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return set()
    return {n.name for n in tree.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)}

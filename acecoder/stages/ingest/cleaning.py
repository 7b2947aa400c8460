"""Per-row cleaning of code: pull code out of markdown answers, keep code that defines a function or class,
strip `print` lines where that keeps the code valid (as AceCoder did), normalise whitespace."""

from __future__ import annotations

import ast
import re
import textwrap
from dataclasses import dataclass

_FENCE = re.compile(r"```[ \t]*([\w+-]*)[^\n]*\n(.*?)(?:```|\Z)", re.S)
_PRINT_LINE = re.compile(r"^[ \t]*print\(.*\)[ \t]*(?:#.*)?(?:\n|\Z)", re.M)
_DEFINES = re.compile(r"^[ \t]*(?:async[ \t]+def|def|class)[ \t]+\w", re.M)
_NON_PYTHON = {
    "java",
    "cpp",
    "c",
    "c++",
    "javascript",
    "js",
    "typescript",
    "ts",
    "rust",
    "go",
    "csharp",
    "cs",
    "php",
    "ruby",
    "swift",
    "kotlin",
    "bash",
    "sh",
    "sql",
    "html",
    "css",
    "r",
    "scala",
    "perl",
}


@dataclass(frozen=True)
class CleanCode:
    code: str | None
    entry_point: str | None = None
    reason: str | None = None  # why the row was skipped, when code is None


def normalise(code: str) -> str:
    """Unix newlines, tabs as 4 spaces, no trailing spaces, common indentation removed, no blank edges."""
    code = code.replace("\r\n", "\n").replace("\r", "\n").expandtabs(4)
    code = "\n".join(line.rstrip() for line in code.split("\n")).strip("\n")
    if code[:1] in (" ", "\t"):  # dedent is costly and only needed when the first line is indented
        code = textwrap.dedent(code)
    return code + "\n"


def extract_code(text: str) -> str:
    """The Python code of a markdown answer: the fenced block that defines something, else the first
    Python-tagged block; text without fences is taken as code."""
    blocks = [(lang.lower(), body) for lang, body in _FENCE.findall(text)]
    if not blocks:
        return text
    python = [body for lang, body in blocks if lang not in _NON_PYTHON]
    for body in python:
        if _DEFINES.search(body):
            return body
    return python[0] if python else ""


def _entry_point(tree: ast.Module) -> str | None:
    # the function the others serve, not the first one: sources often define their helpers first
    from acecoder.code.entry_points import served_function

    return served_function(tree)


def clean_code(raw: str, *, from_markdown: bool, strip_prints: bool = True) -> CleanCode:
    code = extract_code(raw) if from_markdown else raw
    if not code.strip():
        return CleanCode(None, reason="no code")
    if not _DEFINES.search(code):
        return CleanCode(None, reason="defines no function or class")
    code = normalise(code)
    if strip_prints and "print(" in code:
        # try the print-free version first: one parse for the common case
        stripped = normalise(re.sub(r"\n{3,}", "\n\n", _PRINT_LINE.sub("", code)))
        tree = _parse(stripped)
        if tree is not None and _defines(tree):
            return CleanCode(stripped, _entry_point(tree))
    tree = _parse(code)
    if tree is None:
        return CleanCode(None, reason="not valid Python")
    if not _defines(tree):
        return CleanCode(None, reason="defines no function or class")
    return CleanCode(code, _entry_point(tree))


def _parse(code: str) -> ast.Module | None:
    try:
        return ast.parse(code)
    except (SyntaxError, ValueError):
        return None


def _defines(tree: ast.Module) -> bool:
    return any(isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) for n in tree.body)


def clean_many(rows: list[tuple[str, bool, bool]]) -> list[CleanCode]:
    """`clean_code` over (raw, from_markdown, strip_prints) triples: the unit of work sent to a process."""
    return [clean_code(raw, from_markdown=md, strip_prints=sp) for raw, md, sp in rows]

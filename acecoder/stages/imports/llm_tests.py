"""Raw test generations an LLM wrote elsewhere, as single-assert tests (origin `llm`) of imported problems.

The layout is CodeT's: one line per task, `{"prompt", "samples"}` (optionally `task_id`), where the prompt
ends in `assert ` and each sample is the model's raw continuation, often several `assert` lines, some cut off,
some junk. Each sample is split into its asserts; a fragment is kept when it parses as one assert (the
shortest run of its lines that does), calls the entry point, and names nothing the program cannot define
(`____ == ____`, `...`, `expected`); duplicates are dropped. Every drop is counted by its reason.
"""

from __future__ import annotations

import ast
import builtins
import re
from typing import Any

from acecoder.stages.imports.common import BadRow, ImportReport, need, stored_test_row

_ASSERT_START = re.compile(r"(?m)^assert\b")
_CHECKED_ENTRY = re.compile(r"#\s*check the correctness of\s+([A-Za-z_]\w*)")
_DEF = re.compile(r"(?m)^def\s+([A-Za-z_]\w*)\s*\(")
MAX_FRAGMENT_LINES = 40


def entry_point_of(prompt: str) -> str | None:
    """The function the prompt's test header names, else the last function it defines."""
    found = _CHECKED_ENTRY.search(prompt)
    if found:
        return found.group(1)
    defined = _DEF.findall(prompt)
    return defined[-1] if defined else None


def fragments(sample: str) -> list[str]:
    """The raw assert fragments of one continuation of a prompt ending in `assert `."""
    text = "assert " + sample
    starts = [m.start() for m in _ASSERT_START.finditer(text)]
    return [text[a:b] for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]


def parse_fragment(fragment: str) -> tuple[str | None, ast.Assert | None]:
    """(test code, its assert) for the shortest run of the fragment's lines that parses as one assert; the
    model often breaks the line right after `assert`, which is joined back."""
    body = fragment[len("assert") :].lstrip()
    lines = body.splitlines()
    for end in range(1, min(len(lines), MAX_FRAGMENT_LINES) + 1):
        code = "assert " + "\n".join(lines[:end]).rstrip()
        try:
            tree = ast.parse(code)
        except (SyntaxError, ValueError):
            continue
        if len(tree.body) == 1 and isinstance(tree.body[0], ast.Assert):
            return code, tree.body[0]
        return None, None
    return None, None


def prompt_names(prompt: str) -> set[str]:
    """Names a program completing the prompt defines at its top level (functions, classes, imports)."""
    head = prompt.split("# check the correctness of")[0]
    names: set[str] = set()
    try:
        tree = ast.parse(head)
    except SyntaxError:
        return set(_DEF.findall(head))
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return names


def free_names(node: ast.AST) -> set[str]:
    """Names read in `node` that it does not bind itself (comprehension targets, lambda arguments)."""
    bound = {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    bound |= {a.arg for n in ast.walk(node) if isinstance(n, ast.Lambda) for a in n.args.args}
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)} - bound


def _is_placeholder(node: ast.AST) -> bool:
    return any(
        (isinstance(n, ast.Constant) and n.value is Ellipsis)
        or (isinstance(n, ast.Name) and set(n.id) == {"_"})
        for n in ast.walk(node)
    )


def check_fragment(fragment: str, entry_point: str, known: set[str]) -> tuple[str | None, str | None]:
    """(test, None) for a usable fragment, else (None, the reason it is dropped)."""
    code, node = parse_fragment(fragment)
    if code is None:
        return None, "does not parse"
    calls = {n.func.id for n in ast.walk(node) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
    if entry_point not in calls:
        return None, "does not call the entry point"
    if _is_placeholder(node):
        return None, "compares placeholders"
    unknown = free_names(node) - known - {entry_point} - set(dir(builtins))
    if unknown:
        return None, "compares placeholders"
    return code, None


def tests_of_row(row: dict[str, Any], entry_point: str, report: ImportReport) -> list[str]:
    """The distinct usable tests among a row's samples, in order; drops counted in `report`."""
    samples = need(row, "samples", list)
    prompt = need(row, "prompt", str)
    known = prompt_names(prompt)
    kept: list[str] = []
    seen: set[str] = set()
    for number, sample in enumerate(samples):
        if not isinstance(sample, str):
            raise BadRow(f"field 'samples'[{number}] must be a string, got {type(sample).__name__}")
        for fragment in fragments(sample):
            if not fragment[len("assert") :].strip():
                report.drop("empty")
                continue
            code, reason = check_fragment(fragment, entry_point, known)
            if reason:
                report.drop(reason)
                continue
            key = ast.dump(ast.parse(code))
            if key in seen:
                report.drop("duplicate")
                continue
            seen.add(key)
            kept.append(code)
    return kept


def import_llm_tests_row(
    batch, where: str, row: dict[str, Any], problems: dict[str, tuple[str, str]], report: ImportReport
) -> None:
    """Add one row's tests to `batch`. `problems` maps a task id and an entry point to (problem id, entry
    point)."""
    prompt = need(row, "prompt", str)
    task_id = need(row, "task_id", str, optional=True)
    key = task_id or entry_point_of(prompt)
    if key is None:
        raise BadRow("field 'prompt' names no function to test (and there is no 'task_id')")
    match = problems.get(key)
    if match is None:
        report.unmatched += 1
        return
    problem_id, entry_point = match
    for idx, code in enumerate(tests_of_row(row, entry_point, report)):
        batch.tests.append(stored_test_row(problem_id, idx, code, "llm"))
    batch.row_done()

"""Pull a program out of a model's answer: the fenced block that defines the entry point, with the imports
and helpers it needs, minus example calls, prints and `if __name__ == "__main__":` blocks."""

from __future__ import annotations

import ast

from acecoder.llm.parsing import extract_code_blocks


def _defines(tree: ast.Module, name: str) -> bool:
    return any(
        isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and n.name == name
        for n in tree.body
    )


def _is_main_guard(node: ast.stmt) -> bool:
    return (
        isinstance(node, ast.If)
        and isinstance(node.test, ast.Compare)
        and isinstance(node.test.left, ast.Name)
        and node.test.left.id == "__name__"
    )


def _keep(node: ast.stmt) -> bool:
    """Definitions, imports and constant assignments stay; calls, prints, asserts and main guards go."""
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Import | ast.ImportFrom):
        return True
    if isinstance(node, ast.Assign | ast.AnnAssign):
        value = node.value
        return value is not None and not any(
            isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in ("print", "input")
            for n in ast.walk(value)
        )
    return False


def clean_program(code: str) -> str | None:
    """`code` without top-level statements a test run should not execute; None if it does not parse."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return None
    body = [node for node in tree.body if not _is_main_guard(node) and _keep(node)]
    if not body:
        return None
    return "\n\n".join(ast.get_source_segment(code, node) or ast.unparse(node) for node in body) + "\n"


def extract_program(answer: str, entry_point: str) -> str | None:
    """The program in `answer` that defines `entry_point` (None when there is none)."""
    blocks = extract_code_blocks(answer) or [answer]
    candidates = []
    for block in blocks:
        try:
            tree = ast.parse(block)
        except SyntaxError:
            continue
        if _defines(tree, entry_point):
            candidates.append(block)
    if not candidates:
        return None
    # helpers sometimes live in an earlier block: keep every parsable block's definitions, entry block last
    program = clean_program(candidates[-1])
    return program

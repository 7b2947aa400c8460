"""Program normalisation for dedup: two programs are the same when their ASTs are (formatting, comments
and docstrings aside)."""

from __future__ import annotations

import ast

from acecoder.core.hashing import content_hash


def _strip_docstrings(tree: ast.AST) -> ast.AST:
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Module):
            body = node.body
            if (
                body
                and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant)
                and isinstance(body[0].value.value, str)
            ):
                node.body = body[1:] or [ast.Pass()]
    return tree


def normalized_hash(code: str) -> str | None:
    """A hash of the program's AST without docstrings; None when it does not parse."""
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError):
        return None
    return content_hash(ast.dump(_strip_docstrings(tree)))

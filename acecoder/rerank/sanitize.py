"""Cut a sampled program down to what the task's function needs, the way `evalplus.sanitize` does.

Model outputs run on past the function: they add example calls, `print`s, tests, a `__main__` block, the next
prompt of the benchmark, or stop mid-statement at the token limit. Sanitising keeps the imports, the
entry-point function and the top-level functions, classes and globals it reaches by name, in their original
order, and drops everything else. Text that does not parse loses lines from its end until it does; a fenced
markdown answer is reduced to its code first.

`keep` names further definitions to keep: a benchmark prompt's own helpers (HumanEval/32's `poly`, /38's
`encode_cyclic`) belong to the task, and its tests call them even where the function does not.

Where a name is defined twice, the first definition wins (a model that restates the function after its
body usually restates it worse), except that a function with no `return`/`yield` (a stub, or a body cut by
the token limit) gives way to a later definition that has one.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable

_FENCE = re.compile(r"```[ \t]*(?:python3?|py)?[ \t]*\n(.*?)(?:```|\Z)", re.DOTALL | re.IGNORECASE)


def sanitize(code: str, entry_point: str, keep: Iterable[str] = ()) -> str:
    """The imports, `entry_point` (and the names in `keep`) and the top-level definitions they depend on."""
    code = _unfence(code, entry_point)
    text, tree = _longest_parsable_head(code)
    if tree is None:
        return code
    definitions: dict[str, ast.stmt] = {}
    imports: list[ast.stmt] = []
    for node in tree.body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            imports.append(node)
            continue
        for name in _defined_names(node):
            earlier = definitions.get(name)
            if earlier is None or (_is_function(earlier) and not _returns(earlier) and _returns(node)):
                definitions[name] = node
    if entry_point not in definitions:
        return text
    needed = _reachable([entry_point, *(name for name in keep if name in definitions)], definitions)
    kept = {id(node) for node in imports} | {id(definitions[name]) for name in needed}
    return "".join(_source(text, node) for node in tree.body if id(node) in kept).lstrip("\n")


def _unfence(code: str, entry_point: str) -> str:
    """The fenced block that defines the entry point (else the first block) of a markdown answer."""
    blocks = _FENCE.findall(code)
    if not blocks:
        return code
    defining = [block for block in blocks if re.search(rf"\bdef\s+{re.escape(entry_point)}\s*\(", block)]
    return (defining or blocks)[0]


def _longest_parsable_head(code: str) -> tuple[str, ast.Module | None]:
    lines = code.splitlines()
    for end in range(len(lines), 0, -1):
        head = "\n".join(lines[:end])
        try:
            return head, ast.parse(head)
        except (SyntaxError, ValueError):  # ValueError: null bytes in the source
            continue
    return code, None


def _defined_names(node: ast.stmt) -> list[str]:
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return [node.name]
    if isinstance(node, ast.Assign):
        return [name.id for target in node.targets for name in ast.walk(target) if isinstance(name, ast.Name)]
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return [node.target.id]
    return []


def _is_function(node: ast.stmt) -> bool:
    return isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)


def _returns(node: ast.stmt) -> bool:
    return any(isinstance(inner, ast.Return | ast.Yield | ast.YieldFrom) for inner in ast.walk(node))


def _reachable(roots: list[str], definitions: dict[str, ast.stmt]) -> set[str]:
    seen = set(roots)
    queue = list(roots)
    while queue:
        for name in _free_names(definitions[queue.pop()]):
            if name in definitions and name not in seen:
                seen.add(name)
                queue.append(name)
    return seen


def _free_names(node: ast.stmt) -> set[str]:
    """Names `node` reads that it does not bind itself: a parameter `s` is no reference to a global `s`."""
    read = {
        inner.id
        for inner in ast.walk(node)
        if isinstance(inner, ast.Name) and isinstance(inner.ctx, ast.Load)
    }
    if not _is_function(node):
        return read
    bound = {arg.arg for arg in ast.walk(node.args) if isinstance(arg, ast.arg)}
    declared_global: set[str] = set()
    for inner in ast.walk(node):
        if isinstance(inner, ast.Name) and isinstance(inner.ctx, ast.Store | ast.Del):
            bound.add(inner.id)
        elif isinstance(inner, ast.Global):
            declared_global.update(inner.names)
    return (read - bound) | declared_global


def _source(text: str, node: ast.stmt) -> str:
    """The statement's text and a line break, after two blank lines where it is a function or class."""
    decorators = getattr(node, "decorator_list", None)
    if decorators:
        # decorators start the statement's text; top-level statements begin at column 0
        segment = "\n".join(text.splitlines()[decorators[0].lineno - 1 : node.end_lineno])
    else:
        segment = ast.get_source_segment(text, node) or ""
    spacing = "\n\n" if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) else ""
    return f"{spacing}{segment}\n"

"""Which function of a task is the one to test.

Taken from a field where the data has one; else the function the tests call (most often) that the programs
define; else, from the code alone, the function the others serve: a top-level function that no other top-level
function calls, preferring the one the question names, then the last. Taking the first function is wrong for
tasks that define helpers first (HumanEval/10 `is_palindrome` before `make_palindrome`, /32 `poly` before
`find_zero`, /38 `encode_cyclic` before `decode_cyclic`, /50 `encode_shift` before `decode_shift`).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Sequence

_IDENTIFIER = re.compile(r"^[A-Za-z_]\w*$")


def _functions(code: str | ast.Module) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    if isinstance(code, str):
        try:
            code = ast.parse(code)
        except (SyntaxError, ValueError):
            return []
    return [n for n in code.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]


def served_function(code: str | ast.Module, question: str | None = None) -> str | None:
    """The top-level function the others serve (see the module's docstring), None when `code` (source or a
    parsed module) defines none. Private helpers (`_name`) are passed over while a public function remains."""
    functions = _functions(code)
    public = [f for f in functions if not f.name.startswith("_")]
    functions = public or functions
    if not functions:
        return None
    names = {f.name for f in functions}
    called: set[str] = set()
    for function in functions:
        called |= {
            n.func.id
            for n in ast.walk(function)
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id != function.name
        }
    roots = [f.name for f in functions if f.name not in called] or [f.name for f in functions]
    if question:
        named = [name for name in roots if re.search(rf"\b{re.escape(name)}\b", question)]
        if len(named) == 1:
            return named[0]
        if named:
            roots = named
    # the docstring that poses the question sits on the function to write; helpers rarely carry one
    documented = [name for name in roots if ast.get_docstring(next(f for f in functions if f.name == name))]
    if question is not None and len(documented) == 1 and len(names) > 1:
        return documented[0]
    return roots[-1]


def infer_entry_point(
    *,
    tests: Sequence[str] = (),
    question: str | None = None,
    programs: Sequence[str] = (),
    field: object = None,
) -> str | None:
    """The entry point, from the first source that has one (see the module's docstring)."""
    if isinstance(field, str) and _IDENTIFIER.match(field.strip()):
        return field.strip()
    defined: set[str] = set()
    for program in programs:
        defined |= {f.name for f in _functions(program)}
    if tests:
        from acecoder.stages.synth.validate import guess_entry_point

        called = guess_entry_point(list(tests), defined or None)
        if called:
            return called
    for program in programs:
        served = served_function(program, question)
        if served:
            return served
    return None

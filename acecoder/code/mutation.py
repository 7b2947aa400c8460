"""AST mutation operators: small, plausible bugs planted in a reference solution.

Used twice: to measure how strong a problem's tests are (the fraction of mutants they kill) and, offline, to
make wrong-but-close candidate programs (the `mutants` sampling policy). Each operator yields one mutant per
site it applies to, so mutants differ from the reference by exactly one edit.
"""

from __future__ import annotations

import ast
import copy
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass

_CMP_SWAP = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}
_ARITH_SWAP = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.FloorDiv,
    ast.FloorDiv: ast.Mult,
    ast.Div: ast.Mult,
    ast.Mod: ast.FloorDiv,
    ast.Pow: ast.Mult,
    ast.BitAnd: ast.BitOr,
    ast.BitOr: ast.BitAnd,
    ast.LShift: ast.RShift,
    ast.RShift: ast.LShift,
    ast.BitXor: ast.BitOr,
}


@dataclass(frozen=True)
class Mutant:
    operator: str
    code: str
    line: int  # line of the edit in the mutated program


def _is_docstring(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    parent = parents.get(node)
    return isinstance(parent, ast.Expr) and isinstance(node, ast.Constant) and isinstance(node.value, str)


def _edit_cmp(node: ast.Compare) -> bool:
    op = type(node.ops[0])
    if op not in _CMP_SWAP:
        return False
    node.ops[0] = _CMP_SWAP[op]()
    return True


def _edit_arith(node: ast.BinOp | ast.AugAssign) -> bool:
    op = type(node.op)
    if op not in _ARITH_SWAP:
        return False
    node.op = _ARITH_SWAP[op]()
    return True


def _edit_const(node: ast.Constant) -> bool:
    if type(node.value) is not int:
        return False
    node.value = node.value + 1 if node.value <= 0 else node.value - 1
    return True


def _edit_negate(node: ast.If | ast.While | ast.IfExp) -> bool:
    node.test = ast.UnaryOp(op=ast.Not(), operand=node.test)
    return True


def _edit_slice(node: ast.Slice) -> bool:
    bound = node.upper or node.lower
    if bound is None:
        return False
    shifted = ast.BinOp(left=bound, op=ast.Add(), right=ast.Constant(1))
    if node.upper is not None:
        node.upper = shifted
    else:
        node.lower = shifted
    return True


def _edit_boolop(node: ast.BoolOp) -> bool:
    node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
    return True


def _edit_return(node: ast.Return) -> bool:
    if node.value is None or (isinstance(node.value, ast.Constant) and node.value.value is None):
        return False
    if isinstance(node.value, ast.Constant) and isinstance(node.value.value, bool):
        node.value = ast.Constant(not node.value.value)
    elif isinstance(node.value, ast.Compare | ast.BoolOp) or (
        isinstance(node.value, ast.UnaryOp) and isinstance(node.value.op, ast.Not)
    ):
        node.value = ast.UnaryOp(op=ast.Not(), operand=node.value)
    else:
        node.value = ast.Constant(None)
    return True


def _edit_unary(node: ast.UnaryOp) -> bool:
    return isinstance(node.op, ast.Not | ast.USub)  # the caller replaces the node by its operand


OPERATORS: dict[str, tuple[type | tuple[type, ...], Callable[[ast.AST], bool]]] = {
    "comparison": (ast.Compare, _edit_cmp),
    "arithmetic": ((ast.BinOp, ast.AugAssign), _edit_arith),
    "off_by_one": (ast.Constant, _edit_const),
    "negate_condition": ((ast.If, ast.While, ast.IfExp), _edit_negate),
    "slice_bound": (ast.Slice, _edit_slice),
    "boolean_operator": (ast.BoolOp, _edit_boolop),
    "return_value": (ast.Return, _edit_return),
    "drop_unary": (ast.UnaryOp, _edit_unary),
    "remove_statement": ((ast.Assign, ast.AugAssign, ast.Expr, ast.If, ast.For, ast.While), lambda _: True),
}


def _apply(tree: ast.Module, operator: str, index: int) -> ast.Module | None:
    """A copy of `tree` with `operator` applied at its index-th site, or None when that site can't change."""
    kinds, edit = OPERATORS[operator]
    mutated = copy.deepcopy(tree)
    parents = {child: parent for parent in ast.walk(mutated) for child in ast.iter_child_nodes(parent)}
    sites = [
        n
        for n in ast.walk(mutated)
        if isinstance(n, kinds) and not _is_docstring(n, parents) and _inside_function(n, parents)
    ]
    if index >= len(sites):
        return None
    node = sites[index]
    if operator == "drop_unary":
        if not edit(node):
            return None
        return _replace(mutated, parents, node, node.operand)
    if operator == "remove_statement":
        parent = parents[node]
        body = next((b for b in ("body", "orelse", "finalbody") if node in getattr(parent, b, [])), None)
        if body is None or isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            return None
        block = getattr(parent, body)
        block[block.index(node)] = ast.Pass()
        return mutated
    return mutated if edit(node) else None


def _inside_function(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            return True
    return False


def _replace(tree: ast.Module, parents: dict[ast.AST, ast.AST], old: ast.AST, new: ast.AST) -> ast.Module:
    parent = parents[old]
    for field, value in ast.iter_fields(parent):
        if value is old:
            setattr(parent, field, new)
        elif isinstance(value, list) and old in value:
            value[value.index(old)] = new
    return tree


def iter_mutants(code: str) -> Iterator[Mutant]:
    """Every single-edit mutant of `code`, each distinct from the original and from the others."""
    tree = ast.parse(code)
    seen = {ast.dump(tree)}
    for operator, (kinds, _) in OPERATORS.items():
        count = sum(isinstance(n, kinds) for n in ast.walk(tree))
        for index in range(count):
            mutated = _apply(tree, operator, index)
            if mutated is None:
                continue
            ast.fix_missing_locations(mutated)
            dump = ast.dump(mutated)
            if dump in seen:
                continue
            seen.add(dump)
            try:
                text = ast.unparse(mutated) + "\n"
                compile(text, "<mutant>", "exec")
            except (SyntaxError, ValueError, RecursionError):
                continue
            yield Mutant(operator, text, _first_difference(code, text))


def _first_difference(original: str, mutated: str) -> int:
    a = ast.unparse(ast.parse(original)).splitlines()
    b = mutated.splitlines()
    return next((i + 1 for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))


def sample_mutants(code: str, limit: int, seed: int = 0) -> list[Mutant]:
    """Up to `limit` mutants, spread over the operators (round robin in a seeded order)."""
    by_operator: dict[str, list[Mutant]] = {}
    for mutant in iter_mutants(code):
        by_operator.setdefault(mutant.operator, []).append(mutant)
    rng = random.Random(seed)
    for group in by_operator.values():
        rng.shuffle(group)
    picked: list[Mutant] = []
    while len(picked) < limit and any(by_operator.values()):
        for name in sorted(by_operator):
            if by_operator[name] and len(picked) < limit:
                picked.append(by_operator[name].pop())
    return picked

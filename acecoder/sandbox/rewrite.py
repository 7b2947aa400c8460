"""Compile a test so that its `assert` statements are judged by harness code, not by the objects compared.

`assert f(x) == y` in plain Python asks the object `f(x)` returned whether it equals `y`, so an object whose
`__eq__` always says True passes. The rewritten test hands each operand to a harness function instead:

    assert A op B          ->  __acecoder_assert__(__acecoder_compare__("op", A, B))
    assert A < B < C       ->  __acecoder_assert__(__acecoder_compare__("<", A, (t := B))
                                                   and __acecoder_compare__("<", t, C))
    assert A and not B     ->  __acecoder_assert__(__acecoder_truth__(A) and not __acecoder_truth__(B))

Operands are evaluated in the same order and with the same short-circuits as Python's; the harness
functions accept only plain values (see `values`) and return real bools. Line numbers are kept, so errors
and failures point at the test's own lines.
"""

from __future__ import annotations

import ast
from types import CodeType

ASSERT = "__acecoder_assert__"
COMPARE = "__acecoder_compare__"
TRUTH = "__acecoder_truth__"

OPERATORS: dict[type[ast.cmpop], str] = {
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.Is: "is",
    ast.IsNot: "is not",
    ast.In: "in",
    ast.NotIn: "not in",
}


def _call(name: str, *args: ast.expr) -> ast.Call:
    return ast.Call(func=ast.Name(id=name, ctx=ast.Load()), args=list(args), keywords=[])


class _AssertRewriter(ast.NodeTransformer):
    def __init__(self) -> None:
        self.temporaries = 0

    def visit_Assert(self, node: ast.Assert) -> ast.stmt:
        judged = ast.Expr(value=_call(ASSERT, self._judge(node.test)))
        return ast.copy_location(judged, node)

    def _judge(self, node: ast.expr) -> ast.expr:
        if isinstance(node, ast.Compare):
            return ast.copy_location(self._compare(node), node)
        if isinstance(node, ast.BoolOp):
            return ast.copy_location(
                ast.BoolOp(op=node.op, values=[self._judge(v) for v in node.values]), node
            )
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return ast.copy_location(ast.UnaryOp(op=ast.Not(), operand=self._judge(node.operand)), node)
        return ast.copy_location(_call(TRUTH, node), node)

    def _compare(self, node: ast.Compare) -> ast.expr:
        left = node.left
        links: list[ast.expr] = []
        for position, (op, right) in enumerate(zip(node.ops, node.comparators, strict=True)):
            if position < len(node.ops) - 1:  # a chain evaluates each middle operand once
                name = f"__acecoder_t{self.temporaries}__"
                self.temporaries += 1
                right_operand: ast.expr = ast.NamedExpr(
                    target=ast.Name(id=name, ctx=ast.Store()), value=right
                )
                next_left: ast.expr = ast.Name(id=name, ctx=ast.Load())
            else:
                right_operand, next_left = right, right
            links.append(_call(COMPARE, ast.Constant(OPERATORS[type(op)]), left, right_operand))
            left = next_left
        return links[0] if len(links) == 1 else ast.BoolOp(op=ast.And(), values=links)


def compile_test(source: str, filename: str) -> CodeType:
    """Compile a test with its asserts judged by the harness; raises SyntaxError like `compile`."""
    tree = _AssertRewriter().visit(ast.parse(source, filename))
    return compile(ast.fix_missing_locations(tree), filename, "exec", dont_inherit=True)

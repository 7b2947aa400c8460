"""Inputs for a function, without an LLM: seeds from its examples, more by type-aware mutation.

Follows EvalPlus's type-aware mutation: ints move by ±1 or jump to seen values, strings get characters
inserted, removed or replaced, lists lose, gain or repeat elements, and containers mutate their members.
When no example exists, values are drawn from the parameters' annotations. Everything is deterministic for
a seed and every value survives `repr` → `eval`, so it can be written into a test.
"""

from __future__ import annotations

import ast
import random
import re
import string
from dataclasses import dataclass, field
from typing import Any

Args = tuple[Any, ...]
_DIGIT_RUN = re.compile(r"\d+")


@dataclass(frozen=True)
class Signature:
    name: str
    params: tuple[tuple[str, ast.expr | None], ...]  # (name, annotation)
    returns: ast.expr | None = None

    @property
    def arity(self) -> int:
        return len(self.params)


class NoEntryPoint(ValueError):
    pass


def signature_of(code: str, entry_point: str | None = None) -> Signature:
    """The signature of `entry_point` (default: the first public top-level function) in `code`."""
    tree = ast.parse(code)
    functions = [n for n in tree.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    chosen = next((f for f in functions if f.name == entry_point), None) if entry_point else None
    if chosen is None and entry_point is None:
        chosen = next(
            (f for f in functions if not f.name.startswith("_")), functions[0] if functions else None
        )
    if chosen is None:
        raise NoEntryPoint(f"no function {entry_point or ''} defined at the top level".replace("  ", " "))
    args = chosen.args
    params = tuple(
        (a.arg, a.annotation) for a in args.posonlyargs + args.args if a.arg not in ("self", "cls")
    )
    return Signature(chosen.name, params, chosen.returns)


def _is_plain(value: Any) -> bool:
    if value is None or type(value) in (bool, int, str):
        return True
    if type(value) is float:
        return value == value and abs(value) != float("inf")
    if type(value) in (list, tuple):
        return all(_is_plain(v) for v in value)
    if type(value) is dict:
        return all(_is_plain(k) and _is_plain(v) for k, v in value.items())
    return False


def calls_in(text: str, name: str) -> list[Args]:
    """Literal argument tuples of every `name(...)` call found in `text` (doctests, asserts, prose)."""
    found: list[Args] = []
    for line in text.splitlines():
        line = line.strip().removeprefix(">>>").removeprefix("assert").strip()
        start = line.find(f"{name}(")
        while start != -1:
            try:
                node = ast.parse(line[start:], mode="eval").body
            except SyntaxError:
                node = _leading_call(line[start:])
            if isinstance(node, ast.Compare):
                node = node.left
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == name
                and not node.keywords
            ):
                try:
                    args = tuple(ast.literal_eval(a) for a in node.args)
                except (ValueError, SyntaxError, TypeError):
                    args = None
                if args is not None and _is_plain(args):
                    found.append(args)
            start = line.find(f"{name}(", start + 1)
    return found


def _leading_call(text: str) -> ast.expr | None:
    depth = 0
    for i, ch in enumerate(text):
        depth += ch in "([{"
        depth -= ch in ")]}"
        if depth == 0 and ch == ")":
            try:
                return ast.parse(text[: i + 1], mode="eval").body
            except SyntaxError:
                return None
    return None


@dataclass
class InputGenerator:
    """Generates distinct argument tuples for one signature."""

    signature: Signature
    seed: int = 0
    max_len: int = 8
    rng: random.Random = field(init=False)
    seen_values: dict[type, list[Any]] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    def remember(self, value: Any) -> None:
        self.seen_values.setdefault(type(value), []).append(value)
        if type(value) in (list, tuple):
            for item in value:
                self.remember(item)
        elif type(value) is dict:
            for key, item in value.items():
                self.remember(key)
                self.remember(item)

    def generate(self, seeds: list[Args], count: int) -> list[Args]:
        """Up to `count` distinct tuples: the seeds first, then mutants of the pool, then annotation draws."""
        pool: list[Args] = []
        keys: set[str] = set()

        def add(args: Args) -> None:
            key = repr(args)
            if len(args) == self.signature.arity and key not in keys and _is_plain(args) and len(key) < 2000:
                keys.add(key)
                pool.append(args)
                for value in args:
                    self.remember(value)

        for args in seeds:
            add(tuple(args))
        attempts = 0
        while len(pool) < count and attempts < count * 30:
            attempts += 1
            if pool and self.rng.random() < 0.75:
                base = self.rng.choice(pool)
                index = self.rng.randrange(len(base)) if base else 0
                if base:
                    add(base[:index] + (self.mutate(base[index]),) + base[index + 1 :])
            else:
                drawn = tuple(self.draw(annotation) for _, annotation in self.signature.params)
                add(drawn)
        return pool[:count]

    # -- mutation of a value of known runtime type -----------------------------------------------------
    def mutate(self, value: Any) -> Any:
        rng = self.rng
        kind = type(value)
        if kind is bool:
            return not value
        if kind is int:
            choice = rng.random()
            if choice < 0.5:
                return value + rng.choice((-1, 1))
            if choice < 0.7 and self.seen_values.get(int):
                return rng.choice(self.seen_values[int])
            return rng.choice((0, -value, value * 2, rng.randint(-20, 100)))
        if kind is float:
            return rng.choice(
                (value + 1.0, value - 1.0, value * 2.0, -value, 0.0, round(rng.uniform(-50, 50), 2))
            )
        if kind is str:
            return self._mutate_str(value)
        if kind in (list, tuple):
            items = list(value)
            choice = rng.random()
            if items and choice < 0.25:
                del items[rng.randrange(len(items))]
            elif items and choice < 0.5:
                i = rng.randrange(len(items))
                items[i] = self.mutate(items[i])
            elif items and choice < 0.7:
                items.insert(rng.randrange(len(items) + 1), self.mutate(rng.choice(items)))
            elif items and choice < 0.8:
                items.append(rng.choice(items))  # repeat an element
            elif choice < 0.9:
                items = items[::-1]
            elif len(items) < self.max_len and items:
                items = items + items[: rng.randint(1, len(items))]
            else:
                items = []
            return kind(items) if kind is list else tuple(items)
        if kind is dict:
            items = dict(value)
            if items and rng.random() < 0.3:
                del items[rng.choice(list(items))]
            elif items and rng.random() < 0.6:
                key = rng.choice(list(items))
                items[key] = self.mutate(items[key])
            elif items:
                key, item = rng.choice(list(items.items()))
                items[self.mutate(key)] = self.mutate(item)
            return items
        return value

    def _mutate_str(self, value: str) -> str:
        rng = self.rng
        runs = list(_DIGIT_RUN.finditer(value))
        if runs and rng.random() < 0.6:
            # structured text (dates, times, versions, sizes): change a number, keep the shape
            run = rng.choice(runs)
            digits = run.group()
            roll = rng.random()
            step = rng.choice((-1, 1)) if roll < 0.6 else rng.randint(-5, 5) if roll < 0.85 else None
            number = int(digits) + step if step is not None else rng.randint(0, 10 ** len(digits) - 1)
            replacement = (
                str(max(number, 0)).zfill(len(digits))[-len(digits) :]
                if digits[0] == "0" or rng.random() < 0.7
                else str(max(number, 0))
            )
            return value[: run.start()] + replacement + value[run.end() :]
        alphabet = string.ascii_lowercase + string.digits + " ,.-_"
        choice = rng.random()
        if value and choice < 0.3:
            i = rng.randrange(len(value))
            return value[:i] + value[i + 1 :]
        if choice < 0.55:
            i = rng.randrange(len(value) + 1)
            return value[:i] + rng.choice(value or alphabet) + value[i:]
        if value and choice < 0.75:
            i = rng.randrange(len(value))
            return value[:i] + rng.choice(alphabet) + value[i + 1 :]
        if value and choice < 0.85:
            i, j = sorted(rng.sample(range(len(value) + 1), 2))
            return value[i:j]
        if choice < 0.93 and self.seen_values.get(str):
            return rng.choice(self.seen_values[str])
        return value.swapcase() if rng.random() < 0.5 else value + value

    # -- drawing from an annotation --------------------------------------------------------------------
    def draw(self, annotation: ast.expr | None, depth: int = 0) -> Any:
        rng = self.rng
        name, args = _annotation_parts(annotation)
        if name in ("Optional",) or (name == "|" and args):
            options = [a for a in args if not (isinstance(a, ast.Constant) and a.value is None)]
            return None if rng.random() < 0.15 or not options else self.draw(rng.choice(options), depth)
        if name == "int":
            return rng.choice((0, 1, -1, 2, 3, 7, 10, 42, 100, -5, rng.randint(-50, 200)))
        if name == "float":
            return rng.choice((0.0, 1.0, -1.5, 2.5, 3.75, 10.0, round(rng.uniform(-100, 100), 2)))
        if name == "bool":
            return rng.random() < 0.5
        if name == "str":
            if self.seen_values.get(str) and rng.random() < 0.5:
                return self._mutate_str(rng.choice(self.seen_values[str]))
            length = rng.randint(0, 10)
            return "".join(rng.choice(string.ascii_lowercase + " ") for _ in range(length))
        if depth > 2:
            return None
        if name in ("list", "List", "Sequence", "Iterable"):
            item = args[0] if args else None
            return [self.draw(item, depth + 1) for _ in range(rng.randint(0, 6))]
        if name in ("tuple", "Tuple"):
            if len(args) == 2 and isinstance(args[1], ast.Constant) and args[1].value is Ellipsis:
                return tuple(self.draw(args[0], depth + 1) for _ in range(rng.randint(0, 5)))
            return tuple(self.draw(a, depth + 1) for a in args)
        if name in ("dict", "Dict", "Mapping"):
            key, item = (args + [None, None])[:2]
            return {
                self.draw(key or ast.Name("str"), depth + 1): self.draw(item, depth + 1)
                for _ in range(rng.randint(0, 4))
            }
        # unannotated or unknown: an int is the likeliest useful guess
        return rng.choice((0, 1, 2, 5, -3, 10))


def _annotation_parts(annotation: ast.expr | None) -> tuple[str, list[ast.expr]]:
    if annotation is None:
        return "", []
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        try:
            annotation = ast.parse(annotation.value, mode="eval").body
        except SyntaxError:
            return "", []
    if isinstance(annotation, ast.Name):
        return annotation.id, []
    if isinstance(annotation, ast.Attribute):
        return annotation.attr, []
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        return "|", [annotation.left, annotation.right]
    if isinstance(annotation, ast.Subscript):
        name, _ = _annotation_parts(annotation.value)
        inner = annotation.slice
        args = list(inner.elts) if isinstance(inner, ast.Tuple) else [inner]
        if name == "Union":
            return "|", args
        return name, args
    return "", []

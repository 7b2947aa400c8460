"""The atomic set: the bundled seed corpus, each function with its topic and typed inputs and output.

Types come from the functions' annotations; `TAGS` refines the ones whose content has a format the
annotation cannot say (an ISO date is a `str`, a matrix a `list[list[int]]`), so that composition only
feeds a function values it can take. Every atom also keeps its doctest examples as argument tuples: they
seed the inputs of the compositions it takes part in.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import cache

from acecoder.code.inputs import calls_in
from acecoder.code.seed import SeedFunction, load_seed
from acecoder.functions.types import Ty, parse_type

RETURN = "return"

# (function, parameter or "return") -> tag, for values with a format (see types.TAG_MEANINGS).
TAGS: dict[tuple[str, str], str] = {
    # dates
    ("count_weekdays_between", "start"): "date",
    ("count_weekdays_between", "end"): "date",
    ("add_months_clamped", "iso_date"): "date",
    ("add_months_clamped", RETURN): "date",
    ("iso_week_label", "iso_date"): "date",
    ("days_until_next_birthday", "today"): "date",
    ("days_until_next_birthday", "birthday"): "month-day",
    ("fiscal_quarter", "iso_date"): "date",
    ("last_weekday_of_month", RETURN): "date",
    ("merge_date_ranges", "ranges"): "date-ranges",
    ("merge_date_ranges", RETURN): "date-ranges",
    ("age_in_full_years", "birth_date"): "date",
    ("age_in_full_years", "on_date"): "date",
    ("minutes_between_times", "start"): "clock",
    ("minutes_between_times", "end"): "clock",
    ("is_last_day_of_month", "iso_date"): "date",
    # parsing
    ("parse_semicolon_pairs", "text"): "key-values",
    ("parse_compact_duration", "text"): "duration",
    ("parse_clock_to_seconds", "text"): "clock-duration",
    ("expand_integer_ranges", "text"): "int-ranges",
    ("expand_integer_ranges", RETURN): "sorted",
    ("parse_semantic_version", "text"): "semver",
    ("parse_byte_size", "text"): "byte-size",
    # sorting
    ("sort_version_strings", "versions"): "versions",
    ("sort_version_strings", RETURN): "versions",
    ("merge_sorted_dedup", "first"): "sorted",
    ("merge_sorted_dedup", "second"): "sorted",
    ("merge_sorted_dedup", RETURN): "sorted",
    # searching
    ("lower_bound_index", "sorted_values"): "sorted",
    ("last_index_at_most", "sorted_values"): "sorted",
    ("count_in_closed_range", "sorted_values"): "sorted",
    ("nearest_value_in_sorted", "sorted_values"): "sorted",
    ("find_rotation_point", "values"): "rotated",
    ("overlapping_match_positions", RETURN): "sorted",
    # sets: results listed in ascending order
    ("common_values_sorted", RETURN): "sorted",
    ("values_in_exactly_one_of_two", RETURN): "sorted",
    ("values_unique_to_one_group", RETURN): "sorted",
    ("union_of_groups", RETURN): "sorted",
    ("missing_in_closed_range", RETURN): "sorted",
    # lists and bits with ordered results
    ("running_maximum", RETURN): "sorted",
    ("strict_peak_indices", RETURN): "sorted",
    ("set_bit_positions", RETURN): "sorted",
    # matrices: rectangular
    ("diagonal_sums", "matrix"): "matrix",
    ("rotate_matrix_clockwise", "matrix"): "matrix",
    ("rotate_matrix_clockwise", RETURN): "matrix",
    ("spiral_order_clockwise", "matrix"): "matrix",
    ("is_toeplitz", "matrix"): "matrix",
    ("saddle_points", "matrix"): "matrix",
    ("submatrix_sum", "matrix"): "matrix",
    ("region_size", "grid"): "matrix",
    ("neighbor_sums", "matrix"): "matrix",
    ("neighbor_sums", RETURN): "matrix",
}


@dataclass(frozen=True)
class Param:
    name: str
    annotation: str  # as written in the function
    type: Ty


@dataclass(frozen=True)
class Atom:
    """One atomic function: its source, topic, instruction, typed parameters and result, and examples."""

    name: str
    topic: str
    instruction: str
    solution: str
    params: tuple[Param, ...]
    returns: Ty
    returns_annotation: str
    examples: tuple[tuple, ...]  # argument tuples of the doctest examples

    @property
    def is_predicate(self) -> bool:
        return self.returns.name == "bool"

    def param(self, name: str) -> Param:
        return next(p for p in self.params if p.name == name)

    @property
    def signature(self) -> str:
        params = ", ".join(f"{p.name}: {p.annotation}" for p in self.params)
        return f"{self.name}({params}) -> {self.returns_annotation}"

    @property
    def helper_source(self) -> str:
        """The function without its docstring, as it is defined inside a composed reference."""
        return strip_docstring(self.solution)


def strip_docstring(source: str) -> str:
    """`source` (one function) with the docstring lines removed, everything else kept as written."""
    node = ast.parse(source).body[0]
    first = node.body[0] if node.body else None
    if not (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    ):
        return source
    lines = source.splitlines(keepends=True)
    rest = lines[first.end_lineno :]
    while rest and not rest[0].strip():
        rest = rest[1:]
    if not rest:  # the docstring was the whole body
        indent = " " * first.col_offset
        rest = [f"{indent}pass\n"]
    return "".join(lines[: first.lineno - 1] + rest)


def example_args(call: str, name: str) -> tuple | None:
    """The literal arguments of a doctest call such as `f(1, [2, 3])` (which may span lines)."""
    try:
        node = ast.parse(call.strip(), mode="eval").body
    except SyntaxError:
        node = None
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == name
        and not node.keywords
    ):
        try:
            return tuple(ast.literal_eval(arg) for arg in node.args)
        except ValueError:
            return None
    found = calls_in(call, name)
    return found[0] if found else None


def atom_from_seed(fn: SeedFunction) -> Atom:
    if not fn.returns or not all(annotation for _, annotation in fn.parameters):
        raise ValueError(f"{fn.name}: every parameter and the result need an annotation")
    params = tuple(
        Param(name, annotation, parse_type(annotation, TAGS.get((fn.name, name))))
        for name, annotation in fn.parameters
    )
    examples = tuple(args for call, _ in fn.examples if (args := example_args(call, fn.name)) is not None)
    return Atom(
        fn.name,
        fn.topic,
        fn.instruction,
        fn.solution,
        params,
        parse_type(fn.returns, TAGS.get((fn.name, RETURN))),
        fn.returns,
        examples,
    )


@cache
def load_atoms() -> tuple[Atom, ...]:
    """Every seed function as an atom, ordered by topic then position in its file."""
    atoms = tuple(atom_from_seed(fn) for fn in load_seed())
    names = {atom.name for atom in atoms}
    unknown = {name for name, _ in TAGS} - names
    if unknown:
        raise ValueError(f"TAGS names functions that are not in the seed corpus: {sorted(unknown)}")
    return atoms


def atoms_by_name() -> dict[str, Atom]:
    return {atom.name: atom for atom in load_atoms()}


def topics() -> list[str]:
    return sorted({atom.topic for atom in load_atoms()})

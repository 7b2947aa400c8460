"""Type-directed composition: grow a synthetic function from a random atom by appending stages whose atoms
accept the value so far.

`Composer(atoms, seed).compose(depth)` picks a first atom, then, until `depth` atoms are used, a stage kind
(apply, map, filter, fold, branch) among those some atom can fill, and an atom (and the parameter the value
fills) among the ones whose types accept the value: for map, filter and fold the list's element; for a
fold also the running value; for a branch a predicate on the value and one or two atoms that give results
of a common type. Everything is drawn from one `random.Random`, so a seed gives the same compositions.
"""

from __future__ import annotations

import keyword
import random
from dataclasses import dataclass, field
from functools import cache

from acecoder.functions.atoms import Atom, Param, load_atoms
from acecoder.functions.composition import Composition, FunctionParam, Stage, Step, check_types
from acecoder.functions.render import INTERNAL_NAMES
from acecoder.functions.types import Ty, accepts, join

# How often each stage kind is drawn, among the kinds that some atom can fill at that point.
DEFAULT_KIND_WEIGHTS = {"apply": 4.0, "map": 1.5, "filter": 1.5, "fold": 1.0, "branch": 1.5}
_GENERIC_WORDS = {
    "is",
    "has",
    "sort",
    "count",
    "parse",
    "values",
    "first",
    "last",
    "all",
    "find",
    "split",
    "merge",
    "group",
    "set",
    "next",
    "top",
    "filter",
    "rotate",
    "reverse",
    "round",
    "add",
}


@dataclass
class ComposerConfig:
    max_params: int = 6  # parameters of a composed function
    kind_weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_KIND_WEIGHTS))
    otherwise_share: float = 0.5  # branches with a second atom (else: the value unchanged), when depth allows


@cache
def _accepts(param: Ty, value: Ty) -> bool:
    return accepts(param, value)


class Namer:
    """Parameter names of the composed function: an atom's own name when free, else name_2, name_3, ..."""

    def __init__(self, reserved: set[str]):
        self.used = set(reserved)

    def take(self, wanted: str) -> str:
        name, n = wanted, 1
        while name in self.used or keyword.iskeyword(name):
            n += 1
            name = f"{wanted}_{n}"
        self.used.add(name)
        return name


def function_name(atoms: list[Atom]) -> str:
    """A readable name from the atoms' leading words, e.g. `camel_mask_truncate`."""
    words = []
    for atom in atoms:
        parts = atom.name.split("_")
        words.append("_".join(parts[:2]) if parts[0] in _GENERIC_WORDS and len(parts) > 1 else parts[0])
    name = "_".join(words)
    if name in {atom.name for atom in atoms} or name in INTERNAL_NAMES:
        name += "_chain"
    return name


class Composer:
    def __init__(
        self, atoms: tuple[Atom, ...] | None = None, seed: int = 0, config: ComposerConfig | None = None
    ):
        self.atoms = atoms if atoms is not None else load_atoms()
        self.by_name = {atom.name: atom for atom in self.atoms}
        self.rng = random.Random(seed)
        self.config = config or ComposerConfig()
        # a first atom must take arguments and give a value something else could take
        self.starters = [a for a in self.atoms if a.params and not a.returns.optional]

    # -- candidates ------------------------------------------------------------------------------------------
    def _fits(self, value: Ty, predicates: bool | None = None) -> list[tuple[Atom, Param]]:
        """(atom, parameter) pairs where `value` may go; `predicates` True/False keeps only (non-)predicates."""
        return [
            (atom, param)
            for atom in self.atoms
            for param in atom.params
            if (predicates is None or atom.is_predicate == predicates) and _accepts(param.type, value)
        ]

    def _fold_fits(self, element: Ty) -> list[tuple[Atom, Param, Param]]:
        """(atom, element parameter, running-value parameter) for folds over a list of `element`."""
        found = []
        for atom in self.atoms:
            for item in atom.params:
                if not _accepts(item.type, element):
                    continue
                for acc in atom.params:
                    if acc is not item and _accepts(acc.type, atom.returns) and not acc.type.optional:
                        found.append((atom, item, acc))
        return found

    # -- growth ----------------------------------------------------------------------------------------------
    def compose(self, depth: int) -> Composition | None:
        """One composition of exactly `depth` atoms, or None when this draw led nowhere."""
        rng = self.rng
        first = rng.choice(self.starters)
        reserved = {atom.name for atom in self.atoms} | set(INTERNAL_NAMES)
        namer = Namer(reserved)
        params: list[FunctionParam] = []
        seeds: list[
            list[tuple]
        ] = []  # per stage step: the example argument tuples feeding the function's params

        def bind(atom: Atom, skip: set[str]) -> tuple[tuple[str, str], ...]:
            args = []
            for param in atom.params:
                if param.name in skip:
                    continue
                name = namer.take(param.name)
                params.append(FunctionParam(name, param.annotation, param.type.key))
                args.append((param.name, name))
            seeds.append(
                [
                    tuple(ex[i] for i, p in enumerate(atom.params) if p.name not in skip)
                    for ex in atom.examples
                    if len(ex) == len(atom.params)
                ]
            )
            return tuple(args)

        stages = [Stage("apply", (Step(first.name, None, bind(first, set())),))]
        chosen = [first]
        value = first.returns
        used = 1
        while used < depth:
            stage, value, atoms = self._next_stage(value, depth - used, bind, namer, params, seeds)
            if stage is None:
                return None
            stages.append(stage)
            chosen += atoms
            used += len(atoms)
            if len(params) > self.config.max_params:
                return None
        name = function_name(chosen)
        composition = Composition(
            name, tuple(params), tuple(stages), str(value), value.key, seed_args=_seed_tuples(seeds)
        )
        check_types(composition, self.by_name)
        return composition

    def _next_stage(self, value: Ty, remaining: int, bind, namer: Namer, params, seeds):
        rng, weights = self.rng, self.config.kind_weights
        options: dict[str, object] = {}
        applies = self._fits(value)
        if applies:
            options["apply"] = applies
        if value.is_list:
            element = value.element
            maps = self._fits(element, predicates=False)
            if maps:
                options["map"] = maps
            filters = self._fits(element, predicates=True)
            if filters:
                options["filter"] = filters
            folds = self._fold_fits(element)
            if folds:
                options["fold"] = folds
        if remaining >= 2:
            predicates = self._fits(value, predicates=True)
            thens = self._fits(value, predicates=False)
            if predicates and thens:
                options["branch"] = (predicates, thens)
        kinds = [k for k in options if weights.get(k, 0) > 0]
        if not kinds:
            return None, value, []
        kind = rng.choices(kinds, weights=[weights[k] for k in kinds])[0]
        if kind in ("apply", "map", "filter"):
            atom, param = rng.choice(options[kind])
            step = Step(atom.name, param.name, bind(atom, {param.name}))
            if kind == "apply":
                result = atom.returns
            elif kind == "map":
                result = Ty("list", (atom.returns.untagged(),))
            else:
                result = value
            return Stage(kind, (step,)), result, [atom]
        if kind == "fold":
            atom, item, acc = rng.choice(options["fold"])
            start = namer.take("start")
            params.append(FunctionParam(start, acc.annotation, acc.type.key))
            seeds.append(
                [(ex[atom.params.index(acc)],) for ex in atom.examples if len(ex) == len(atom.params)]
            )
            step = Step(atom.name, item.name, bind(atom, {item.name, acc.name}), acc=acc.name)
            return Stage("fold", (step,), start=start), acc.type, [atom]
        predicates, thens = options["branch"]
        pred_atom, pred_param = rng.choice(predicates)
        then_atom, then_param = rng.choice(thens)
        with_otherwise = remaining >= 3 and rng.random() < self.config.otherwise_share
        if with_otherwise:
            others = [
                (a, p)
                for a, p in thens
                if join(then_atom.returns, a.returns) is not None and a.name != then_atom.name
            ]
            if not others:
                return None, value, []
            other_atom, other_param = rng.choice(others)
            result = join(then_atom.returns, other_atom.returns)
        else:
            if then_atom.name == pred_atom.name:
                return None, value, []
            result = join(then_atom.returns, value)
            if result is None:
                return None, value, []
        steps = [
            Step(pred_atom.name, pred_param.name, bind(pred_atom, {pred_param.name})),
            Step(then_atom.name, then_param.name, bind(then_atom, {then_param.name})),
        ]
        atoms = [pred_atom, then_atom]
        if with_otherwise:
            steps.append(Step(other_atom.name, other_param.name, bind(other_atom, {other_param.name})))
            atoms.append(other_atom)
        return Stage("branch", tuple(steps)), result, atoms


def _seed_tuples(per_step: list[list[tuple]], count: int = 6) -> tuple[tuple, ...]:
    """Input seeds for the composed function: the i-th example of each step, side by side (cycling through
    the shorter lists), so that every parameter starts from a value its atom's author wrote."""
    if any(not examples for examples in per_step):
        return ()
    longest = min(count, max(len(examples) for examples in per_step))
    return tuple(
        tuple(v for examples in per_step for v in examples[i % len(examples)]) for i in range(longest)
    )

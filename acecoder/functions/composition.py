"""A synthetic function as data: a chain of stages that a value flows through, each applying atoms.

    apply   value = atom(value, ...)                         the value fills one parameter of the atom
    map     value = [atom(element, ...) for element in value]
    filter  value = [element for element in value if pred(element, ...)]
    fold    running = start; for element in value: running = atom(running, element, ...)
    branch  value = then(value, ...) if pred(value, ...) else otherwise(value, ...)   (otherwise: identity)

The first stage is an `apply` whose atom takes all its arguments from the function's parameters. Every
other parameter of an atom (`args`) is a parameter of the composed function as well, so a composition is a
function of the first atom's inputs plus each later atom's extra inputs. Depth is the number of atoms.

A composition is recorded as JSON (`to_json`); its key is a hash of that structure, so two compositions
with the same atoms in the same places are the same composition however they were drawn.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from acecoder.core.hashing import content_hash
from acecoder.functions.atoms import Atom, atoms_by_name
from acecoder.functions.types import Ty, accepts, join, parse_type

KINDS = ("apply", "map", "filter", "fold", "branch")
COMBINATORS = ("map", "filter", "fold", "branch")


@dataclass(frozen=True)
class Step:
    """One atom call: `input` is the atom parameter that receives the flowing value (None in the first
    stage), `acc` the one that receives a fold's running value, `args` maps every other atom parameter to
    the composed function's parameter that supplies it."""

    atom: str
    input: str | None
    args: tuple[tuple[str, str], ...] = ()
    acc: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"atom": self.atom, "input": self.input, "acc": self.acc, "args": [list(a) for a in self.args]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Step:
        return cls(
            data["atom"], data.get("input"), tuple(tuple(a) for a in data.get("args", ())), data.get("acc")
        )


@dataclass(frozen=True)
class Stage:
    """`steps`: (atom,) for apply/map/filter/fold; (pred, then) or (pred, then, otherwise) for branch.
    `start`: a fold's parameter holding the initial running value."""

    kind: str
    steps: tuple[Step, ...]
    start: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "steps": [s.as_dict() for s in self.steps], "start": self.start}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Stage:
        return cls(data["kind"], tuple(Step.from_dict(s) for s in data["steps"]), data.get("start"))


@dataclass(frozen=True)
class FunctionParam:
    name: str
    annotation: str
    type_key: str  # the annotation with its refinement tag, e.g. `str@date`


@dataclass(frozen=True)
class Composition:
    name: str  # the composed function's name
    params: tuple[FunctionParam, ...]
    stages: tuple[Stage, ...]
    returns: str  # annotation of the result
    returns_key: str = ""
    seed_args: tuple[tuple, ...] = field(default=(), compare=False)  # input seeds from the atoms' examples

    # -- what it is made of --------------------------------------------------------------------------------
    @property
    def steps(self) -> list[Step]:
        return [step for stage in self.stages for step in stage.steps]

    @property
    def atoms(self) -> list[str]:
        """Atom names in the order they appear (a branch: predicate, then, otherwise)."""
        return [step.atom for step in self.steps]

    @property
    def depth(self) -> int:
        return len(self.steps)

    @property
    def kinds(self) -> list[str]:
        return [stage.kind for stage in self.stages]

    @property
    def combinators(self) -> list[str]:
        return [kind for kind in self.kinds if kind != "apply"]

    @property
    def atom_sequence(self) -> str:
        """The atoms in order, `a>b>c`: what a held-out split compares."""
        return ">".join(self.atoms)

    @property
    def structure(self) -> dict[str, Any]:
        return {"stages": [stage.as_dict() for stage in self.stages]}

    @property
    def key(self) -> str:
        """Content hash of the structure (atoms, combinators, which parameter each value fills)."""
        shape = [[stage.kind, [[s.atom, s.input, s.acc] for s in stage.steps]] for stage in self.stages]
        return content_hash("composition", shape)

    def to_json(self) -> str:
        return json.dumps(
            {
                "name": self.name,
                "params": [[p.name, p.annotation, p.type_key] for p in self.params],
                "returns": self.returns,
                "returns_key": self.returns_key,
                **self.structure,
            }
        )

    @classmethod
    def from_json(cls, text: str | dict[str, Any]) -> Composition:
        data = json.loads(text) if isinstance(text, str) else text
        return cls(
            name=data["name"],
            params=tuple(FunctionParam(*p) for p in data["params"]),
            stages=tuple(Stage.from_dict(s) for s in data["stages"]),
            returns=data["returns"],
            returns_key=data.get("returns_key", ""),
        )


class TypeMismatch(TypeError):
    pass


def param_type(key: str) -> Ty:
    annotation, _, tag = key.partition("@")
    return parse_type(annotation, tag or None)


@dataclass(frozen=True)
class Edge:
    """One place where a value meets a parameter: what flows, what is expected, and whether it fits."""

    where: str
    expected: Ty
    given: Ty

    @property
    def ok(self) -> bool:
        return accepts(self.expected, self.given)


def type_edges(composition: Composition, atoms: dict[str, Atom] | None = None) -> tuple[list[Edge], Ty]:
    """Every (parameter, value) meeting in the chain, and the type of the result."""
    atoms = atoms or atoms_by_name()
    params = {p.name: param_type(p.type_key) for p in composition.params}
    edges: list[Edge] = []
    value: Ty | None = None

    def call(step: Step, flowing: Ty | None, acc: Ty | None = None) -> Ty:
        atom = atoms[step.atom]
        supplied = dict(step.args)
        for param in atom.params:
            where = f"{atom.name}.{param.name}"
            if param.name == step.input:
                if flowing is None:
                    raise TypeMismatch(f"{where}: no value flows into the first stage")
                edges.append(Edge(where, param.type, flowing))
            elif param.name == step.acc:
                edges.append(Edge(where, param.type, acc))
            elif param.name in supplied:
                edges.append(Edge(where, param.type, params[supplied[param.name]]))
            else:
                raise TypeMismatch(f"{where}: nothing supplies this parameter")
        return atom.returns

    for index, stage in enumerate(composition.stages):
        if index == 0:
            if stage.kind != "apply" or stage.steps[0].input is not None:
                raise TypeMismatch("the first stage must apply an atom to the function's parameters")
            value = call(stage.steps[0], None)
            continue
        if stage.kind == "apply":
            value = call(stage.steps[0], value)
        elif stage.kind in ("map", "filter", "fold"):
            if not value.is_list:
                raise TypeMismatch(f"stage {index + 1} ({stage.kind}) needs a list, the value is {value.key}")
            element = value.element
            if stage.kind == "map":
                value = Ty("list", (call(stage.steps[0], element).untagged(),))
            elif stage.kind == "filter":
                result = call(stage.steps[0], element)
                edges.append(Edge(f"stage {index + 1} predicate result", Ty("bool"), result))
            else:
                atom = atoms[stage.steps[0].atom]
                acc_type = atom.param(stage.steps[0].acc).type
                edges.append(Edge(f"stage {index + 1} start", acc_type, params[stage.start]))
                result = call(stage.steps[0], element, acc=acc_type)
                edges.append(Edge(f"stage {index + 1} running value", acc_type, result))
                value = acc_type
        elif stage.kind == "branch":
            pred, then, *otherwise = stage.steps
            result = call(pred, value)
            edges.append(Edge(f"stage {index + 1} predicate result", Ty("bool"), result))
            then_type = call(then, value)
            other_type = call(otherwise[0], value) if otherwise else value
            joined = join(then_type, other_type)
            if joined is None:
                raise TypeMismatch(
                    f"stage {index + 1}: the branches give {then_type.key} and {other_type.key}"
                )
            value = joined
        else:
            raise TypeMismatch(f"unknown stage kind {stage.kind!r}")
    return edges, value


def check_types(composition: Composition, atoms: dict[str, Atom] | None = None) -> Ty:
    """The result type; raises TypeMismatch where a value does not fit the parameter it fills."""
    edges, result = type_edges(composition, atoms)
    bad = [edge for edge in edges if not edge.ok]
    if bad:
        raise TypeMismatch("; ".join(f"{e.where} expects {e.expected.key}, gets {e.given.key}" for e in bad))
    if composition.returns_key and composition.returns_key != result.key:
        raise TypeMismatch(f"recorded result type {composition.returns_key}, derived {result.key}")
    return result

"""The inputs the `exec` method runs candidates on: the prompt's own examples, then generated ones.

The function's signature comes from the prompt when it defines the function (HumanEval), else from the
candidates themselves (MBPP+ prompts hold only a docstring): the parameter list most of them declare.
Generated inputs are EvalPlus-style type-aware mutations of the examples (`acecoder.code.inputs.InputGenerator`),
seeded by the run's seed and the task id so a run is reproducible. They stay in the examples' neighbourhood:
the same argument types as some example, integers at most twice the largest example integer (and at least
10) in size, and no negative integers where no example has one. Far outside it, correct programs disagree
or run for ever (a `prime_fib(100)`, a negative count), which costs time and tells nothing.
"""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from acecoder.code.inputs import Args, InputGenerator, NoEntryPoint, Signature, signature_of
from acecoder.rerank.candidates import CandidateSet
from acecoder.rerank.examples import Example, examples_in

GENERATION_FACTOR = 4


@dataclass(frozen=True)
class Probes:
    """Example calls (with their expected outputs where the prompt shows one) followed by generated inputs."""

    examples: tuple[Example, ...]
    inputs: tuple[Args, ...]  # every input, the examples' first

    @property
    def checked(self) -> tuple[tuple[int, Example], ...]:
        """(input position, example) for each example whose expected output is known."""
        return tuple((i, example) for i, example in enumerate(self.examples) if example.has_expected)


def probes_for(candidates: CandidateSet, generated: int, seed: int) -> Probes:
    """The examples of the prompt and `generated` more inputs mutated from them."""
    problem = candidates.problem
    signature = _signature(candidates)
    params = tuple(name for name, _ in signature.params) if signature else ()
    examples = [
        e
        for e in examples_in(problem.prompt, problem.entry_point, params)
        if signature is None or len(e.args) == signature.arity
    ]
    if signature is None:
        return Probes(tuple(examples), tuple(e.args for e in examples))
    task_seed = seed * 1_000_003 + zlib.crc32(problem.task_id.encode())
    seeds = [e.args for e in examples]
    # the generator returns the usable seeds first, then mutants; ask for spare mutants, as some are not near
    pool = InputGenerator(signature, task_seed).generate(seeds, len(seeds) + GENERATION_FACTOR * generated)
    seed_keys = {repr(args) for args in seeds}
    near = _Neighbourhood(seeds)
    usable_seeds = [args for args in pool if repr(args) in seed_keys]
    mutants = [args for args in pool if repr(args) not in seed_keys and near.admits(args)][:generated]
    usable_keys = {repr(args) for args in usable_seeds}
    return Probes(tuple(e for e in examples if repr(e.args) in usable_keys), tuple(usable_seeds + mutants))


class _Neighbourhood:
    """Which generated inputs stay near the examples (all of them when there is no example)."""

    def __init__(self, examples: list[Args]):
        self.shapes = {tuple(type(arg) for arg in args) for args in examples}
        integers = [value for args in examples for value in _integers(args)]
        self.largest = max(10, 2 * max((abs(v) for v in integers), default=0))
        self.negatives = not integers or any(v < 0 for v in integers)

    def admits(self, args: Args) -> bool:
        if not self.shapes:
            return True
        if tuple(type(arg) for arg in args) not in self.shapes:
            return False
        return all(abs(v) <= self.largest and (self.negatives or v >= 0) for v in _integers(args))


def _integers(value: object) -> Iterator[int]:
    if type(value) is int:
        yield value
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            yield from _integers(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _integers(key)
            yield from _integers(item)


def _signature(candidates: CandidateSet) -> Signature | None:
    entry_point = candidates.problem.entry_point
    try:
        return signature_of(candidates.problem.prompt, entry_point)
    except (NoEntryPoint, SyntaxError):
        pass
    declared: Counter[tuple[str, ...]] = Counter()
    signatures: dict[tuple[str, ...], Signature] = {}
    for program in candidates.programs:
        try:
            signature = signature_of(program, entry_point)
        except (NoEntryPoint, SyntaxError, ValueError):
            continue
        names = tuple(name for name, _ in signature.params)
        declared[names] += 1
        signatures.setdefault(names, signature)
    if not declared:
        return None
    return signatures[declared.most_common(1)[0][0]]

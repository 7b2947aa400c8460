"""The `exec` method: choose by agreement of behaviour on the prompt's examples and generated inputs.

Every candidate is called (sandbox calls mode) on the task's probe inputs (`probes.py`: the prompt's example
calls first, then inputs mutated from them), all of them in one call, which times out after a second (each
probe then counts as a timeout), and one call per probe where that call raises. The choice among the first
n candidates:

1. Examples first. Where the prompt shows expected outputs, only the candidates that reproduce the most of
   them stay in the running (all of them when the prompt shows none, or when none reproduces any).
2. Agreement next (MBR-exec / CodeT-style). The remaining candidates are grouped by their outputs on the
   probe inputs: two candidates share a group only if they agree on every input. A raised exception or a
   timeout is an output of its own (`error:TypeError`, `timeout`), distinct from any returned value. Inputs
   on which most of the remaining candidates that return anything at all fail are left out of the
   comparison: they are most likely outside the function's contract, where correct programs may
   legitimately differ.
3. The largest group wins; a group whose members only ever fail ranks below any group that returns
   something. Ties go to the group holding the earliest sample, and the pick is that group's earliest sample.

Outputs are compared by `values.agreement_key` (Python `==`, floats to 6 significant digits, sets unordered).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from acecoder.rerank.candidates import CandidateSet
from acecoder.rerank.execution import CallGroup, CallOutcome, Executor
from acecoder.rerank.probes import Probes, probes_for
from acecoder.rerank.values import agreement_key, call_expression

GROUP_TIMEOUT_S = 1.0  # a candidate on all its probes at once
PROBE_TIMEOUT_S = 0.5  # a candidate on one probe


@dataclass(frozen=True)
class Behaviour:
    """A candidate's output on each probe input, as comparable text, and how many examples it reproduces."""

    outputs: tuple[str, ...]
    examples_passed: int

    def fails_on(self, position: int) -> bool:
        return self.outputs[position].startswith("!")


def behaviours(
    candidate_sets: Sequence[CandidateSet], executor: Executor, *, generated_inputs: int = 20, seed: int = 0
) -> list[list[Behaviour]]:
    """Every candidate of every task run on that task's probes.

    A candidate's probes run together in one sandbox call; only where one of them raises does it run again
    one probe per call, to see which. A candidate that runs out of time is not run again: each of its
    probes counts as timing out (a program that loops for ever would otherwise cost a limit per probe).
    """
    probes = [probes_for(candidates, generated_inputs, seed) for candidates in candidate_sets]
    groups = [
        CallGroup(
            program,
            tuple(call_expression(candidates.problem.entry_point, args) for args in task_probes.inputs),
            (0.0,) * len(task_probes.inputs),
        )
        for candidates, task_probes in zip(candidate_sets, probes, strict=True)
        for program in candidates.programs
    ]
    outcomes = iter(
        executor.grouped_outcomes(
            groups,
            "exec: probing candidates",
            split=_worth_splitting,
            min_group_timeout_s=GROUP_TIMEOUT_S,
            min_call_timeout_s=PROBE_TIMEOUT_S,
        )
    )
    return [
        [_behaviour(next(outcomes), task_probes) for _ in candidates.programs]
        for candidates, task_probes in zip(candidate_sets, probes, strict=True)
    ]


def _worth_splitting(outcome: CallOutcome) -> bool:
    """Run the probes one by one unless all would end alike: out of time, or a program that does not compile."""
    return outcome.status not in ("timeout", "syntax")


def _behaviour(outcomes: Sequence[CallOutcome], probes: Probes) -> Behaviour:
    outputs = tuple(_output_text(outcome) for outcome in outcomes)
    passed = sum(
        outputs[position] == "=" + agreement_key(example.expected) for position, example in probes.checked
    )
    return Behaviour(outputs, passed)


def _output_text(outcome: CallOutcome) -> str:
    if outcome.returned:
        return "=" + agreement_key(outcome.value)
    return f"!{outcome.status}:{outcome.error_type}"


@dataclass(frozen=True)
class Cluster:
    """Candidates (indices, in sample order) that agree on every compared input."""

    members: tuple[int, ...]
    only_fails: bool  # no member returns a value on any compared input


def ranked_clusters(behaviours: Sequence[Behaviour]) -> list[Cluster]:
    """The candidates still running after step 1, grouped and ranked by steps 2-3 of the module's rule."""
    if not behaviours:
        raise ValueError("no candidates")
    most_passed = max(b.examples_passed for b in behaviours)
    running = [i for i, b in enumerate(behaviours) if b.examples_passed == most_passed]
    width = len(behaviours[0].outputs)
    # a program that fails on every input is broken, which says nothing about the inputs
    live = [i for i in running if not all(behaviours[i].fails_on(p) for p in range(width))]
    compared = [p for p in range(width) if 2 * sum(behaviours[i].fails_on(p) for i in live) <= len(live)]
    groups: dict[tuple[str, ...], list[int]] = {}
    for index in running:
        groups.setdefault(tuple(behaviours[index].outputs[p] for p in compared), []).append(index)
    # members agree on every compared input, so the first one speaks for the group
    clusters = [
        Cluster(tuple(members), all(behaviours[members[0]].fails_on(p) for p in compared))
        for members in groups.values()
    ]
    return sorted(clusters, key=lambda c: (c.only_fails, -len(c.members), c.members[0]))


def choose(behaviours: Sequence[Behaviour]) -> int:
    """The `exec` method's pick among `behaviours` (one per candidate, in sample order)."""
    return ranked_clusters(behaviours)[0].members[0]

"""The selection rules on hand-made behaviours and scores (no sandbox): exec, rm, rm+exec, random, first."""

from __future__ import annotations

import pytest

from acecoder.rerank import methods
from acecoder.rerank.candidates import CandidateSet, Problem
from acecoder.rerank.mbr_exec import Behaviour, choose, ranked_clusters
from acecoder.rerank.reward import highest_scored, reward_scores, shortlist_choice


def _b(*outputs: str, examples: int = 0) -> Behaviour:
    return Behaviour(tuple(outputs), examples)


def test_the_largest_agreeing_group_wins_and_its_earliest_member_is_picked():
    behaviours = [_b("=1", "=2"), _b("=1", "=3"), _b("=1", "=3"), _b("=1", "=2"), _b("=1", "=3")]
    clusters = ranked_clusters(behaviours)
    assert [c.members for c in clusters] == [(1, 2, 4), (0, 3)]
    assert choose(behaviours) == 1


def test_reproducing_more_examples_comes_before_group_size():
    behaviours = [_b("=1", examples=0), _b("=1", examples=0), _b("=1", examples=0), _b("=2", examples=1)]
    assert choose(behaviours) == 3


def test_errors_are_outputs_of_their_own_and_groups_that_only_fail_come_last():
    fails = _b("!error:TypeError", "!error:TypeError")
    behaviours = [fails, fails, fails, _b("=1", "=2"), _b("=1", "!timeout:Timeout")]
    clusters = ranked_clusters(behaviours)
    assert [c.members for c in clusters] == [(3,), (4,), (0, 1, 2)]
    assert clusters[-1].only_fails and choose(behaviours) == 3


def test_inputs_most_candidates_fail_on_are_not_compared():
    # the second input breaks three of four candidates: likely outside the contract, so it is ignored
    behaviours = [
        _b("=1", "!error:ValueError"),
        _b("=1", "!error:IndexError"),
        _b("=1", "=0"),
        _b("=2", "!error:ValueError"),
    ]
    assert [c.members for c in ranked_clusters(behaviours)] == [(0, 1, 2), (3,)]


def test_ties_go_to_the_group_with_the_earliest_sample():
    assert choose([_b("=1"), _b("=2"), _b("=2"), _b("=1")]) == 0


def test_rm_takes_the_highest_score_earliest_on_ties():
    assert highest_scored([0.1, 0.9, 0.9, 0.2]) == 1
    assert highest_scored([0.1, 0.9, 0.9, 0.95], among=[0, 1, 2]) == 1


def test_rm_plus_exec_takes_the_best_score_within_the_large_groups():
    # groups: A = {0, 1, 2, 3} (4), B = {4, 5} (2), C = {6} (1); the shortlist is A and B (at least half of 4)
    behaviours = [_b("=a")] * 4 + [_b("=b")] * 2 + [_b("=c")]
    scores = [0.1, 0.2, 0.3, 0.1, 0.5, 0.4, 0.9]
    assert shortlist_choice(behaviours, scores) == 4
    # a dominant group leaves nothing to the reward model
    assert shortlist_choice([_b("=a")] * 5 + [_b("=b")] * 2, [0, 0, 0, 0, 0, 1, 1]) == 0


def test_rm_plus_exec_leaves_out_groups_that_only_fail():
    behaviours = [_b("!error:E")] * 3 + [_b("=a")] * 2
    assert shortlist_choice(behaviours, [9, 9, 9, 0.1, 0.2]) == 4


def _sets(*sizes: int) -> list[CandidateSet]:
    return [
        CandidateSet(Problem(f"T/{i}", "def f(x):\n", "f"), tuple(f"# {j}" for j in range(size)))
        for i, size in enumerate(sizes)
    ]


def test_reward_scores_come_from_one_scorer_call_split_per_task():
    calls = []

    def scorer(questions: list[str], programs: list[str]) -> list[float]:
        calls.append(len(programs))
        return [float(len(q) + int(p[2:])) for q, p in zip(questions, programs, strict=True)]

    assert reward_scores(_sets(2, 3), scorer) == [[10.0, 11.0], [10.0, 11.0, 12.0]]
    assert calls == [5]
    with pytest.raises(ValueError, match="returned 1 scores for 5 programs"):
        reward_scores(_sets(2, 3), lambda q, p: [0.0])


def test_rm_chooser_uses_only_the_first_n_scores():
    def scorer(questions, programs):
        return [float(int(p[2:])) for p in programs]  # later samples score higher

    choose_for = methods.choosers("rm", _sets(8), scorer=scorer)[0]
    assert [choose_for(n) for n in (1, 2, 4, 8)] == [0, 1, 3, 7]


def test_random_is_seeded_and_first_is_first():
    sets = _sets(8, 8, 3)
    first = [choose(8) for choose in methods.choosers("random", sets, seed=1)]
    again = [choose(8) for choose in methods.choosers("random", sets, seed=1)]
    assert first == again and all(0 <= i < 3 for i in first[2:])
    picks = {tuple(choose(8) for choose in methods.choosers("random", sets, seed=s)) for s in range(10)}
    assert len(picks) > 1
    assert [choose(8) for choose in methods.choosers("first", sets)] == [0, 0, 0]


def test_methods_that_need_an_executor_or_a_scorer_say_so():
    with pytest.raises(ValueError, match="needs a sandbox executor"):
        methods.choosers("exec", _sets(2))
    with pytest.raises(ValueError, match="needs a scorer"):
        methods.choosers("rm", _sets(2))
    with pytest.raises(ValueError, match="unknown method"):
        methods.choosers("best", _sets(2))

"""The `rm` and `rm+exec` methods: a reward model's score, alone or within exec's best clusters.

- `rm`: the candidate with the highest reward-model score (the earliest on ties).
- `rm+exec`: exec's rule (`mbr_exec.py`) ranks the agreement clusters; the shortlist is every cluster at
  least half the size of the best one (clusters whose members only ever fail are left out unless nothing
  else is left); the pick is the shortlisted candidate with the highest score (the earliest on ties). With
  one dominant cluster this is exec's choice; where the vote is split, the reward model breaks it.

The score comes from a `Scorer`, `(questions, programs) -> scores`, so the rule can be tested with any
function; the real one is `rewardmodel.scoring.score` on AceCoder's (question, program) format, imported
only when a reward model is asked for.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from acecoder.rerank.candidates import CandidateSet
from acecoder.rerank.mbr_exec import Behaviour, ranked_clusters

Scorer = Callable[[list[str], list[str]], list[float]]


class RewardModelUnavailable(RuntimeError):
    """The reward-model methods were asked for without a usable model."""


def reward_model_scorer(model_path: str | None, batch_size: int = 16, progress: bool = True) -> Scorer:
    """`rewardmodel.scoring.score` bound to the model at `model_path` (with its scoring bar if `progress`)."""
    if not model_path:
        raise RewardModelUnavailable(
            "the rm methods need a trained reward model: pass its folder with --model"
        )
    if not Path(model_path).exists():
        raise RewardModelUnavailable(
            f"the rm methods need a trained reward model: {model_path} does not exist"
        )
    try:
        from rewardmodel.scoring import score
    except ImportError as exc:
        raise RewardModelUnavailable(
            f"the rm methods need a trained reward model and --model, but rewardmodel.scoring cannot be "
            f"imported ({exc}); install the training extras (pip install -e '.[train]')"
        ) from None

    def scorer(questions: list[str], programs: list[str]) -> list[float]:
        if not progress:  # transformers draws its own bar while it loads the weights
            from transformers.utils import logging as transformers_logging

            transformers_logging.disable_progress_bar()
        return score(questions, programs, model_path, batch_size=batch_size, progress=progress)

    return scorer


def reward_scores(candidate_sets: Sequence[CandidateSet], scorer: Scorer) -> list[list[float]]:
    """The scorer's score of every candidate, in one call, split back per task."""
    questions = [c.problem.prompt for c in candidate_sets for _ in c.programs]
    programs = [program for c in candidate_sets for program in c.programs]
    scores = [float(value) for value in scorer(questions, programs)]
    if len(scores) != len(programs):
        raise ValueError(f"the scorer returned {len(scores)} scores for {len(programs)} programs")
    split, start = [], 0
    for candidates in candidate_sets:
        split.append(scores[start : start + len(candidates)])
        start += len(candidates)
    return split


def highest_scored(scores: Sequence[float], among: Sequence[int] | None = None) -> int:
    """Index of the highest score (within `among` if given), the earliest on ties."""
    indices = sorted(among) if among is not None else range(len(scores))
    return max(indices, key=lambda i: (scores[i], -i))


def shortlist_choice(behaviours: Sequence[Behaviour], scores: Sequence[float]) -> int:
    """The `rm+exec` pick: the highest score within exec's shortlisted clusters."""
    clusters = ranked_clusters(behaviours)
    answering = [c for c in clusters if not c.only_fails] or clusters
    largest = len(answering[0].members)
    shortlist = [i for c in answering if 2 * len(c.members) >= largest for i in c.members]
    return highest_scored(scores, shortlist)

"""Finding a problem's tests from what an RL framework sends a reward server: a prompt plus response text.

OpenRLHF sends each sample as one string, the chat-templated prompt followed by the response (newer versions
also send the prompt on its own, and the dataset's label). As in AceCoder, the problem is found by a hash of
its question as it appears in the text: the user message of a ChatML or Llama-3 conversation is hashed
(whitespace-normalised) and looked up among every problem's question and rendered prompts. Text without chat
markers falls back to searching for a known question inside it. A label that is a known problem id, or a
list of tests, decides directly.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from acecoder.rl.data import RLProblem
from acecoder.rl.prompts import build_prompt, user_message
from acecoder.rl.rewards import PROMPT_STYLES

_TURNS = (
    re.compile(
        r"<\|im_start\|>(?P<role>\w+)\n(?P<content>.*?)(?:<\|im_end\|>|\Z)", re.DOTALL
    ),  # ChatML (Qwen)
    re.compile(
        r"<\|start_header_id\|>(?P<role>\w+)<\|end_header_id\|>\n\n(?P<content>.*?)(?:<\|eot_id\|>|\Z)",
        re.DOTALL,
    ),  # Llama 3
)
# end-of-turn and padding tokens a framework leaves on the response (`<|im_end|>`, `<|endoftext|>`, `</s>`)
_TRAILING_SPECIAL = re.compile(r"(?:\s*(?:<\|[\w.-]+\|>|</s>))+\s*\Z")


def text_key(text: str) -> str:
    return hashlib.sha256(" ".join(text.split()).encode("utf-8", "surrogatepass")).hexdigest()


def chat_turns(text: str) -> list[tuple[str, str]]:
    """(role, content) of each turn of a chat-templated text; empty when it has no known chat markers."""
    for pattern in _TURNS:
        turns = [(m["role"], m["content"]) for m in pattern.finditer(text)]
        if turns:
            return turns
    return []


@dataclass(frozen=True)
class Sample:
    """A sample matched to its problem: the problem and the response to score."""

    problem: RLProblem
    response: str


class ProblemIndex:
    """Problems by the hash of each text a query may show of them: the question, the user message and the
    whole plain-text prompt of every prompt style."""

    def __init__(self, problems: Iterable[RLProblem]):
        self.problems = {p.problem_id: p for p in problems}
        self._by_key: dict[str, str] = {}
        for problem in self.problems.values():
            texts = [problem.question, user_message(problem.question, problem.entry_point)]
            texts += [
                str(build_prompt(problem.question, problem.entry_point, s, chat=False)) for s in PROMPT_STYLES
            ]
            for text in texts:
                self._by_key.setdefault(text_key(text), problem.problem_id)

    def __len__(self) -> int:
        return len(self.problems)

    def find(self, query: str, prompt: str | None = None, label: Any = None) -> Sample | None:
        """The problem of one sample and its response; None when neither the label nor the text names one."""
        response = query[len(prompt) :] if prompt and query.startswith(prompt) else None
        turns = chat_turns(prompt or query)
        problem = self._by_label(label) or self._by_user_turn(turns) or self._by_text(prompt)
        if response is None and turns:
            response = self._last_answer(query)
        if problem is None:
            found = self._search(query)
            if found is None:
                return None
            problem, question_end = found
            response = response if response is not None else query[question_end:]
        return Sample(problem, _TRAILING_SPECIAL.sub("", response if response is not None else query))

    def _by_text(self, text: str | None) -> RLProblem | None:
        problem_id = self._by_key.get(text_key(text)) if text else None
        return self.problems[problem_id] if problem_id else None

    def _by_user_turn(self, turns: list[tuple[str, str]]) -> RLProblem | None:
        for role, content in reversed(turns):
            if role == "user":
                return self._by_text(content)
        return None

    def _by_label(self, label: Any) -> RLProblem | None:
        if label is None:
            return None
        if isinstance(label, str) and label in self.problems:
            return self.problems[label]
        if isinstance(label, str):
            try:
                label = json.loads(label)
            except json.JSONDecodeError:
                return None
        if isinstance(label, list) and label and all(isinstance(t, str) for t in label):
            return RLProblem(
                problem_id=text_key("\n".join(label)), question="", entry_point="", tests=tuple(label)
            )
        return None

    @staticmethod
    def _last_answer(query: str) -> str | None:
        turns = chat_turns(query)
        return turns[-1][1] if turns and turns[-1][0] == "assistant" else None

    def _search(self, text: str) -> tuple[RLProblem, int] | None:
        """The problem whose question appears in `text` (the longest, if several do) and where it ends."""
        best: tuple[RLProblem, int] | None = None
        for problem in self.problems.values():
            question = problem.question.strip()
            at = text.find(question) if question else -1
            if at >= 0 and (best is None or len(question) > len(best[0].question.strip())):
                best = (problem, at + len(question))
        return best

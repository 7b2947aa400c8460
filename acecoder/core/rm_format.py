"""AceCoder's reward-model text format, in one place: the pairs export, reward-model training and scoring,
and reranking all build their inputs here so they can never drift apart."""

from __future__ import annotations

PROMPT_PREFIX = "Please provide a self-contained Python script that solves the following problem in a markdown code block:"
RESPONSE_PREFIX = (
    "Below is a Python script with a self-contained function that solves the problem and passes "
    "corresponding tests:"
)


def prompt_text(question: str, first_test: str | None = None) -> str:
    body = question.strip() + (f"\n{first_test.strip()}" if first_test else "")
    return f"{PROMPT_PREFIX}\n```\n{body}\n```\n"


def response_text(program: str) -> str:
    return f"{RESPONSE_PREFIX}\n```python\n{program.strip()}\n```\n"

"""AceCoder's reward-model text format, in one place: the pairs export, reward-model training and scoring,
and reranking all build their inputs here so they can never drift apart.

A pair is a conversation, as TRL's conversational preference datasets hold it: the question (with its first
test) is the user turn, the program the assistant turn. `sequence_text` is the one function that turns a
(prompt, response) into the text a reward model reads: the tokenizer's chat template where the base model has
one (Qwen2.5-Coder-Instruct, as AceCodeRM was trained), else the two texts one after the other (encoders
such as MiniLM have no template).
"""

from __future__ import annotations

from typing import Any

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


def user_turn(prompt: str) -> list[dict[str, str]]:
    """The prompt as TRL's conversational `prompt` column holds it."""
    return [{"role": "user", "content": prompt}]


def assistant_turn(response: str) -> list[dict[str, str]]:
    """A response as TRL's conversational `chosen` / `rejected` columns hold it."""
    return [{"role": "assistant", "content": response}]


def turn_text(value: Any) -> str:
    """The text of a column value that is either plain text or a conversation (the content of its turns)."""
    if isinstance(value, str):
        return value
    return "".join(message["content"] for message in value)


def uses_chat_template(tokenizer: Any) -> bool:
    return bool(getattr(tokenizer, "chat_template", None))


def sequence_text(tokenizer: Any, prompt: str, response: str) -> str:
    """The text a reward model reads for (prompt, response), used by training, scoring and reranking alike.

    With a chat template, the rendered conversation less its trailing newline, so the last token (where a
    decoder's head reads the score) is the template's end-of-turn token; the template's own special tokens
    are in the text, so it is encoded without adding more. Without one, `prompt + response`."""
    if not uses_chat_template(tokenizer):
        return prompt + response
    rendered = tokenizer.apply_chat_template(
        user_turn(prompt) + assistant_turn(response), tokenize=False, add_generation_prompt=False
    )
    return rendered.rstrip("\n")

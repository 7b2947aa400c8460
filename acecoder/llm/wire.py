"""The chat-completions body as the server sends it, read into plain values.

Bodies are read here rather than through the SDK's response models so that a malformed body (cut short, not
JSON, missing `choices`) is recognised as such instead of surfacing as an arbitrary exception later.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any


class MalformedReply(ValueError):
    """The server answered 200 with a body that is not a chat completion."""


@dataclass(frozen=True)
class Reply:
    texts: list[str]
    finish_reasons: list[str | None]
    prompt_tokens: int
    completion_tokens: int


def read_reply(body: bytes) -> Reply:
    """The choices (in `index` order) and token usage of a chat-completion body."""
    try:
        data = json.loads(body)
    except ValueError as exc:
        raise MalformedReply(f"body is not JSON ({exc}): {_snippet(body)}") from None
    choices = data.get("choices") if isinstance(data, dict) else None
    if not isinstance(choices, list) or not choices:
        raise MalformedReply(f"body has no choices: {_snippet(body)}")
    try:
        ordered = sorted(choices, key=lambda choice: choice.get("index", 0))
        # A refusal or tool call leaves `content` null; it is an empty text, its finish reason says why.
        texts = [choice["message"].get("content") or "" for choice in ordered]
        finish_reasons = [choice.get("finish_reason") for choice in ordered]
    except (AttributeError, KeyError, TypeError):
        raise MalformedReply(f"a choice has no message: {_snippet(body)}") from None
    usage = data.get("usage") or {}
    return Reply(
        texts=texts,
        finish_reasons=finish_reasons,
        prompt_tokens=_count(usage, "prompt_tokens"),
        completion_tokens=_count(usage, "completion_tokens"),
    )


def _count(usage: dict[str, Any], name: str) -> int:
    value = usage.get(name) if isinstance(usage, dict) else None
    return value if isinstance(value, int) else 0


def _snippet(body: bytes, limit: int = 200) -> str:
    text = body.decode("utf-8", errors="replace")
    return repr(text if len(text) <= limit else text[:limit] + "...")

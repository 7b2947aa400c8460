"""What the server is sent for a `ChatRequest`: its options adapted to the model, and extra body options.

OpenAI's reasoning models (o1, o3, o4-mini, gpt-5) refuse `max_tokens` (they take `max_completion_tokens`,
which also covers their hidden reasoning tokens) and sampling options other than the defaults
(`temperature`, `top_p`) as well as `stop`, with a 400 that no retry cures. They are recognised by name,
unless `LLMConfig.reasoning` says otherwise. Extra body options (vLLM's `top_k`, `guided_json`, ...) are
sent as they are, the request's own over the configured ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from acecoder.core.hashing import content_hash
from acecoder.llm.chat import ChatRequest

# o1, o1-mini, o3-2025-04-16, o4-mini, gpt-5, gpt-5-mini, ... but not gpt-5-chat-latest (a chat model)
_REASONING_NAME = re.compile(r"^(o[1-9]\d*(-.*)?|gpt-5(?!.*-chat)(-.*|\.\d.*)?)$")
REFUSED_BY_REASONING = ("temperature", "top_p", "stop")


def is_reasoning_model(model: str) -> bool:
    """Whether `model` names an OpenAI reasoning model (a provider prefix such as `openai/` is ignored)."""
    return _REASONING_NAME.match(model.rsplit("/", 1)[-1].lower()) is not None


@dataclass(frozen=True)
class WireRequest:
    """The arguments of one `chat.completions.create` call, and the key of its reply in the cache."""

    options: dict[str, Any]  # model, messages and the typed options
    extra_body: dict[str, Any]
    max_tokens: int | None  # what the reply may take, whichever name it is sent under

    def body(self) -> dict[str, Any]:
        """The JSON body the server receives."""
        return {**self.options, **self.extra_body}

    def cache_key(self, endpoint: str) -> str:
        """Identifies the reply: the endpoint and everything in the body."""
        return content_hash(endpoint, self.body())


def wire_request(
    request: ChatRequest, model: str, *, reasoning: bool | None, extra_body: dict[str, Any] | None
) -> WireRequest:
    """The call that asks `model` for `request`'s reply (`reasoning` None: decided by the model's name)."""
    options = request.sampling_parameters()
    if reasoning if reasoning is not None else is_reasoning_model(model):
        for name in REFUSED_BY_REASONING:
            options.pop(name, None)
        if "max_tokens" in options:
            options["max_completion_tokens"] = options.pop("max_tokens")
    extra = {**(extra_body or {}), **(request.extra_body or {})}
    return WireRequest(
        options={"model": model, "messages": request.messages, **options},
        extra_body=extra,
        max_tokens=request.max_tokens,
    )

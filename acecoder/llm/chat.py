"""The records of a chat completion: what is asked (`ChatRequest`), what came back (`ChatResult`), and what
failed for good (`ChatFailure`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

Message = dict[str, Any]


@dataclass(frozen=True)
class ChatRequest:
    """One chat completion to make. `model` None means the client's configured model.

    `n` > 1 asks for that many independent choices of the same prompt. `extra_body` holds options the
    OpenAI API does not define, sent as they are (vLLM's `top_k`, `guided_json`), over the client's own.
    """

    messages: list[Message]
    model: str | None = None
    temperature: float | None = None
    top_p: float | None = None
    max_tokens: int | None = None
    n: int = 1
    seed: int | None = None
    stop: list[str] | None = None
    response_format: dict[str, Any] | None = None
    extra_body: dict[str, Any] | None = None

    def __post_init__(self) -> None:
        if not self.messages:
            raise ValueError("a chat request needs at least one message")
        if self.n < 1:
            raise ValueError(f"n must be at least 1, got {self.n}")

    @classmethod
    def from_prompt(cls, prompt: str, *, system: str | None = None, **parameters: Any) -> ChatRequest:
        """A request made of one user message, after an optional system message."""
        messages: list[Message] = [{"role": "system", "content": system}] if system else []
        messages.append({"role": "user", "content": prompt})
        return cls(messages=messages, **parameters)

    def sampling_parameters(self) -> dict[str, Any]:
        """The OpenAI parameters that change the reply, without the unset ones (`body.wire_request` adapts
        them to the model)."""
        parameters = {
            "temperature": self.temperature,
            "top_p": self.top_p,
            "max_tokens": self.max_tokens,
            "n": self.n if self.n > 1 else None,  # left out when 1, for servers that know no `n`
            "seed": self.seed,
            "stop": self.stop,
            "response_format": self.response_format,
        }
        return {name: value for name, value in parameters.items() if value is not None}

    def prompt_chars(self) -> int:
        return sum(len(str(message.get("content") or "")) for message in self.messages)


@dataclass(frozen=True)
class ChatResult:
    """The reply to a `ChatRequest`: one text per choice, in choice order."""

    texts: list[str]
    finish_reasons: list[str | None]
    prompt_tokens: int
    completion_tokens: int
    cached: bool
    cache_key: str
    model: str

    @property
    def text(self) -> str:
        """The first choice's text."""
        return self.texts[0]


@dataclass(frozen=True)
class ChatFailure:
    """A request that got no usable reply after `attempts` tries; `reason` says what went wrong last."""

    request: ChatRequest
    reason: str
    attempts: int
    status_code: int | None = None
    cache_key: str = ""

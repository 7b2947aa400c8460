"""How to reach an OpenAI-compatible endpoint and how hard to use it: one plain, immutable record."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from acecoder.core.settings import Settings


@dataclass(frozen=True)
class LLMConfig:
    """Endpoint, model, limits and prices of one LLM client.

    `base_url` None means api.openai.com. Rate limits are client-side caps (None: no cap). A transient
    failure is retried up to `max_retries` times, after the server's `Retry-After` (at most
    `max_retry_after_s`) or else an exponential backoff from `backoff_initial_s` up to `backoff_max_s`.
    `use_n` says whether to ask for several choices through the `n` parameter: True always, False never
    (parallel single requests), None to find out from the first request that asks for more than one.
    A request may take `timeout_s` plus `timeout_per_token_s` for each token its `max_tokens` allows.
    `extra_body`: options sent in every request's body as they are (vLLM's `top_k`, `guided_json`).
    `reasoning`: whether the model is a reasoning model (`max_completion_tokens`, no temperature, top_p or
    stop); None decides by its name (o1, o3, o4-mini, gpt-5).
    """

    model: str
    base_url: str | None = None
    api_key: str | None = None
    concurrency: int = 16
    requests_per_minute: int | None = None
    tokens_per_minute: int | None = None
    timeout_s: float = 120.0
    timeout_per_token_s: float = 0.0
    max_retries: int = 4
    backoff_initial_s: float = 0.5
    backoff_max_s: float = 30.0
    max_retry_after_s: float = 120.0
    use_n: bool | None = None
    price_per_million_input: float | None = None
    price_per_million_output: float | None = None
    extra_body: dict[str, Any] | None = None
    reasoning: bool | None = None

    def __post_init__(self) -> None:
        if self.concurrency < 1:
            raise ValueError(f"concurrency must be at least 1, got {self.concurrency}")
        if self.max_retries < 0:
            raise ValueError(f"max_retries must be 0 or more, got {self.max_retries}")
        for name in ("requests_per_minute", "tokens_per_minute"):
            value = getattr(self, name)
            if value is not None and value <= 0:
                raise ValueError(f"{name} must be positive or None, got {value}")
        if self.timeout_s <= 0 or self.timeout_per_token_s < 0:
            raise ValueError(
                f"timeout_s must be positive and timeout_per_token_s not negative, got {self.timeout_s} and "
                f"{self.timeout_per_token_s}"
            )
        if self.extra_body is not None and not isinstance(self.extra_body, dict):
            raise ValueError(f"extra_body must be a JSON object, got {type(self.extra_body).__name__}")

    def request_timeout_s(self, max_tokens: int | None) -> float:
        """How long a request that may generate `max_tokens` tokens may take."""
        return self.timeout_s + self.timeout_per_token_s * (max_tokens or 0)

    @classmethod
    def from_settings(cls, settings: Settings, *, model: str) -> LLMConfig:
        """The configured endpoint (`OPENAI_BASE_URL`, `OPENAI_API_KEY`, `ACECODER_LLM_*`) for `model`."""
        return cls(
            model=model,
            base_url=settings.openai_base_url,
            api_key=settings.openai_api_key,
            concurrency=settings.llm_concurrency,
            requests_per_minute=settings.llm_requests_per_minute,
            tokens_per_minute=settings.llm_tokens_per_minute,
            timeout_s=settings.llm_timeout_s,
            timeout_per_token_s=settings.llm_timeout_per_token_s,
            max_retries=settings.llm_max_retries,
            price_per_million_input=settings.llm_price_per_million_input,
            price_per_million_output=settings.llm_price_per_million_output,
            extra_body=settings.llm_extra_body,
            reasoning=settings.llm_reasoning,
        )

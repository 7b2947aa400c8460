"""How to reach an OpenAI-compatible endpoint and how hard to use it: one plain, immutable record."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

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
    """

    model: str
    base_url: str | None = None
    api_key: str | None = None
    concurrency: int = 16
    requests_per_minute: int | None = None
    tokens_per_minute: int | None = None
    timeout_s: float = 120.0
    max_retries: int = 4
    backoff_initial_s: float = 0.5
    backoff_max_s: float = 30.0
    max_retry_after_s: float = 120.0
    use_n: bool | None = None
    price_per_million_input: float | None = None
    price_per_million_output: float | None = None

    def __post_init__(self) -> None:
        if self.concurrency < 1:
            raise ValueError(f"concurrency must be at least 1, got {self.concurrency}")
        if self.max_retries < 0:
            raise ValueError(f"max_retries must be 0 or more, got {self.max_retries}")
        for name in ("requests_per_minute", "tokens_per_minute"):
            value = getattr(self, name)
            if value is not None and value <= 0:
                raise ValueError(f"{name} must be positive or None, got {value}")

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
            max_retries=settings.llm_max_retries,
            price_per_million_input=settings.llm_price_per_million_input,
            price_per_million_output=settings.llm_price_per_million_output,
        )

"""What a client has spent: requests, cache hits, retries, failures, tokens and money."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass
class UsageMeter:
    """Running totals of one client. `requests` counts HTTP requests sent, retries included; tokens are
    those the server reported for the requests it answered (cache hits cost none)."""

    price_per_million_input: float | None = None
    price_per_million_output: float | None = None
    requests: int = 0
    cache_hits: int = 0
    retries: int = 0
    failures: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0

    @property
    def cost_usd(self) -> float | None:
        """The price of the tokens used; None unless both prices are configured."""
        if self.price_per_million_input is None or self.price_per_million_output is None:
            return None
        return (
            self.prompt_tokens * self.price_per_million_input
            + self.completion_tokens * self.price_per_million_output
        ) / 1_000_000

    def as_dict(self) -> dict[str, Any]:
        """The totals under `llm_` names, ready for a run's metrics."""
        totals = asdict(self)
        del totals["price_per_million_input"], totals["price_per_million_output"]
        totals["cost_usd"] = self.cost_usd
        return {f"llm_{name}": value for name, value in totals.items()}

"""Client-side rate limits: a token bucket for requests per minute and one for tokens per minute.

Staying under the provider's limits on our side costs less than being told off with 429s and backing off.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from acecoder.llm.chat import ChatRequest

CHARS_PER_TOKEN = 4  # the usual rule of thumb for English and code
COMPLETION_TOKENS_IF_UNBOUNDED = 512  # what a request without `max_tokens` is assumed to produce per choice


def estimate_tokens(request: ChatRequest) -> int:
    """What a request counts against a tokens-per-minute limit, as providers reckon it before answering:
    the prompt plus the most it may produce."""
    prompt = request.prompt_chars() // CHARS_PER_TOKEN + 1
    return prompt + (request.max_tokens or COMPLETION_TOKENS_IF_UNBOUNDED) * request.n


class TokenBucket:
    """Allows `per_minute` units a minute, in bursts of at most `burst` (default: one second's worth,
    since providers enforce per-minute limits over shorter windows too).

    A caller takes its units at once, even into debt (so a request larger than the burst still goes through),
    and sleeps until the debt would have refilled. Callers are therefore served in arrival order, and the
    bucket needs no lock nor any tie to an event loop.
    """

    def __init__(
        self, per_minute: float, *, burst: float | None = None, clock: Callable[[], float] = time.monotonic
    ):
        self.rate_per_s = per_minute / 60.0
        self.burst = burst if burst is not None else max(1.0, self.rate_per_s)
        self._clock = clock
        self._level = self.burst
        self._updated = clock()

    def reserve(self, amount: float) -> float:
        """Take `amount` units; returns the seconds to wait before using them."""
        now = self._clock()
        self._level = min(self.burst, self._level + (now - self._updated) * self.rate_per_s)
        self._updated = now
        self._level -= amount
        return max(0.0, -self._level / self.rate_per_s)


class RateLimits:
    """The request and token buckets of one client; either may be absent."""

    def __init__(self, requests_per_minute: float | None, tokens_per_minute: float | None):
        self.requests = TokenBucket(requests_per_minute) if requests_per_minute else None
        self.tokens = TokenBucket(tokens_per_minute) if tokens_per_minute else None

    async def acquire(self, request: ChatRequest) -> None:
        """Wait until `request` may be sent."""
        waits = [0.0]
        if self.requests is not None:
            waits.append(self.requests.reserve(1))
        if self.tokens is not None:
            waits.append(self.tokens.reserve(estimate_tokens(request)))
        if max(waits) > 0:
            await asyncio.sleep(max(waits))

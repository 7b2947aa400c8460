"""When to try a request again, and how long to wait first.

Only transient trouble is retried: rate limiting (429), a server or gateway in distress (500, 502, 503, 504),
a timeout, or a connection that failed. Everything else (400, 401, 403, 404, 422, a malformed body) would
fail the same way again, so retrying it only wastes requests.
"""

from __future__ import annotations

import email.utils
import math
import random
import time
from collections.abc import Mapping

import openai

RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})


def is_retryable(error: BaseException) -> bool:
    if isinstance(error, openai.APIStatusError):
        return error.status_code in RETRYABLE_STATUS
    # APITimeoutError is a kind of APIConnectionError.
    return isinstance(error, openai.APIConnectionError)


def retry_after_s(headers: Mapping[str, str] | None) -> float | None:
    """The wait a response asks for: `retry-after-ms`, else `Retry-After` in seconds or as an HTTP date."""
    if not headers:
        return None
    milliseconds = _number(headers.get("retry-after-ms"))
    if milliseconds is not None:
        return milliseconds / 1000
    value = headers.get("retry-after")
    if value is None:
        return None
    seconds = _number(value)
    if seconds is not None:
        return seconds
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _number(value: str | None) -> float | None:
    try:
        number = float(value) if value is not None else math.nan
    except ValueError:
        return None
    return number if math.isfinite(number) and number >= 0 else None


def backoff_s(retry: int, *, initial_s: float, max_s: float) -> float:
    """Exponential backoff for the `retry`-th retry (0-based), with jitter so that requests that failed
    together do not all come back together."""
    return min(max_s, initial_s * 2**retry) * random.uniform(0.5, 1.0)


def delay_before_retry(
    error: BaseException, retry: int, *, initial_s: float, max_s: float, max_retry_after_s: float
) -> float:
    """Seconds to wait before retrying after `error`: the server's `Retry-After` where it sent one (capped at
    `max_retry_after_s`), else exponential backoff."""
    response = getattr(error, "response", None)
    asked = retry_after_s(response.headers) if response is not None else None
    if asked is not None:
        return min(asked, max_retry_after_s)
    return backoff_s(retry, initial_s=initial_s, max_s=max_s)

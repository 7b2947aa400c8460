"""The project's one LLM client: async chat completions against any OpenAI-compatible endpoint (OpenAI,
vLLM, Ollama) with bounded concurrency, client-side rate limits, retries of transient failures, a DuckDB
reply cache, `n`-choice sampling with a fallback for servers without `n`, and usage accounting.

    client = LLMClient(LLMConfig.from_settings(get_settings(), model="gpt-4o-mini"), store=store, run_id=run_id)
    outcomes = client.run_many([ChatRequest.from_prompt("Write a haiku about tests.")])
    metrics.update(client.meter.as_dict())

Retries are our own loop around `AsyncOpenAI(max_retries=0)` rather than the SDK's: the SDK also retries 408,
409 and every 5xx and obeys an `x-should-retry` header, its backoff constants cannot be configured, and its
retries would bypass our rate limiter and never show in the usage meter.

Requests go through the SDK's typed `chat.completions.create`, with the options adapted to the model and
the configured extra body options (`acecoder.llm.body`), and a timeout that grows with `max_tokens`. Its
raw response is read by `acecoder.llm.wire` rather than parsed into the SDK's models, which would hide a
malformed body. A reply is cached under the endpoint and the whole body sent.
"""

from __future__ import annotations

import asyncio
import logging
import re
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import httpx2
import openai
from tqdm import tqdm

from acecoder.llm.body import WireRequest, wire_request
from acecoder.llm.cache import ReplyCache
from acecoder.llm.chat import ChatFailure, ChatRequest, ChatResult
from acecoder.llm.config import LLMConfig
from acecoder.llm.limits import RateLimits
from acecoder.llm.retry import delay_before_retry, is_retryable
from acecoder.llm.usage import UsageMeter
from acecoder.llm.wire import MalformedReply, Reply, read_reply

if TYPE_CHECKING:
    from acecoder.core.store import Store

log = logging.getLogger(__name__)

_MENTIONS_N = re.compile(r"(?<![A-Za-z0-9_])n(?![A-Za-z0-9_])")


class LLMError(Exception):
    """Raised by `LLMClient.complete` when a request got no usable reply; `failure` says why."""

    def __init__(self, failure: ChatFailure):
        super().__init__(f"{failure.reason} (after {failure.attempts} attempts)")
        self.failure = failure


class _GaveUp(Exception):
    """A request that will not succeed: not retryable, or out of retries."""

    def __init__(self, reason: str, attempts: int, status_code: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.attempts = attempts
        self.status_code = status_code


@dataclass
class _LoopResources:
    """What must belong to the event loop it is used on: the connection pool, the semaphore, the lock."""

    loop: asyncio.AbstractEventLoop | None
    openai: openai.AsyncOpenAI
    slots: asyncio.Semaphore
    n_probe: asyncio.Lock


class LLMClient:
    """Chat completions for one configured endpoint and model.

    With a `store`, every reply is cached in `llm_cache` (tagged with `run_id`) and a request already
    answered is served from there without being sent. `meter` keeps the running totals.
    """

    def __init__(self, config: LLMConfig, *, store: Store | None = None, run_id: str | None = None):
        self.config = config
        self.meter = UsageMeter(config.price_per_million_input, config.price_per_million_output)
        self._cache = ReplyCache(store, run_id=run_id) if store is not None else None
        self._limits = RateLimits(config.requests_per_minute, config.tokens_per_minute)
        self._use_n = config.use_n
        # Built now so that a missing API key shows at once; bound to the first loop that uses it.
        self._resources: _LoopResources | None = self._new_resources()
        self.endpoint = str(self._resources.openai.base_url).rstrip("/")

    # -- public API -----------------------------------------------------------------------------------
    async def complete(self, request: ChatRequest) -> ChatResult:
        """The reply to one request; raises `LLMError` when there is none."""
        [outcome] = await self.complete_many([request], progress=False)
        if isinstance(outcome, ChatFailure):
            raise LLMError(outcome)
        return outcome

    async def complete_many(
        self, requests: Iterable[ChatRequest], *, progress: bool = True
    ) -> list[ChatResult | ChatFailure]:
        """The outcome of each request, in input order. A request that fails (after its retries) becomes a
        `ChatFailure` and leaves the others alone; identical requests are sent once."""
        requests = list(requests)
        wires = [self._wire(request) for request in requests]
        keys = [wire.cache_key(self.endpoint) for wire in wires]
        outcomes: dict[str, ChatResult | ChatFailure] = self._cache.get_many(keys) if self._cache else {}
        hits = sum(key in outcomes for key in keys)
        self.meter.cache_hits += hits
        to_send = {key: request for key, request in zip(keys, requests, strict=True) if key not in outcomes}
        bodies = {key: wire.body() for key, wire in zip(keys, wires, strict=True) if key in to_send}
        copies = Counter(keys)

        with tqdm(
            total=len(requests), initial=hits, desc="llm", unit="req", file=sys.stderr, disable=not progress
        ) as bar:

            async def settle(key: str, request: ChatRequest) -> None:
                outcome = await self._outcome(request, key)
                outcomes[key] = outcome
                if self._cache is not None and isinstance(outcome, ChatResult):
                    self._cache.put({"endpoint": self.endpoint, **bodies[key]}, outcome)
                bar.update(copies[key])

            try:
                await asyncio.gather(*(settle(key, request) for key, request in to_send.items()))
            finally:
                # Whatever was answered before an interruption is kept.
                if self._cache is not None:
                    self._cache.flush()
        return [outcomes[key] for key in keys]

    def run_many(
        self, requests: Iterable[ChatRequest], *, progress: bool = True
    ) -> list[ChatResult | ChatFailure]:
        """`complete_many` for callers that are not async (a script, a worker thread without a loop)."""
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return asyncio.run(self._complete_many_then_close(list(requests), progress))
        raise RuntimeError("run_many() blocks; inside async code use `await client.complete_many(...)`")

    async def aclose(self) -> None:
        """Close the connection pool (a later call opens a new one)."""
        resources, self._resources = self._resources, None
        if resources is not None:
            await resources.openai.close()

    async def __aenter__(self) -> LLMClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # -- internals ------------------------------------------------------------------------------------
    async def _complete_many_then_close(
        self, requests: list[ChatRequest], progress: bool
    ) -> list[ChatResult | ChatFailure]:
        try:
            return await self.complete_many(requests, progress=progress)
        finally:
            await self.aclose()

    def _model(self, request: ChatRequest) -> str:
        return request.model or self.config.model

    def _wire(self, request: ChatRequest) -> WireRequest:
        return wire_request(
            request, self._model(request), reasoning=self.config.reasoning, extra_body=self.config.extra_body
        )

    def _new_resources(self) -> _LoopResources:
        config = self.config
        return _LoopResources(
            loop=None,
            openai=openai.AsyncOpenAI(
                base_url=config.base_url,
                # Self-hosted servers (vLLM, Ollama) take any key but the SDK insists on one.
                api_key=config.api_key or ("unused" if config.base_url else None),
                timeout=config.timeout_s,
                max_retries=0,
                # One kept-alive connection per slot: the SDK's default keeps 100 alive, which above that
                # concurrency would reconnect for every request.
                http_client=openai.DefaultAsyncHttpxClient(
                    limits=httpx2.Limits(
                        max_connections=config.concurrency, max_keepalive_connections=config.concurrency
                    )
                ),
            ),
            slots=asyncio.Semaphore(config.concurrency),
            n_probe=asyncio.Lock(),
        )

    def _bound_resources(self) -> _LoopResources:
        """The resources of the running loop; a client reused under a new loop (one `run_many` after
        another) gets fresh ones, since connections and semaphores cannot move between loops."""
        loop = asyncio.get_running_loop()
        resources = self._resources
        if resources is None or (resources.loop is not None and resources.loop is not loop):
            resources = self._resources = self._new_resources()
        resources.loop = loop
        return resources

    async def _outcome(self, request: ChatRequest, key: str) -> ChatResult | ChatFailure:
        model = self._model(request)
        try:
            replies = await self._replies(request, model)
        except _GaveUp as gave_up:
            failure = ChatFailure(request, gave_up.reason, gave_up.attempts, gave_up.status_code, key)
        except Exception as exc:  # a bug here must not take the rest of the batch down with it
            log.exception("unexpected error for request %s", key)
            failure = ChatFailure(request, f"{type(exc).__name__}: {exc}", 1, None, key)
        else:
            return ChatResult(
                texts=[text for reply in replies for text in reply.texts][: request.n],
                finish_reasons=[reason for reply in replies for reason in reply.finish_reasons][: request.n],
                prompt_tokens=sum(reply.prompt_tokens for reply in replies),
                completion_tokens=sum(reply.completion_tokens for reply in replies),
                cached=False,
                cache_key=key,
                model=model,
            )
        self.meter.failures += 1
        log.warning("request %s failed after %d attempts: %s", key, failure.attempts, failure.reason)
        return failure

    async def _replies(self, request: ChatRequest, model: str) -> list[Reply]:
        """All `request.n` choices, through the `n` parameter or through single requests."""
        if request.n > 1 and self._use_n is None:
            # The first request with n > 1 finds out whether the server honours `n`; the others wait for it
            # rather than each collecting the same 400.
            async with self._bound_resources().n_probe:
                if self._use_n is None:
                    return await self._replies_via_n(request, model)
        if request.n > 1 and self._use_n:
            return await self._replies_via_n(request, model)
        return await self._single_replies(request, model, count=request.n, first=0)

    async def _replies_via_n(self, request: ChatRequest, model: str) -> list[Reply]:
        detecting = self._use_n is None
        try:
            reply = await self._send(request, model)
        except _GaveUp as gave_up:
            rejects_n = gave_up.status_code == 400 and _MENTIONS_N.search(gave_up.reason) is not None
            if not (detecting and rejects_n):
                raise
            log.warning("the server rejects n > 1 (%s); sending single requests instead", gave_up.reason)
            self._use_n = False
            return await self._single_replies(request, model, count=request.n, first=0)
        missing = request.n - len(reply.texts)
        if detecting:
            self._use_n = missing <= 0
            if missing > 0:
                log.warning(
                    "the server ignores n (%d of %d choices); sending single requests instead",
                    len(reply.texts),
                    request.n,
                )
        if missing <= 0:
            return [reply]
        return [reply, *await self._single_replies(request, model, count=missing, first=len(reply.texts))]

    async def _single_replies(
        self, request: ChatRequest, model: str, *, count: int, first: int
    ) -> list[Reply]:
        """`count` one-choice requests in parallel. Choice i gets seed + i, so that a seeded request still
        yields different samples."""
        singles = [
            replace(request, n=1, seed=None if request.seed is None else request.seed + first + i)
            for i in range(count)
        ]
        if count == 1:
            return [await self._send(singles[0], model)]
        outcomes = await asyncio.gather(
            *(self._send(single, model) for single in singles), return_exceptions=True
        )
        for outcome in outcomes:
            if isinstance(outcome, BaseException):
                raise outcome
        return outcomes

    async def _send(self, request: ChatRequest, model: str) -> Reply:
        """One request to the server, retried while it fails in a way that may pass."""
        resources = self._bound_resources()
        config = self.config
        wire = wire_request(request, model, reasoning=config.reasoning, extra_body=config.extra_body)
        timeout_s = config.request_timeout_s(wire.max_tokens)
        attempt = 0
        while True:
            attempt += 1
            try:
                async with resources.slots:
                    await self._limits.acquire(request)
                    self.meter.requests += 1
                    raw = await resources.openai.chat.completions.with_raw_response.create(
                        **wire.options, extra_body=wire.extra_body or None, timeout=timeout_s
                    )
                reply = read_reply(raw.content)
            except MalformedReply as exc:
                raise _GaveUp(f"malformed reply: {exc}", attempt) from None
            except openai.APIError as exc:
                status_code = getattr(exc, "status_code", None)
                if not is_retryable(exc) or attempt > config.max_retries:
                    raise _GaveUp(_describe(exc, timeout_s), attempt, status_code) from None
                delay_s = delay_before_retry(
                    exc,
                    attempt - 1,
                    initial_s=config.backoff_initial_s,
                    max_s=config.backoff_max_s,
                    max_retry_after_s=config.max_retry_after_s,
                )
                self.meter.retries += 1
                log.info(
                    "retrying in %.2fs (%d of %d): %s",
                    delay_s,
                    attempt,
                    config.max_retries,
                    _describe(exc, timeout_s),
                )
                await asyncio.sleep(delay_s)
            else:
                self.meter.prompt_tokens += reply.prompt_tokens
                self.meter.completion_tokens += reply.completion_tokens
                return reply


def _describe(error: openai.APIError, timeout_s: float) -> str:
    if isinstance(error, openai.APIStatusError):
        # OpenAI nests {"message": ...} under "error" (the SDK unwraps it); vLLM sends it at the top level.
        body = error.body
        message = body.get("message") if isinstance(body, dict) else body
        return f"HTTP {error.status_code}: {message if isinstance(message, str) else error.message}"
    if isinstance(error, openai.APITimeoutError):
        return f"timed out after {timeout_s:g}s"
    cause = error.__cause__
    return (
        f"connection error: {type(cause).__name__}: {cause}"
        if cause
        else f"connection error: {error.message}"
    )

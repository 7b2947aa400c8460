"""The reply cache in the `llm_cache` table: a request already answered is never sent again.

DuckDB connections are not thread-safe, so the client touches this only from its event-loop thread; reads
come in one query for a whole batch and writes are buffered and flushed in chunks.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from acecoder.llm.chat import ChatResult

if TYPE_CHECKING:
    from acecoder.core.store import Store


class ReplyCache:
    """Reads and buffered writes of cached replies in one store."""

    def __init__(self, store: Store, *, run_id: str | None = None, flush_every: int = 256):
        self.store = store
        self.run_id = run_id
        self.flush_every = flush_every
        self._pending: dict[str, dict[str, object]] = {}

    def get_many(self, keys: Iterable[str]) -> dict[str, ChatResult]:
        """The cached replies among `keys`, by key."""
        wanted = sorted(set(keys))
        if not wanted:
            return {}
        found = {}
        for key, model, response, prompt_tokens, completion_tokens in self.store.rows(
            "llm_cache_get", keys=wanted
        ):
            reply = json.loads(response)
            found[key] = ChatResult(
                texts=reply["texts"],
                finish_reasons=reply["finish_reasons"],
                prompt_tokens=prompt_tokens or 0,
                completion_tokens=completion_tokens or 0,
                cached=True,
                cache_key=key,
                model=model,
            )
        return found

    def put(self, request: dict[str, Any], result: ChatResult) -> None:
        """Buffer `result` as the reply to `request` (the endpoint and the body sent); written when the
        buffer fills or on `flush()`."""
        self._pending[result.cache_key] = {
            "cache_key": result.cache_key,
            "model": result.model,
            "request": json.dumps(request),
            "response": json.dumps({"texts": result.texts, "finish_reasons": result.finish_reasons}),
            "prompt_tokens": result.prompt_tokens,
            "completion_tokens": result.completion_tokens,
            "run_id": self.run_id,
        }
        if len(self._pending) >= self.flush_every:
            self.flush()

    def flush(self) -> int:
        """Write the buffered replies; returns how many rows the table gained."""
        if not self._pending:
            return 0
        rows, self._pending = list(self._pending.values()), {}
        return self.store.insert("llm_cache_put", rows)

"""The reply cache in the `llm_cache` table: a request already answered is never sent again.

DuckDB connections are not thread-safe, so the client touches this only from its event-loop thread; reads
come in one query for a whole batch and writes are buffered and flushed in chunks. A DuckDB insert costs
milliseconds, too much per reply at hundreds of replies a second, so each reply is also appended to a journal
file beside the database as it arrives (one write, no fsync: it survives the process being killed, not the
machine losing power); a cache opened on the same database loads whatever a killed run left there, so a
reply once received is never asked for again.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from acecoder.llm.chat import ChatResult

if TYPE_CHECKING:
    from acecoder.core.store import Store

log = logging.getLogger(__name__)


def journal_path(store: Store) -> Path | None:
    """The journal of replies not yet in `llm_cache`, beside the database file (None in memory)."""
    path = Path(str(store.path))
    return None if str(store.path) == ":memory:" else path.with_name(path.name + ".llm-journal")


class ReplyCache:
    """Reads and buffered writes of cached replies in one store."""

    def __init__(self, store: Store, *, run_id: str | None = None, flush_every: int = 256):
        self.store = store
        self.run_id = run_id
        self.flush_every = flush_every
        self._pending: dict[str, dict[str, object]] = {}
        self._journal_path = journal_path(store)
        self._journal = None
        self.recovered = self._recover()

    def _recover(self) -> int:
        """Store the replies a killed run journaled but never wrote to `llm_cache`; returns how many."""
        if self._journal_path is None or not self._journal_path.exists():
            return 0
        rows = []
        for line in self._journal_path.read_text(encoding="utf-8").splitlines():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError:  # the last line of a run killed while writing it
                continue
        added = self.store.insert("llm_cache_put", rows) if rows else 0
        self._journal_path.unlink()
        if rows:
            log.info("llm cache: %s replies recovered from %s", added, self._journal_path)
        return added

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
        if self._journal_path is not None:
            if self._journal is None:
                self._journal = self._journal_path.open("a", encoding="utf-8")
            self._journal.write(json.dumps(self._pending[result.cache_key]) + "\n")
            self._journal.flush()
        if len(self._pending) >= self.flush_every:
            self.flush()

    def flush(self) -> int:
        """Write the buffered replies; returns how many rows the table gained."""
        if not self._pending:
            return 0
        rows, self._pending = list(self._pending.values()), {}
        added = self.store.insert("llm_cache_put", rows)
        if self._journal is not None:  # everything journaled is in the table now
            self._journal.close()
            self._journal = None
            self._journal_path.unlink(missing_ok=True)
        return added

"""Content hashes: every stored row is keyed by a hash of what defines it, so re-runs insert nothing twice."""

from __future__ import annotations

import hashlib
import json


def content_hash(*parts: object, length: int = 20) -> str:
    """A stable hex digest of `parts` (strings as-is, anything else as canonical JSON)."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        text = part if isinstance(part, str) else json.dumps(part, sort_keys=True, default=str)
        h.update(text.encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()[:length]

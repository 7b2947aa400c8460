"""LLM access for the pipeline: one async client for OpenAI-compatible endpoints, and reply parsing.

Names are imported on first use, so that `acecoder.llm.parsing` (or a command that never calls a model)
does not pay for importing the openai SDK.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from acecoder.llm.chat import ChatFailure, ChatRequest, ChatResult
    from acecoder.llm.client import LLMClient, LLMError
    from acecoder.llm.config import LLMConfig
    from acecoder.llm.parsing import ReplyParseError, extract_code_blocks, extract_json
    from acecoder.llm.usage import UsageMeter

_HOMES = {
    "ChatFailure": "chat",
    "ChatRequest": "chat",
    "ChatResult": "chat",
    "LLMClient": "client",
    "LLMError": "client",
    "LLMConfig": "config",
    "ReplyParseError": "parsing",
    "extract_code_blocks": "parsing",
    "extract_json": "parsing",
    "UsageMeter": "usage",
}
__all__ = [
    "ChatFailure",
    "ChatRequest",
    "ChatResult",
    "LLMClient",
    "LLMConfig",
    "LLMError",
    "ReplyParseError",
    "UsageMeter",
    "extract_code_blocks",
    "extract_json",
]


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_HOMES[name]}"), name)

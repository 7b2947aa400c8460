"""The LLM options every command shares (`acecoder --llm-extra-body ... --llm-reasoning COMMAND`): they set
the settings' environment variables, so that the command, and the flows and workers it starts, read them."""

from __future__ import annotations

import json
import os

import typer


def apply_llm_options(extra_body: str | None, reasoning: bool | None) -> None:
    """Put the options into ACECODER_LLM_EXTRA_BODY / ACECODER_LLM_REASONING; refuse what is not a JSON
    object."""
    if extra_body is None and reasoning is None:
        return
    from acecoder.core.settings import get_settings

    if extra_body is not None:
        try:
            options = json.loads(extra_body)
        except ValueError as exc:
            raise typer.BadParameter(
                f"not JSON ({exc}): {extra_body[:200]!r}", param_hint="--llm-extra-body"
            ) from None
        if not isinstance(options, dict):
            raise typer.BadParameter(
                f"must be a JSON object, got {type(options).__name__}", param_hint="--llm-extra-body"
            )
        os.environ["ACECODER_LLM_EXTRA_BODY"] = json.dumps(options)
    if reasoning is not None:
        os.environ["ACECODER_LLM_REASONING"] = "true" if reasoning else "false"
    get_settings.cache_clear()

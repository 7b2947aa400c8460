"""Polishing templated questions with the LLM client, when an endpoint is configured.

The template question is exact but stilted; a model rewrites it into fluent prose (prompt
`synthetic_polish_v1`). A rewrite is used only if it keeps every parameter name of the function; otherwise
(or when the request fails) the template question stays. Replies are cached in `llm_cache` like every
other request, so a re-run costs nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from acecoder.llm import prompts

POLISH = "synthetic_polish_v1"
_FENCE = re.compile(r"^```\w*\n|\n```\s*$")


@dataclass
class PolishReport:
    model: str
    polished: int = 0
    kept_template: int = 0
    reasons: dict[str, int] = field(default_factory=dict)
    usage: dict[str, object] = field(default_factory=dict)


def accept_rewrite(text: str, parameters: list[str]) -> str | None:
    """The rewrite, cleaned, or None when it is empty or lost a parameter name."""
    text = _FENCE.sub("", text.strip()).strip()
    if not text:
        return None
    if any(not re.search(rf"\b{re.escape(name)}\b", text) for name in parameters):
        return None
    return text


def polish(
    questions: list[str],
    parameters: list[list[str]],
    model: str,
    *,
    store=None,
    run_id=None,
    client=None,
    temperature: float = 0.2,
) -> tuple[list[str], PolishReport]:
    """Each question rewritten (or left as it was), with what happened."""
    from acecoder.core.settings import get_settings
    from acecoder.llm import ChatFailure, ChatRequest, LLMClient, LLMConfig

    report = PolishReport(model=model)
    if client is None:
        client = LLMClient(LLMConfig.from_settings(get_settings(), model=model), store=store, run_id=run_id)
    requests = [
        ChatRequest.from_prompt(prompts.render(POLISH, question=q), temperature=temperature, max_tokens=2048)
        for q in questions
    ]
    results = []
    for question, names, reply in zip(questions, parameters, client.run_many(requests), strict=True):
        rewrite = None if isinstance(reply, ChatFailure) else accept_rewrite(reply.text, names)
        if rewrite is None:
            reason = "request failed" if isinstance(reply, ChatFailure) else "rewrite lost a parameter name"
            report.reasons[reason] = report.reasons.get(reason, 0) + 1
            report.kept_template += 1
            results.append(question)
        else:
            report.polished += 1
            results.append(rewrite)
    report.usage = client.meter.as_dict()
    return results, report

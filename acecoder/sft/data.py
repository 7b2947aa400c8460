"""SFT examples: the RL prompt for a task (`acecoder.rl.prompts.build_prompt`, plain style) and its reference
solution in one fenced block, the answer format the RL rewards and the evaluation read."""

from __future__ import annotations

from typing import Any

from acecoder.functions.tasks import CodeTask
from acecoder.rl.prompts import build_prompt

STYLE = "plain"  # references carry no reasoning, so SFT targets only the plain answer format


def answer(reference: str) -> str:
    return f"```python\n{reference.strip()}\n```"


def sft_rows(tasks: list[CodeTask], chat: bool = True) -> list[dict[str, Any]]:
    """TRL prompt/completion rows: chat messages when the model has a chat template, else plain text."""
    rows = []
    for task in tasks:
        prompt = build_prompt(task.question, task.entry_point, STYLE, chat)
        completion: Any = answer(task.reference)
        if chat:
            completion = [{"role": "assistant", "content": completion}]
        rows.append({"prompt": prompt, "completion": completion, "task_id": task.task_id, "kind": task.kind})
    return rows


def texts(tasks: list[CodeTask]) -> list[str]:
    """Prompt and answer text of each task: what a demonstration tokenizer is trained on."""
    return [
        str(build_prompt(t.question, t.entry_point, STYLE, chat=False)) + answer(t.reference) for t in tasks
    ]

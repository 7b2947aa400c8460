"""The policy's prompts: `plain` (the question and the function to write, answered in one fenced block) or
`r1` (DeepSeek-R1-Zero's layout, as in AceCoder's R1-style runs: reason in <think>, answer in <answer>).

A prompt is a list of chat messages for models with a chat template, else one string in the same words.
"""

from __future__ import annotations

from typing import Any

from acecoder.rl.rewards import PROMPT_STYLES

PLAIN_INSTRUCTION = (
    "Write the Python function `{entry_point}` that solves the problem below. Answer with the complete "
    "function, and any imports or helpers it needs, in one ```python code block."
)
R1_SYSTEM = (
    "A conversation between User and Assistant. The User asks a question, and the Assistant solves it. The "
    "Assistant first thinks about the reasoning process in its mind and then gives the User the answer. The "
    "reasoning process and the answer are enclosed within <think> </think> and <answer> </answer> tags, "
    "respectively, i.e., <think> reasoning process here </think><answer> answer here </answer>. The answer "
    "holds the complete Python program in one ```python code block."
)


def user_message(question: str, entry_point: str | None) -> str:
    function = entry_point or "solution"
    return f"{PLAIN_INSTRUCTION.format(entry_point=function)}\n\n{question.strip()}"


def build_prompt(
    question: str, entry_point: str | None, style: str = "plain", chat: bool = True
) -> str | list[dict[str, Any]]:
    """The prompt for one problem: chat messages when `chat`, else text ending where the answer starts."""
    if style not in PROMPT_STYLES:
        raise ValueError(f"unknown prompt style {style!r}: use one of {PROMPT_STYLES}")
    user = user_message(question, entry_point)
    if chat:
        system = [{"role": "system", "content": R1_SYSTEM}] if style == "r1" else []
        return [*system, {"role": "user", "content": user}]
    if style == "r1":
        return f"{R1_SYSTEM}\nUser: {user}\nAssistant: "
    return f"{user}\n\n"

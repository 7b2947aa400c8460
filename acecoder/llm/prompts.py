"""Versioned prompt templates (files under `acecoder/llm/prompt_templates/`); the version is part of every record's key."""

from __future__ import annotations

from functools import cache
from pathlib import Path

PROMPT_DIR = Path(__file__).resolve().parent / "prompt_templates"

SYNTH = "synth_v1"  # instruction + reference program -> question + tests (AceCoder's rewrite prompt)
SYNTH_CODE_ONLY = "synth_code_only_v1"  # the variant for code that came without an instruction
SOLVE = "solve_v1"  # question + example tests -> program (AceCoder's sampling prompt)


@cache
def template(name: str) -> str:
    path = PROMPT_DIR / f"{name}.txt"
    if not path.is_file():
        raise FileNotFoundError(f"no prompt template {name!r} ({path})")
    return path.read_text()


def render(name: str, **fields: str) -> str:
    return template(name).format(**fields)

"""Options of the synthesis stage."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class SynthConfig:
    backend: str = "auto"  # auto (llm when an endpoint is configured, else inferred) | llm | inferred
    model: str | None = None  # LLM backend; default: settings.synth_model
    limit: int | None = None  # sources to take this run
    temperature: float = 0.2
    max_tokens: int = 4096
    max_tests: int = 20  # inferred backend: tests per problem
    inputs_per_problem: int = 40  # inferred backend: candidate inputs run through the reference
    augment: bool = False  # llm backend: add inferred tests to the LLM's
    seed: int = 0
    dry_run: bool = False

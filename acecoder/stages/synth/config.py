"""Options of the synthesis stage."""

from __future__ import annotations

from dataclasses import dataclass

from acecoder.core.config import setting


@dataclass
class SynthConfig:
    backend: str = setting(
        "auto",
        "auto: the LLM when OPENAI_BASE_URL/OPENAI_API_KEY is set, else inferred. llm: AceCoder's rewrite "
        "prompt (question + ~20 asserts). inferred: no LLM; tests from running the reference solution on "
        "generated inputs.",
    )
    model: str | None = setting(
        None, "LLM that writes questions and tests (default: ACECODER_SYNTH_MODEL, else gpt-4o-mini)."
    )
    limit: int | None = setting(None, "Sources to take in this run.")
    batch_size: int = setting(
        256,
        "Sources per batch; each batch is committed as it completes. With the LLM backend keep it several times "
        "ACECODER_LLM_CONCURRENCY, so that requests stay in flight.",
    )
    temperature: float = setting(0.2, "LLM sampling temperature.")
    max_tokens: int = setting(4096, "LLM: longest answer.")
    max_tests: int = setting(20, "Inferred backend: tests kept per problem.")
    inputs_per_problem: int = setting(40, "Inferred backend: inputs tried per problem.")
    augment: bool = setting(False, "LLM backend: add inferred tests to the LLM's.")
    seed: int = setting(0, "Seed of input generation.")
    dry_run: bool = setting(False, "Show the prompt for one row and stop.")

"""Runtime settings: one object, read lazily from the environment (and `.env`), never at import time."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parents[2]


class Settings(BaseSettings):
    """Everything a stage may need to know about its surroundings.

    Each field reads `ACECODER_<NAME>`; the LLM endpoint also reads the standard `OPENAI_*` variables.
    """

    model_config = SettingsConfigDict(env_prefix="ACECODER_", env_file=".env", extra="ignore")

    db: Path = Field(Path("data/acecoder.duckdb"), description="DuckDB file holding every record.")
    db_lock_timeout_s: float = Field(
        300.0,
        description="How long opening the database waits while another process holds it (DuckDB takes one "
        "writer per file) before failing with the holder's name.",
    )
    data_dir: Path | None = Field(
        None,
        description="Folder with HumanEvalPlus.jsonl.gz and MbppPlus.jsonl.gz; empty for the copies bundled "
        "with acecoder (acecoder/data/benchmarks).",
    )

    openai_base_url: str | None = Field(
        None, validation_alias=AliasChoices("OPENAI_BASE_URL", "ACECODER_OPENAI_BASE_URL")
    )
    openai_api_key: str | None = Field(
        None, validation_alias=AliasChoices("OPENAI_API_KEY", "ACECODER_OPENAI_API_KEY")
    )
    synth_model: str = Field("gpt-4o-mini", description="Model that writes questions and tests.")
    policy_model: str = Field("gpt-4o-mini", description="Model that samples candidate programs.")
    llm_concurrency: int = Field(16, description="Requests in flight at once.")
    llm_requests_per_minute: int | None = Field(None, description="Client-side request rate cap.")
    llm_tokens_per_minute: int | None = Field(None, description="Client-side token rate cap.")
    llm_timeout_s: float = Field(
        120.0,
        description="Timeout of one request, plus llm_timeout_per_token_s for each token of its max_tokens.",
    )
    llm_timeout_per_token_s: float = Field(
        0.05, description="Time a request may take for each token its max_tokens allows (20 tokens/s)."
    )
    llm_extra_body: dict[str, Any] | None = Field(
        None,
        description='Options sent in every request body as they are, as a JSON object (vLLM: {"top_k": 20}).',
    )
    llm_reasoning: bool | None = Field(
        None,
        description="Whether the model is a reasoning model (max_completion_tokens; no temperature, top_p or "
        "stop); unset decides by its name (o1, o3, o4-mini, gpt-5).",
    )
    llm_max_retries: int = Field(4, description="Retries of a retryable failure (429, 5xx, timeout).")
    llm_price_per_million_input: float | None = None
    llm_price_per_million_output: float | None = None

    sandbox_workers: int = Field(0, description="Sandbox worker processes; 0 means one per core.")
    sandbox_timeout_s: float = Field(4.0, description="Time limit of one test.")
    sandbox_program_timeout_s: float = Field(15.0, description="Time limit of all tests of one program.")
    sandbox_memory_mb: int = Field(2048, description="Address-space limit of one program.")
    sandbox_reference_factor: float | None = Field(
        4.0,
        description="Scoring: a test's limit is max(floor, this x the reference solution's time on it), never "
        "more than the per-test limit (EvalPlus's rule), so that a looping program costs seconds, not the "
        "program's whole limit. Empty for the fixed per-test limit.",
    )
    sandbox_reference_floor_s: float = Field(1.0, description="Scoring: the least time a test gets.")

    @property
    def llm_configured(self) -> bool:
        return bool(self.openai_base_url or self.openai_api_key)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()

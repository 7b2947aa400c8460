"""Rows of the store's `programs` and `executions` tables, built in one place for every stage that writes them."""

from __future__ import annotations

import json

from acecoder.code.normalize import normalized_hash
from acecoder.core.hashing import content_hash


def program_row(
    problem_id: str,
    code: str,
    policy: str,
    index: int | None,
    metadata: dict | None = None,
    *,
    normalized: bool = True,
) -> dict:
    """A `programs` row; `normalized=False` leaves the normalised-AST hash out (the reference needs none: it
    is not deduplicated against samples)."""
    return {
        "program_id": content_hash(problem_id, code),
        "problem_id": problem_id,
        "code": code,
        "policy": policy,
        "normalized_hash": normalized_hash(code) if normalized else None,
        "sample_idx": index,
        "metadata": json.dumps(metadata) if metadata else None,
    }


def execution_rows(program_id: str, test_ids: list[str], result, run_id: str) -> list[dict[str, object]]:
    """One `executions` row per test verdict of a sandbox result, in the order of `test_ids`."""
    return [
        {
            "program_id": program_id,
            "test_id": test_id,
            "status": verdict["status"],
            "error_type": verdict.get("error_type"),
            "error_line": verdict.get("error_line"),
            "category": verdict.get("category"),
            "message": verdict.get("message"),
            "duration_ms": verdict.get("duration_ms"),
            "run_id": run_id,
        }
        for test_id, verdict in zip(test_ids, result["tests"], strict=True)
    ]

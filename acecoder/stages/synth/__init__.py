"""Test-case synthesis: sources → problems (a question and an entry point) with assert tests.

Backends: `llm` (AceCoder's rewrite prompt through an OpenAI-compatible endpoint) and `inferred` (no LLM:
the reference solution run on generated inputs). Filtering by reference execution lives in
`acecoder.stages.filter`.
"""

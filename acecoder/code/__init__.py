"""Helpers on source code: program extraction, normalisation, mutation, input generation, benchmarks, the seed corpus."""

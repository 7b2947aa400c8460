"""acecoder: verified (question, tests) pairs, pass-rate preference pairs and reward models for code LLMs."""

__version__ = "0.1.0"

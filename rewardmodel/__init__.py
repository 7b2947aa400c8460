"""Bradley-Terry reward model: data from DuckDB, training with TRL, scoring and best-of-N reranking."""

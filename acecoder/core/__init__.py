"""What every stage stands on: the DuckDB store and its named SQL files, settings, content hashes, sandbox pools."""

-- DuckDB's own memory limit again (80% of RAM).
RESET memory_limit;

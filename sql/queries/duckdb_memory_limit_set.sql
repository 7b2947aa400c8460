-- Cap DuckDB's memory (its block cache included) for this connection, e.g. '128MB'; it spills to disk past it.
SET memory_limit = $limit;

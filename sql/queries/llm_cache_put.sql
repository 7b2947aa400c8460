-- Store replies staged as (cache_key, model, request, response, prompt_tokens, completion_tokens, run_id);
-- request and response are JSON text. A key already cached keeps its first reply.
INSERT INTO llm_cache (cache_key, model, request, response, prompt_tokens, completion_tokens, run_id)
SELECT cache_key, model, request::JSON, response::JSON, prompt_tokens, completion_tokens, run_id::VARCHAR
FROM staged
ON CONFLICT DO NOTHING;

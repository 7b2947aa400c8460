-- Cached replies for a list of request keys ($keys VARCHAR[]); keys without a reply are simply absent.
SELECT cache_key, model, response, prompt_tokens, completion_tokens
FROM llm_cache
WHERE cache_key IN (SELECT unnest($keys::VARCHAR[]));

-- Row counts per table and per status, for `acecoder status`.
SELECT 'sources' AS tbl, CASE WHEN contaminated THEN 'contaminated' WHEN near_dup_of IS NOT NULL
       THEN 'near duplicate' ELSE 'clean' END AS breakdown, count(*) AS n FROM sources GROUP BY ALL
UNION ALL SELECT 'problems', status, count(*) FROM problems GROUP BY ALL
UNION ALL SELECT 'tests', CASE WHEN kept IS NULL THEN 'unfiltered' WHEN kept THEN 'kept' ELSE 'dropped' END,
       count(*) FROM tests GROUP BY ALL
UNION ALL SELECT 'programs', split_part(policy, ':', 1), count(*) FROM programs GROUP BY ALL
UNION ALL SELECT 'executions', status, count(*) FROM executions GROUP BY ALL
UNION ALL SELECT 'pairs', NULL, count(*) FROM pairs
UNION ALL SELECT 'runs', stage || ' ' || status, count(*) FROM runs GROUP BY ALL
UNION ALL SELECT 'llm_cache', model, count(*) FROM llm_cache GROUP BY ALL
ORDER BY 1, 2;

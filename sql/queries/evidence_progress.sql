-- Reward-model evidence: how far the evaluation-only problems have come (tests, kept tests, programs of
-- $policy, labelled and fully scored programs).
SELECT
    (SELECT count(*) FROM problems WHERE evaluation_only) AS problems,
    (SELECT count(DISTINCT t.problem_id) FROM tests t JOIN problems q USING (problem_id)
      WHERE q.evaluation_only AND t.origin = 'inferred') AS problems_with_inferred_tests,
    (SELECT count(DISTINCT t.problem_id) FROM tests t JOIN problems q USING (problem_id)
      WHERE q.evaluation_only AND t.kept) AS problems_with_kept_tests,
    (SELECT count(*) FROM programs p JOIN problems q USING (problem_id)
      WHERE q.evaluation_only AND p.policy = $policy) AS programs,
    (SELECT count(*) FROM ground_truth g JOIN programs p USING (program_id) WHERE p.policy = $policy)
        AS labelled,
    (SELECT count(*) FROM pass_rates r JOIN problems q USING (problem_id)
      WHERE q.evaluation_only AND r.policy = $policy AND r.executed = r.kept_tests) AS scored;

-- Pairs, problems covered (share of kept problems with at least one pair), mean pass rates.
SELECT
    (SELECT count(*) FROM pairs) AS pairs,
    (SELECT count(DISTINCT problem_id) FROM pairs) AS problems_with_pairs,
    (SELECT count(*) FROM problems WHERE status = 'kept') AS kept_problems,
    (SELECT count(DISTINCT problem_id) FROM pairs)::DOUBLE
        / nullif((SELECT count(*) FROM problems WHERE status = 'kept'), 0) AS problems_covered,
    (SELECT avg(chosen_pass_rate) FROM pairs) AS mean_chosen_pass_rate,
    (SELECT avg(rejected_pass_rate) FROM pairs) AS mean_rejected_pass_rate;

-- Size of each part of a split, by the reason a composition is there.
SELECT m.part, m.reason, count(*) AS compositions, round(avg(c.depth), 2) AS mean_depth,
       round(avg(c.tests), 1) AS mean_tests
FROM synthetic_split_members m JOIN compositions c USING (composition_id)
WHERE m.split = $split
GROUP BY ALL
ORDER BY m.part DESC, m.reason;

-- One row per stored composition with the figures its distributions are made of (bench/synthetic.py).
SELECT depth, tests, reference_pass_rate, len(combinators) AS combinators, params
FROM compositions;

-- Where a problem's stored reference came from: NULL for the source's own solution, else the model that wrote
-- it in the filter's reference step (AceCoder's stronger-model reference), so the filter, the mutants policy
-- and reward-model evaluation all use the same program and its lineage is kept.
ALTER TABLE problems ADD COLUMN IF NOT EXISTS reference_policy VARCHAR;

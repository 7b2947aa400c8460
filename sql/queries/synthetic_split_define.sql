-- (Re)define a named split; its members are cleared and written next (synthetic_split_members_*).
INSERT OR REPLACE INTO synthetic_splits (split, held_out_topic, held_out_fraction, seed, run_id)
VALUES ($split, $held_out_topic, $held_out_fraction, $seed, $run_id);

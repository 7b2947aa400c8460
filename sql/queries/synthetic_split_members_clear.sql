-- Forget the members of a split before it is written again.
DELETE FROM synthetic_split_members WHERE split = $split;

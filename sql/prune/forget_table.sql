-- --keep-tags moved table $1's boundary back: the commits collected for its
-- first boundary are collected again from the new one.
DELETE FROM pg_temp.vsg_prune WHERE table_id = $1::int

-- The commits a `vsg prune` drops (src/ops/prune.ts). Dropped first: an
-- earlier prune in the same transaction may have made one.
DROP TABLE IF EXISTS pg_temp.vsg_prune;
CREATE TEMP TABLE vsg_prune (id text PRIMARY KEY, seq bigint NOT NULL, table_id int NOT NULL) ON COMMIT DROP

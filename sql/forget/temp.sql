-- The keys a `vsg forget` blanks (src/ops/forget.ts). Dropped first: an earlier
-- forget in the same transaction (Repository.transaction) may have made one.
DROP TABLE IF EXISTS pg_temp.vsg_forget;
CREATE TEMP TABLE vsg_forget (key jsonb PRIMARY KEY) ON COMMIT DROP

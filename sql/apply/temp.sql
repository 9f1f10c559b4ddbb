-- A fresh pg_temp.vsg_apply for a write-back (src/core/apply.ts): the keys to
-- write and the image each must hold (NULL: no row). Dropped first: an earlier
-- write-back in the same transaction (Repository.transaction) may have made one.
DROP TABLE IF EXISTS pg_temp.vsg_apply;
CREATE TEMP TABLE vsg_apply (key jsonb, img jsonb) ON COMMIT DROP

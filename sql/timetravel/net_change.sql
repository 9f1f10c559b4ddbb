-- Whether the uncommitted changes of table $1 net to any change: all of them
-- ($2), or only those of keys this transaction wrote (what createCommit takes).
WITH mine AS (
  SELECT DISTINCT key FROM vsg.pending WHERE table_id = $1 AND xid = txid_current()
), net AS (
  SELECT key, (array_agg(before ORDER BY seq))[1] AS before, (array_agg(after ORDER BY seq DESC))[1] AS after
  FROM vsg.pending WHERE table_id = $1 AND ($2 OR key IN (SELECT key FROM mine))
  GROUP BY key
)
SELECT EXISTS (SELECT 1 FROM net WHERE before IS DISTINCT FROM after)::text AS any

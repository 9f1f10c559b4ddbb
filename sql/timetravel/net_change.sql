-- Whether the uncommitted changes of table $1 net to any change: all of them
-- ($2), or only those of keys this transaction wrote (what createCommit takes),
-- with the rows a bulk write-back staged for the commit (vsg.staged_changes).
WITH staged AS (
  SELECT key, before, after FROM vsg.staged_changes($1)
), mine AS (
  SELECT key FROM vsg.pending WHERE table_id = $1 AND xid = txid_current()
  UNION
  SELECT key FROM staged
), net AS (
  SELECT key, (array_agg(before ORDER BY seq))[1] AS before, (array_agg(after ORDER BY seq DESC))[1] AS after
  FROM (SELECT seq, key, before, after FROM vsg.pending WHERE table_id = $1 AND ($2 OR key IN (SELECT key FROM mine))
        UNION ALL
        SELECT 9223372036854775807, key, before, after FROM staged) x
  GROUP BY key
)
-- A staged change of a key with no pending row is a change by itself: the
-- usual case, decided on the first such row without netting the others.
SELECT (EXISTS (SELECT 1 FROM staged s
                WHERE s.before IS DISTINCT FROM s.after
                  AND NOT EXISTS (SELECT 1 FROM vsg.pending p WHERE p.table_id = $1 AND p.key = s.key))
        OR EXISTS (SELECT 1 FROM net WHERE before IS DISTINCT FROM after))::text AS any

-- The tracked tables with uncommitted changes: every writer's ($1 false), or
-- this transaction's alone ($1 true: what a commit across tables records).
-- One index probe per tracked table (vsg.pending is indexed by table, then xid).
SELECT t.id::text AS id FROM vsg.tracked t
WHERE EXISTS (SELECT 1 FROM vsg.pending p WHERE p.table_id = t.id AND (NOT $1::boolean OR p.xid = txid_current()))
ORDER BY t.id

-- The checkpoints of table $1 this role can read, newest first (a dropped or
-- unreadable one is passed over: has_table_privilege of NULL is NULL).
SELECT k.commit_id, k.relname, k.rows::text, k.signature::text
FROM vsg.checkpoints k JOIN vsg.commits c ON c.id = k.commit_id
WHERE k.table_id = $1::int
  AND has_table_privilege(to_regclass(format('vsg.%I', k.relname)), 'SELECT')
ORDER BY c.seq DESC

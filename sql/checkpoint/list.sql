-- The checkpoints of table $1 this role can read, newest first (a dropped or
-- unreadable one is passed over: has_table_privilege of NULL is NULL).
SELECT k.commit_id, k.relname, k.rows::text, k.signature::text
FROM vsg.checkpoints k JOIN vsg.commits c ON c.id = k.commit_id
WHERE k.table_id = $1::int
  AND has_table_privilege(to_regclass(format('vsg.%I', k.relname)), 'SELECT')
  -- a root's copy (hash scheme 3) of fewer than 1,000 rows is no reload
  -- source, as no other checkpoint that small is taken (CHECKPOINT_MIN_ROWS, src/core/checkpoint.ts)
  AND (c.hash_scheme <> 3 OR k.rows >= 1000)
ORDER BY c.seq DESC

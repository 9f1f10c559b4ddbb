-- The checkpoints of table $1, each with the rows changed between its commit
-- and commit $2 along the state tree (vsg.path_changes: an upper bound of the
-- rows a reload from it must correct), fewest first.
SELECT x.commit_id, x.relname, x.rows::text, x.signature::text, x.delta::text
FROM (
  SELECT k.commit_id, k.relname, k.rows, k.signature, c.seq, vsg.path_changes(k.commit_id, $2::text) AS delta
  FROM vsg.checkpoints k JOIN vsg.commits c ON c.id = k.commit_id
  WHERE k.table_id = $1::int
    -- one dropped or unreadable by this role is passed over (has_table_privilege of NULL is NULL)
    AND has_table_privilege(to_regclass(format('vsg.%I', k.relname)), 'SELECT')
) x
ORDER BY x.delta, x.seq DESC

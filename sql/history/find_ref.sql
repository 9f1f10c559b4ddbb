-- Candidates for a reference: refs by exact name, commits by id prefix, and
-- commits across tables by id prefix (one row per part, `span` their id).
-- $1 name or prefix, $2 table id or NULL for every table, $3 whether $1 may be an id prefix.
-- Without $2, the refs of untracked histories are left out (their commits are
-- still found by id): a branch name means the tables tracked now.
-- An id prefix is read as a range of the primary key (ids are lowercase hex,
-- so every id starting with $1 sorts from $1 up to $1 || 'g' in any
-- collation), then checked with LIKE: the database's collation may not be C,
-- and then LIKE alone scans every commit. `pruned`: the commit was pruned
-- (docs/prune.md), which the caller answers with E_PRUNED.
-- ($2 and $3 read through `arg`, never as constants: see sql/commit/create.sql)
WITH arg AS MATERIALIZED (SELECT $2::int AS tid, $3::boolean AS by_id)
SELECT 'ref' AS via, r.kind, r.name, r.commit_id AS id, r.table_id::text, c.message, NULL AS span, c.pruned IS NOT NULL AS pruned
FROM vsg.refs r JOIN vsg.commits c ON c.id = r.commit_id
WHERE r.name = $1
  AND CASE WHEN (SELECT tid FROM arg) IS NULL THEN EXISTS (SELECT 1 FROM vsg.tracked t WHERE t.id = r.table_id AND t.untracked_at IS NULL)
           ELSE r.table_id = (SELECT tid FROM arg) END
UNION ALL
SELECT 'id', NULL, NULL, c.id, c.table_id::text, c.message, NULL, c.pruned IS NOT NULL
FROM vsg.commits c
WHERE (SELECT by_id FROM arg) AND c.id >= $1 AND c.id < $1 || 'g' AND c.id LIKE $1 || '%' AND ((SELECT tid FROM arg) IS NULL OR c.table_id = (SELECT tid FROM arg))
UNION ALL
SELECT 'id', NULL, NULL, c.id, c.table_id::text, c.message, p.id, c.pruned IS NOT NULL
FROM vsg.commit_parts p JOIN vsg.commits c ON c.id = p.part
WHERE (SELECT by_id FROM arg) AND p.id >= $1 AND p.id < $1 || 'g' AND p.id LIKE $1 || '%' AND ((SELECT tid FROM arg) IS NULL OR p.table_id = (SELECT tid FROM arg))
ORDER BY 1 DESC
LIMIT 200

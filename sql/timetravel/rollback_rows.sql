-- The change set of commit $1 of table $2 beside each key's live row (cur, the
-- row image) and whether the key has uncommitted changes (pending): what
-- rollback_conflicts.sql and rollback_source.sql read as vsg_rollback.
-- The placeholders img and match (in double braces) are the row-image and key-match expressions
-- (src/db/images.ts, with r and c), table its quoted name:
-- src/core/sql/timetravel.ts fills them in.
SELECT c.key, c.before, c.after,
       (SELECT {{img}} FROM {{table}} r WHERE {{match}}) AS cur,
       EXISTS (SELECT 1 FROM vsg.pending p WHERE p.table_id = $2 AND p.key = c.key) AS pending
FROM vsg.commit_changes($1) c

-- An in-progress merge into a table, with its unresolved conflicts.
SELECT m.theirs_ref,
       (SELECT count(*) FROM vsg.merge_conflicts c WHERE c.table_id = m.table_id AND NOT c.resolved)::text AS unresolved
FROM vsg.merges m WHERE m.table_id = $1

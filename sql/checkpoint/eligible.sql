-- Why checkout may not reload table $1 (a relation oid) from a checkpoint, or
-- NULL when it may (src/engine/checkpoint.ts). A reload empties the table
-- with TRUNCATE and inserts the target rows with vsg's capture triggers off,
-- so it is only the same as writing the differing rows when nothing else
-- watches those writes: no trigger of the user's (TRUNCATE fires no row
-- trigger, and an INSERT is not the UPDATE or DELETE a trigger may expect),
-- no rule, no row-level security, no table whose foreign keys reference it
-- other than itself and the tables $2 (oids) reloaded with it in one TRUNCATE
-- (TRUNCATE refuses any other), no inheritance; and vsg's session must own the
-- table to drop and re-create its capture triggers. sql/apply/bulk_eligible.sql is asked first.
SELECT CASE
  WHEN NOT pg_catalog.pg_has_role(c.relowner, 'USAGE') THEN 'vsg''s role does not own the table'
  WHEN EXISTS (SELECT 1 FROM pg_catalog.pg_trigger t
               WHERE t.tgrelid = c.oid AND NOT t.tgisinternal
                 AND t.tgname NOT IN ('vsg_capture_insert', 'vsg_capture_update', 'vsg_capture_delete', 'vsg_capture_truncate'))
    THEN 'it has triggers of its own'
  WHEN EXISTS (SELECT 1 FROM pg_catalog.pg_constraint f
               WHERE f.confrelid = c.oid AND f.contype = 'f'
                 AND f.conrelid <> c.oid AND f.conrelid <> ALL (coalesce($2::oid[], '{}')))
    THEN 'foreign keys of a table not reloaded with it reference it'
  WHEN EXISTS (SELECT 1 FROM pg_catalog.pg_inherits i WHERE i.inhrelid = c.oid) THEN 'it inherits from another table'
  -- a reload drops the capture triggers of the table itself; a Citus reference table's are on its placement (sql/functions/capture_relation.sql)
  WHEN EXISTS (SELECT 1 FROM vsg.tracked tr
               WHERE tr.relid = c.oid AND tr.untracked_at IS NULL AND vsg.capture_relation(tr.id) IS DISTINCT FROM c.oid::regclass)
    THEN 'it is a Citus reference table, captured on its placement'
  -- rows written one by one pass through the check for forgotten values (src/core/forgets.ts)
  WHEN EXISTS (SELECT 1 FROM vsg.tracked tr JOIN vsg.changes ch ON ch.table_id = tr.id
               WHERE tr.relid = c.oid AND tr.untracked_at IS NULL AND ch.forgotten IS NOT NULL)
    THEN 'values of its history were forgotten (vsg forget)'
END AS reason
FROM pg_catalog.pg_class c
WHERE c.oid = $1::oid

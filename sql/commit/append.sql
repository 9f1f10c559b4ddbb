-- After a commit's SQL (or the application's work) ran: lock the branch to
-- append the commit, and read what the commit is made against. The branch's
-- row is locked FOR UPDATE here and not before, so that writers' statements
-- run side by side and only appending waits; a locked row is re-read after
-- the wait, so `head_commit` is the commit the new one goes on.
--   $1 the table's OID   $2 its vsg.tracked id   $3 the branch it follows (held
--   still by the commit's FOR KEY SHARE lock on the tracked row)
-- Returns the table's columns and key now (empty columns: it was dropped), the
-- transaction's id (which must still be the commit's: the SQL was checked
-- before it ran, this is the backstop for transaction control that got past
-- the check), the branch and its HEAD, the columns last recorded in history,
-- whether a merge is in progress, and whether rows this transaction changed
-- carry earlier uncommitted changes by other writers (recorded first, as
-- their own commit: see ops/commit.ts).
WITH lr AS MATERIALIZED (
  SELECT r.id, r.commit_id FROM vsg.refs r
  WHERE r.table_id = $2 AND r.name = $3 AND r.kind = 'branch'
  FOR UPDATE
)
SELECT (s->'columns')::text AS columns, (s->'key')::text AS key, txid_current()::text AS xid,
       (SELECT id FROM lr)::text AS branch_id, (SELECT commit_id FROM lr) AS head_commit,
       (SELECT t.signature FROM vsg.tracked t WHERE t.id = $2)::text AS signature,
       EXISTS (SELECT 1 FROM vsg.merges m WHERE m.table_id = $2) AS merging,
       -- (other writers' rows looked for first: see sql/commit/create.sql)
       (EXISTS (SELECT 1 FROM vsg.pending o WHERE o.table_id = $2 AND o.xid < txid_current())
        OR EXISTS (SELECT 1 FROM vsg.pending o WHERE o.table_id = $2 AND o.xid > txid_current()))
       AND vsg.earlier_keys($2) AS earlier,
       -- (the SQL has run: nothing more is staged for a commit, sql/tables/lock_shared.sql)
       set_config('vsg.stage', '', true) AS unstaged
FROM vsg.table_signature($1::oid) s

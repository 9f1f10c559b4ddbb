-- Resolve and lock the table a write names (tables tracked now only), in one statement: the table
-- named $1 (as SQL resolves it; NULL: the only tracked table), or with $2 the
-- tracked table of that id. Its vsg.tracked row and the row of the branch it
-- follows are locked FOR UPDATE, so that a writer that waited for another one
-- reads the rows as that one left them (a locked row is re-read after the
-- wait, where the rest of the statement keeps its snapshot).
-- Every tracked table comes back when none is chosen (the caller words its refusals with them),
-- or one row with the OID alone when none is; the chosen one is `locked`, with
-- its columns and key now (`now`), whether a merge into it is in progress,
-- and the id of the transaction (before the user's SQL: see ops/commit.ts).
WITH target AS MATERIALIZED (
  SELECT CASE WHEN $1::text IS NULL THEN NULL ELSE vsg.resolve_table($1::text) END AS oid
), chosen AS (
  SELECT t.id FROM vsg.tracked t
  WHERE t.untracked_at IS NULL AND CASE WHEN $2::int IS NOT NULL THEN t.id = $2::int
             WHEN $1::text IS NULL THEN (SELECT count(*) FROM vsg.tracked WHERE untracked_at IS NULL) = 1
             ELSE t.relid = (SELECT oid FROM target) END
), lt AS MATERIALIZED (
  SELECT t.id, t.relid, t.head, t.key_columns, t.signature
  -- (rechecked on the row as a writer that waited for it left it: untracked meanwhile, it drops out)
  FROM vsg.tracked t WHERE t.id IN (SELECT id FROM chosen) AND t.untracked_at IS NULL
  FOR UPDATE
), lr AS MATERIALIZED (
  SELECT r.id, r.table_id, r.commit_id
  FROM vsg.refs r JOIN lt ON r.table_id = lt.id AND r.name = lt.head AND r.kind = 'branch'
  FOR UPDATE OF r
)
SELECT x.oid::text AS oid, t.id::text, t.relid::text,
       to_json(coalesce(lt.key_columns, t.key_columns))::text AS key_columns, coalesce(lt.head, t.head) AS head,
       n.nspname AS schema_name, c.relname AS table_name,
       t.schema_name AS stored_schema, t.table_name AS stored_name,
       (CASE WHEN lt.id IS NULL THEN t.signature ELSE lt.signature END)::text AS signature,
       (CASE WHEN lt.id IS NULL THEN r.id ELSE lr.id END)::text AS branch_id,
       CASE WHEN lt.id IS NULL THEN r.commit_id ELSE lr.commit_id END AS head_commit,
       NULL::text AS commits, NULL::text AS untracked_at,
       lt.id IS NOT NULL AS locked,
       CASE WHEN lt.id IS NOT NULL AND c.oid IS NOT NULL THEN vsg.table_signature(c.oid)::text END AS now,
       CASE WHEN lt.id IS NOT NULL THEN EXISTS (SELECT 1 FROM vsg.merges m WHERE m.table_id = lt.id) END AS merging,
       CASE WHEN lt.id IS NOT NULL THEN txid_current()::text END AS xid
FROM target x
LEFT JOIN vsg.tracked t ON t.untracked_at IS NULL AND ($2::int IS NULL OR t.id = $2::int)
LEFT JOIN lt ON lt.id = t.id
LEFT JOIN lr ON lr.table_id = t.id
LEFT JOIN pg_catalog.pg_class c ON c.oid = t.relid
LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN vsg.refs r ON r.table_id = t.id AND r.name = t.head AND r.kind = 'branch'
-- Only the chosen table once one is locked (a commit's cost must not grow with
-- the number of tracked tables); every one when none is, for the refusal.
WHERE lt.id IS NOT NULL OR NOT EXISTS (SELECT 1 FROM lt)
ORDER BY coalesce(n.nspname, t.schema_name), coalesce(c.relname, t.table_name)

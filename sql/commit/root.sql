-- Record a table's root commit from the checkpoint `vsg track` just copied it
-- into (hash scheme 3, docs/storage.md, version 17): no change rows; its
-- change_hash covers the table's entry whose hash is the copy's content hash
-- (vsg.rows_hash), and the copy is listed in vsg.checkpoints as this commit's.
-- Returns the same columns as sql/commit/create.sql.
--   $1 table_id   $2 the copy's relname (under vsg)   $3 key columns
--   $4 author     $5 message   $6 the table (oid), whose signature the copy has
--   $7 the copy's row count
WITH h AS MATERIALIZED (
  SELECT clock_timestamp() AS at, r.n, vsg.change_set_hash(vsg.table_entry($1, r.hash)) AS change_hash
  FROM vsg.rows_hash($2, $3::text[], $7::bigint) r
), i AS (
  SELECT h.*, CASE WHEN h.n = 0 THEN 'NONE' ELSE 'INSERT' END AS op FROM h
), c AS (
  INSERT INTO vsg.commits (id, table_id, parent, depth, branch_id, kind, operation, author, message,
                           committed_at, statement, meta, inserted, updated, deleted, change_hash, hash_scheme)
  SELECT vsg.commit_hash(NULL, NULL, $1, 'ROOT', i.op, $4, $5, i.at, NULL, NULL, i.change_hash),
         $1, NULL, 0, NULL, 'ROOT', i.op, $4, $5, i.at, NULL, NULL, i.n, 0, 0, i.change_hash, 3
  FROM i
  RETURNING id
), k AS (
  INSERT INTO vsg.checkpoints (commit_id, table_id, relname, rows, signature)
  SELECT c.id, $1, $2, i.n, vsg.table_signature($6::oid) FROM c, i
)
SELECT c.id, $1::text AS table_id, NULL::text AS parent, NULL::text AS merge_parent, 'ROOT' AS kind, i.op AS operation,
       $4::text AS author, $5::text AS message,
       to_char(i.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS committed_at,
       NULL::text AS statement, NULL::text AS meta,
       i.n::text AS inserted, '0' AS updated, '0' AS deleted, NULL::text AS source, i.change_hash,
       '[]'::text AS refs, false AS moved
FROM c, i

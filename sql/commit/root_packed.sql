-- The ROOT commit of a table being tracked whose rows vsg.<$4> holds, a copy
-- made in the same transaction (src/core/checkpoint.ts › packedRoot): hash
-- scheme 3 (docs/integrity.md). The copy's rows are hashed by chunks of 1,024
-- in key order (vsg.root_chunk_hashes), each chunk's salt made from the seed
-- $6, drawn for this root and never stored; or their hashes are given ($5,
-- JSON: ord, chunk, rows, salt and hash in hex, first and last key), made with that
-- seed from the same rows on a second connection (sql/track/root_hashes.sql).
-- The table hash covers the copy's columns (vsg.root_header) and the chunk
-- hashes in order; change_hash and id are computed as for any commit. One row
-- of vsg.root_chunks a chunk, with its first and last keys (the key images of
-- its first and last rows: vsg.root_unpack finds a key's chunk by the first);
-- no change row. It comes
-- back as sql/commit/root.sql returns the commit.
--   $1 table_id   $2 author   $3 message   $4 the copy's relname in schema vsg
--   $5 the chunks, or NULL   $6 the seed
WITH rel AS (
  SELECT to_regclass(format('vsg.%I', $4::text)) AS rel, (SELECT key_columns FROM vsg.tracked WHERE id = $1::int) AS keys
), h AS MATERIALIZED (
  SELECT x.chunk, x.rows, decode(x.salt, 'hex') AS salt, decode(x.hash, 'hex') AS hash, x.first_key::jsonb AS first_key,
         x.last_key::jsonb AS last_key
  FROM jsonb_to_recordset($5::jsonb) AS x(chunk int, rows int, salt text, hash text, first_key text, last_key text)
  UNION ALL
  SELECT h.chunk, h.rows, h.salt, h.hash, h.first_key, h.last_key FROM rel CROSS JOIN LATERAL vsg.root_chunk_hashes(rel.rel, rel.keys, $6::bytea, NULL) h
  WHERE $5::jsonb IS NULL
), info AS (
  SELECT clock_timestamp() AS at, t.ins,
         vsg.change_set_hash(vsg.table_entry($1::int, t.hash)) AS change_hash
  FROM (SELECT vsg.table_hash3(vsg.root_header((SELECT rel FROM rel)), string_agg(h.hash, ''::bytea ORDER BY h.chunk)) AS hash,
               sum(h.rows) AS ins
        FROM h) t
), c AS (
  INSERT INTO vsg.commits (id, table_id, parent, merge_parent, depth, branch_id, kind, operation, author, message,
                           committed_at, statement, meta, inserted, updated, deleted, change_hash, hash_scheme)
  SELECT vsg.commit_hash(NULL, NULL, $1::int, 'ROOT', 'INSERT', $2::text, $3::text, i.at, NULL, NULL, i.change_hash),
         $1::int, NULL, NULL, 0, NULL, 'ROOT', 'INSERT', $2::text, $3::text, i.at, NULL, NULL, i.ins, 0, 0, i.change_hash, 3
  FROM info i
  RETURNING id, seq
), k AS (
  INSERT INTO vsg.root_chunks (seq, chunk, rows, salt, hash, first_key, last_key)
  SELECT c.seq, h.chunk, h.rows, h.salt, h.hash, h.first_key, h.last_key FROM c, h
)
SELECT c.id, $1::text AS table_id, NULL::text AS parent, NULL::text AS merge_parent, 'ROOT' AS kind, 'INSERT' AS operation,
       $2::text AS author, $3::text AS message,
       to_char(i.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS committed_at,
       NULL::text AS statement, NULL::text AS meta,
       i.ins::text AS inserted, '0' AS updated, '0' AS deleted, NULL::text AS source, i.change_hash,
       '[]' AS refs
FROM c CROSS JOIN info i

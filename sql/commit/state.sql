-- Record a checkout as a state commit (docs/storage.md, version 11):
-- a CHECKOUT commit on top of $2 whose rows are those of commit $4, with no
-- change rows. Its change_hash hashes the source's id; the trigger on
-- vsg.commits sets its sdepth. The branch $3 moves from $2 to it by
-- compare-and-swap, as in sql/commit/create.sql, which this returns the same columns as.
--   $1 table_id   $2 parent   $3 branch_id   $4 source
--   $5 author     $6 message  $7 meta (jsonb)
WITH i AS MATERIALIZED (
  SELECT clock_timestamp() AS at, vsg.source_hash($4) AS change_hash,
         (SELECT depth + 1 FROM vsg.commits WHERE id = $2) AS depth
), c AS (
  INSERT INTO vsg.commits (id, table_id, parent, depth, branch_id, kind, operation, author, message,
                           committed_at, statement, meta, inserted, updated, deleted, change_hash, source, hash_scheme)
  SELECT vsg.commit_hash($2, NULL, $1, 'CHECKOUT', 'STATE', $5, $6, i.at, NULL, $7::jsonb, i.change_hash),
         $1, $2, i.depth, $3, 'CHECKOUT', 'STATE', $5, $6, i.at, NULL, $7::jsonb, NULL, NULL, NULL, i.change_hash, $4, 2
  FROM i
  RETURNING id, author, message, committed_at, meta, change_hash
), moved AS (
  UPDATE vsg.refs r SET commit_id = c.id FROM c
  WHERE r.id = $3 AND r.commit_id = $2
  RETURNING r.name
)
SELECT c.id, $1::text AS table_id, $2::text AS parent, NULL::text AS merge_parent, 'CHECKOUT' AS kind, 'STATE' AS operation,
       c.author, c.message, to_char(c.committed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS committed_at,
       NULL::text AS statement, c.meta::text AS meta, NULL::text AS inserted, NULL::text AS updated, NULL::text AS deleted,
       $4::text AS source, c.change_hash,
       coalesce((SELECT json_agg(json_build_object('name', m.name, 'kind', 'branch')) FROM moved m), '[]')::text AS refs,
       EXISTS (SELECT 1 FROM moved) AS moved
FROM c

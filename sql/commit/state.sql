-- Record a checkout as a state commit (docs/storage.md, version 11):
-- a CHECKOUT commit on top of $2 whose rows are those of commit $4, with no
-- change rows. Its change_hash hashes the source's id; the trigger on
-- vsg.commits sets its sdepth.
--   $1 table_id   $2 parent   $3 branch_id   $4 source
--   $5 author     $6 message  $7 meta (jsonb)
WITH i AS (
  SELECT clock_timestamp() AS at, vsg.source_hash($4) AS change_hash,
         (SELECT depth + 1 FROM vsg.commits WHERE id = $2) AS depth
)
INSERT INTO vsg.commits (id, table_id, parent, depth, branch_id, kind, operation, author, message,
                         committed_at, statement, meta, inserted, updated, deleted, change_hash, source)
SELECT vsg.commit_hash($2, NULL, $1, 'CHECKOUT', 'STATE', $5, $6, i.at, NULL, $7::jsonb, i.change_hash),
       $1, $2, i.depth, $3, 'CHECKOUT', 'STATE', $5, $6, i.at, NULL, $7::jsonb, NULL, NULL, NULL, i.change_hash, $4
FROM i
RETURNING id

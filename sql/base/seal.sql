-- Count the rows of base $1 and hash them: vsg.base_hash over the stored row
-- hashes in key order. Answers both.
UPDATE vsg.bases b SET rows = x.n, hash = vsg.base_hash(x.h)
FROM (SELECT count(*) AS n, string_agg(row_hash, ''::bytea ORDER BY key::text COLLATE "C") AS h
      FROM vsg.base_rows WHERE base_id = $1::int) x
WHERE b.id = $1::int
RETURNING b.rows::text, b.hash

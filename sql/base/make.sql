-- A base (docs/prune.md) of table $1 (its regclass $2) at commit $3: every
-- row of that state (vsg.as_of), keyed by its key columns $4, each with a
-- salt of its own (vsg.row_salt) and its row hash as an insert of the row would have
-- (vsg.row_hash, hash scheme 2), so that a value in it can be forgotten as in
-- a change row. Answers the base's id.
WITH b AS (
  INSERT INTO vsg.bases (table_id, commit_id, rows, hash) VALUES ($1::int, $3::text, 0, '') RETURNING id
), seed AS MATERIALIZED (
  -- the statement's salt seed (vsg.statement_seed, vsg.row_salt): drawn once, never stored
  SELECT vsg.statement_seed() AS seed
), s AS MATERIALIZED (
  SELECT x.key, x.img, vsg.row_salt((SELECT seed FROM seed), x.key::text) AS salt
  FROM (SELECT (SELECT jsonb_object_agg(k, i.img -> k) FROM unnest($4::text[]) AS k) AS key, i.img
        FROM vsg.as_of($2::regclass, $3::text) AS i(img) OFFSET 0) x
), r AS (
  INSERT INTO vsg.base_rows (base_id, key, image, salt, row_hash)
  SELECT b.id, s.key, s.img, s.salt, vsg.row_hash(s.salt, $1::int, s.key, NULL, s.img) FROM b, s
)
SELECT id::text FROM b

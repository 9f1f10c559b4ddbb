-- A base (docs/prune.md) of table $1 at commit $2 from its history alone, for
-- an untracked history (no live table to read): every row of that state as
-- sql/dropped/rows_at.sql reads it (keyed already), each with a salt of its
-- own (vsg.row_salt) and its row hash, as sql/base/make.sql does. Answers the base's id.
WITH b AS (
  INSERT INTO vsg.bases (table_id, commit_id, rows, hash) VALUES ($1::int, $2::text, 0, '') RETURNING id
), seed AS MATERIALIZED (
  -- the statement's salt seed (vsg.statement_seed, vsg.row_salt): drawn once, never stored
  SELECT vsg.statement_seed() AS seed
), s AS MATERIALIZED (
  -- ROWS_AT: sql/dropped/rows_at.sql, spliced in by src/core/bases.ts (same $1, $2)
  SELECT x.key, x.img, vsg.row_salt((SELECT seed FROM seed), x.key::text) AS salt FROM (ROWS_AT) x
), r AS (
  INSERT INTO vsg.base_rows (base_id, key, image, salt, row_hash)
  SELECT b.id, s.key, s.img, s.salt, vsg.row_hash(s.salt, $1::int, s.key, NULL, s.img) FROM b, s
)
SELECT id::text FROM b

-- Blank the history of the keys in pg_temp.vsg_forget, table $1: in every
-- change row of every commit (every branch), the cells of columns $2 (NULL:
-- every column but the key columns $3) become {"forgotten": "<hex>"} (markers
-- keyed by a salt drawn here and never stored: vsg.forget_image), the salt
-- goes, the row hash stays (docs/forget.md). Reaches each key's rows through
-- changes_key (table_id, key, seq): the cost is the keys' own changes.
-- Answers how many keys were touched, and how many change rows and cells newly blanked.
WITH s AS (
  SELECT uuid_send(gen_random_uuid()) || uuid_send(gen_random_uuid()) AS salt
), r AS (
  SELECT ch.commit_id, ch.key, coalesce(cardinality(ch.forgotten), 0) AS old_n,
         vsg.forget_columns(ch.before, ch.after, ch.forgotten, $2::text[], $3::text[]) AS cols
  FROM pg_temp.vsg_forget f JOIN vsg.changes ch ON ch.table_id = $1::int AND ch.key = f.key
), u AS (
  UPDATE vsg.changes ch
  SET before = vsg.forget_image(ch.before, r.cols, s.salt), after = vsg.forget_image(ch.after, r.cols, s.salt), salt = NULL, forgotten = r.cols
  FROM r, s
  WHERE ch.commit_id = r.commit_id AND ch.key = r.key AND cardinality(r.cols) > r.old_n
  RETURNING ch.key, cardinality(r.cols) - r.old_n AS cells, r.old_n = 0 AS fresh
), rb AS (
  -- the table's bases (vsg prune, docs/prune.md): each row is blanked as an insert's change row is
  SELECT br.base_id, br.key, coalesce(cardinality(br.forgotten), 0) AS old_n,
         vsg.forget_columns(NULL, br.image, br.forgotten, $2::text[], $3::text[]) AS cols
  FROM pg_temp.vsg_forget f JOIN vsg.bases b ON b.table_id = $1::int JOIN vsg.base_rows br ON br.base_id = b.id AND br.key = f.key
), ub AS (
  UPDATE vsg.base_rows br
  SET image = vsg.forget_image(br.image, rb.cols, s.salt), salt = NULL, forgotten = rb.cols
  FROM rb, s
  WHERE br.base_id = rb.base_id AND br.key = rb.key AND cardinality(rb.cols) > rb.old_n
  RETURNING br.key, cardinality(rb.cols) - rb.old_n AS cells, rb.old_n = 0 AS fresh
), a AS (
  SELECT key, cells, fresh FROM u UNION ALL SELECT key, cells, fresh FROM ub
)
-- rows: change rows (and base rows) forgotten for the first time (one forgotten before keeps its count)
SELECT count(DISTINCT key)::text AS keys, count(*) FILTER (WHERE fresh)::text AS rows, coalesce(sum(cells), 0)::text AS cells FROM a

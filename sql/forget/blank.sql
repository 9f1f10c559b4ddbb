-- Blank the history of the keys in pg_temp.vsg_forget, table $1: in every
-- change row of every commit (every branch), the cells of columns $2 (NULL:
-- every column but the key columns $3) become {"forgotten": "<hex>"} (markers
-- keyed by a salt drawn here and never stored: vsg.forget_image), the salt
-- goes, the row hash stays (docs/forget.md); so do the values a merge in
-- progress keeps of those keys. Reaches each key's rows through its key
-- (vsg.key_change_rows): the cost is the keys' own changes. The root's rows of
-- the keys are change rows by then where the root is a checkpoint (hash
-- scheme 3): vsg.root_unpack unpacked each chunk holding one.
-- Answers how many keys were touched, and how many change rows and cells newly blanked.
WITH s AS (
  SELECT vsg.statement_seed() AS salt
), r AS (
  SELECT ch.seq, ch.key, coalesce(cardinality(ch.forgotten), 0) AS old_n,
         vsg.forget_columns(ch.before, ch.after, ch.forgotten, $2::text[], $3::text[]) AS cols
  FROM pg_temp.vsg_forget f CROSS JOIN LATERAL vsg.key_change_rows($1::int, f.key) ch
), u AS (
  UPDATE vsg.changes ch
  SET before = vsg.forget_image(ch.before, r.cols, s.salt), after = vsg.forget_image(ch.after, r.cols, s.salt), salt = NULL, forgotten = r.cols
  FROM r, s
  WHERE ch.seq = r.seq AND ch.key = r.key AND cardinality(r.cols) > r.old_n
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
), x AS (
  -- a merge in progress keeps values of its conflicts (vsg.merge_conflicts: a
  -- cell's value, col set, or a row's image): those of the keys and columns
  SELECT mc.seq, CASE WHEN mc.col IS NULL THEN vsg.forget_columns(coalesce(mc.base, mc.ours), coalesce(mc.theirs, mc.value), NULL, $2::text[], $3::text[])
                      ELSE vsg.forget_columns(jsonb_build_object(mc.col, true), NULL, NULL, $2::text[], $3::text[]) END AS cols
  FROM vsg.merge_conflicts mc
  WHERE mc.table_id = $1::int AND mc.key IN (SELECT key FROM pg_temp.vsg_forget)
), m AS (
  -- blanked with the same salt, so that their markers equal history's
  UPDATE vsg.merge_conflicts mc
  SET base = CASE WHEN mc.col IS NULL THEN vsg.forget_image(mc.base, x.cols, s.salt)
                  WHEN mc.base IS NOT NULL THEN vsg.forget_image(jsonb_build_object(mc.col, mc.base), x.cols, s.salt) -> mc.col END,
      ours = CASE WHEN mc.col IS NULL THEN vsg.forget_image(mc.ours, x.cols, s.salt)
                  WHEN mc.ours IS NOT NULL THEN vsg.forget_image(jsonb_build_object(mc.col, mc.ours), x.cols, s.salt) -> mc.col END,
      theirs = CASE WHEN mc.col IS NULL THEN vsg.forget_image(mc.theirs, x.cols, s.salt)
                  WHEN mc.theirs IS NOT NULL THEN vsg.forget_image(jsonb_build_object(mc.col, mc.theirs), x.cols, s.salt) -> mc.col END,
      value = CASE WHEN mc.col IS NULL THEN vsg.forget_image(mc.value, x.cols, s.salt)
                  WHEN mc.value IS NOT NULL THEN vsg.forget_image(jsonb_build_object(mc.col, mc.value), x.cols, s.salt) -> mc.col END
  FROM x, s
  WHERE mc.seq = x.seq AND cardinality(x.cols) > 0
), a AS (
  SELECT key, cells, fresh FROM u UNION ALL SELECT key, cells, fresh FROM ub
)
-- rows: change rows (and base rows) forgotten for the first time (one forgotten before keeps its count)
SELECT count(DISTINCT key)::text AS keys, count(*) FILTER (WHERE fresh)::text AS rows, coalesce(sum(cells), 0)::text AS cells FROM a

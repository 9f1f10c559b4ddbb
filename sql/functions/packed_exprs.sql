-- How the rows of a copy `rel` holding a commit's rows packed (hash scheme 3)
-- read as change rows: `before` and `after`, the SQL expressions of their
-- images over `alias`, as vsg.image_expr builds a row's (each column's text
-- form, keyed by its name). Two layouts:
--   a root's checkpoint, or a large INSERT's copy: the table's columns, every
--     row an insert (before NULL, after the row's image);
--   a large UPDATE's or DELETE's copy (sql/functions/packed_select.sql): the
--     table's columns holding each row after the change (a deleted row's key
--     alone), then "vsg:op" ('I', 'U' or 'D': inserted, updated, deleted) and
--     "vsg:b<i>", the value before the change of the i-th column that is not a
--     key column, in column order (NULL for an inserted row).
-- (key_columns: the table's key columns, whose value before is the row's own.)
CREATE OR REPLACE FUNCTION vsg.packed_exprs(rel regclass, key_columns text[], alias text, OUT before text, OUT after text)
LANGUAGE plpgsql STABLE AS $$
DECLARE
  pairs_after text;
  pairs_before text;
BEGIN
  IF NOT vsg.packed_sided(rel) THEN
    before := 'NULL::jsonb';
    after := vsg.image_expr(rel, alias);
    RETURN;
  END IF;
  -- (jsonb_build_object takes at most 100 arguments: groups of 50 columns, as vsg.image_expr)
  SELECT string_agg(format('jsonb_build_object(%s)', g.a), ' || '), string_agg(format('jsonb_build_object(%s)', g.b), ' || ')
  INTO pairs_after, pairs_before
  FROM (SELECT c.grp, string_agg(format('%L, %I.%I::text', c.attname, alias, c.attname), ', ' ORDER BY c.attnum) AS a,
               string_agg(format('%L, %I.%I::text', c.attname, alias,
                                 CASE WHEN c.attname = ANY (key_columns) THEN c.attname ELSE 'vsg:b' || c.nk END), ', ' ORDER BY c.attnum) AS b
        FROM (SELECT a.attname, a.attnum, (row_number() OVER (ORDER BY a.attnum) - 1) / 50 AS grp,
                     sum(CASE WHEN a.attname = ANY (key_columns) THEN 0 ELSE 1 END) OVER (ORDER BY a.attnum) AS nk
              FROM pg_catalog.pg_attribute a
              WHERE a.attrelid = rel AND a.attnum > 0 AND NOT a.attisdropped AND a.attname <> 'vsg:op' AND a.attname NOT LIKE 'vsg:b%') c
        GROUP BY c.grp) g;
  before := format('CASE WHEN %I."vsg:op" <> ''I'' THEN %s END', alias, pairs_before);
  after := format('CASE WHEN %I."vsg:op" <> ''D'' THEN %s END', alias, pairs_after);
END
$$;

--! capture-generator: a change to this file rewrites every vsg.capture_<id>() (vsg init)
-- The statement of a capture function's slow path (TRUNCATE, or the columns
-- changed since the function was written), from the catalog: it records the
-- rows of the transition tables vsg_old / vsg_new (for TRUNCATE, of rel
-- itself) as pending changes of table tid, given as $1. Built here rather than
-- in each capture function, which then has less to compile on a session's
-- first write (docs/performance.md, "First write in a new session").
-- It adds the table to those a commit naming no table touched (vsg.touch), as
-- a capture function does: one written by an earlier vsg, kept for a table
-- whose columns were changed outside vsg (sql/repository/rewrite_captures.sql),
-- takes this slow path and does not call vsg.touch itself.
CREATE OR REPLACE FUNCTION vsg.capture_statement(tid int, op text, rel oid) RETURNS text LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  k text;
  img text;
BEGIN
  PERFORM vsg.touch(tid);
  SELECT e.k, e.img INTO k, img FROM vsg.live_capture_exprs(tid) e;
  IF op = 'INSERT' THEN
    RETURN format('INSERT INTO vsg.pending (table_id, key, before, after) SELECT $1, %s, NULL, %s FROM vsg_new r', k, img);
  ELSIF op = 'DELETE' THEN
    RETURN format('INSERT INTO vsg.pending (table_id, key, before, after) SELECT $1, %s, %s, NULL FROM vsg_old r', k, img);
  ELSIF op = 'UPDATE' THEN
    RETURN format($q$INSERT INTO vsg.pending (table_id, key, before, after)
      SELECT $1, coalesce(o.k, n.k), o.i, n.i
      FROM (SELECT %1$s AS k, %2$s AS i FROM vsg_old r) o
      FULL JOIN (SELECT %1$s AS k, %2$s AS i FROM vsg_new r) n ON o.k = n.k
      WHERE o.i IS DISTINCT FROM n.i$q$, k, img);
  END IF;
  RETURN format('INSERT INTO vsg.pending (table_id, key, before, after) SELECT $1, %s, %s, NULL FROM %s r', k, img, rel::regclass);
END
$$;

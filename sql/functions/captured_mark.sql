-- The mark of table tid's staged rows (vsg.take_captured): the highest number
-- at or below which this transaction's rows of it in pg_temp.vsg_captured were
-- taken by a commit or moved to vsg.pending (a mark for every table has
-- table_id NULL: vsg.flush_captured); 0 when none was. Only where the marks
-- are vsg's own (vsg.captured_marks). PL/pgSQL: the table is the session's,
-- made on first use.
CREATE OR REPLACE FUNCTION vsg.captured_mark(tid int) RETURNS bigint LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN coalesce((SELECT max(m.upto) FROM pg_temp.vsg_captured_taken m WHERE m.table_id = tid OR m.table_id IS NULL), 0);
END
$$;

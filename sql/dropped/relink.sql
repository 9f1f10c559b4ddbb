-- A dropped tracked table was recreated as relation $2: follow it under the
-- same history, with its signature recorded anew (attnums change; the shape
-- follows, sql/dropped/record_shape.sql), and forget what was uncommitted in
-- the table that was dropped.
WITH t AS (
  UPDATE vsg.tracked SET relid = $2::oid, signature = vsg.table_signature($2::oid)
  WHERE id = $1 RETURNING id
)
DELETE FROM vsg.pending p USING t WHERE p.table_id = t.id

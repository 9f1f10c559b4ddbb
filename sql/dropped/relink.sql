-- A dropped tracked table was recreated as relation $2: follow it under the
-- same history, with its signature (attnums change) and shape recorded anew,
-- and forget what was uncommitted in the table that was dropped.
WITH t AS (
  UPDATE vsg.tracked SET relid = $2::oid,
         signature = vsg.table_signature($2::oid) || jsonb_build_object('shape', vsg.table_shape($2::oid))
  WHERE id = $1 RETURNING id
)
DELETE FROM vsg.pending p USING t WHERE p.table_id = t.id

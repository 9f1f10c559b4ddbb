-- Whether a merge into table $1 is in progress (a row, or none).
SELECT 1 FROM vsg.merges WHERE table_id = $1

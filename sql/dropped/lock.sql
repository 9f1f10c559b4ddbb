-- Lock a tracked table's vsg row before recreating it.
SELECT 1 FROM vsg.tracked WHERE id = $1 FOR UPDATE

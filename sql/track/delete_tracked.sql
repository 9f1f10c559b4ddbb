DELETE FROM vsg.tracked WHERE id = $1

UPDATE vsg.tracked SET head = $2 WHERE id = $1

UPDATE vsg.tracked SET applying = NULL WHERE id = $1

UPDATE vsg.tracked SET applying = txid_current() WHERE id = $1

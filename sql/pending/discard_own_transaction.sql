DELETE FROM vsg.pending WHERE table_id = $1 AND xid = txid_current()

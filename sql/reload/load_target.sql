INSERT INTO pg_temp.vsg_apply (key, img) SELECT key, new FROM vsg.state_diff($1, $2, $3, false, $4)

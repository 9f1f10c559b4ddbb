DELETE FROM vsg.refs WHERE id = $1

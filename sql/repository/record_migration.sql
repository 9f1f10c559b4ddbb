INSERT INTO vsg.migrations (version, name) VALUES ($1, $2)

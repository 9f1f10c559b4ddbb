SELECT key::text, before::text AS old, after::text AS new FROM vsg.commit_changes($1)

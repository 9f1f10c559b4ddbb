SELECT vsg.path_changes($1, $2)::text AS n

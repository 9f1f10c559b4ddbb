-- What a prune rewrites, in bytes (with indexes and TOAST): vsg.changes and vsg.commits.
SELECT (pg_total_relation_size('vsg.changes') + pg_total_relation_size('vsg.commits'))::text AS n

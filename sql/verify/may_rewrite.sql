SELECT (has_table_privilege('vsg.commits', 'UPDATE') OR has_table_privilege('vsg.commits', 'DELETE')
OR has_table_privilege('vsg.commits', 'TRUNCATE'))::text AS may

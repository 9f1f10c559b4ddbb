SELECT b->>'name' AS old, a->>'name' AS new
FROM vsg.schema_changes s JOIN vsg.commits c ON c.id = s.commit_id,
     jsonb_array_elements(s.before) b, jsonb_array_elements(s.after) a
WHERE s.table_id = $1 AND (b->>'num') = (a->>'num') AND (b->>'name') <> (a->>'name')
ORDER BY c.seq

SELECT commit_id, before::text, after::text FROM vsg.row_history_by_id($1::int, $2::jsonb, $3::text)

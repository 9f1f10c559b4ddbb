SELECT commit_id, before::text, after::text FROM vsg.row_history($1::oid::regclass, $2::jsonb)

SELECT vsg.history_key($1::int, $2::jsonb)::text AS k

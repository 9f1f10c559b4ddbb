SELECT vsg.canonical_key($1::oid::regclass, $2::jsonb)::text AS k

-- vsg's settings (SETTINGS in src/db/db.ts, $1 names, $2 values) for the transaction just begun,
-- behind a connection pooler, where no session setting of vsg's may stay behind (session/settings).
SELECT count(set_config(s.name, s.value, true)) AS settings FROM unnest($1::text[], $2::text[]) AS s(name, value)

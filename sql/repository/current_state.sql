-- At the latest schema version: how many of this vsg's migrations are
-- recorded, and every stored function applied with its checksum (name:sha256,
-- one per line), compared with this vsg's function files.
SELECT (SELECT count(*) FROM vsg.migrations WHERE version = ANY($1::int[]))::text AS n,
       (SELECT string_agg(f.name || ':' || f.checksum, E'\n') FROM vsg.functions f) AS functions

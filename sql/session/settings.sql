-- A new session of vsg's (src/db/db.ts open): its settings (SETTINGS, $2 names, $3 values),
-- and what kind of server answers. $1 is the backend pid the server announced at login
-- (BackendKeyData). A connection pooler (PgBouncer, pgcat, Odyssey …) announces a pid of its
-- own, not the backend's: then each transaction may run on another server session, and a
-- session setting would stay behind on a backend that serves other clients, so the settings
-- are made LOCAL (here: to this statement alone, i.e. not at all) and each of vsg's
-- transactions sets them instead (session/local_settings). `standby`: a hot standby, where
-- vsg only reads. `citus`: the citus extension's catalog is here (src/core/citus.ts).
SELECT p.pooled, pg_is_in_recovery() AS standby, p.citus, count(set_config(s.name, s.value, p.pooled)) AS settings
FROM (SELECT pg_backend_pid() <> $1 AS pooled,
             pg_catalog.to_regclass('pg_catalog.pg_dist_partition') IS NOT NULL AS citus) AS p,
     unnest($2::text[], $3::text[]) AS s(name, value)
GROUP BY p.pooled, p.citus

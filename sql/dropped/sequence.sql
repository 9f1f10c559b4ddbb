-- A sequence a column default names ($1, as the server wrote it): its schema
-- (NULL when unqualified) and name, parsed as SQL would, and whether it exists.
SELECT p[cardinality(p) - 1] AS schema, p[cardinality(p)] AS name, to_regclass($1)::text AS present FROM parse_ident($1) p

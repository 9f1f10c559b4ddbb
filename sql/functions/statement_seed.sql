-- 32 random bytes (two gen_random_uuid(), 244 bits random) that one statement
-- draws once, in a MATERIALIZED CTE, and never stores: the seed of its rows'
-- salts (vsg.row_salt) and the salt of forget's markers (sql/forget/blank.sql).
CREATE OR REPLACE FUNCTION vsg.statement_seed() RETURNS bytea
LANGUAGE sql VOLATILE AS $$
  SELECT uuid_send(gen_random_uuid()) || uuid_send(gen_random_uuid())
$$;

-- A change row's salt (scheme 2, docs/integrity.md): the first 16 bytes of
-- SHA-256 over its statement's seed (vsg.statement_seed: 32 random bytes,
-- drawn once by the statement that writes the rows, never stored) and the
-- row's key text.
-- A key appears once among a statement's rows of one table, so each row has a
-- salt of its own; without the seed, no salt can be told from the key or from
-- the other rows' salts, so a salt that vsg forget deletes is gone as a drawn
-- one would be. One hash a row costs about half of gen_random_uuid() a row
-- (docs/performance.md). STABLE, like vsg.row_hash: convert_to() is, and it
-- must inline.
CREATE OR REPLACE FUNCTION vsg.row_salt(seed bytea, key_text text) RETURNS bytea
LANGUAGE sql STABLE AS $$
  SELECT substring(sha256(seed || convert_to(key_text, 'UTF8')) FROM 1 FOR 16)
$$;

-- A base's hash (vsg.bases, docs/prune.md): SHA-256 over its rows' stored
-- row hashes in key order (the order vsg.table_hash uses), never over values,
-- so that a value forgotten in the base (salt dropped, row hash kept) leaves
-- it unchanged.
CREATE OR REPLACE FUNCTION vsg.base_hash(row_hashes bytea) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT encode(sha256('vsg-base-1'::bytea || coalesce(row_hashes, ''::bytea)), 'hex')
$$;

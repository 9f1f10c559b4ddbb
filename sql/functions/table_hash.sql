-- The hash of one table's part of a change set (scheme 2): SHA-256 over its
-- rows' hashes (vsg.row_hash, 32 bytes each), concatenated in key order
-- (key::text COLLATE "C"), as string_agg(row_hash, '' ORDER BY ...) gives them.
CREATE OR REPLACE FUNCTION vsg.table_hash(row_hashes bytea) RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
  SELECT sha256('vsg-table-2'::bytea || coalesce(row_hashes, ''::bytea))
$$;

-- A commit's change_hash (scheme 2), hex: SHA-256 over its tables' entries
-- (vsg.table_entry: id and table hash), concatenated in table id order, as
-- string_agg(vsg.table_entry(id, hash), '' ORDER BY id) gives them; NULL (no
-- table: a commit that changes nothing) hashes as none. A plain expression,
-- so that PostgreSQL inlines it.
CREATE OR REPLACE FUNCTION vsg.change_set_hash(entries bytea) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT encode(sha256('vsg-changes-2'::bytea || coalesce(entries, ''::bytea)), 'hex')
$$;

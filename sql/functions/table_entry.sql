-- One table's entry in its commit's change_hash (scheme 2, vsg.change_set_hash):
-- its id, length-prefixed text, then its table hash (vsg.table_hash, 32 bytes).
-- STABLE, not IMMUTABLE: convert_to() is, and it must inline.
CREATE OR REPLACE FUNCTION vsg.table_entry(table_id int, table_hash bytea) RETURNS bytea LANGUAGE sql STABLE AS $$
  SELECT convert_to(vsg.lp(table_id::text), 'UTF8') || table_hash
$$;

-- A commit's change_hash (scheme 2), hex: SHA-256 over each table's id
-- (length-prefixed text) and table hash (vsg.table_hash), in table id order.
-- The arrays are parallel: table_ids[i] has table_hashes[i]. A commit that
-- changes nothing passes empty (or NULL) arrays.
CREATE OR REPLACE FUNCTION vsg.change_set_hash(table_ids int[], table_hashes bytea[]) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT encode(sha256('vsg-changes-2'::bytea
                       || coalesce(string_agg(convert_to(vsg.lp(t.id::text), 'UTF8') || t.hash, ''::bytea ORDER BY t.id), ''::bytea)),
                'hex')
  FROM unnest(table_ids, table_hashes) AS t(id, hash)
$$;

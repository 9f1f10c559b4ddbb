-- The key columns of a root checkpoint `rel` (hash scheme 3) selected by
-- position, where a query over its rows selects other columns beside them (a
-- user's column could bear any name those have): `cols`, the select list over
-- alias r (r.<column> AS k_1, k_2, ... in key order); over `alias`, their
-- key `image` as vsg.key_expr builds it ({"col": "text form"}) and their
-- `ord`er as vsg.root_key_order gives it (collatable ones in "C").
CREATE OR REPLACE FUNCTION vsg.root_key_columns(rel regclass, key_columns text[], alias text, OUT cols text, OUT image text, OUT ord text)
LANGUAGE sql STABLE AS $$
  SELECT string_agg(format('r.%I AS k_%s', a.attname, k.n), ', ' ORDER BY k.n),
         format('jsonb_build_object(%s)', string_agg(format('%L, %I.k_%s::text', a.attname, alias, k.n), ', ' ORDER BY k.n)),
         string_agg(format('%I.k_%s', alias, k.n) || CASE WHEN a.attcollation <> 0 THEN ' COLLATE "C"' ELSE '' END, ', ' ORDER BY k.n)
  FROM unnest(key_columns) WITH ORDINALITY AS k(c, n)
  JOIN pg_catalog.pg_attribute a ON a.attrelid = rel AND a.attname = k.c AND a.attnum > 0 AND NOT a.attisdropped
$$;

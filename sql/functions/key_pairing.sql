-- How a capture pairs an UPDATE's old and new rows (sql/functions/write_capture.sql,
-- vsg.packed_select): `kt`, the select list of each key column's text form
-- over alias r, compared byte for byte (COLLATE "C"), named "vsg:k<n>"; and
-- `pair`, their equality over aliases o and n. The same pairs as the jsonb
-- keys' equality (a key column is never NULL), but sorted or hashed for the
-- join at a fraction of the cost of comparing jsonb (docs/performance.md,
-- "Large commits"). A table whose columns bear those names is not packed
-- (vsg.packable); the change rows' capture selects no column of the table's
-- beside them.
CREATE OR REPLACE FUNCTION vsg.key_pairing(key_columns text[], OUT kt text, OUT pair text) LANGUAGE sql IMMUTABLE AS $$
  SELECT string_agg(format('r.%I::text COLLATE "C" AS %I', k.c, 'vsg:k' || k.n), ', ' ORDER BY k.n),
         string_agg(format('o.%1$I = n.%1$I', 'vsg:k' || k.n), ' AND ' ORDER BY k.n)
  FROM unnest(key_columns) WITH ORDINALITY AS k(c, n)
$$;

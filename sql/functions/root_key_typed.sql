-- The key of a row of a root checkpoint `rel` (hash scheme 3) in the key
-- columns' own types, read from a key image as vsg.key_expr builds it
-- ({"col": "text form"}), given as the SQL expression `img`: each key column
-- in key order, cast to its type, each collatable one in "C", as a comma
-- list. ROW(this) compares with ROW(vsg.root_key_order(rel, key_columns,
-- alias)) in the order the chunks are hashed in, through the checkpoint's key
-- index (vsg.root_rows_of, vsg.root_unpack, vsg.root_chunk_hashes). A text
-- form the type does not take raises a data_exception.
CREATE OR REPLACE FUNCTION vsg.root_key_typed(rel regclass, key_columns text[], img text) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT string_agg(format('(%s->>%L)::%s', img, a.attname, format_type(a.atttypid, a.atttypmod))
                    || CASE WHEN a.attcollation <> 0 THEN ' COLLATE "C"' ELSE '' END, ', ' ORDER BY k.n)
  FROM unnest(key_columns) WITH ORDINALITY AS k(c, n)
  JOIN pg_catalog.pg_attribute a ON a.attrelid = rel AND a.attname = k.c AND a.attnum > 0 AND NOT a.attisdropped
$$;

-- The key and image expressions (over alias r) of the capture's slow path for
-- table tid: the key columns under their recorded names, each read from the
-- column of that attribute number whatever it is called now. A key column
-- renamed outside vsg must not make the application's writes fail, and what
-- they capture must fit history once the rename is undone (the next vsg
-- commit refuses a changed key until then: history's keys could not follow).
CREATE OR REPLACE FUNCTION vsg.live_capture_exprs(tid int, OUT k text, OUT img text) LANGUAGE plpgsql STABLE AS $$
DECLARE
  c record;
  pairs text[] := '{}';
BEGIN
  img := vsg.image_expr((SELECT relid FROM vsg.tracked WHERE id = tid), 'r');
  FOR c IN SELECT kc.name AS recorded, coalesce(a.attname::text, kc.name) AS current
           FROM vsg.tracked t
           CROSS JOIN LATERAL unnest(t.key_columns) WITH ORDINALITY AS kc(name, n)
           LEFT JOIN pg_catalog.pg_attribute a
             ON a.attrelid = t.relid AND a.attnum = (t.signature -> 'key' ->> (kc.n::int - 1))::int2 AND NOT a.attisdropped
           WHERE t.id = tid
           ORDER BY kc.n LOOP
    pairs := pairs || format('%L, r.%I::text', c.recorded, c.current);
    IF c.current <> c.recorded THEN
      img := format('((%s) - %L) || jsonb_build_object(%L, r.%I::text)', img, c.current, c.recorded, c.current);
    END IF;
  END LOOP;
  k := format('jsonb_build_object(%s)', array_to_string(pairs, ', '));
END
$$;

-- Run statement upd once for each row (key jsonb, img jsonb) that query sel
-- yields, with that key and image bound as $1 and $2; returns the rows upd
-- changed. The rows are read whole before the first write. For a Citus
-- reference table, whose UPDATE Citus will not join to a local table
-- (src/core/sql/write-back.ts › citusUpdate): each one is a statement on one
-- key, which Citus writes to every placement.
CREATE OR REPLACE FUNCTION vsg.write_each(sel text, upd text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  keys jsonb[];
  imgs jsonb[];
  n bigint := 0;
  c bigint;
BEGIN
  EXECUTE format('SELECT array_agg(x.key), array_agg(x.img) FROM (%s) x', sel) INTO keys, imgs;
  FOR i IN 1 .. coalesce(array_length(keys, 1), 0) LOOP
    EXECUTE upd USING keys[i], imgs[i];
    GET DIAGNOSTICS c = ROW_COUNT;
    n := n + c;
  END LOOP;
  RETURN n;
END
$$;

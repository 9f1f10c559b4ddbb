-- An image with the cells of `cols` forgotten. Each such cell holds the marker
-- {"forgotten": "<hex>"}: an object (a value is always a JSON string or null,
-- never an object), whose text is 16 bytes of SHA-256 over a salt drawn for
-- the one `vsg forget` that wrote it (and never stored), the column and the
-- value. Within that forget, equal values get equal markers, so that diffs,
-- merges and write-backs still see which rows and cells differ; without the
-- salt, a marker confirms no guess. A cell already forgotten keeps its marker.
-- NULL (no row) stays NULL.
CREATE OR REPLACE FUNCTION vsg.forget_image(img jsonb, cols text[], salt bytea) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN img IS NOT NULL
              THEN (SELECT coalesce(jsonb_object_agg(e.key, CASE WHEN e.key = ANY (cols) AND jsonb_typeof(e.value) <> 'object'
                                                                 THEN jsonb_build_object('forgotten', encode(substr(sha256(salt || convert_to(vsg.lp(e.key) || vsg.lp(e.value::text), 'UTF8')), 1, 16), 'hex'))
                                                                 ELSE e.value END), '{}'::jsonb)
                    FROM jsonb_each(img) e) END
$$;

-- The columns of one change row that `vsg forget` blanks, sorted: those it
-- already had forgotten, and those of `cols` its images hold (NULL `cols`:
-- every column but the key's).
CREATE OR REPLACE FUNCTION vsg.forget_columns(before jsonb, after jsonb, already text[], cols text[], key_columns text[]) RETURNS text[]
LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(array_agg(DISTINCT c ORDER BY c), '{}')
  FROM (SELECT unnest(already) AS c
        UNION ALL
        SELECT k FROM (SELECT jsonb_object_keys(before) AS k UNION SELECT jsonb_object_keys(after)) i
        WHERE CASE WHEN cols IS NULL THEN NOT (k = ANY (key_columns)) ELSE k = ANY (cols) END) x
$$;

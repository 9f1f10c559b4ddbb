-- The writers' vsg.meta settings (as they set them, distinct) merged into one
-- JSON object: a key set to one value keeps it, a key set to several values
-- keeps them all, as an array. NULL for none.
-- A function rather than a part of sql/commit/create.sql: there, the plan of
-- this part (switched off by $13 in nearly every commit) was costed into the
-- statement's generic plan, which lost to planning anew on every commit.
CREATE OR REPLACE FUNCTION vsg.merge_session_meta(metas text[]) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT jsonb_object_agg(k.key, CASE WHEN jsonb_array_length(k.vals) = 1 THEN k.vals -> 0 ELSE k.vals END)
  FROM (SELECT e.key, jsonb_agg(DISTINCT e.value) AS vals
        FROM unnest(metas) m, jsonb_each(vsg.parse_meta(m)) e
        GROUP BY e.key) k
$$;

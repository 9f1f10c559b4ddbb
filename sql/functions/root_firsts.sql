-- The first key of each run of 1,024 rows of a root checkpoint `rel` (hash
-- scheme 3) in key order (vsg.root_key_order): per run (ord, from 0) the key
-- image of its first row, as vsg.key_expr builds it under vsg's settings for
-- text forms (those of vsg.root_rows). One pass over the key columns, through
-- the checkpoint's key index: the first keys vsg.root_chunk_hashes gives, for
-- sql/migrations/024_root_first_keys.sql, which stored them for the roots
-- tracked before. Nothing for a NULL rel.
CREATE OR REPLACE FUNCTION vsg.root_firsts(rel regclass, key_columns text[])
RETURNS TABLE (ord int, first_key jsonb)
LANGUAGE plpgsql STABLE
  SET TimeZone = 'UTC' SET DateStyle = 'ISO, YMD' SET IntervalStyle = 'postgres'
  SET extra_float_digits = 3 SET bytea_output = 'hex'
AS $$
DECLARE
  kc record;
BEGIN
  IF rel IS NULL THEN
    RETURN;
  END IF;
  SELECT x.cols, x.image INTO kc FROM vsg.root_key_columns(rel, key_columns, 'x') x;
  RETURN QUERY EXECUTE format('SELECT ((x.rn - 1) / 1024)::int, %s FROM (SELECT row_number() OVER (ORDER BY %s) AS rn, %s FROM %s r) x
                               WHERE (x.rn - 1) %% 1024 = 0',
                              kc.image, vsg.root_key_order(rel, key_columns, 'r'), kc.cols, rel);
END
$$;

-- The content hash of a root commit's rows (hash scheme 3, docs/integrity.md),
-- and how many there are. The rows, in the order of the key columns
-- (collatable ones in "C" order, which no locale changes), each as its text
-- form (`row::text` under vsg's fixed settings) followed by a newline, are cut
-- into chunks of 2^20 rows; the hash is SHA-256 over 'vsg-rows-3' and each
-- chunk's SHA-256, in order. Hashing a chunk at a time, not a row at a time,
-- is what makes it cheap (a SHA-256 call per row costs more than the rest),
-- and keeps each string under PostgreSQL's 1 GB. relname names the copy under
-- vsg; NULLs when it is missing. n, when given, is the row count (track knows
-- it); a table of one chunk needs no numbering of its rows.
-- `vsg track` hashes the copy it just made, and `vsg verify` hashes it again.
CREATE OR REPLACE FUNCTION vsg.rows_hash(relname text, key_columns text[], INOUT n bigint DEFAULT NULL, OUT hash bytea) LANGUAGE plpgsql STABLE
  SET TimeZone = 'UTC' SET DateStyle = 'ISO, YMD' SET IntervalStyle = 'postgres'
  SET extra_float_digits = 3 SET bytea_output = 'hex'
AS $$
DECLARE
  rel regclass := CASE WHEN relname IS NOT NULL THEN to_regclass(format('vsg.%I', relname)) END;
  ord text;
BEGIN
  IF rel IS NULL THEN
    n := NULL;
    RETURN;
  END IF;
  SELECT string_agg(format('r.%I%s', k.c, CASE WHEN a.attcollation <> 0 THEN ' COLLATE "C"' ELSE '' END), ', ' ORDER BY k.i)
  INTO ord
  FROM unnest(key_columns) WITH ORDINALITY AS k(c, i)
  LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = rel AND a.attname = k.c AND NOT a.attisdropped;
  IF n IS NULL THEN
    EXECUTE format('SELECT count(*) FROM %s', rel) INTO n;
  END IF;
  IF n <= 1048576 THEN
    EXECUTE format('SELECT sha256(''vsg-rows-3''::bytea || sha256(coalesce(string_agg(convert_to(r::text, ''UTF8'') || ''\x0a''::bytea, ''''::bytea ORDER BY %s), ''''::bytea))) FROM %s r',
                   ord, rel)
    INTO hash;
  ELSE
    EXECUTE format('SELECT sha256(''vsg-rows-3''::bytea || string_agg(h, ''''::bytea ORDER BY g))
                    FROM (SELECT g, sha256(string_agg(t, ''''::bytea ORDER BY i)) AS h
                          FROM (SELECT (i - 1) / 1048576 AS g, i, t
                                FROM (SELECT row_number() OVER (ORDER BY %s) AS i, convert_to(r::text, ''UTF8'') || ''\x0a''::bytea AS t FROM %s r) x) y
                          GROUP BY g) z', ord, rel)
    INTO hash;
  END IF;
END
$$;

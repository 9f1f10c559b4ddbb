-- Whether a copy `rel` holding a commit's rows packed (hash scheme 3) is an
-- UPDATE's or DELETE's, with "vsg:op" and the values before
-- (vsg.packed_exprs), rather than a root's or an INSERT's (every row an insert).
CREATE OR REPLACE FUNCTION vsg.packed_sided(rel regclass) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a WHERE a.attrelid = rel AND a.attname = 'vsg:op' AND NOT a.attisdropped)
$$;

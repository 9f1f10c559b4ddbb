-- Which merged rows (pg_temp.vsg_m_new, src/core/merge-constraints.ts) each check
-- constraint of table RELID refuses, into pg_temp.vsg_m_chkv (constraint, row's ctid).
-- PostgreSQL evaluates each check itself, so no expression text is spliced: per
-- constraint, a scratch copy of the table holding that check alone (no not-null, no
-- index, no foreign key) takes every merged row in one INSERT; only when that fails
-- are the rows tried one at a time to name each one refused. RELID is replaced by
-- the table's oid (digits only) before use.
DO $vsg_check$
DECLARE
  tpl regclass := RELID::oid::regclass;
  con text;
  other text;
  col text;
  at tid;
  list text;
  chk oid;
BEGIN
  DROP TABLE IF EXISTS pg_temp.vsg_m_chkv;
  CREATE TEMP TABLE vsg_m_chkv (con text, at tid) ON COMMIT DROP;
  SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) INTO list
  FROM pg_catalog.pg_attribute a
  WHERE a.attrelid = tpl AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '';
  FOR con IN SELECT c.conname FROM pg_catalog.pg_constraint c WHERE c.conrelid = tpl AND c.contype = 'c' ORDER BY c.conname LOOP
    DROP TABLE IF EXISTS pg_temp.vsg_m_chk;
    EXECUTE format('CREATE TEMP TABLE vsg_m_chk (LIKE %s INCLUDING CONSTRAINTS INCLUDING GENERATED) ON COMMIT DROP', tpl);
    -- looked up anew each time round: a 'pg_temp.vsg_m_chk'::regclass constant would keep the first table's oid
    SELECT r.oid INTO chk FROM pg_catalog.pg_class r WHERE r.relname = 'vsg_m_chk' AND r.relnamespace = pg_my_temp_schema();
    FOR other IN SELECT c.conname FROM pg_catalog.pg_constraint c
                 WHERE c.conrelid = chk AND c.contype = 'c' AND c.conname <> con LOOP
      EXECUTE format('ALTER TABLE pg_temp.vsg_m_chk DROP CONSTRAINT %I', other);
    END LOOP;
    FOR col IN SELECT a.attname FROM pg_catalog.pg_attribute a
               WHERE a.attrelid = chk AND a.attnum > 0 AND a.attnotnull LOOP
      EXECUTE format('ALTER TABLE pg_temp.vsg_m_chk ALTER COLUMN %I DROP NOT NULL', col);
    END LOOP;
    BEGIN
      EXECUTE format('INSERT INTO pg_temp.vsg_m_chk (%s) SELECT %s FROM pg_temp.vsg_m_new', list, list);
    EXCEPTION WHEN check_violation THEN
      FOR at IN SELECT n.ctid FROM pg_temp.vsg_m_new n LOOP
        BEGIN
          EXECUTE format('INSERT INTO pg_temp.vsg_m_chk (%s) SELECT %s FROM pg_temp.vsg_m_new WHERE ctid = $1', list, list) USING at;
        EXCEPTION WHEN check_violation THEN
          INSERT INTO pg_temp.vsg_m_chkv VALUES (con, at);
        END;
      END LOOP;
    END;
  END LOOP;
  DROP TABLE IF EXISTS pg_temp.vsg_m_chk;
END
$vsg_check$

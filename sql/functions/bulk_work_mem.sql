-- The work_mem a large statement's copy is made with (sql/functions/write_capture.sql):
-- the larger of the session's work_mem and maintenance_work_mem (the memory
-- PostgreSQL gives CREATE INDEX), as kB. The merge join that pairs an
-- UPDATE's old and new rows sorts both; at PostgreSQL's default of 4 MB they
-- spill to disk from some 30,000 rows (200,000 rows: 0.34–0.35 s against
-- 0.38–0.49 s at 4 MB).
CREATE OR REPLACE FUNCTION vsg.bulk_work_mem() RETURNS text LANGUAGE sql STABLE AS $$
  SELECT max(s.setting::bigint) || 'kB' FROM pg_catalog.pg_settings s WHERE s.name IN ('work_mem', 'maintenance_work_mem')
$$;

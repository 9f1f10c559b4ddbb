-- The settings under which every type prints its canonical text form, as
-- vsg's own sessions have them (src/db/db.ts), set to the end of the
-- transaction; returns the writer's, for vsg.restore_output.
CREATE OR REPLACE FUNCTION vsg.canonical_output() RETURNS text[] LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  saved text[] := ARRAY[current_setting('TimeZone'), current_setting('DateStyle'), current_setting('IntervalStyle'),
                        current_setting('extra_float_digits'), current_setting('bytea_output')];
BEGIN
  PERFORM set_config('TimeZone', 'UTC', true), set_config('DateStyle', 'ISO, YMD', true),
          set_config('IntervalStyle', 'postgres', true), set_config('extra_float_digits', '3', true),
          set_config('bytea_output', 'hex', true);
  RETURN saved;
END
$$;

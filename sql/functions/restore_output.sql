-- Put back the settings vsg.canonical_output saved.
CREATE OR REPLACE FUNCTION vsg.restore_output(saved text[]) RETURNS void LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM set_config('TimeZone', saved[1], true), set_config('DateStyle', saved[2], true),
          set_config('IntervalStyle', saved[3], true), set_config('extra_float_digits', saved[4], true),
          set_config('bytea_output', saved[5], true);
END
$$;

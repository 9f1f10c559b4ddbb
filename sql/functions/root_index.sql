-- The key index of a root checkpoint `rel` (hash scheme 3): unique, in the
-- order its chunks are hashed in (vsg.root_key_order), which reads them in
-- that order without a sort and finds one key's row in one probe (vsg.root_rows).
CREATE OR REPLACE FUNCTION vsg.root_index(rel regclass, key_columns text[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('CREATE UNIQUE INDEX ON %s (%s)', rel, vsg.root_key_order(rel, key_columns, NULL));
END
$$;

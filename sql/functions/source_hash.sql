-- The change_hash of a state commit: its source's id, hashed.
CREATE OR REPLACE FUNCTION vsg.source_hash(source text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT encode(sha256(convert_to('vsg-state-of' || vsg.lp(source), 'UTF8')), 'hex')
$$;

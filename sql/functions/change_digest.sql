-- The hash of one change: key and both images in jsonb's canonical text form.
-- STABLE, not IMMUTABLE: its body calls convert_to(), which is STABLE, so as
-- IMMUTABLE it was never inlined and every change of a commit paid a
-- SQL-function call (~2.5 us a change).
CREATE OR REPLACE FUNCTION vsg.change_digest(key jsonb, before jsonb, after jsonb) RETURNS bytea LANGUAGE sql STABLE AS $$
  SELECT sha256(convert_to(vsg.lp(key::text) || vsg.lp(before::text) || vsg.lp(after::text), 'UTF8'))
$$;

-- Run statements in order, in the caller's transaction and as the caller,
-- and return each one's row count: a write-back's keyed statements (the
-- ANALYZE of its staged images, then its DELETE, UPDATE and INSERT:
-- src/core/apply.ts › applyKeyed) in one round trip instead of one each. Each
-- runs exactly as it would on its own: a statement of its own, its triggers
-- (the capture's among them) and constraint checks at its end; an error is
-- the statement's own, with its SQLSTATE, constraint and detail.
CREATE OR REPLACE FUNCTION vsg.run_each(statements text[]) RETURNS bigint[] LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  s text;
  n bigint;
  counts bigint[] := '{}';
BEGIN
  FOREACH s IN ARRAY statements LOOP
    EXECUTE s;
    GET DIAGNOSTICS n = ROW_COUNT;
    counts := counts || n;
  END LOOP;
  RETURN counts;
END
$$;

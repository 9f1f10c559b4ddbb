-- The hash a PRUNE entry keeps over the ids of the commits it pruned, in seq
-- order (docs/prune.md): verify recomputes it from the commits marked with
-- that entry, so that a pruned commit removed, added or swapped is seen.
CREATE OR REPLACE FUNCTION vsg.pruned_hash(ids text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT encode(sha256(convert_to('vsg-pruned-1' || coalesce(ids, ''), 'UTF8')), 'hex')
$$;

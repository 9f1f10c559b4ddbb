-- A key given as a scalar ('7', 7) for a one-column key, or as an object
-- ({"id": 7}), in the canonical form vsg.changes stores: {"id": "7"}, for the
-- table tracked now behind a relation (vsg.history_key does it for any
-- history, an untracked one included).
CREATE OR REPLACE FUNCTION vsg.canonical_key(tbl regclass, key jsonb) RETURNS jsonb LANGUAGE sql STABLE
AS $$ SELECT vsg.history_key(vsg.tracked_id(tbl), key) $$;

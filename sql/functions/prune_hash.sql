-- A PRUNE entry's id (vsg.prunes): SHA-256 over the previous entry's id and
-- every field, time in UTC to the microsecond, as vsg.forget_hash hashes a
-- FORGET entry. The bases and forgotten counts are hashed in jsonb's
-- canonical text.
CREATE OR REPLACE FUNCTION vsg.prune_hash(prev text, author text, message text, at timestamptz, point text,
                                          commits bigint, commits_hash text, bases jsonb, forgotten jsonb) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT encode(sha256(convert_to(
    'vsg-prune-1' || vsg.lp(prev) || vsg.lp(author) || vsg.lp(message) ||
    vsg.lp(to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')) || vsg.lp(point) ||
    vsg.lp(commits::text) || vsg.lp(commits_hash) || vsg.lp(bases::text) || vsg.lp(forgotten::text), 'UTF8')), 'hex')
$$;

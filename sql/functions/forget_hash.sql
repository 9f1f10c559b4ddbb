-- A FORGET entry's id (vsg.forgets): SHA-256 over the previous entry's id and
-- every field, time in UTC to the microsecond, as vsg.commit_hash hashes a commit.
CREATE OR REPLACE FUNCTION vsg.forget_hash(prev text, table_id int, author text, message text, at timestamptz,
                                           columns text[], keys bigint, rows bigint, cells bigint, live text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT encode(sha256(convert_to(
    'vsg-forget-1' || vsg.lp(prev) || vsg.lp(table_id::text) || vsg.lp(author) || vsg.lp(message) ||
    vsg.lp(to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')) ||
    vsg.lp(to_jsonb(columns)::text) || vsg.lp(keys::text) || vsg.lp(rows::text) || vsg.lp(cells::text) || vsg.lp(live), 'UTF8')), 'hex')
$$;

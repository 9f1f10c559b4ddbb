-- A commit's id: SHA-256 over every field that defines it, time in UTC to the microsecond.
-- PL/pgSQL rather than SQL: called with a row of a CTE it was not inlined,
-- and each call planned its query again (~85 us a commit); PL/pgSQL keeps the
-- expression's plan for the session.
CREATE OR REPLACE FUNCTION vsg.commit_hash(parent text, merge_parent text, table_id int, kind text, operation text,
                                author text, message text, committed_at timestamptz, statement text,
                                meta jsonb, change_hash text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  RETURN encode(sha256(convert_to(
    'vsg-commit-1' || vsg.lp(parent) || vsg.lp(merge_parent) || vsg.lp(table_id::text) || vsg.lp(kind) ||
    vsg.lp(operation) || vsg.lp(author) || vsg.lp(message) ||
    vsg.lp(to_char(committed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')) ||
    vsg.lp(statement) || vsg.lp(meta::text) || vsg.lp(change_hash), 'UTF8')), 'hex');
END
$$;

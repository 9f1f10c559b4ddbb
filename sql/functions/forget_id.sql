-- A FORGET entry's id (vsg.forgets): vsg.forget_hash over its fields; for an
-- entry that unpacked chunks of a root (hash scheme 3, vsg.root_unpack), the
-- SHA-256 over that and the entry's seal, which covers each chunk's seal
-- (sql/forget/record.sql), so that the rows of those chunks are vouched for
-- by the chain of FORGET entries as they were by their chunk's hash.
CREATE OR REPLACE FUNCTION vsg.forget_id(prev text, table_id int, author text, message text, at timestamptz,
                                         columns text[], keys bigint, rows bigint, cells bigint, live text, seal bytea) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN seal IS NULL THEN h
              ELSE encode(sha256(convert_to('vsg-forget-2' || vsg.lp(h) || vsg.lp(encode(seal, 'hex')), 'UTF8')), 'hex') END
  FROM (SELECT vsg.forget_hash(prev, table_id, author, message, at, columns, keys, rows, cells, live) AS h) x
$$;

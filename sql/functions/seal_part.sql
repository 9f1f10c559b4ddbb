-- One unpacked chunk's part of the seal of the FORGET entry that unpacked it
-- (vsg.forgets.seal: SHA-256 over 'vsg-seals-3' and the parts of its chunks,
-- by their commit's seq, then their number; docs/integrity.md): a ROOT's
-- chunk, its number (int4) and its seal; a chunk of any other commit kept
-- packed (a large statement), int4 -1 and the commit's id (32 bytes) before them,
-- so that no two lists of chunks make the same bytes, and an entry that
-- unpacked a root's chunks alone is sealed as it always was.
-- Written by sql/forget/record.sql, checked by sql/verify/forgets.sql.
CREATE OR REPLACE FUNCTION vsg.seal_part(root boolean, commit_id text, chunk int, seal bytea) RETURNS bytea
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN root THEN ''::bytea ELSE int4send(-1) || decode(commit_id, 'hex') END || int4send(chunk) || seal
$$;

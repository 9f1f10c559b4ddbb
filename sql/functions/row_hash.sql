-- The hash of one change row (scheme 2): its salt (vsg.row_salt), its table, its key
-- and both images, each length-prefixed (vsg.lp), images in jsonb's canonical
-- text. The salt makes the hash of a row useless for confirming a guessed
-- value, and lets the row's values be blanked later with its hash kept.
-- STABLE, like vsg.change_digest: convert_to() is, and it must inline.
CREATE OR REPLACE FUNCTION vsg.row_hash(salt bytea, table_id int, key jsonb, before jsonb, after jsonb) RETURNS bytea
LANGUAGE sql STABLE AS $$
  SELECT sha256(convert_to('vsg-row-2' || vsg.lp(encode(salt, 'hex')) || vsg.lp(table_id::text) ||
                           vsg.lp(key::text) || vsg.lp(before::text) || vsg.lp(after::text), 'UTF8'))
$$;

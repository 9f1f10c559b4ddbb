-- The depth of vsg.lca(a, b) alone (its sdepth: the depth on the state tree).
CREATE OR REPLACE FUNCTION vsg.lca_depth(a text, b text) RETURNS int LANGUAGE sql STABLE AS $$
  SELECT depth FROM vsg.lca(a, b)
$$;

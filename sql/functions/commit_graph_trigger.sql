-- Trigger commit_graph (migration 007): each new commit's graph row.
-- SECURITY DEFINER, like the capture trigger: a role that may record commits
-- needs no privilege on this index of them.
CREATE OR REPLACE FUNCTION vsg.commit_graph_trigger() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  PERFORM vsg.commit_graph_add(NEW.seq, NEW.depth, NEW.parent, NEW.merge_parent);
  RETURN NULL;
END
$$;

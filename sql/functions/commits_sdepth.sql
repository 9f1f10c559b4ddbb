-- Trigger (commits_sdepth, migration 011): a new commit's depth on the state
-- tree, one more than its state parent's (its source, else its first parent).
CREATE OR REPLACE FUNCTION vsg.commits_sdepth() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(NEW.source, NEW.parent) IS NULL THEN
    NEW.sdepth := 0;
  ELSE
    SELECT c.sdepth + 1 INTO NEW.sdepth FROM vsg.commits c WHERE c.id = coalesce(NEW.source, NEW.parent);
  END IF;
  RETURN NEW;
END
$$;

-- A reference to one commit of tracked table tid: HEAD or @, a branch or tag,
-- a unique id prefix of 4+ hex digits, each optionally followed by ~N, ^ or ^2.
CREATE OR REPLACE FUNCTION vsg.resolve_commit(tid int, ref text) RETURNS text LANGUAGE plpgsql STABLE AS $$
DECLARE
  base text := substring(ref FROM '^(.*?)(?:~[0-9]*|\^[0-9]?)*$');
  suffix text := substring(ref FROM length(base) + 1);
  at text;
  n int;
  step text[];
BEGIN
  IF base IN ('HEAD', '@') THEN
    SELECT r.commit_id INTO at FROM vsg.tracked t JOIN vsg.refs r ON r.table_id = t.id AND r.name = t.head AND r.kind = 'branch'
    WHERE t.id = tid;
  ELSE
    SELECT r.commit_id INTO at FROM vsg.refs r WHERE r.table_id = tid AND r.name = base;
    IF at IS NULL AND base ~ '^[0-9a-f]{4,64}$' THEN
      SELECT count(*) INTO n FROM vsg.commits c WHERE c.table_id = tid AND c.id LIKE base || '%';
      IF n > 1 THEN
        RAISE EXCEPTION 'vsg: ''%'' is ambiguous: % commits start with it', ref, n USING ERRCODE = '22023';
      END IF;
      SELECT c.id INTO at FROM vsg.commits c WHERE c.table_id = tid AND c.id LIKE base || '%';
    END IF;
  END IF;
  IF at IS NULL THEN
    RAISE EXCEPTION 'vsg: ''%'' is not a commit, branch or tag of this table', ref USING ERRCODE = '22023';
  END IF;
  FOR step IN SELECT regexp_matches(suffix, '(~|\^)([0-9]*)', 'g') LOOP
    n := CASE WHEN step[2] = '' THEN 1 ELSE step[2]::int END;
    IF step[1] = '^' THEN
      IF n = 0 THEN CONTINUE; END IF;
      SELECT CASE n WHEN 1 THEN c.parent WHEN 2 THEN c.merge_parent END INTO at FROM vsg.commits c WHERE c.id = at;
    ELSE
      FOR i IN 1..n LOOP
        SELECT c.parent INTO at FROM vsg.commits c WHERE c.id = at;
        EXIT WHEN at IS NULL;
      END LOOP;
    END IF;
    IF at IS NULL THEN
      RAISE EXCEPTION 'vsg: ''%'' goes back past the first commit', ref USING ERRCODE = '22023';
    END IF;
  END LOOP;
  -- a pruned commit (docs/prune.md) answers E_PRUNED, never a state without its changes
  IF EXISTS (SELECT 1 FROM vsg.commits c WHERE c.id = at AND c.pruned IS NOT NULL) THEN
    PERFORM vsg.pruned_error(at);
  END IF;
  RETURN at;
END
$$;

-- Whether a commit statement sent with its COMMIT (sql/commit/create.sql $18,
-- Queryable.commitWith) made the whole commit: true, or an error (VD001) that
-- fails the statement, so that its COMMIT is never run and the transaction
-- rolls back. ops/commit.ts then makes the commit again the usual way, with
-- its own COMMIT, which goes on wherever it must: the append point was not
-- what the SQL ran against (`go`: another writer moved HEAD, recorded earlier
-- changes to its rows, changed its columns, a merge began), nothing changed
-- (a refusal, unless empty commits are allowed), the branch moved meanwhile,
-- or `below` rows or more changed, where a checkpoint may follow the commit
-- in its transaction (src/core/checkpoint.ts, CHECKPOINT_MIN_ROWS).
CREATE OR REPLACE FUNCTION vsg.final_commit(go boolean, made boolean, moved boolean, changed bigint, below int) RETURNS boolean
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  IF go AND made AND moved AND changed < below THEN
    RETURN true;
  END IF;
  RAISE EXCEPTION 'vsg: the commit goes on after its statement' USING ERRCODE = 'VD001';
END
$$;

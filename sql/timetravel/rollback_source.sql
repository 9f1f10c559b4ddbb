-- What a rollback writes, from vsg_rollback (as in rollback_conflicts.sql): an inserted row is
-- deleted, a deleted row comes back, an updated row gets back only the
-- columns the commit changed (its other columns keep their current values).
-- Rows already holding what the rollback would write are left alone by
-- applyImages. Under --force, conflicting rows and cells are overwritten.
SELECT key,
       CASE WHEN before IS NULL THEN NULL
            WHEN after IS NULL OR cur IS NULL THEN before
            ELSE cur || coalesce((SELECT jsonb_object_agg(k, before->k) FROM jsonb_object_keys(before) AS k
                                  WHERE before->k IS DISTINCT FROM after->k), '{}'::jsonb)
       END AS img
FROM vsg_rollback

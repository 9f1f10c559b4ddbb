-- Keys $2 (each as parseKey reads it) in the canonical form of history $1,
-- in order, each with the message of the error that refused it
-- (vsg.history_keys): one statement for every key of a `vsg forget`.
SELECT k.key::text AS k, k.error FROM vsg.history_keys($1::int, $2::jsonb[]) k ORDER BY k.n

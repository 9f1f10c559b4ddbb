-- Before tracking a Citus distributed table: Citus refuses to create a function (or a trigger) on
-- the workers in a transaction that already ran a parallel operation on a distributed table
-- ("cannot run function command because there was a parallel operation on a distributed table in
-- the transaction"), as creating the table's pending table does; one connection per node avoids it.
SELECT pg_catalog.set_config('citus.multi_shard_modify_mode', 'sequential', true)

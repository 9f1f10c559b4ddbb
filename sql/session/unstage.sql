-- After an operation refused inside an application's transaction that goes on
-- (src/api/repository.ts, transaction): no table is staged for a commit any
-- more (vsg.stage, set by sql/tables/lock_shared.sql and vsg.run_statement),
-- and no capture lists the tables it runs for (vsg.touched, vsg.touch_start).
-- Rows already staged stay, and reach vsg.pending at COMMIT (vsg.staged).
SELECT set_config('vsg.stage', '', true), set_config('vsg.touched', '', true)

-- Put enable_nestloop back as sql/commit/nestloop_off.sql found it, for the rest of the transaction.   $1 its value
SELECT set_config('enable_nestloop', $1::text, true)

--! capture-generator: a change to this file rewrites every vsg.capture_<id>() (vsg init)
-- Add table tid to the tables that the SQL or work of a commit naming no table
-- touched (vsg.touched, a transaction-local list ',3,17,' that
-- vsg.touch_start starts), so that vsg.changed_tables looks at those
-- tables alone instead of probing every tracked one. Outside such a commit
-- vsg.touched is empty or unset, and this does nothing. Every capture calls
-- it, at each statement: a SQL function, inlined into the capture's first
-- statement, so a capture outside such a commit pays two setting reads.
-- Returns the list, or NULL where nothing was added.
CREATE OR REPLACE FUNCTION vsg.touch(tid int) RETURNS text LANGUAGE sql VOLATILE AS $$
  SELECT CASE WHEN left(current_setting('vsg.touched', true), 1) = ',' AND strpos(current_setting('vsg.touched', true), ',' || tid || ',') = 0
              THEN set_config('vsg.touched', current_setting('vsg.touched', true) || tid || ',', true) END
$$;

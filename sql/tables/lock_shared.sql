-- Resolve the table a commit names, as sql/tables/lock.sql does, but take its
-- vsg.tracked row only FOR KEY SHARE: commits to one table do not wait for
-- each other here, while an operation that takes the row FOR UPDATE (every
-- write-back, switch, merge, untrack, branch) waits for them, and they for it.
-- The branch's row is locked FOR UPDATE only with $3 (a commit without SQL,
-- which appends at once); a commit with SQL locks it to append, after the SQL
-- (sql/commit/append.sql). Same columns as sql/tables/lock.sql, and how many
-- tables are tracked. With $4 (a commit that names no table: several tracked
-- is no refusal, it commits across the tables its SQL changes), no table
-- chosen returns one row, not every table.
-- With $5 (the SQL of a commit, one round trip saved: see vsg.run_statement),
-- the SQL runs once the table is locked, when what ops/commit.ts checks before
-- running it holds (one table locked, there and on a branch with a HEAD, no
-- merge in progress, its columns and key as last recorded): `ran`. Every
-- other column is as it was before the SQL ran.
-- With $6 as well (a commit that names no table, where no table is chosen:
-- several are tracked), the SQL runs first, with no table locked, as it would
-- sent on its own, every table's large statements staged for the commit, and
-- `changed` lists the tables it changed (vsg.changed_tables). Where that is
-- one table, it is locked here after the SQL, as $2 would lock it, and its row
-- returned: three round trips saved. Several, the commit locks and records
-- them one by one: two saved. With $6 and no $5 (the SQL or the work of a
-- commit naming no table, sent on its own), the captures start listing the
-- tables they run for, which vsg.changed_tables reads after, and stage every
-- table's large statements for the commit (vsg.touch_start).
WITH target AS MATERIALIZED (
  SELECT CASE WHEN $1::text IS NULL THEN NULL ELSE vsg.resolve_table($1::text) END AS oid
), counted AS MATERIALIZED (
  -- how many tables are tracked, counted once and only where no table is named
  SELECT count(*) AS n FROM vsg.tracked WHERE untracked_at IS NULL AND $1::text IS NULL AND $2::int IS NULL
), ran_across AS MATERIALIZED (
  -- (the SQL of a commit naming no table, where no table is chosen: run
  -- before `chosen` is read, which then holds the one table it changed)
  SELECT vsg.changed_tables(vsg.run_statement($5::text, NULL)) AS changed
  WHERE $6::boolean AND $4::boolean AND $5::text IS NOT NULL AND $1::text IS NULL AND $2::int IS NULL
    AND (SELECT n FROM counted) > 1
), chosen AS (
  SELECT t.id FROM vsg.tracked t
  WHERE t.untracked_at IS NULL AND CASE WHEN $2::int IS NOT NULL THEN t.id = $2::int
             WHEN $1::text IS NULL THEN (SELECT n FROM counted) = 1 OR t.id::text = (SELECT changed FROM ran_across)
             ELSE t.relid = (SELECT oid FROM target) END
), lt AS MATERIALIZED (
  SELECT t.id, t.relid, t.head, t.key_columns, t.signature
  -- (rechecked on the row as a writer that waited for it left it: untracked meanwhile, it drops out)
  FROM vsg.tracked t WHERE t.id IN (SELECT id FROM chosen) AND t.untracked_at IS NULL
  FOR KEY SHARE
), lr AS MATERIALIZED (
  SELECT r.id, r.table_id, r.commit_id
  FROM vsg.refs r JOIN lt ON r.table_id = lt.id AND r.name = lt.head AND r.kind = 'branch'
  WHERE $3::boolean
  FOR UPDATE OF r
)
-- `goes_on`, with $7 (a caller that can send the commit statement with its
-- COMMIT) where the SQL ran here: whether the commit may go on past its commit
-- statement (vsg.commit_goes_on), read once the SQL ran (the outer query, over
-- the one that ran it).
SELECT s.*, CASE WHEN $7::boolean AND s.ran AND s.locked THEN vsg.commit_goes_on(s.id::int) END AS goes_on
FROM (
SELECT x.oid::text AS oid, t.id::text, t.relid::text,
       to_json(coalesce(lt.key_columns, t.key_columns))::text AS key_columns, coalesce(lt.head, t.head) AS head,
       n.nspname AS schema_name, c.relname AS table_name,
       t.schema_name AS stored_schema, t.table_name AS stored_name,
       (CASE WHEN lt.id IS NULL THEN t.signature ELSE lt.signature END)::text AS signature,
       coalesce(lr.id, r.id)::text AS branch_id,
       CASE WHEN lr.id IS NULL THEN r.commit_id ELSE lr.commit_id END AS head_commit,
       NULL::text AS commits, NULL::text AS untracked_at,
       lt.id IS NOT NULL AS locked,
       sg.now::text AS now,
       sg.merging,
       CASE WHEN lt.id IS NOT NULL THEN txid_current()::text END AS xid,
       -- (read only where the caller asks it: $4)
       CASE WHEN $4::boolean THEN (SELECT n FROM counted)::text END AS tracked,
       CASE WHEN EXISTS (SELECT 1 FROM ran_across) THEN true
            WHEN $5::text IS NOT NULL AND sg.now IS NOT NULL AND NOT sg.merging
                 AND coalesce(lr.id, r.id) IS NOT NULL AND (CASE WHEN lr.id IS NULL THEN r.commit_id ELSE lr.commit_id END) IS NOT NULL
                 -- (as ops/commit.ts compares shapes: columns and key; none recorded is the live one)
                 AND (lt.signature IS NULL OR (lt.signature->'columns' = sg.now->'columns' AND (lt.signature->'key') IS NOT DISTINCT FROM (sg.now->'key')))
            THEN vsg.run_statement($5::text, lt.id) ELSE false END AS ran,
       (SELECT changed FROM ran_across) AS changed,
       -- (a commit naming no table, where no table is chosen, whose SQL or work
       -- is sent on its own ($6 without $5): the captures list the tables it
       -- touches for vsg.changed_tables and stage their large statements for
       -- it, as in the one above: vsg.touch_start)
       CASE WHEN $6::boolean AND $4::boolean AND $5::text IS NULL AND NOT $3::boolean AND lt.id IS NULL
                 AND (SELECT n FROM counted) > 1
            THEN vsg.touch_start() END AS touching,
       -- (SQL or work to follow, sent on its own: the capture may stage this
       -- table's large statements for the commit, until sql/commit/create.sql
       -- or append.sql reads what to commit; see vsg.run_statement; every
       -- table's where none is chosen: `touching` above)
       CASE WHEN lt.id IS NOT NULL AND NOT $3::boolean AND $5::text IS NULL
            THEN set_config('vsg.stage', coalesce(nullif(current_setting('vsg.stage', true), ''), ',') || lt.id || ',', true) END AS stage
FROM target x
-- (through the key, the rows the WHERE below keeps: the locked table's once one
-- is locked, the first tracked for $4, every one for the refusal; joined to every
-- tracked row, the planner read them all and every ref, ~0.6 ms a commit at 200)
LEFT JOIN vsg.tracked t ON t.untracked_at IS NULL AND ($2::int IS NULL OR t.id = $2::int)
  AND t.id = ANY (CASE WHEN EXISTS (SELECT 1 FROM lt) THEN ARRAY(SELECT id FROM lt)
                       WHEN $4::boolean THEN ARRAY(SELECT min(id) FROM vsg.tracked WHERE untracked_at IS NULL)
                       ELSE ARRAY(SELECT id FROM vsg.tracked) END)
LEFT JOIN lt ON lt.id = t.id
LEFT JOIN lr ON lr.table_id = t.id
LEFT JOIN pg_catalog.pg_class c ON c.oid = t.relid
LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN vsg.refs r ON r.table_id = t.id AND r.name = coalesce(lt.head, t.head) AND r.kind = 'branch'
LEFT JOIN LATERAL (
  SELECT CASE WHEN c.oid IS NOT NULL THEN vsg.table_signature(c.oid) END AS now,
         EXISTS (SELECT 1 FROM vsg.merges m WHERE m.table_id = lt.id) AS merging
  WHERE lt.id IS NOT NULL
) sg ON true
-- Only the chosen table once one is locked (a commit's cost must not grow with
-- the number of tracked tables); every one when none is, for the refusal.
WHERE lt.id IS NOT NULL OR (NOT EXISTS (SELECT 1 FROM lt) AND (NOT $4::boolean OR t.id = (SELECT min(id) FROM vsg.tracked WHERE untracked_at IS NULL)))
ORDER BY coalesce(n.nspname, t.schema_name), coalesce(c.relname, t.table_name)
-- (OFFSET 0: run as a query of its own, before `goes_on` is read)
OFFSET 0) s

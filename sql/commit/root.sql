-- The ROOT commit of a table being tracked, straight from its rows, in one statement:
-- what sql/commit/create.sql records for it (every row an insert, each with its
-- own salt and row hash, scheme 2), without staging the rows in a temp
-- table and reading them back to pair them with pending changes. A table being
-- tracked has none: src/ops/track.ts locks it against writers (SHARE ROW
-- EXCLUSIVE) before its capture triggers are installed, until the end of the
-- transaction, and its tracked id is new.
-- This text continues a WITH that src/core/sql/rows.ts › rootCommit opens with
-- the table's rows: `snap` (key, after: the key and image of each row, as
-- vsg.key_expr and vsg.image_expr give them).
--   $1 table_id   $2 author   $3 message
-- The commit is what sql/commit/create.sql makes of the same rows for a ROOT
-- (no parent, no branch: src/ops/track.ts creates 'main' on it): same columns,
-- counts, change_hash and id, and it comes back as create.sql returns it.
salt_seed AS MATERIALIZED (
  -- The statement's salt seed (vsg.statement_seed, vsg.row_salt): drawn once, never stored.
  SELECT vsg.statement_seed() AS seed
), delta AS MATERIALIZED (
  -- In the order of the key indexes of vsg.changes (key text in "C" order,
  -- as create.sql, sorted before the salts and hashes are added). The key's
  -- text is computed once (`snap` is not flattened into this query: each
  -- mention of its key would build it again) and is the sort key itself.
  -- Each row's salt is made here, once (MATERIALIZED): the row stored and its
  -- hash must agree. The row hash is vsg.row_hash's (sql/functions/row_hash.sql)
  -- written out as in create.sql, "before" being NULL; `vsg verify` recomputes
  -- every row with vsg.row_hash itself.
  SELECT n.key, n.after, n.salt, n.kt,
         sha256(convert_to('vsg-row-2' || vsg.lp(encode(n.salt, 'hex')) || vsg.lp($1::int::text) ||
                           vsg.lp(n.kt) || vsg.lp(NULL::text) || vsg.lp(n.at), 'UTF8')) AS row_hash
  FROM (SELECT s.*, vsg.row_salt((SELECT seed FROM salt_seed), s.kt) AS salt, s.after::text AS at
        FROM (SELECT key, after, key::text COLLATE "C" AS kt FROM (SELECT * FROM snap OFFSET 0) r ORDER BY kt) s
        OFFSET 0) n
), tables AS (
  -- Hash scheme 2 (docs/integrity.md): row -> table -> commit; none when the table is empty.
  SELECT vsg.table_hash(string_agg(row_hash, ''::bytea ORDER BY kt COLLATE "C")) AS hash, count(*) AS ins
  FROM delta HAVING count(*) > 0
), info AS (
  SELECT clock_timestamp() AS at,
         CASE WHEN t.ins IS NULL THEN 'NONE' ELSE 'INSERT' END AS op,
         coalesce(t.ins, 0) AS ins,
         vsg.change_set_hash(vsg.table_entry($1, t.hash)) AS change_hash
  FROM (SELECT) one LEFT JOIN tables t ON true
), c AS (
  INSERT INTO vsg.commits (id, table_id, parent, merge_parent, depth, branch_id, kind, operation, author, message,
                           committed_at, statement, meta, inserted, updated, deleted, change_hash, hash_scheme)
  SELECT vsg.commit_hash(NULL, NULL, $1, 'ROOT', i.op, $2, $3, i.at, NULL, NULL, i.change_hash),
         $1, NULL, NULL, 0, NULL, 'ROOT', i.op, $2, $3, i.at, NULL, NULL, i.ins, 0, 0, i.change_hash, 2
  FROM info i
  RETURNING id, seq
), ch AS (
  -- marked root: kept out of changes_key (sql/migrations/021_root_rows.sql, vsg.key_changes)
  INSERT INTO vsg.changes (table_id, seq, key, before, after, salt, row_hash, root)
  SELECT $1, c.seq, d.key, NULL, d.after, d.salt, d.row_hash, true FROM c, delta d
)
SELECT c.id, $1::text AS table_id, NULL::text AS parent, NULL::text AS merge_parent, 'ROOT' AS kind, i.op AS operation,
       $2::text AS author, $3::text AS message,
       to_char(i.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS committed_at,
       NULL::text AS statement, NULL::text AS meta,
       i.ins::text AS inserted, '0' AS updated, '0' AS deleted, NULL::text AS source, i.change_hash,
       '[]' AS refs
FROM c CROSS JOIN info i

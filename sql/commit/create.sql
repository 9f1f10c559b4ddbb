-- Make a commit from captured changes and move the branch to it, in one statement.
--   $1 table_id   $2 which pending changes of the table to take (below)
--   $3 parent     $4 merge_parent   $5 branch_id   $6 kind
--   $7 author     $8 message        $9 statement   $10 meta (jsonb)   $11 allow empty
--   $12 prefer the writers' own author: when every taken change carries the same
--       vsg.author session setting, it is the commit's author instead of $7
--   $13 merge the writers' vsg.meta settings into the metadata ($10 wins per key;
--       a key set to several values keeps them all, as an array)
--   $14 the table's OID, to lock the branch and check the append point first
--       (below; NULL: the caller has locked the branch)   $15 the branch's name
--   $16 the transaction id the caller holds   $17 the columns and key it
--       found recorded and live before its SQL ran
--   $18 the statement is sent with its COMMIT (Queryable.commitWith), for a
--       commit of fewer rows than this (after which a checkpoint may follow):
--       it fails (vsg.final_commit) whenever the caller would go on in the
--       transaction; NULL: it is not
-- $2 'all': every pending change (a commit without SQL); 'mine': the changes
-- this transaction captured (in vsg.pending, and the large statements of a
-- commit's SQL staged in the session: vsg.take_captured); 'earlier': other writers' uncommitted changes to
-- the keys this transaction changed (recorded first, as their own commit, so
-- that 'mine' then starts from their values); 'keys': this transaction's and
-- the earlier ones together. A commit's "before" must be the value at its
-- parent for deltas to compose. Rows a bulk write-back of this transaction
-- staged for it (vsg.staged_changes) count as captured last (not 'earlier').
-- With $14 (a commit of SQL, which locks its branch only to append: see
-- ops/commit.ts), the statement first does what sql/commit/append.sql does,
-- in the same round trip: it locks the branch ($15, the table's OID $14) and
-- reads the append point, and makes the commit only when that is what the
-- caller assumed ($3 still HEAD, the transaction still $16, the columns still
-- $17 as recorded, no merge in progress, no earlier changes by other writers
-- to take first). Otherwise it changes nothing and returns the append point
-- alone (the columns of append.sql, `id` NULL, `go` false), for the caller
-- to go on from.
-- Without $14 there is no append point: no row when nothing was committed
-- (with $18, the statement fails instead: vsg.final_commit).
-- The branch $5 moves from $3 to the new commit by compare-and-swap (`moved`
-- is false when another writer moved it meanwhile; a ROOT moves nothing), and
-- the commit comes back as sql/history/commits.sql gives it, its refs
-- being the branch that moved, and `tidy`: whether vsg.pending wants a VACUUM
-- (src/core/pending.ts), read here so that it costs no round trip.
WITH arg AS MATERIALIZED (
  -- The parameters that choose what the statement does ($2, $12, $13), read
  -- through this CTE and never as constants, so that every plan of it is the
  -- generic one's shape: PostgreSQL plans a prepared statement's first five
  -- runs for their parameters, then keeps one plan for all only when that
  -- plan costs no more than theirs. Planned for constants, each mode would
  -- prune the others' branches, the plan for all would cost more, and a
  -- connection would plan this statement again at every commit (~1.5 ms of
  -- a 3 ms one-row commit: test/integration/plan-cache.test.ts).
  SELECT $2::text AS take, $12::boolean AS own_author, $13::boolean AS own_meta
), lr AS MATERIALIZED (
  SELECT r.id, r.commit_id FROM vsg.refs r
  WHERE $14::oid IS NOT NULL AND r.table_id = $1 AND r.name = $15::text AND r.kind = 'branch'
  FOR UPDATE
), point AS MATERIALIZED (
  SELECT (s->'columns')::text AS columns, (s->'key')::text AS key, txid_current()::text AS xid,
         (SELECT id FROM lr)::text AS branch_id, (SELECT commit_id FROM lr) AS head_commit,
         t.signature::text AS signature,
         EXISTS (SELECT 1 FROM vsg.merges m WHERE m.table_id = $1) AS merging,
         -- (other writers' rows are looked for first, two index probes: pairing
         -- every key this transaction changed with the pending index cost a
         -- probe per changed row, ~20 us, for the usual answer, none)
         (EXISTS (SELECT 1 FROM vsg.pending o WHERE o.table_id = $1 AND o.xid < txid_current())
          OR EXISTS (SELECT 1 FROM vsg.pending o WHERE o.table_id = $1 AND o.xid > txid_current()))
         AND vsg.earlier_keys($1) AS earlier,
         -- (as ops/commit.ts compares shapes: columns and key; a NULL recorded is the live one)
         s->'columns' = $17::jsonb->'columns' AND (s->'key') IS NOT DISTINCT FROM ($17::jsonb->'key')
           AND (t.signature IS NULL OR (t.signature->'columns' = $17::jsonb->'columns' AND (t.signature->'key') IS NOT DISTINCT FROM ($17::jsonb->'key'))) AS same_shape
  FROM vsg.table_signature($14::oid) s, vsg.tracked t
  WHERE $14::oid IS NOT NULL AND t.id = $1
), go AS (
  -- whether to commit: always without $14; and the SQL has run: nothing more
  -- is staged for a commit (vsg.stage, sql/tables/lock_shared.sql)
  SELECT $14::oid IS NULL OR coalesce((SELECT p.branch_id = ($5::int)::text AND p.head_commit = $3 AND p.xid = $16::text AND p.same_shape AND NOT p.merging AND NOT p.earlier FROM point p), false) AS ok,
         set_config('vsg.stage', '', true) AS unstaged
), staged AS (
  SELECT key, before, after FROM vsg.staged_changes($1) WHERE (SELECT take FROM arg) <> 'earlier'
), mine AS (
  SELECT key FROM vsg.pending WHERE table_id = $1 AND xid = txid_current()
  UNION
  SELECT vsg.captured_keys($1)
  UNION
  SELECT key FROM staged
), packed AS MATERIALIZED (
  -- A large statement of the SQL staged packed, the transaction's one change of
  -- the table: kept as a copy hashed by chunks (hash scheme 3,
  -- vsg.take_packed), no change row made. Asked before `captured`, which
  -- otherwise takes its rows as change rows; and before `taken_mine`, whose
  -- DELETE would hide from it (a volatile function's query sees what the
  -- statement did so far) this transaction's pending rows of the table, which
  -- keep it from taking the statement alone.
  SELECT p.seq, p.ins, p.upd, p.del, p.hash, p.chunks, p.author, p.meta
  FROM vsg.take_packed($1, (SELECT take FROM arg) = 'mine' AND (SELECT ok FROM go)) p
), taken_mine AS (
  -- 'mine': this transaction's rows alone, through pending_xid (table_id, xid)
  DELETE FROM vsg.pending p
  WHERE p.table_id = $1 AND (SELECT ok FROM go) AND (SELECT take FROM arg) = 'mine' AND p.xid = txid_current()
    AND (SELECT count(*) FROM packed) >= 0
  RETURNING p.seq, p.key, p.before, p.after, nullif(p.author, '') AS author, nullif(p.meta, '') AS meta
), taken_other AS (
  -- every other mode reads every row of the table, as it must
  DELETE FROM vsg.pending p
  WHERE p.table_id = $1 AND (SELECT ok FROM go) AND (SELECT take FROM arg) <> 'mine'
    AND CASE (SELECT take FROM arg)
          WHEN 'all' THEN true
          WHEN 'earlier' THEN p.xid <> txid_current() AND p.key IN (SELECT key FROM mine)
          WHEN 'keys' THEN p.key IN (SELECT key FROM mine)
          ELSE false END
  RETURNING p.seq, p.key, p.before, p.after, nullif(p.author, '') AS author, nullif(p.meta, '') AS meta
), taken AS (
  SELECT seq, key, before, after, author, meta FROM taken_mine
  UNION ALL
  SELECT seq, key, before, after, author, meta FROM taken_other
), captured AS MATERIALIZED (
  -- This transaction's large statements of SQL, staged in the session for
  -- this commit instead of vsg.pending (sql/functions/write_capture.sql):
  -- taken with its pending rows, in one order (their sequence numbers).
  SELECT c.seq, c.key, c.before, c.after, nullif(c.author, '') AS author, nullif(c.meta, '') AS meta
  FROM vsg.take_captured($1, (SELECT take FROM arg) <> 'earlier' AND (SELECT ok FROM go) AND (SELECT count(*) FROM packed) >= 0) c
), pending_taken AS NOT MATERIALIZED (
  -- (read where it is used: its two sides are materialized already, and one
  -- more copy of every row cost ~0.2 s of CPU in a 200,000-row commit:
  -- docs/performance.md, "Large commits")
  SELECT seq, key, before, after, author, meta FROM taken
  UNION ALL
  SELECT seq, key, before, after, author, meta FROM captured
), taking AS (
  SELECT seq, key, before, after, author, meta FROM pending_taken
  UNION ALL
  SELECT 9223372036854775807, key, before, after,
         nullif(current_setting('vsg.author', true), ''), nullif(current_setting('vsg.meta', true), '')
  FROM staged
  UNION ALL
  SELECT seq, NULL, NULL, NULL, author, meta FROM packed
), one AS MATERIALIZED (
  -- Every row taken has the same sequence number: one staged statement's
  -- (a large commit of one statement, the usual case), which changes each
  -- key once, so that there is nothing to compose.
  SELECT coalesce(min(seq) = max(seq), false) AS statement FROM pending_taken
), pnet AS NOT MATERIALIZED (
  -- Each key's "before" from its first pending change and "after" from its
  -- last: min and max over [seq, image] (seqs of one key differ, so the image
  -- itself is never compared), which a hash aggregate computes in one pass.
  -- Sorting jsonb keys costs more than anything else a large commit does, and
  -- a join of `taken` to its own key ends is planned blind: a DELETE ...
  -- RETURNING has no row estimate but the pending index's, often 1 (a nested
  -- loop, n^2 for n changed rows).
  SELECT key, before, after FROM pending_taken WHERE (SELECT statement FROM one)
  UNION ALL
  SELECT key, (min(ARRAY[to_jsonb(seq), before]))[2] AS before, (max(ARRAY[to_jsonb(seq), after]))[2] AS after
  FROM pending_taken WHERE NOT (SELECT statement FROM one) GROUP BY key
), net AS (
  -- A staged row is its key's last change. Nothing staged (a commit of SQL):
  -- the pending rows alone, the join not run (hashing the pending side, all
  -- of it, cost ~3 us a row).
  SELECT key, before, after FROM pnet WHERE NOT EXISTS (SELECT 1 FROM staged)
  UNION ALL
  SELECT coalesce(p.key, s.key) AS key,
         CASE WHEN p.key IS NULL THEN s.before ELSE p.before END AS before,
         CASE WHEN s.key IS NULL THEN p.after ELSE s.after END AS after
  FROM pnet p FULL JOIN staged s ON s.key = p.key
  WHERE EXISTS (SELECT 1 FROM staged)
), salt_seed AS MATERIALIZED (
  -- The statement's salt seed (vsg.statement_seed, vsg.row_salt): drawn once, never stored.
  SELECT vsg.statement_seed() AS seed
), delta AS MATERIALIZED (
  -- In (about) the order of the key indexes of vsg.changes: inserting a large
  -- change set in hash order instead costs twice as much (sorted before the
  -- salts and hashes are added, so the sort moves less). Each row's salt is
  -- made here, once (MATERIALIZED): the row stored and its hash must agree.
  -- The row hash is vsg.row_hash's (sql/functions/row_hash.sql), written out
  -- over the key's and the images' text computed once each (OFFSET 0 keeps
  -- them columns): vsg.row_hash inlined converts each jsonb to text twice.
  -- `vsg verify` recomputes every row with vsg.row_hash itself.
  SELECT n.table_id, n.key, n.before, n.after, n.salt, n.kt,
         sha256(convert_to('vsg-row-2' || vsg.lp(encode(n.salt, 'hex')) || vsg.lp(n.table_id::text) ||
                           vsg.lp(n.kt) || vsg.lp(n.bt) || vsg.lp(n.at), 'UTF8')) AS row_hash
  FROM (SELECT s.*, vsg.row_salt((SELECT seed FROM salt_seed), s.kt) AS salt, s.before::text AS bt, s.after::text AS at
        FROM (SELECT $1::int AS table_id, key, before, after, key::text AS kt FROM net WHERE before IS DISTINCT FROM after
              ORDER BY key::text COLLATE "C") s
        OFFSET 0) n
), tables AS (
  -- Hash scheme 2 (docs/integrity.md): row -> table -> commit. One table
  -- here, so no GROUP BY table_id (its sort costs ~2 us a row); none when
  -- nothing changed. A packed statement (scheme 3): its table hash, and no
  -- change row (vsg.take_packed takes it only alone).
  SELECT $1::int AS table_id, vsg.table_hash(string_agg(row_hash, ''::bytea ORDER BY kt COLLATE "C")) AS hash
  FROM delta HAVING count(*) > 0
  UNION ALL
  SELECT $1::int, hash FROM packed
), summary AS (
  SELECT count(*) FILTER (WHERE before IS NULL) + coalesce((SELECT ins FROM packed), 0) AS ins,
         count(*) FILTER (WHERE before IS NOT NULL AND after IS NOT NULL) + coalesce((SELECT upd FROM packed), 0) AS upd,
         count(*) FILTER (WHERE after IS NULL) + coalesce((SELECT del FROM packed), 0) AS del,
         (SELECT vsg.change_set_hash(string_agg(vsg.table_entry(table_id, hash), ''::bytea ORDER BY table_id)) FROM tables) AS change_hash
  FROM delta
), session_author AS (
  -- (without $12 nothing is read: a root commit takes every row of its table)
  SELECT CASE WHEN count(*) > 0 AND count(author) = count(*) AND count(DISTINCT author) = 1
              THEN min(author) END AS author
  FROM taking WHERE (SELECT own_author FROM arg)
), session_meta AS (
  -- (vsg.merge_session_meta: see there why a function)
  SELECT vsg.merge_session_meta(array_agg(DISTINCT meta)) AS meta FROM taking WHERE (SELECT own_meta FROM arg) AND meta IS NOT NULL HAVING count(*) > 0
), info AS (
  SELECT clock_timestamp() AS at,
         coalesce((SELECT author FROM session_author), $7) AS author,
         nullif(coalesce((SELECT meta FROM session_meta), '{}'::jsonb) || coalesce($10::jsonb, '{}'::jsonb), '{}'::jsonb) AS meta,
         coalesce((SELECT depth + 1 FROM vsg.commits WHERE id = $3), 0) AS depth,
         CASE WHEN s.ins + s.upd + s.del = 0 THEN 'NONE'
              WHEN s.upd = 0 AND s.del = 0 THEN 'INSERT'
              WHEN s.ins = 0 AND s.del = 0 THEN 'UPDATE'
              WHEN s.ins = 0 AND s.upd = 0 THEN 'DELETE'
              ELSE 'MIXED' END AS op,
         s.*
  FROM summary s
), c AS (
  INSERT INTO vsg.commits (seq, id, table_id, parent, merge_parent, depth, branch_id, kind, operation, author, message,
                           committed_at, statement, meta, inserted, updated, deleted, change_hash, hash_scheme)
  SELECT coalesce((SELECT seq FROM packed), nextval('vsg.commits_seq_seq')),
         vsg.commit_hash($3, $4, $1, $6, i.op, i.author, $8, i.at, $9, i.meta, i.change_hash),
         $1, $3, $4, i.depth, $5, $6, i.op, i.author, $8, i.at, $9, i.meta, i.ins, i.upd, i.del, i.change_hash,
         CASE WHEN EXISTS (SELECT 1 FROM packed) THEN 3 ELSE 2 END
  FROM info i
  WHERE ($11 OR i.ins + i.upd + i.del > 0) AND (SELECT ok FROM go)
  RETURNING id, seq
), ch AS (
  -- a ROOT's rows (a Citus table's, gathered from its shards: src/ops/track.ts)
  -- are kept out of changes_key, as sql/commit/root.sql's (vsg.key_changes)
  INSERT INTO vsg.changes (table_id, seq, key, before, after, salt, row_hash, root)
  SELECT d.table_id, c.seq, d.key, d.before, d.after, d.salt, d.row_hash, CASE WHEN $6::text = 'ROOT' THEN true END FROM c, delta d
), packed_chunks AS (
  INSERT INTO vsg.root_chunks (seq, chunk, rows, salt, hash, first_key, last_key)
  SELECT c.seq, x.chunk, x.rows, decode(x.salt, 'hex'), decode(x.hash, 'hex'), x.first_key, x.last_key
  FROM c CROSS JOIN packed p
  CROSS JOIN LATERAL jsonb_to_recordset(p.chunks) AS x(chunk int, rows int, salt text, hash text, first_key jsonb, last_key jsonb)
), moved AS (
  UPDATE vsg.refs r SET commit_id = c.id FROM c
  WHERE r.id = $5 AND r.commit_id = $3
  RETURNING r.name
)
SELECT c.id, $1::text AS table_id, $3::text AS parent, $4::text AS merge_parent, $6::text AS kind, i.op AS operation,
       i.author, $8::text AS message,
       to_char(i.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS committed_at,
       $9::text AS statement, i.meta::text AS meta,
       i.ins::text AS inserted, i.upd::text AS updated, i.del::text AS deleted, NULL::text AS source, i.change_hash,
       coalesce((SELECT json_agg(json_build_object('name', m.name, 'kind', 'branch')) FROM moved m), '[]')::text AS refs,
       EXISTS (SELECT 1 FROM moved) AS moved,
       pt.columns, pt.key, pt.xid, pt.branch_id, pt.head_commit, pt.signature, pt.merging, pt.earlier, (SELECT ok FROM go) AS go,
       -- whether vsg.pending wants a VACUUM after this transaction: the test of sql/status/pending.sql
       (SELECT pg_has_role(pc.relowner, 'USAGE') AND (pg_relation_size(pc.oid) / current_setting('block_size')::int - pc.relpages > 320
               OR (pg_stat_get_dead_tuples(pc.oid) > greatest(10000, pg_stat_get_live_tuples(pc.oid))
                   AND coalesce(greatest(pg_stat_get_last_vacuum_time(pc.oid), pg_stat_get_last_autovacuum_time(pc.oid)) < now() - interval '1 minute', true)))
        FROM pg_catalog.pg_class pc WHERE pc.oid = 'vsg.pending'::regclass) AS tidy,
       CASE WHEN $18::int IS NOT NULL THEN vsg.final_commit((SELECT ok FROM go), c.id IS NOT NULL, EXISTS (SELECT 1 FROM moved), i.ins + i.upd + i.del, $18::int) END AS final
FROM (SELECT) one
LEFT JOIN point pt ON true
LEFT JOIN (c CROSS JOIN info i) ON true
-- (with $18, a row whatever was made: its `final` fails the statement where nothing was)
WHERE c.id IS NOT NULL OR pt.xid IS NOT NULL OR $18::int IS NOT NULL

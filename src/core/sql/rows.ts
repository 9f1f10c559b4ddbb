/**
 * Queries over a tracked table's own rows, which name the table and its
 * columns and so cannot be files under sql/: the rows as of a commit
 * (export), per-cell blame, the root commit's snapshot (track), and the images
 * a write-back stages. Each is a pure function; names go in only through
 * src/db/quote.ts and src/db/images.ts, values only as bound parameters.
 * test/unit/ddl-sql.test.ts holds their text.
 */
import { imageExpr, keyExpr, keyMatch } from '../../db/images.js';
import { ident, literal } from '../../db/quote.js';
import { sql } from '../../db/sql.js';
import type { WriteColumn, WriteTarget } from './write-back.js';

/**
 * The keys where the live table differs from a commit, each with its image
 * there (key, img). Parameters as sql/diff/between.sql: target, head, lca depth, true, table id.
 */
export function stateImages(): string {
  return `SELECT d.key, d.old AS img FROM (${sql('diff/between')}) d`;
}

/**
 * The rows as of a commit, each column as text aliased c0..cN, in key order:
 * the live rows the changes since did not touch, and the changed ones' images.
 * A forgotten cell (vsg forget's marker, an object) reads as NULL, never as a
 * value, and `f` maps the row's forgotten columns to their markers (JSON text; NULL: none).
 * Parameters as sql/diff/between.sql: commit, head, lca depth, true, table id.
 */
export function rowsAt(table: WriteTarget, cols: readonly Pick<WriteColumn, 'name' | 'type'>[]): string {
  const typeOf = new Map(cols.map((c) => [c.name, c.type]));
  const live = cols.map((c, i) => `r.${ident(c.name)}::text AS c${i}`);
  const img = cols.map((c, i) =>
    table.keyColumns.includes(c.name) ? `d.old->>${literal(c.name)} AS c${i}` : `CASE WHEN jsonb_typeof(d.old->${literal(c.name)}) <> 'object' THEN d.old->>${literal(c.name)} END AS c${i}`,
  );
  const keyLive = table.keyColumns.map((k, i) => `r.${ident(k)} AS k${i}`);
  const keyImg = table.keyColumns.map((k, i) => `(d.old->>${literal(k)})::${typeOf.get(k)} AS k${i}`);
  const match = table.keyColumns.map((k) => `r.${ident(k)} = (d.key->>${literal(k)})::${typeOf.get(k)}`).join(' AND ');
  const order = table.keyColumns.map((_, i) => `k${i}`).join(', ');
  return `WITH d AS MATERIALIZED (SELECT key, old FROM (${sql('diff/between')}) x)
    SELECT ${cols.map((_, i) => `c${i}`).join(', ')}, f FROM (
      SELECT ${[...live, ...keyLive].join(', ')}, NULL::text AS f FROM ${table.qname} r WHERE NOT EXISTS (SELECT 1 FROM d WHERE ${match})
      UNION ALL
      SELECT ${[...img, ...keyImg].join(', ')}, ${forgottenColumns('d.old')} AS f FROM d WHERE d.old IS NOT NULL
    ) u ORDER BY ${order}`;
}

/** The forgotten columns of an image (cells holding vsg forget's marker, an object) with their markers, as JSON text; NULL when none. */
export function forgottenColumns(image: string): string {
  return `(SELECT jsonb_object_agg(e.k, e.v->'forgotten')::text FROM jsonb_each(${image}) AS e(k, v) WHERE jsonb_typeof(e.v) = 'object')`;
}

/**
 * Every current row of the table ($1: its id) as an insert, staged for the
 * root commit to take (pg_temp.vsg_delta, as a bulk write-back stages its
 * rows: vsg.staged_changes), not through vsg.pending, whose indexes and dead
 * rows cost more per row than the rest of tracking.
 */
export function snapshotIntoDelta(table: WriteTarget, columnNames: readonly string[]): string {
  return `INSERT INTO pg_temp.vsg_delta (table_id, key, before, after) SELECT $1, ${keyExpr(table.keyColumns, 'r')}, NULL, ${imageExpr(columnNames, 'r')} FROM ${table.qname} r`;
}

/**
 * The ROOT commit of a table being tracked, made straight from its rows in
 * one statement (sql/commit/root.sql, which says what it records and why the
 * table can have no pending changes). $1: table id, $2: author, $3: message.
 */
export function rootCommit(table: WriteTarget, columnNames: readonly string[]): string {
  return `WITH snap AS (SELECT ${keyExpr(table.keyColumns, 'r')} AS key, ${imageExpr(columnNames, 'r')} AS after FROM ${table.qname} r),
${sql('commit/root')}`;
}

/**
 * Per live row (one key when `oneKey`) and column, the commit on HEAD's
 * first-parent chain that last set the value, and the columns uncommitted
 * changes set. $1: table id, $2: HEAD commit, $3: the key (jsonb) or NULL.
 */
export function blame(table: WriteTarget, cols: readonly Pick<WriteColumn, 'name' | 'type'>[], oneKey: boolean, dropped = false): string {
  const img = imageExpr(cols.map((c) => c.name), 'r');
  const k = keyExpr(table.keyColumns, 'r');
  // a dropped table's rows at HEAD come from its history alone ($1, $2: table, HEAD)
  const liveRows = dropped
    ? `SELECT x.key, x.img FROM (${sql('dropped/rows_at')}) x WHERE $3::jsonb IS NULL OR x.key = $3::jsonb`
    : oneKey
    ? `SELECT ${k} AS key, ${img} AS img FROM ${table.qname} r, (SELECT $3::jsonb AS key) q WHERE ${keyMatch(table.keyColumns, cols, 'r', 'q')}`
    : `SELECT ${k} AS key, ${img} AS img FROM ${table.qname} r`;
  // The commits of HEAD's first-parent chain that may matter. For one row:
  // those among the row's own changes (vsg.key_changes, read once: it probes
  // each large statement's copy of the table that can hold the key) that
  // lie on the chain, checked by skip pointers, so the cost is that row's
  // history. For the whole table, every change set is read anyway: walk the chain.
  const chain = oneKey
    ? `WITH kc AS MATERIALIZED (
         SELECT ch.seq, ch.key, ch.before, ch.after FROM vsg.key_changes($1, $3::jsonb) ch
       ), chain AS (
         SELECT c.id, c.seq, c.depth FROM vsg.commits c
         WHERE c.seq IN (SELECT vsg.first_parent_reach(h.seq, ARRAY(SELECT seq FROM kc
                                                                    UNION ALL
                                                                    SELECT seq FROM vsg.commits WHERE table_id = $1 AND source IS NOT NULL))
                         FROM vsg.commits h WHERE h.id = $2)
       )`
    : `WITH RECURSIVE chain AS (
         SELECT id, seq, parent, depth FROM vsg.commits WHERE id = $2
         UNION ALL
         SELECT c.id, c.seq, c.parent, c.depth FROM chain JOIN vsg.commits c ON c.id = chain.parent
       )`;
  // The live rows asked for; per (key, column) the deepest change on HEAD's
  // first-parent chain that set it; the columns uncommitted changes set.
  return `${chain}, live AS (${liveRows}
     ), chg AS (
       ${oneKey
         ? 'SELECT chain.id AS commit_id, ch.key, ch.before, ch.after FROM kc ch JOIN chain ON chain.seq = ch.seq'
         : 'SELECT chain.id AS commit_id, ch.key, ch.before, ch.after FROM chain CROSS JOIN LATERAL vsg.commit_rows(chain.seq) ch WHERE ch.table_id = $1'}
       UNION ALL
       -- a state commit's changes: its parent against its source, for the table or the one key
       -- (none known when its parent was pruned: it is the boundary, its cells were set before it)
       SELECT c.id, d.key, d.old, d.new FROM chain JOIN vsg.commits c ON c.id = chain.id AND c.source IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM vsg.commits pc WHERE pc.id = c.parent AND pc.pruned IS NOT NULL)
       CROSS JOIN LATERAL ${oneKey ? 'vsg.state_diff_key($1, c.parent, chain.id, $3::jsonb)' : 'vsg.state_diff($1, c.parent, chain.id, false)'} d
     ), cells AS (
       SELECT DISTINCT ON (ch.key, e.col) ch.key, e.col, ch.commit_id
       FROM chg ch JOIN chain ON chain.id = ch.commit_id
       CROSS JOIN LATERAL jsonb_object_keys(ch.after) AS e(col)
       WHERE ch.after IS NOT NULL
         AND (ch.before IS NULL OR ch.before->e.col IS DISTINCT FROM ch.after->e.col)
       ORDER BY ch.key, e.col, chain.depth DESC
     ), last AS (
       SELECT key, jsonb_object_agg(col, commit_id) AS last FROM cells GROUP BY key
     ), pnet AS (
       SELECT key, (array_agg(before ORDER BY seq))[1] AS before, (array_agg(after ORDER BY seq DESC))[1] AS after
       FROM vsg.pending WHERE table_id = $1 AND ($3::jsonb IS NULL OR key = $3::jsonb) GROUP BY key
     ), pcells AS (
       SELECT p.key, jsonb_agg(e.col) AS cols FROM pnet p CROSS JOIN LATERAL jsonb_object_keys(p.after) AS e(col)
       WHERE p.after IS NOT NULL AND (p.before IS NULL OR p.before->e.col IS DISTINCT FROM p.after->e.col)
       GROUP BY p.key
     )
     SELECT l.key::text, l.img::text, la.last::text, pc.cols::text AS pend
     FROM live l LEFT JOIN last la ON la.key = l.key LEFT JOIN pcells pc ON pc.key = l.key`;
}

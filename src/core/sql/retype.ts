/**
 * The statements that record the values PostgreSQL rewrote when a column's
 * type changed (ALTER COLUMN … TYPE, by the commit's SQL or outside vsg):
 * the table is rewritten without a trigger firing, so the capture never sees
 * them (src/core/retype.ts). They name the table and its columns, so cannot be
 * files under sql/; names go in only through src/db/quote.ts, values only as
 * bound parameters ($1 the table's vsg.tracked id, $2 the commit its branch's
 * HEAD is). test/unit/retype-sql.test.ts holds their text.
 */
import { keyExpr } from '../../db/images.js';
import { ident, literal } from '../../db/quote.js';
import { sql } from '../../db/sql.js';

/** The temporary table the statements share, dropped with the transaction. */
const TEMP = 'pg_temp.vsg_retyped';

/** The cells of `image` in the columns `names`, where `image` has them and they are not vsg forget's marker (an object). */
function cellsOf(image: string, names: readonly string[]): string {
  return `(SELECT coalesce(jsonb_object_agg(n.n, ${image}->n.n), '{}') FROM unnest(ARRAY[${names.map(literal).join(', ')}]::text[]) n(n)
           WHERE ${image} ? n.n AND jsonb_typeof(${image}->n.n) <> 'object')`;
}

/**
 * Every row of `qname` (already quoted) there at HEAD or now, with its key,
 * its image at HEAD as history has it (`before`, sql/dropped/rows_at.sql) and
 * the text now of its retyped columns (`cells`); NULL where the row is not there.
 */
export function stageRetyped(qname: string, keyColumns: readonly string[], retyped: readonly string[]): string {
  const cells = `jsonb_build_object(${retyped.map((c) => `${literal(c)}, r.${ident(c)}::text`).join(', ')})`;
  return `CREATE TEMP TABLE vsg_retyped ON COMMIT DROP AS
  WITH h AS MATERIALIZED (
    SELECT x.key, x.img FROM (${sql('dropped/rows_at')}) x
  )
  SELECT coalesce(l.key, h.key) AS key, h.img AS before, l.cells
  FROM (SELECT ${keyExpr(keyColumns, 'r')} AS key, ${cells} AS cells FROM ${qname} r) l
  FULL JOIN h ON h.key = l.key`;
}

/**
 * A key whose text a key column's type change reprinted (`7` as `7.00`), the
 * first in text order, or NULL, from the staged rows (stageRetyped): a key
 * history has at HEAD that is no longer in the table, or one in the table that
 * history lacks, where no uncommitted change (this transaction's, or another
 * writer's) inserted or deleted it. Rows are matched by their keys' text:
 * history would hold each such row under two keys.
 */
export function reprintedKey(): string {
  return `SELECT min(r.key::text) AS key FROM ${TEMP} r
  WHERE (r.before IS NULL OR r.cells IS NULL) AND NOT EXISTS (SELECT 1 FROM vsg.pending p WHERE p.table_id = $1::int AND p.key = r.key)`;
}

/**
 * The uncommitted changes to the rows (this transaction's and other writers',
 * which the commit takes or records first): a row's first one's before takes
 * the retyped cells history has at HEAD, its last one's after those the table
 * has now, so that its changes run from what history had to what the table
 * has, whichever side of the type change they were captured on. (A large
 * statement's rows share its one sequence number: a row is its key's and that
 * number's.)
 */
export function mendRetyped(retyped: readonly string[]): string[] {
  // each key's first and last uncommitted change, from one read of vsg.pending
  const ends = `WITH f AS (SELECT q.key, min(q.seq) AS first, max(q.seq) AS last FROM vsg.pending q WHERE q.table_id = $1::int GROUP BY q.key)`;
  return [
    `${ends}
  UPDATE vsg.pending p SET before = p.before || ${cellsOf('r.before', retyped)}
  FROM f JOIN ${TEMP} r ON r.key = f.key
  WHERE p.table_id = $1::int AND p.key = f.key AND p.seq = f.first AND p.before IS NOT NULL AND r.before IS NOT NULL`,
    `${ends}
  UPDATE vsg.pending p SET after = p.after || r.cells
  FROM f JOIN ${TEMP} r ON r.key = f.key
  WHERE p.table_id = $1::int AND p.key = f.key AND p.seq = f.last AND p.after IS NOT NULL AND r.cells IS NOT NULL`,
  ];
}

/**
 * The rows no uncommitted change touched whose retyped cells now read
 * otherwise than history has them: one update each, this transaction's, from
 * the row's image at HEAD to the same image with those cells as they are now
 * (cells the image lacks stay out: a column added since the row last changed).
 */
export function recordRetyped(retyped: readonly string[]): string {
  const was = cellsOf('r.before', retyped);
  return `INSERT INTO vsg.pending (table_id, key, before, after)
  SELECT $1::int, r.key, r.before, r.before || (SELECT coalesce(jsonb_object_agg(e.key, r.cells->e.key), '{}') FROM jsonb_each(${was}) e)
  FROM ${TEMP} r
  WHERE r.before IS NOT NULL AND r.cells IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM vsg.pending p WHERE p.table_id = $1::int AND p.key = r.key)
    AND EXISTS (SELECT 1 FROM jsonb_each(${was}) e WHERE e.value IS DISTINCT FROM r.cells->e.key)`;
}

/** Drop the shared temporary table. */
export function dropRetyped(): string {
  return `DROP TABLE ${TEMP}`;
}

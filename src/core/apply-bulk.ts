/**
 * Write-back in bulk: the path applyImages takes when the difference to write
 * is a large share of the table (a checkout of a distant state, a switch
 * between branches that diverged). Row by row, every changed row costs the
 * capture trigger's work on top of the write: images of the old and the new
 * row from the transition tables, paired by key through a FULL JOIN. Here the
 * statements record what they change themselves, from RETURNING, in the same
 * statement as the write, and the capture skips them (vsg.tracked.applying,
 * sql/schema/009_bulk_apply.sql). The writes are still plain DELETE, UPDATE
 * and INSERT on the table, so its constraints, foreign keys and triggers act
 * exactly as on any write (TRUNCATE would skip row triggers and is refused
 * when the table is referenced), and what is recorded is what the capture
 * would have recorded: the real difference, row by row, as written. It goes
 * to vsg.pending, or, for a checkout, straight to the commit (RecordMode).
 */
import type { Queryable } from '../db/db.js';
import { sql } from '../db/sql.js';
import type { ApplyResult, RecordMode, WriteSql } from './apply-sql.js';
import type { TrackedTable } from './tables.js';

/** A difference of at least 1/BULK_SHARE of the table's rows is written in bulk ... */
export const BULK_SHARE = 4;
/** ... and so is any difference of this many rows, whatever the table's size. */
export const BULK_ROWS = 50_000;

/**
 * Whether `n` keys to write (in pg_temp.vsg_apply) go the bulk way: a large
 * share of the table, on a table where the bulk path records exactly what the
 * capture would (sql/apply/bulk_eligible.sql says why not, otherwise).
 * Counting stops past n·BULK_SHARE rows, so deciding costs O(n), not O(table);
 * `size`, when given, is that count already made (the fill statement of
 * apply-fill.ts makes it).
 */
export async function takesBulkPath(tx: Queryable, table: TrackedTable, n: number, size?: number | null): Promise<boolean> {
  if (n === 0) return false;
  if (n < BULK_ROWS) {
    const counted =
      size ?? Number((await tx.query<{ n: string }>(`SELECT count(*)::text AS n FROM (SELECT 1 FROM ${table.qname} LIMIT $1) t`, [n * BULK_SHARE + 1])).rows[0].n);
    if (counted > n * BULK_SHARE) return false;
  }
  const { rows } = await tx.query<{ reason: string | null }>(sql('apply/bulk_eligible'), [table.relid]);
  return rows[0]?.reason === null;
}

/** Where each record mode puts a changed row ($1: the table's id), as the CTE `p` of a statement whose changed rows are `src`. */
function sink(record: RecordMode, cols: string, src: string): string {
  if (record === 'discard') return '';
  const into = record === 'commit' ? 'pg_temp.vsg_delta' : 'vsg.pending';
  return `, p AS (INSERT INTO ${into} (table_id, key, before, after) SELECT $1, ${cols} FROM ${src})`;
}

/**
 * Make the table hold the images of pg_temp.vsg_apply, recording each changed
 * row (key, the row before, the row after) as the capture would, where
 * `record` says: vsg.pending, or pg_temp.vsg_delta for createCommit, or nowhere.
 */
export async function applyBulk(tx: Queryable, table: TrackedTable, w: WriteSql, record: RecordMode): Promise<ApplyResult> {
  const q = table.qname;
  const { rows } = await tx.query<{ img: string; o: string; key: string }>(
    `SELECT vsg.image_expr($1::oid, 'r') AS img, vsg.image_expr($1::oid, 'o') AS o, vsg.key_expr($2::text[], 'r') AS key`,
    [table.relid, table.keyColumns],
  );
  const { img, o, key } = rows[0];
  // The lock switch and merge take: other writers wait until this command
  // commits (readers do not), so no row changes between being read as
  // "before" and being written.
  await tx.query(`LOCK TABLE ${q} IN SHARE ROW EXCLUSIVE MODE`);
  await tx.query('DROP TABLE IF EXISTS pg_temp.vsg_delta');
  if (record === 'commit') {
    await tx.query('CREATE TEMP TABLE vsg_delta (table_id int, key jsonb, before jsonb, after jsonb) ON COMMIT DROP');
  }
  const keep = record !== 'discard';
  const count = async (text: string) => Number((await tx.query<{ n: string }>(text, keep ? [table.id] : [])).rows[0].n);
  const result: ApplyResult = { inserted: 0, updated: 0, deleted: 0 };
  await tx.query('UPDATE vsg.tracked SET applying = txid_current() WHERE id = $1', [table.id]);
  result.deleted = await count(
    `WITH d AS (DELETE FROM ${q} r USING pg_temp.vsg_apply s WHERE s.img IS NULL AND ${w.join}
                RETURNING ${keep ? `s.key, ${img} AS cur` : '1'})
          ${sink(record, 'key, cur, NULL', 'd')}
     SELECT count(*)::text AS n FROM d`,
  );
  if (w.set) {
    // Each row is read (o, for its "before") and written (r) in one statement;
    // a row already holding its image is left alone, and one a BEFORE trigger
    // kept as it was is no change, as for the capture. (OFFSET 0 keeps the
    // planner from building each "before" image twice, for the test and the result.)
    result.updated = await count(
      `WITH u AS (UPDATE ${q} r SET ${w.set}
                  FROM (SELECT s.key, s.img, o.ctid AS tid, ${o} AS cur
                        FROM pg_temp.vsg_apply s JOIN ${q} o ON ${w.keyMatch('o')}
                        WHERE s.img IS NOT NULL OFFSET 0) s
                  WHERE r.ctid = s.tid AND s.cur IS DISTINCT FROM s.img
                  RETURNING ${keep ? `s.key, s.cur, ${img} AS img` : '1'})
            ${sink(record, 'key, cur, img', 'u WHERE cur IS DISTINCT FROM img')}
       SELECT count(*)::text AS n FROM u`,
    );
  }
  result.inserted = await count(
    `WITH i AS (INSERT INTO ${q} AS r (${w.insertColumns}) OVERRIDING SYSTEM VALUE
                SELECT ${w.insertValues} FROM pg_temp.vsg_apply s
                WHERE s.img IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${q} r WHERE ${w.join})
                RETURNING ${keep ? `${key} AS key, ${img} AS img` : '1'})
          ${sink(record, 'key, NULL::jsonb, img', 'i')}
     SELECT count(*)::text AS n FROM i`,
  );
  await tx.query('UPDATE vsg.tracked SET applying = NULL WHERE id = $1', [table.id]);
  return result;
}

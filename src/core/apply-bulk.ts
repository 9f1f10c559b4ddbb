/**
 * Write-back in bulk: the path applyImages takes when the difference to write
 * is a large share of the table (a checkout of a distant state, a switch
 * between branches that diverged). Row by row, every changed row costs the
 * capture trigger's work on top of the write: images of the old and the new
 * row from the transition tables, paired by key through a FULL JOIN. Here the
 * statements record what they change themselves, from RETURNING, in the same
 * statement as the write, and the capture skips them (vsg.tracked.applying,
 * docs/storage.md, version 9). The writes are still plain DELETE, UPDATE
 * and INSERT on the table, so its constraints, foreign keys and triggers act
 * exactly as on any write (TRUNCATE would skip row triggers and is refused
 * when the table is referenced), and what is recorded is what the capture
 * would have recorded: the real difference, row by row, as written. It goes
 * to vsg.pending, or, for a checkout, straight to the commit (RecordMode).
 */
import type { Queryable } from '../db/db.js';
import { sql } from '../db/sql.js';
import type { ApplyResult, RecordMode, WriteSql } from './apply-sql.js';
import { lockTable } from './sql/ddl.js';
import { bulkDelete, bulkInsert, bulkUpdate, countUpTo } from './sql/write-back.js';
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
 * sql/apply-fill.ts makes it).
 */
export async function takesBulkPath(tx: Queryable, table: TrackedTable, n: number, size?: number | null): Promise<boolean> {
  if (n === 0) return false;
  if (n < BULK_ROWS) {
    const counted = size ?? Number((await tx.query<{ n: string }>(countUpTo(table), [n * BULK_SHARE + 1])).rows[0].n);
    if (counted > n * BULK_SHARE) return false;
  }
  const { rows } = await tx.query<{ reason: string | null }>(sql('apply/bulk_eligible'), [table.relid]);
  return rows[0]?.reason === null;
}

/**
 * Make the table hold the images of pg_temp.vsg_apply, recording each changed
 * row (key, the row before, the row after) as the capture would, where
 * `record` says: vsg.pending, or pg_temp.vsg_delta for createCommit, or nowhere.
 * In a table that references itself (`selfRef`), inserts come first and deletes last.
 */
export async function applyBulk(tx: Queryable, table: TrackedTable, w: WriteSql, record: RecordMode, selfRef = false): Promise<ApplyResult> {
  // The lock switch and merge take: other writers wait until this command
  // commits (readers do not), so no row changes between being read as
  // "before" and being written.
  await tx.query(lockTable(table.qname, 'SHARE ROW EXCLUSIVE'));
  await tx.query(sql('apply/drop_delta_temp'));
  if (record === 'commit') {
    await tx.query(sql('apply/create_delta_temp'));
  }
  const keep = record !== 'discard';
  const count = async (text: string) => Number((await tx.query<{ n: string }>(text, keep ? [table.id] : [])).rows[0].n);
  const result: ApplyResult = { inserted: 0, updated: 0, deleted: 0 };
  await tx.query(sql('apply/mark_applying'), [table.id]);
  // A table that references itself: rows in before rows point at them, rows out after none does (apply.ts › applyKeyed).
  if (!selfRef) result.deleted = await count(bulkDelete(table, w, record));
  if (selfRef) result.inserted = await count(bulkInsert(table, w, record));
  if (w.set) result.updated = await count(bulkUpdate(table, w, record));
  if (!selfRef) result.inserted = await count(bulkInsert(table, w, record));
  if (selfRef) result.deleted = await count(bulkDelete(table, w, record));
  await tx.query(sql('apply/unmark_applying'), [table.id]);
  return result;
}

/**
 * One phase of a bulk write-back across tables (write-back-many.ts), which
 * interleaves the tables' deletes and upserts in foreign-key order: 'delete'
 * deletes the rows whose image is "no row" (only those meeting `only`, when
 * given), 'upsert' updates and inserts. The table is marked only while its
 * own statements run, so that cascades other tables' writes set off in it are
 * captured as usual. The caller has locked the table (lockForBulk) and keeps
 * the changed rows uncommitted (RecordMode 'pending').
 */
export async function bulkPhase(tx: Queryable, table: TrackedTable, w: WriteSql, phase: 'delete' | 'upsert', only = '', selfRef = false): Promise<ApplyResult> {
  const count = async (text: string) => Number((await tx.query<{ n: string }>(text, [table.id])).rows[0].n);
  const result: ApplyResult = { inserted: 0, updated: 0, deleted: 0 };
  await tx.query(sql('apply/mark_applying'), [table.id]);
  if (phase === 'delete') {
    result.deleted = await count(bulkDelete(table, w, 'pending', only));
  } else {
    // in a table that references itself, inserts first: an updated row may point at an inserted one
    if (selfRef) result.inserted = await count(bulkInsert(table, w, 'pending'));
    if (w.set) result.updated = await count(bulkUpdate(table, w, 'pending'));
    if (!selfRef) result.inserted = await count(bulkInsert(table, w, 'pending'));
  }
  await tx.query(sql('apply/unmark_applying'), [table.id]);
  return result;
}

/** The lock applyBulk takes, for a bulk write-back in phases. */
export async function lockForBulk(tx: Queryable, table: TrackedTable): Promise<void> {
  await tx.query(lockTable(table.qname, 'SHARE ROW EXCLUSIVE'));
}

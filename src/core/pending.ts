/**
 * Uncommitted changes: the rows the capture triggers put in vsg.pending that
 * no commit has taken yet. Counting them (netted per key, as status shows
 * them), forgetting the ones that net to nothing, and keeping the table lean.
 */
import type { Db, Queryable } from '../db/db.js';
import { sql } from '../db/sql.js';
import { forgetSql, rowExprsOf, type RowExprs } from './sql/timetravel.js';
import { columns, type TrackedTable } from './tables.js';

/** A table's uncommitted changes, netted per key. */
export interface PendingCounts {
  inserted: number;
  updated: number;
  deleted: number;
  clean: boolean;
}

/** The table's uncommitted changes, netted per key (what `vsg status` counts). */
export async function pendingCounts(db: Queryable, table: TrackedTable): Promise<PendingCounts> {
  const { rows } = await db.query<{ inserted: string; updated: string; deleted: string }>(sql('status/pending'), [table.id]);
  const [inserted, updated, deleted] = [Number(rows[0].inserted), Number(rows[0].updated), Number(rows[0].deleted)];
  return { inserted, updated, deleted, clean: inserted + updated + deleted === 0 };
}

/** How many rows differ from HEAD, all kinds together. */
export function uncommitted(counts: PendingCounts): number {
  return counts.inserted + counts.updated + counts.deleted;
}


/**
 * Forget pending rows of keys whose row is back to its value at HEAD (the
 * first `before`): after a restore they are no change, and status is clean.
 */
export async function forgetNoOps(tx: Queryable, table: TrackedTable, exprs?: RowExprs): Promise<number> {
  const e = exprs ?? (await rowExprs(tx, table));
  return (await tx.query(forgetSql(table.qname, e, false), [table.id])).rowCount;
}

/** forgetNoOps, and the counts status then shows, in one statement. */
export async function forgetNoOpsAndCount(tx: Queryable, table: TrackedTable, exprs: RowExprs): Promise<PendingCounts> {
  const { rows } = await tx.query<{ inserted: string; updated: string; deleted: string }>(forgetSql(table.qname, exprs, true), [table.id]);
  const [inserted, updated, deleted] = [Number(rows[0].inserted), Number(rows[0].updated), Number(rows[0].deleted)];
  return { inserted, updated, deleted, clean: inserted + updated + deleted === 0 };
}

async function rowExprs(tx: Queryable, table: TrackedTable): Promise<RowExprs> {
  return rowExprsOf(table.keyColumns, await columns(tx, table.relid), 'n');
}

/** Which of these tracked tables have any uncommitted change (an index probe each, one round trip). */
export async function tablesWithPending(tx: Queryable, ids: number[]): Promise<Set<number>> {
  const { rows } = await tx.query<{ id: string }>(sql('pending/tables_with'), [ids]);
  return new Set(rows.map((r) => Number(r.id)));
}

/** Whether the pending rows (all of the table's, or this transaction's keys) net to any change. */
export async function hasNetChange(tx: Queryable, table: TrackedTable, all: boolean): Promise<boolean> {
  const { rows } = await tx.query<{ any: string }>(sql('timetravel/net_change'), [table.id, all]);
  return rows[0].any === 't' || rows[0].any === 'true';
}

/**
 * A commit that took many rows from vsg.pending leaves as many dead entries,
 * which every later status and commit reads through its indexes until a
 * vacuum. The embedded database has no autovacuum (and a server may have it
 * off): clean up after a large one, outside the transaction. Inside an
 * application's own transaction VACUUM cannot run; autovacuum, if on, does it.
 */
export async function tidyPending(db: Db, changed: number): Promise<void> {
  if (changed > 10_000) await db.query(sql('pending/vacuum')).catch(() => undefined);
}
export type { RowExprs } from './sql/timetravel.js';

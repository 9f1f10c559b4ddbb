/**
 * Uncommitted changes: the rows the capture triggers put in vsg.pending that
 * no commit has taken yet. Counting them (netted per key, as status shows
 * them), forgetting the ones that net to nothing, and keeping the table lean.
 */
import { sqlTrue as isTrue, type Db, type Queryable } from '../db/db.js';
import { sql } from '../db/sql.js';
import { readName } from './citus.js';
import { pendingKeys } from './sql/citus.js';
import { forgetSql, rowExprsOf, type RowExprs } from './sql/timetravel.js';
import { columns, type TrackedTable } from './tables.js';

/** A table's uncommitted changes, netted per key. */
export interface PendingCounts {
  inserted: number;
  updated: number;
  deleted: number;
  clean: boolean;
}

/**
 * The table's uncommitted changes, netted per key (what `vsg status` counts),
 * and whether vsg.pending wants tidying (see tidyPending), read in the same
 * statement.
 */
export async function pendingCounts(db: Queryable, table: TrackedTable): Promise<PendingCounts & { tidy: boolean }> {
  const { rows } = await db.query<{ inserted: string; updated: string; deleted: string; tidy: boolean | string | null }>(sql('status/pending'), [table.id]);
  const [inserted, updated, deleted] = [Number(rows[0].inserted), Number(rows[0].updated), Number(rows[0].deleted)];
  return { inserted, updated, deleted, clean: inserted + updated + deleted === 0, tidy: isTrue(rows[0].tidy) };
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
  return (await tx.query(forgetSql(await readName(tx, table, pendingKeys(table.id)), e, false), [table.id])).rowCount;
}

/**
 * forgetNoOps, and the counts status then shows, in one statement. `last`:
 * the transaction's last statement, which takes its COMMIT with it where the
 * connection can (Queryable.commitWith).
 */
export async function forgetNoOpsAndCount(tx: Queryable, table: TrackedTable, exprs: RowExprs, last = false): Promise<PendingCounts> {
  const text = forgetSql(await readName(tx, table, pendingKeys(table.id)), exprs, true);
  const send = last && tx.commitWith ? tx.commitWith.bind(tx) : tx.query.bind(tx);
  const { rows } = await send<{ inserted: string; updated: string; deleted: string }>(text, [table.id]);
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
 * Dead rows in vsg.pending (an application's rolled-back writes to tracked
 * tables, every commit's deletes) are read by every later status and commit,
 * through its indexes and its pages, until a VACUUM. The embedded database has
 * no autovacuum (and a server may have it off): vsg tidies, outside any
 * transaction, after a commit that took many rows (`changed`), and when the
 * statistics that sql/status/pending.sql and sql/commit/create.sql read in
 * passing say that dead rows dominate (`wanted`). Never on an application's
 * own connection (fromPg: VACUUM cannot run in its transaction; autovacuum,
 * if on, does it there), nor on a standby (the primary's is replicated); a
 * VACUUM that fails or finds the table busy (SKIP_LOCKED: another vacuum at
 * work) is left for next time.
 */
export async function tidyPending(db: Db, changed: number, wanted = false): Promise<void> {
  if ((changed > 10_000 || wanted) && mayTidy(db)) await db.query(sql('pending/vacuum')).catch(() => undefined);
}

/** Whether vsg may VACUUM vsg.pending through `db`: a connection of its own (script), not a standby. */
export function mayTidy(db: Queryable): db is Db {
  return 'script' in db && (db as Db).script !== undefined && !(db as Db).server?.standby;
}

/** Commits whose statement said vsg.pending wants tidying (sql/commit/create.sql `tidy`). */
const untidy = new WeakSet<object>();

/** Note that the statement that made this commit found vsg.pending wanting a VACUUM. */
export function noteUntidy(commit: object, tidy: boolean | string | null | undefined): void {
  if (isTrue(tidy)) untidy.add(commit);
}

/** Whether any of these commits found vsg.pending wanting a VACUUM (noteUntidy). */
export function wantsTidy(...commits: (object | null | undefined)[]): boolean {
  return commits.some((c) => c != null && untidy.has(c));
}
export type { RowExprs } from './sql/timetravel.js';

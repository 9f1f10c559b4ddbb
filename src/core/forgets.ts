/**
 * Forgotten values (`vsg forget`, docs/forget.md) as every other operation
 * meets them: the FORGET entries log and verify read, and the write-back's
 * rule that a forgotten value is never written back. A change row's forgotten
 * cells hold a marker {"forgotten": "<hex>"} (an object, never a value); an image staged for a write-back
 * that holds one (stageImages asks in the statement that fills it, at no extra
 * round trip) is refused, naming the keys, unless the caller said what to
 * write instead: the live row's value ('live': the live row as it is, or no
 * row when there is none) or NULL ('null').
 */
import type { Queryable } from '../db/db.js';
import { sql } from '../db/sql.js';
import { VsgError } from '../errors.js';
import { forgottenFromLive } from './sql/forget.js';
import type { TrackedTable } from './tables.js';
import type { Image } from './types.js';

/** The FORGET entry, as recorded: counts, never values, never keys. */
export interface ForgetEntry {
  seq: number;
  id: string;
  table: string;
  author: string;
  message: string;
  /** ISO 8601, UTC */
  at: string;
  /** the columns forgotten; null: whole rows (every column but the key) */
  columns: string[] | null;
  /** rows of the table whose history was blanked */
  keys: number;
  /** change rows blanked for the first time (a row forgotten in part before is not counted again) */
  rows: number;
  /** cells newly blanked */
  cells: number;
  /** the commit that deleted or nulled the live rows (live), if any */
  live: string | null;
}

/** A row of sql/forget/list.sql (or of sql/history/entries.sql's forgets). */
export type ForgetRow = Record<'seq' | 'id' | 'table_id' | 'author' | 'message' | 'at' | 'columns' | 'keys' | 'rows' | 'cells', string> & { live: string | null };

/** The FORGET entries of these tables, oldest first. */
export async function forgetEntries(db: Queryable, tableIds: number[], names: (id: number) => string): Promise<ForgetEntry[]> {
  const { rows } = await db.query<ForgetRow>(sql('forget/list'), [tableIds]);
  return rows.map((r) => toForgetEntry(r, names));
}

export function toForgetEntry(r: ForgetRow, names: (id: number) => string): ForgetEntry {
  return {
    seq: Number(r.seq), id: r.id, table: names(Number(r.table_id)), author: r.author, message: r.message, at: r.at,
    columns: JSON.parse(r.columns) as string[] | null, keys: Number(r.keys), rows: Number(r.rows), cells: Number(r.cells), live: r.live,
  };
}

/** What a write-back writes where a value it needs was forgotten: refuse (default), the live value, or NULL. */
export type ForgottenPolicy = 'refuse' | 'live' | 'null';

const policies = new WeakMap<Queryable, ForgottenPolicy>();

/** Let the write-backs of this transaction write the live value or NULL where a value was forgotten. */
export function allowForgotten(tx: Queryable, policy: ForgottenPolicy | undefined): void {
  if (policy === undefined || policy === 'refuse') policies.delete(tx);
  else policies.set(tx, policy);
}

/** What this transaction's write-backs write where a value was forgotten (allowForgotten). */
export function forgottenPolicy(tx: Queryable): ForgottenPolicy {
  return policies.get(tx) ?? 'refuse';
}

/** The refusal of a write-back that needs forgotten values: `n` rows, the first of them at `keys`. */
export function forgottenRefusal(table: TrackedTable, keys: Image[], n: number): VsgError {
  const shown = keys.slice(0, 5).map((k) => JSON.stringify(k)).join(', ') + (n > 5 ? ` and ${n - 5} more` : '');
  return new VsgError('E_FORGOTTEN', `cannot write rows back to '${table.display}': ${n} row${n === 1 ? '' : 's'} of that state hold${n === 1 ? 's' : ''} forgotten values: ${shown}`, {
    hint: "say what to write instead: the live value (forgotten: 'live') or NULL (forgotten: 'null'); nothing was changed",
    data: { table: table.display, keys, rows: n },
  });
}

/**
 * pg_temp.vsg_apply (or `staged`) holds `n` images with forgotten cells, the
 * first of them at `keys`: refuse, or replace those cells as the transaction's
 * policy says.
 */
export async function settleForgotten(
  tx: Queryable,
  table: TrackedTable,
  keys: Image[],
  n: number,
  cols: readonly { name: string; type: string }[],
): Promise<void> {
  const policy = forgottenPolicy(tx);
  if (policy === 'refuse') throw forgottenRefusal(table, keys, n);
  if (policy === 'null') await tx.query(sql('apply/forgotten_null'));
  else await tx.query(forgottenFromLive(table, cols));
}

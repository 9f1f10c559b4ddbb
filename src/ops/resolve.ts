/**
 * Resolve: settle conflicts of the merge in progress, one cell, one row or
 * all of them, by taking ours, theirs or a given value. The resolutions are
 * kept with the conflicts until `vsg merge --continue` applies them.
 */
import type { Db } from '../db/db.js';
import { ExitCode, VsgError } from '../errors.js';
import { parseKey } from '../core/keys.js';
import { conflictList, inProgress, type ConflictList } from '../core/merge-state.js';
import { lockTable, resolveTable } from '../core/tables.js';
import { sql } from '../db/sql.js';

export interface ResolveOptions {
  table?: string;
  /** the row's key ('7', 'id=7', 'a=1,b=x' or JSON); undefined with `all` */
  key?: string;
  column?: string;
  all?: boolean;
  take: 'ours' | 'theirs' | 'value';
  /** with take 'value': the value's text form, null for SQL NULL */
  value?: string | null;
}

/** Resolve conflicts of the in-progress merge: one key (optionally one column), or all. */
export async function resolveConflicts(db: Db, opts: ResolveOptions): Promise<ConflictList & { changed: number }> {
  const target = await resolveTable(db, opts.table);
  if (!opts.all && opts.key === undefined) throw new VsgError('E_USAGE', 'name a key, or set all', { exitCode: ExitCode.usage });
  const changed = await db.transaction(async (tx) => {
    const table = await lockTable(tx, target);
    await inProgress(tx, table);
    const key = opts.key === undefined ? null : JSON.stringify(parseKey(opts.key, table.keyColumns));
    const value = opts.take === 'value' ? JSON.stringify(opts.value ?? null) : null;
    if (opts.take === 'value' && opts.column === undefined) {
      // A value fits one cell: without a column, the key must have exactly one conflicting cell.
      const { rows } = await tx.query<{ col: string | null }>(sql('merge/conflict_columns'), [table.id, key]);
      if (rows.length !== 1 || rows[0].col === null) {
        throw new VsgError('E_USAGE', `name the column the value is for`, {
          exitCode: ExitCode.usage,
          hint: 'give the column with the value', data: { key: opts.key ?? null },
        });
      }
      opts = { ...opts, column: rows[0].col };
    }
    // A cell takes the value; a row-level conflict given a column keeps the surviving image with that cell set.
    const { rowCount } = await tx.query(sql('merge/resolve'), [table.id, key, opts.column ?? null, opts.take, value]);
    if (rowCount === 0) {
      throw new VsgError('E_NO_CONFLICT', `no conflict at ${opts.key ?? 'any key'}${opts.column ? ` column '${opts.column}'` : ''}`, {
        hint: 'conflicts() lists them',
      });
    }
    return rowCount;
  });
  return { ...(await conflictList(db, await resolveTable(db, opts.table ?? target.display))), changed };
}

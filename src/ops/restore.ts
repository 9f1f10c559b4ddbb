/**
 * Restore: put the live table to a commit's rows without committing (default
 * HEAD: discard uncommitted changes). Only the rows that differ are written;
 * `vsg status` and `vsg diff` then show the difference against HEAD.
 */
import type { Db } from '../db/db.js';
import { applyState } from '../core/apply.js';
import { recreateTable } from '../core/dropped.js';
import type { ApplyResult } from '../core/apply-sql.js';
import { getCommit } from '../core/commits.js';
import { assertWritable } from '../core/guards.js';
import { forgetNoOps, pendingCounts, tidyPending, type PendingCounts } from '../core/pending.js';
import { commitOfTable } from '../core/refs.js';
import { reloadMode, reloadState, type ReloadMode, type ReloadResult } from '../core/reload.js';
import { lockTable, resolveTable } from '../core/tables.js';
import type { CommitInfo } from '../core/types.js';

export interface RestoreOptions {
  table?: string;
  /** the commit whose rows to restore (default HEAD) */
  ref?: string;
  /** whether discarding uncommitted changes may reload the table from a checkpoint (default: VSG_CHECKOUT_RELOAD, else 'auto') */
  reload?: ReloadMode;
}

export interface RestoreResult {
  table: string;
  branch: string;
  head: string;
  /** the commit restored */
  source: CommitInfo;
  /** rows written to the live table; null when it was reloaded instead */
  applied: ApplyResult | null;
  /** how the table was reloaded from a checkpoint, when discarding most of its rows' changes did */
  reload: ReloadResult | null;
  /** what `vsg status` now shows: the table against HEAD */
  status: PendingCounts;
  /** the table had been dropped and was recreated from its history (src/core/dropped.ts) */
  recreated?: boolean;
}

/** Restore a table to a commit's rows (default HEAD), leaving the change uncommitted. */
export async function restore(db: Db, opts: RestoreOptions = {}): Promise<RestoreResult> {
  const target = await resolveTable(db, opts.table);
  const done = await db.transaction(async (tx): Promise<RestoreResult> => {
    // A dropped table comes back with HEAD's rows, as git restore brings back a deleted file.
    const recreated = target.gone ? await recreateTable(tx, target) : false;
    const table = await lockTable(tx, target);
    await assertWritable(tx, table);
    const head = table.headCommit as string;
    const source = opts.ref === undefined ? head : await commitOfTable(tx, table, opts.ref);
    const base = { table: table.display, branch: table.head, head, source: await getCommit(tx, source), ...(recreated ? { recreated } : {}) };
    // Back to HEAD, nothing is left uncommitted: uncommitted changes to most
    // rows are discarded by reloading the table (src/core/reload.ts).
    // Another commit's rows must show as uncommitted changes, row by row.
    if (source === head) {
      const reload = await reloadState(tx, table, head, reloadMode(opts.reload), true);
      // it dropped every uncommitted change of the table
      if (reload) return { ...base, applied: null, reload, status: { inserted: 0, updated: 0, deleted: 0, clean: true } };
    }
    const applied = await applyState(tx, table, source);
    await forgetNoOps(tx, table);
    return { ...base, applied, reload: null, status: await pendingCounts(tx, table) };
  });
  await tidyPending(db, done.reload?.dropped ?? 0);
  return done;
}


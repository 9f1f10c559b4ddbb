/**
 * Restore: put the live table to a commit's rows without committing (default
 * HEAD: discard uncommitted changes). Only the rows that differ are written;
 * `vsg status` and `vsg diff` then show the difference against HEAD.
 */
import type { Db, Queryable } from '../db/db.js';
import { isVsgError } from '../errors.js';
import { applyState } from '../core/apply.js';
import { recreateTable } from '../core/dropped.js';
import type { ApplyResult } from '../core/apply-sql.js';
import { getCommit } from '../core/commits.js';
import { assertWritable } from '../core/guards.js';
import { forgetNoOpsAndCount, tidyPending, type PendingCounts } from '../core/pending.js';
import { commitOfTable } from '../core/refs.js';
import { reloadMode, reloadState, type ReloadMode, type ReloadResult } from '../core/reload.js';
import { lockNamed, lockTable, resolveTable, type LockedTable } from '../core/tables.js';
import { writePlan } from '../core/write-plan.js';
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

/**
 * Lock the table; a dropped one comes back first with HEAD's rows, as git
 * restore brings back a deleted file (the lock says it is gone, in the same
 * round trip that locks a table that is there).
 */
async function lockOrRecreate(tx: Queryable, name: string | undefined): Promise<{ table: LockedTable; recreated: boolean }> {
  try {
    return { table: await lockNamed(tx, name), recreated: false };
  } catch (e) {
    if (!(isVsgError(e) && e.code === 'E_TABLE_GONE')) throw e;
    const target = await resolveTable(tx, name);
    const recreated = await recreateTable(tx, target);
    return { table: await lockTable(tx, target), recreated };
  }
}

/** Restore a table to a commit's rows (default HEAD), leaving the change uncommitted. */
export async function restore(db: Db, opts: RestoreOptions = {}): Promise<RestoreResult> {
  const done = await db.transaction(async (tx): Promise<RestoreResult> => {
    const { table, recreated } = await lockOrRecreate(tx, opts.table);
    await assertWritable(tx, table);
    const head = table.headCommit as string;
    const source = opts.ref === undefined ? head : await commitOfTable(tx, table, opts.ref);
    const base = { table: table.display, branch: table.head, head, source: await getCommit(tx, source), ...(recreated ? { recreated } : {}) };
    const plan = await writePlan(tx, table, source, true);
    // Back to HEAD, nothing is left uncommitted: uncommitted changes to most
    // rows are discarded by reloading the table (src/core/reload.ts).
    // Another commit's rows must show as uncommitted changes, row by row.
    if (source === head) {
      const reload = await reloadState(tx, table, head, reloadMode(opts.reload), true, plan.reload);
      // it dropped every uncommitted change of the table
      if (reload) return { ...base, applied: null, reload, status: { inserted: 0, updated: 0, deleted: 0, clean: true } };
    }
    const applied = await applyState(tx, table, source, 'pending', plan.lcaDepth ?? undefined);
    return { ...base, applied, reload: null, status: await forgetNoOpsAndCount(tx, table, plan.exprs) };
  });
  await tidyPending(db, done.reload?.dropped ?? 0);
  return done;
}

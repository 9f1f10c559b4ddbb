/**
 * Checkout: put the table back to a commit's rows and record that as a new
 * CHECKOUT commit on top of HEAD. History is never rewritten; only the rows
 * that differ between the live table and the commit are written.
 */
import type { Db } from '../db/db.js';
import { applyState, dropStaged } from '../core/apply.js';
import type { ApplyResult } from '../core/apply-sql.js';
import { getCommit } from '../core/commits.js';
import { createCommit } from '../core/create-commit.js';
import { assertWritable, cannot, refuseUncommitted } from '../core/guards.js';
import { forgetNoOps, tidyPending, uncommitted } from '../core/pending.js';
import { commitOfTable, shortId } from '../core/refs.js';
import { reloadMode, reloadState, type ReloadMode, type ReloadResult } from '../core/reload.js';
import { lockNamed } from '../core/tables.js';
import { writePlan } from '../core/write-plan.js';
import type { CommitInfo } from '../core/types.js';

export interface CheckoutOptions {
  table?: string;
  /** the commit to go back (or forward) to */
  ref: string;
  author: string;
  message?: string;
  /** overwrite uncommitted changes (they end up in the CHECKOUT commit or discarded) */
  force?: boolean;
  /** whether to reload the table from a checkpoint (default: VSG_CHECKOUT_RELOAD, else 'auto') */
  reload?: ReloadMode;
}

export interface CheckoutResult {
  table: string;
  branch: string;
  /** the commit whose rows the table now holds */
  source: CommitInfo;
  /** the new CHECKOUT commit; null when the table already held that state */
  commit: CommitInfo | null;
  alreadyAt: boolean;
  /** the differing rows written; null when the table was reloaded instead */
  applied: ApplyResult | null;
  /** how the table was reloaded from a checkpoint, when it was (then the commit is a state commit) */
  reload: ReloadResult | null;
  /** uncommitted changes overwritten under --force */
  discarded: number;
}

/** Check a commit's rows out into the live table as a new commit. */
export async function checkout(db: Db, opts: CheckoutOptions): Promise<CheckoutResult> {
  const done = await db.transaction(async (tx): Promise<CheckoutResult> => {
    const table = await lockNamed(tx, opts.table);
    await assertWritable(tx, table);
    const sourceId = await commitOfTable(tx, table, opts.ref);
    const plan = await writePlan(tx, table, sourceId, opts.force === true);
    const dirty = plan.pending;
    if (!opts.force) {
      refuseUncommitted(dirty, {
        table: table.display,
        message: cannot(`check out '${table.display}'`),
        hint: 'commit them, discard them (restore), or use force',
        data: 'counts',
      });
    }
    const discarded = uncommitted(dirty);
    const source = await getCommit(tx, sourceId);
    const message = opts.message ?? `Check out ${shortId(sourceId)} ("${source.message.split('\n')[0]}")`;
    // A state that differs in most rows: reload the table and record the commit by reference.
    const reload = await reloadState(tx, table, sourceId, reloadMode(opts.reload), opts.force === true, plan.reload);
    if (reload) {
      const commit = await createCommit(tx, table, { kind: 'CHECKOUT', takeAll: true, author: opts.author, message, meta: { source: sourceId }, source: sourceId });
      return { table: table.display, branch: table.head, source, applied: null, reload, discarded, commit, alreadyAt: false };
    }
    const applied = await applyState(tx, table, sourceId, 'commit', plan.lcaDepth ?? undefined);
    // Under --force every uncommitted change belongs to the new state.
    const takeAll = discarded > 0;
    const base = { table: table.display, branch: table.head, source, applied, reload: null, discarded };
    // Nothing that nets to a change: the table already held that state, and no commit is made.
    const commit = await createCommit(tx, table, { kind: 'CHECKOUT', takeAll, author: opts.author, message, meta: { source: sourceId } }, true);
    await dropStaged(tx);
    if (!commit) {
      await forgetNoOps(tx, table, plan.exprs);
      return { ...base, commit: null, alreadyAt: true };
    }
    return { ...base, commit, alreadyAt: false };
  });
  await tidyPending(db, done.reload?.dropped ?? 0);
  return done;
}

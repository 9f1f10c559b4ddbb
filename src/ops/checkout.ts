/**
 * Checkout: put the table back to a commit's rows and record that as a new
 * CHECKOUT commit on top of HEAD. History is never rewritten; only the rows
 * that differ between the live table and the commit are written.
 */
import type { Db } from '../db/db.js';
import { markRepoSource } from '../core/spans.js';
import { applyState, commitEndsWriteBack, dropStaged } from '../core/apply.js';
import type { ApplyResult } from '../core/apply-sql.js';
import { getCommit } from '../core/commits.js';
import { createCommit, finalOrAgain } from '../core/create-commit.js';
import { assertWritable, cannot, refuseUncommitted } from '../core/guards.js';
import { forgetNoOps, tidyPending, uncommitted } from '../core/pending.js';
import type { Queryable } from '../db/db.js';
import { isVsgError, VsgError } from '../errors.js';
import { commitOfTable, shortId } from '../core/refs.js';
import { refsOfEach } from '../core/repo-refs.js';
import { reloadMode, reloadState, type ReloadMode, type ReloadResult } from '../core/reload.js';
import { lockEach, lockNamed, type LockedTable } from '../core/tables.js';
import { commonAncestor } from '../core/mergebase.js';
import { recordSpan } from '../core/spans.js';
import { writeBackMany, type TableTarget, type TableWritten } from '../core/write-back-many.js';
import { writePlan } from '../core/write-plan.js';
import type { CommitInfo } from '../core/types.js';
import { allowForgotten, type ForgottenPolicy } from '../core/forgets.js';

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
  /** where a value the write-back needs was forgotten (vsg forget): refuse (default, E_FORGOTTEN), write the live value, or NULL */
  forgotten?: ForgottenPolicy;
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
  /**
   * Of several tables: the commit of the repository whose rows they now hold,
   * by the id `vsg log` lists (the commit across tables the newest of their
   * sources is a part of, or that commit); the same in every table's entry.
   * `source` stays this table's own commit.
   */
  repoSource?: string;
  repoSourceShortId?: string;
}

/** Check a commit's rows out into the live table as a new commit. */
export async function checkout(db: Db, opts: CheckoutOptions): Promise<CheckoutResult> {
  // (a checkout that writes rows back ends with its commit statement, which
  // takes the transaction's COMMIT with it where it can: finalOrAgain)
  const done = await finalOrAgain((final) => db.transaction(async (tx): Promise<CheckoutResult> => {
    allowForgotten(tx, opts.forgotten);
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
    // Another table's rows reference this one: written back as one of several
    // tables (write-back-many.ts), which refuses to take a row they reference
    // rather than break their key or let a cascade change them unasked.
    const applied = plan.referenced
      ? (await writeBackMany(tx, [{ table, target: sourceId, lcaDepth: plan.lcaDepth ?? (await commonAncestor(tx, sourceId, table.headCommit as string)).depth }]).catch(asCheckout(opts.ref))).get(table.id)!.applied!
      : await applyState(tx, table, sourceId, 'commit', plan.lcaDepth ?? undefined);
    // Under --force every uncommitted change belongs to the new state.
    const takeAll = discarded > 0;
    const base = { table: table.display, branch: table.head, source, applied, reload: null, discarded };
    const last = final && commitEndsWriteBack(tx, applied);
    // Nothing that nets to a change: the table already held that state, and no commit is made.
    const commit = await createCommit(tx, table, { kind: 'CHECKOUT', takeAll, author: opts.author, message, meta: { source: sourceId }, final: last }, true);
    await dropStaged(tx);
    if (!commit) {
      await forgetNoOps(tx, table, plan.exprs);
      return { ...base, commit: null, alreadyAt: true };
    }
    return { ...base, commit, alreadyAt: false };
  }));
  await tidyPending(db, done.reload?.dropped ?? 0);
  return done;
}

export interface CheckoutManyOptions extends Omit<CheckoutOptions, 'table'> {
  /** the tables to check out (default: every tracked table) */
  tables?: string[];
}

/** A checkout of several tables: each table's CheckoutResult, keyed by table. */
export type CheckoutManyResult = Record<string, CheckoutResult>;

/** One table of a checkout across tables, written back and waiting for its CHECKOUT commit. */
export interface CheckoutTarget extends TableTarget {
  table: LockedTable;
  /** the commit checked out (TableTarget.source is the images to write, left to the target's state) */
  sourceCommit: CommitInfo;
  message: string;
  /** uncommitted changes overwritten (force) */
  discarded: number;
  exprs: Awaited<ReturnType<typeof writePlan>>['exprs'];
}

/**
 * Check several tables (default: every tracked table) out, each to its own
 * `ref`: HEAD~N, or a branch or tag name each has; in one transaction, rows
 * written in the order their foreign keys accept (write-back-many.ts), so
 * that cascades leave every table exactly at its target. Each table that
 * changed gets its CHECKOUT commit; one already at its target gets none.
 * Refused whole, nothing changed: a table lacks the ref, has uncommitted
 * changes (unless force) or a merge in progress, the keys form a cycle that
 * is not deferrable (E_FK_CYCLE), or a row of a table left alone would lose
 * the row it references (E_FK_VIOLATION).
 */
export async function checkoutMany(db: Db, opts: CheckoutManyOptions): Promise<CheckoutManyResult> {
  const done = await db.transaction(async (tx): Promise<CheckoutManyResult> => {
    allowForgotten(tx, opts.forgotten);
    const tables = await lockEach(tx, opts.tables);
    const mode = reloadMode(opts.reload);
    const out: CheckoutManyResult = {};
    const targets: CheckoutTarget[] = [];
    for (const table of tables) await assertWritable(tx, table);
    const at = await refsOfEach(tx, tables, opts.ref, 'checking out');
    for (const table of tables) {
      const sourceId = at.get(table.id) as string;
      const plan = await writePlan(tx, table, sourceId, opts.force === true);
      if (!opts.force) {
        refuseUncommitted(plan.pending, { table: table.display, message: cannot(`check out '${table.display}'`), hint: 'commit them, discard them (restore), or use force', data: 'counts' });
      }
      const source = await getCommit(tx, sourceId);
      // Already there and nothing uncommitted: left out of the write (a table left alone, for the keys' checks).
      if (sourceId === table.headCommit && plan.pending.clean) {
        // changes that net to nothing are no change (as checkout forgets them)
        if (plan.reload.pending > 0) await forgetNoOps(tx, table, plan.exprs);
        out[table.display] = { table: table.display, branch: table.head, source, commit: null, alreadyAt: true, applied: { inserted: 0, updated: 0, deleted: 0 }, reload: null, discarded: 0 };
        continue;
      }
      targets.push({
        table,
        target: sourceId,
        lcaDepth: plan.lcaDepth ?? (await commonAncestor(tx, sourceId, table.headCommit as string)).depth,
        // as checkout: a reload only where no uncommitted row would be dropped unasked
        ...(opts.force || plan.reload.pending === 0 ? { reload: { mode, facts: plan.reload } } : {}),
        sourceCommit: source,
        // One message for every table: the commit across them says what was checked out.
        message: opts.message ?? `Check out ${opts.ref}`,
        discarded: uncommitted(plan.pending),
        exprs: plan.exprs,
      });
    }
    const written = await writeBackMany(tx, targets).catch(asCheckout(opts.ref));
    const commits = await commitCheckouts(tx, targets, written, opts.author);
    // Two or more tables changed: their CHECKOUT commits are one commit across them.
    if (commits.size > 1) {
      const span = await recordSpan(tx, [...commits.values()]);
      for (const [id, c] of commits) commits.set(id, { ...c, span });
    }
    for (const t of targets) {
      const w = written.get(t.table.id)!;
      const commit = commits.get(t.table.id) ?? null;
      out[t.table.display] = { table: t.table.display, branch: t.table.head, source: t.sourceCommit, commit, alreadyAt: commit === null, applied: w.applied, reload: w.reload, discarded: t.discarded };
    }
    await markRepoSource(tx, out);
    // in the order the tables were given
    return Object.fromEntries(tables.map((t) => [t.display, out[t.display]]));
  });
  await tidyPending(db, Object.values(done).reduce((n, r) => n + (r.reload?.dropped ?? 0), 0));
  return done;
}

/**
 * Record the CHECKOUT commit of each table a checkout across tables wrote
 * back (a reloaded one as a state commit), in the caller's transaction: the
 * one place where the commits of such a checkout are made. A table whose
 * rows net to no change gets none (its no-op captures are forgotten).
 * The commits made, by table id.
 */
export async function commitCheckouts(tx: Queryable, targets: readonly CheckoutTarget[], written: Map<number, TableWritten>, author: string): Promise<Map<number, CommitInfo>> {
  const made = new Map<number, CommitInfo>();
  for (const t of targets) {
    const meta = { source: t.target };
    const commit = written.get(t.table.id)!.reload
      ? await createCommit(tx, t.table, { kind: 'CHECKOUT', takeAll: true, author, message: t.message, meta, source: t.target })
      : await createCommit(tx, t.table, { kind: 'CHECKOUT', takeAll: t.discarded > 0, author, message: t.message, meta }, true);
    if (commit) made.set(t.table.id, commit);
    else await forgetNoOps(tx, t.table, t.exprs);
  }
  return made;
}

/** A foreign key refusal, marked as a checkout's (of `ref`): the command line's hint names the command that writes the tables together. */
function asCheckout(ref: string): (e: unknown) => never {
  return (e) => {
    if (isVsgError(e) && e.code === 'E_FK_VIOLATION') {
      throw new VsgError(e.code, e.message, { exitCode: e.exitCode, hint: e.hint, data: { ...(e.data as object), verb: 'checkout', ref }, cause: e.cause });
    }
    throw e;
  };
}

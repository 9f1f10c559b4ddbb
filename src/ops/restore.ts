/**
 * Restore: put the live table to a commit's rows without committing (default
 * HEAD: discard uncommitted changes). Only the rows that differ are written;
 * `vsg status` and `vsg diff` then show the difference against HEAD.
 * restoreMany does the same for several tables in one transaction, in the
 * order their foreign keys accept (src/core/write-back-many.ts).
 */
import type { Db, Queryable } from '../db/db.js';
import { markRepoSource } from '../core/spans.js';
import { isVsgError, VsgError } from '../errors.js';
import { applyState } from '../core/apply.js';
import { recreateTable } from '../core/dropped.js';
import type { ApplyResult } from '../core/apply-sql.js';
import { getCommit } from '../core/commits.js';
import { assertWritable } from '../core/guards.js';
import { forgetNoOpsAndCount, tablesWithPending, tidyPending, type PendingCounts } from '../core/pending.js';
import { commitOfTable } from '../core/refs.js';
import { refsOfEach } from '../core/repo-refs.js';
import { reloadMode, reloadState, type ReloadMode, type ReloadResult } from '../core/reload.js';
import { listTables, lockNamed, lockTable, resolveTable, type LockedTable } from '../core/tables.js';
import { commonAncestor } from '../core/mergebase.js';
import { writeBackMany, type TableTarget } from '../core/write-back-many.js';
import { restorePlan, type WritePlan } from '../core/write-plan.js';
import { sameSignature } from '../core/signature.js';
import { foreignKeys, writeOrder } from '../core/fk-graph.js';
import type { CommitInfo } from '../core/types.js';
import { allowForgotten, type ForgottenPolicy } from '../core/forgets.js';

export interface RestoreOptions {
  table?: string;
  /** the commit whose rows to restore (default HEAD) */
  ref?: string;
  /** whether discarding uncommitted changes may reload the table from a checkpoint (default: VSG_CHECKOUT_RELOAD, else 'auto') */
  reload?: ReloadMode;
  /** where a value the write-back needs was forgotten (vsg forget): refuse (default, E_FORGOTTEN), write the live value, or NULL */
  forgotten?: ForgottenPolicy;
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
  /**
   * Of several tables: the commit of the repository whose rows they now hold,
   * by the id `vsg log` lists (the commit across tables the newest of their
   * sources is a part of, or that commit); the same in every table's entry.
   * `source` stays this table's own commit.
   */
  repoSource?: string;
  repoSourceShortId?: string;
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
    allowForgotten(tx, opts.forgotten);
    const { table, recreated } = await lockOrRecreate(tx, opts.table);
    await assertWritable(tx, table);
    const head = table.headCommit as string;
    const source = opts.ref === undefined ? head : await commitOfTable(tx, table, opts.ref);
    const base = { table: table.display, branch: table.head, head, source: await getCommit(tx, source), ...(recreated ? { recreated } : {}) };
    const plan = await restorePlan(tx, table, source);
    // Back to HEAD, nothing is left uncommitted: uncommitted changes to most
    // rows are discarded by reloading the table (src/core/reload.ts).
    // Another commit's rows must show as uncommitted changes, row by row.
    if (source === head) {
      const reload = await reloadState(tx, table, head, reloadMode(opts.reload), true, plan.reload);
      // it dropped every uncommitted change of the table
      if (reload) return { ...base, applied: null, reload, status: { inserted: 0, updated: 0, deleted: 0, clean: true } };
    }
    // Another table's rows reference this one: written back as one of several
    // tables (write-back-many.ts), which refuses to take a row they reference
    // rather than break their key or let a cascade change them unasked.
    const applied = plan.referenced
      ? (await writeBackMany(tx, [{ table, target: source, lcaDepth: plan.lcaDepth ?? (await commonAncestor(tx, source, head)).depth }])).get(table.id)!.applied
      : await applyState(tx, table, source, 'pending', plan.lcaDepth ?? undefined);
    // (the transaction's last statement: with its COMMIT, where the connection can)
    return { ...base, applied, reload: null, status: await forgetNoOpsAndCount(tx, table, plan.exprs, true) };
  });
  await tidyPending(db, done.reload?.dropped ?? 0);
  return done;
}

export interface RestoreManyOptions {
  /** the tracked tables to restore (default: every tracked table); each once */
  tables?: string[];
  /** HEAD (default) or a branch or tag name: each table goes to its own ref of that name */
  ref?: string;
  /** as RestoreOptions.reload, for every table */
  reload?: ReloadMode;
  /** where a value the write-back needs was forgotten (vsg forget): refuse (default, E_FORGOTTEN), write the live value, or NULL */
  forgotten?: ForgottenPolicy;
}

/** restoreMany's answer: each table's RestoreResult, keyed by its name. */
export type RestoreManyResult = Record<string, RestoreResult>;

/**
 * Restore several tables at once: each to its own HEAD, or to its own branch
 * or tag named `ref`, in one transaction and in foreign-key order. Refused
 * with nothing changed when a table lacks the ref, when their foreign keys
 * form a cycle that is not deferrable (E_FK_CYCLE), or when a row of a table
 * left alone would lose the row it references (E_FK_VIOLATION).
 */
export async function restoreMany(db: Db, opts: RestoreManyOptions = {}): Promise<RestoreManyResult> {
  const done = await db.transaction(async (tx): Promise<RestoreManyResult> => {
    allowForgotten(tx, opts.forgotten);
    const names = opts.tables ?? (await listTables(tx)).map((t) => t.display);
    if (names.length === 0) throw new VsgError('E_NO_TABLES', 'no table is tracked yet', { hint: 'track one first' });
    const locked: { table: LockedTable; recreated: boolean; at: number }[] = [];
    // Locked in one order (by name), so that two restores of the same tables cannot deadlock; answered in the order given.
    const given = [...new Set(names)];
    for (const name of [...given].sort()) {
      const l = await lockOrRecreate(tx, name);
      const same = locked.find((x) => x.table.id === l.table.id);
      if (same) {
        same.at = Math.min(same.at, given.indexOf(name));
        continue;
      }
      await assertWritable(tx, l.table);
      locked.push({ ...l, at: given.indexOf(name) });
    }
    locked.sort((a, b) => a.at - b.at);
    const mode = reloadMode(opts.reload);
    const targets: (TableTarget & { base: Omit<RestoreResult, 'applied' | 'reload' | 'status'>; exprs: WritePlan['exprs'] })[] = [];
    // Back to HEAD, a table without any uncommitted change is already there: it
    // is answered as clean and left out of the write, so that restoring every
    // table costs the tables that changed, not all of them (one whose columns
    // changed outside vsg still goes the whole way, to be refused or written).
    const dirty = opts.ref === undefined ? await tablesWithPending(tx, locked.map((l) => l.table.id)) : null;
    if (dirty && dirty.size < locked.length) {
      // the tables named must still be writable in some order, as when all are written
      const relids = locked.map((l) => l.table.relid);
      const shown = new Map(locked.map((l) => [l.table.relid, l.table.display]));
      writeOrder(relids, await foreignKeys(tx, relids), (r) => shown.get(r) ?? r);
    }
    const out: RestoreManyResult = {};
    const at = opts.ref === undefined ? null : await refsOfEach(tx, locked.map((l) => l.table), opts.ref, 'restoring');
    for (const { table, recreated } of locked) {
      const head = table.headCommit as string;
      if (dirty && !recreated && !dirty.has(table.id) && sameSignature(table.signature ?? table.now, table.now)) {
        out[table.display] = {
          table: table.display, branch: table.head, head, source: await getCommit(tx, head),
          applied: { inserted: 0, updated: 0, deleted: 0 }, reload: null, status: { inserted: 0, updated: 0, deleted: 0, clean: true },
        };
        continue;
      }
      const source = at?.get(table.id) ?? head;
      const plan = await restorePlan(tx, table, source);
      targets.push({
        table,
        target: source,
        lcaDepth: plan.lcaDepth ?? (await commonAncestor(tx, source, head)).depth,
        ...(source === head ? { reload: { mode, facts: plan.reload } } : {}),
        base: { table: table.display, branch: table.head, head, source: await getCommit(tx, source), ...(recreated ? { recreated } : {}) },
        exprs: plan.exprs,
      });
    }
    const written = await writeBackMany(tx, targets);
    for (const t of targets) {
      const w = written.get(t.table.id)!;
      const status = w.reload ? { inserted: 0, updated: 0, deleted: 0, clean: true } : await forgetNoOpsAndCount(tx, t.table, t.exprs);
      out[t.table.display] = { ...t.base, applied: w.applied, reload: w.reload, status };
    }
    await markRepoSource(tx, out);
    // in the order the tables were given
    return Object.fromEntries(locked.map((l) => [l.table.display, out[l.table.display]]));
  });
  await tidyPending(db, Object.values(done).reduce((n, r) => n + (r.reload?.dropped ?? 0), 0));
  return done;
}

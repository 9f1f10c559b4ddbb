/**
 * Switch: the live table follows another branch and holds its rows. Only the
 * rows that differ between the two states are written (applyImages), and the
 * capture of those writes is dropped: the new state is a commit already.
 */
import type { Db, Queryable } from '../db/db.js';
import { VsgError } from '../errors.js';
import { applyImages, stateSource } from '../core/apply.js';
import type { ApplyResult } from '../core/apply-sql.js';
import { assertWritable, cannot, refuseUncommitted } from '../core/guards.js';
import { commonAncestor } from '../core/mergebase.js';
import { pendingCounts, uncommitted, type PendingCounts } from '../core/pending.js';
import { checkRefName, insertRef } from '../core/ref-store.js';
import { resolveIn, shortId } from '../core/refs.js';
import { refsOfEach } from '../core/repo-refs.js';
import { markRepoCommit } from '../core/spans.js';
import { lockEach, lockLiveTable, lockTable, resolveTable } from '../core/tables.js';
import { writeBackMany, type TableTarget } from '../core/write-back-many.js';
import { sql } from '../db/sql.js';
import { allowForgotten, type ForgottenPolicy } from '../core/forgets.js';

export interface SwitchOptions {
  table?: string;
  branch: string;
  /** throw away uncommitted changes of the live table */
  discard?: boolean;
  /** create the branch first (at `start`, default HEAD) */
  create?: boolean;
  start?: string;
  /** where a value the branch's rows need was forgotten (vsg forget): refuse (default, E_FORGOTTEN), write the live value, or NULL */
  forgotten?: ForgottenPolicy;
}

export interface SwitchResult {
  table: string;
  /** the branch followed before */
  from: string;
  branch: string;
  commit: string;
  shortId: string;
  created: boolean;
  /** already on that branch: nothing to do */
  already: boolean;
  /** rows written to make the live table match the branch */
  applied: ApplyResult;
  /** uncommitted changes thrown away (--discard) */
  discarded: number;
  /**
   * A switch of several tables: the commit of the repository the branch
   * stands at, by the id `vsg log` lists (the commit across tables the
   * newest of the tables' commits is a part of, or that commit); the same in
   * every table's entry. `commit` and `shortId` stay this table's own commit.
   */
  repoCommit?: string;
  repoShortId?: string;
}

/** Make the live table follow `branch` and hold its rows, in one transaction. */
export async function switchBranch(db: Db, opts: SwitchOptions): Promise<SwitchResult> {
  const target = await resolveTable(db, opts.table);
  if (opts.create) checkRefName(opts.branch, 'branch');
  return db.transaction(async (tx) => {
    allowForgotten(tx, opts.forgotten);
    const table = await lockTable(tx, target);
    // A table whose branch vanished may always switch away; otherwise the usual guards.
    if (table.branchId !== null) await assertWritable(tx, table);
    await lockLiveTable(tx, table);
    if (opts.create) {
      const start = await resolveIn(tx, table, opts.start ?? 'HEAD');
      await insertRef(tx, table, 'branch', opts.branch, start);
    }
    const { rows } = await tx.query<{ kind: string; commit_id: string }>(sql('refs/find_ref'), [
      table.id,
      opts.branch,
    ]);
    const ref = rows[0];
    if (!ref || ref.kind !== 'branch') {
      throw new VsgError('E_NO_SUCH_BRANCH', `'${opts.branch}' is not a branch of '${table.display}'`, {
        hint: ref
          ? `'${opts.branch}' is a tag: checkout() checks it out, switch() with create and start starts a branch there`
          : 'branches() lists branches; switch() with create makes one', data: { branch: opts.branch, table: table.display, tag: Boolean(ref) },
      });
    }
    const result: SwitchResult = {
      table: table.display,
      from: table.head,
      branch: opts.branch,
      commit: ref.commit_id,
      shortId: shortId(ref.commit_id),
      created: Boolean(opts.create),
      already: table.head === opts.branch,
      applied: { inserted: 0, updated: 0, deleted: 0 },
      discarded: 0,
    };
    const dirty = await pendingCounts(tx, table);
    // Same commit and no --discard: nothing to write, uncommitted changes come along (as in git).
    if (ref.commit_id === table.headCommit && !opts.discard) {
      if (!result.already) await setHead(tx, table.id, opts.branch);
      return result;
    }
    if (!opts.discard) {
      refuseUncommitted(dirty, {
        message: cannot(`switch '${table.display}' to '${opts.branch}'`),
        hint: 'commit them, or throw them away with discard',
        table: table.display,
      });
    }
    if (table.headCommit === null) {
      throw new VsgError('E_NO_BRANCH', `'${table.display}' follows branch '${table.head}', which does not exist`, {
        hint: 'its state is unknown to vsg; re-create the branch at the commit it held',
      });
    }
    const lca = await commonAncestor(tx, ref.commit_id, table.headCommit);
    result.applied = await applyImages(tx, table, stateSource(table, ref.commit_id, lca.depth), 'discard');
    // The live table now IS the branch's commit: no capture of this to keep.
    // (With the table locked, every pending row of it is ours or was discarded.)
    await tx.query(sql('pending/discard_table'), [table.id]);
    result.discarded = opts.discard ? uncommitted(dirty) : 0;
    await setHead(tx, table.id, opts.branch);
    return result;
  });
}

async function setHead(tx: Queryable, tableId: number, branch: string): Promise<void> {
  await tx.query(sql('tables/set_head'), [tableId, branch]);
}

export interface SwitchManyOptions extends Omit<SwitchOptions, 'table'> {
  /** the tables to switch (default: every tracked table) */
  tables?: string[];
}

/** A switch of several tables: each table's SwitchResult, keyed by table. */
export type SwitchManyResult = Record<string, SwitchResult>;

/**
 * Make several tables (default: every tracked table) follow their branch
 * `branch` and hold its rows, in one transaction, written in foreign-key
 * order (write-back-many.ts). Refused whole, nothing changed, when a table
 * lacks the branch (or already has it, with create), has uncommitted changes
 * that the switch would overwrite (unless discard), or has a merge in progress.
 */
export async function switchMany(db: Db, opts: SwitchManyOptions): Promise<SwitchManyResult> {
  if (opts.create) checkRefName(opts.branch, 'branch');
  return db.transaction(async (tx) => {
    allowForgotten(tx, opts.forgotten);
    const tables = await lockEach(tx, opts.tables);
    for (const table of tables) {
      if (table.branchId !== null) await assertWritable(tx, table);
      await lockLiveTable(tx, table);
    }
    if (opts.create) {
      const at = await refsOfEach(tx, tables, opts.start ?? 'HEAD', 'branching');
      for (const table of tables) await insertRef(tx, table, 'branch', opts.branch, at.get(table.id) as string);
    }
    const out: SwitchManyResult = {};
    const targets: (TableTarget & { dirty: PendingCounts })[] = [];
    for (const table of tables) {
      const { rows } = await tx.query<{ kind: string; commit_id: string }>(sql('refs/find_ref'), [table.id, opts.branch]);
      const ref = rows[0];
      if (!ref || ref.kind !== 'branch') {
        throw new VsgError('E_NO_SUCH_BRANCH', `'${opts.branch}' is not a branch of '${table.display}'`, {
          hint: ref ? `'${opts.branch}' is a tag: checkout() checks it out` : 'branchesByName() lists which tables have each branch; nothing was changed',
          data: { branch: opts.branch, table: table.display, tag: Boolean(ref) },
        });
      }
      out[table.display] = {
        table: table.display, from: table.head, branch: opts.branch, commit: ref.commit_id, shortId: shortId(ref.commit_id),
        created: Boolean(opts.create), already: table.head === opts.branch, applied: { inserted: 0, updated: 0, deleted: 0 }, discarded: 0,
      };
      // Same commit and no discard: nothing to write, uncommitted changes come along (as switchBranch).
      if (ref.commit_id === table.headCommit && !opts.discard) continue;
      const dirty = await pendingCounts(tx, table);
      if (!opts.discard) {
        refuseUncommitted(dirty, { message: cannot(`switch '${table.display}' to '${opts.branch}'`), hint: 'commit them, or throw them away with discard', table: table.display });
      }
      if (table.headCommit === null) {
        throw new VsgError('E_NO_BRANCH', `'${table.display}' follows branch '${table.head}', which does not exist`, {
          hint: 'its state is unknown to vsg; re-create the branch at the commit it held',
        });
      }
      targets.push({ table, target: ref.commit_id, lcaDepth: (await commonAncestor(tx, ref.commit_id, table.headCommit)).depth, dirty });
    }
    const written = await writeBackMany(tx, targets);
    for (const t of targets) {
      const r = out[t.table.display];
      r.applied = written.get(t.table.id)!.applied ?? r.applied;
      // The live table now IS the branch's commit: no capture of this to keep.
      await tx.query(sql('pending/discard_table'), [t.table.id]);
      r.discarded = opts.discard ? uncommitted(t.dirty) : 0;
    }
    for (const table of tables) if (table.head !== opts.branch) await setHead(tx, table.id, opts.branch);
    return markRepoCommit(tx, out);
  });
}

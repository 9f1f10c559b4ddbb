/**
 * Merge: three-way, by primary key and by column (the algorithm is in
 * src/core/merge-plan.ts). A clean merge writes the merged rows and a MERGE
 * commit in one transaction; a conflicted one is kept (src/core/merge-state.ts)
 * and leaves the live table untouched until `--continue` applies it, or
 * `--abort` forgets it.
 *
 * With no table named while several are tracked (or several named), each
 * table's branch of that name is merged into the table's current branch, all
 * in one transaction (mergeAcross, src/core/merge-parts.ts): conflicts and
 * broken constraints of every table are found before anything is written,
 * the merged rows of all of them are checked together against their
 * constraints, and written in the order their foreign keys accept; the MERGE
 * commits of two or more tables are one commit across them. Conflicts keep
 * the whole merge in progress, every table it moves: `--continue` (once all
 * are resolved) writes it as one MERGE commit across those tables, `--abort`
 * forgets it; neither works on one of its tables alone.
 */
import type { Db, Queryable } from '../db/db.js';
import { sql } from '../db/sql.js';
import { ConflictError, isVsgError, VsgError } from '../errors.js';
import { applyImages, stateSource, type ImageSource } from '../core/apply.js';
import { changedRows } from '../core/commits.js';
import { assertClean, assertWritable, cannot } from '../core/guards.js';
import { findViolations, stageMerged } from '../core/merge-constraints.js';
import { keepParts, lockAll, planPart, theirsIn, writeParts, type Part } from '../core/merge-parts.js';
import { across, commitMerge, defaultMessage, MergeConflictError, MergeConstraintError, RESULT, startResult, type MergeResult, type Strategy } from '../core/merge-result.js';
import { commonAncestor } from '../core/mergebase.js';
import { buildPlan, collectConflicts, pickBases, prepareBase } from '../core/merge-plan.js';
import { forgetMerge, inProgress, loadConflicts, mergingTables, readConflicts, saveMerge } from '../core/merge-state.js';
import { tidyPending } from '../core/pending.js';
import { allowForgotten, type ForgottenPolicy } from '../core/forgets.js';
import { moveBranch } from '../core/ref-store.js';
import { resolveRef } from '../core/refs.js';
import { lockLiveTable, lockTable, resolveTable, type LockedTable, type TrackedTable } from '../core/tables.js';

export { MergeConflictError, MergeConstraintError, type MergeResult, type Strategy };

export interface MergeOptions {
  table?: string;
  /**
   * Merge across these tables (two or more; one is as `table`). With neither
   * while several tables are tracked: every tracked table that has `ref`.
   */
  tables?: string[];
  /** branch, tag or commit to merge into the current branch */
  ref: string;
  message?: string;
  author: string;
  strategy?: Strategy;
  /** use this merge base (e.g. to pick one in a criss-cross history) */
  base?: string;
  /** create a merge commit even when a fast-forward would do */
  noFf?: boolean;
  /** where a value the merged rows need was forgotten (vsg forget): refuse (default, E_FORGOTTEN), write the live value, or NULL */
  forgotten?: ForgottenPolicy;
}

/** Options of merge --continue. */
export interface ContinueOptions {
  table?: string;
  message?: string;
  author?: string;
  /** where a value the merged rows need was forgotten (vsg forget): refuse (default, E_FORGOTTEN), write the live value, or NULL */
  forgotten?: ForgottenPolicy;
}

/**
 * Refuse, writing nothing, when the images of `source` would break a
 * constraint of the table; else the images to write (the copy the check
 * staged, when it made one).
 */
async function assertKeepsConstraints(tx: Queryable, table: TrackedTable, source: ImageSource, r: MergeResult, inProgress = false): Promise<ImageSource> {
  const { violations, images } = await findViolations(tx, table, source);
  if (violations.length) throw new MergeConstraintError({ ...r, status: 'refused', violations }, inProgress);
  return images;
}

/** Merge `ref` into the table's current branch. Throws MergeConflictError when conflicts stop it. */
export async function merge(db: Db, opts: MergeOptions): Promise<MergeResult> {
  const names = [...new Set(opts.tables ?? [])];
  if (opts.table === undefined && names.length > 1) return mergeAcross(db, opts, names);
  const target = await resolveTable(db, opts.table ?? names[0]).catch((e: unknown) => {
    if (opts.table === undefined && names.length === 0 && isVsgError(e) && e.code === 'E_TABLE_REQUIRED') return null;
    throw e;
  });
  if (!target) return mergeAcross(db, opts, null);
  const result = await db.transaction(async (tx) => {
    allowForgotten(tx, opts.forgotten);
    const table = await lockTable(tx, target);
    await assertWritable(tx, table);
    await lockLiveTable(tx, table);
    const ours = table.headCommit as string;
    const theirs = await resolveRef(tx, opts.ref, table);
    if (theirs.tableId !== table.id) {
      throw new VsgError('E_OTHER_TABLE', `'${opts.ref}' is a commit of another table`, { hint: 'merge combines versions of one table' });
    }
    await assertClean(tx, table, {
      message: cannot(`merge into '${table.display}'`),
      hint: 'commit them first, or discard them (restore)',
    });
    const bases = opts.base !== undefined ? [(await resolveRef(tx, opts.base, table)).id] : await pickBases(tx, table, ours, theirs.id, opts.ref);
    const base = bases[0];
    const r = startResult(table, ours, theirs.id, opts.ref, bases);
    if (bases.length === 1 && base === theirs.id) return r;
    if (bases.length === 1 && base === ours && !opts.noFf) {
      const lca = await commonAncestor(tx, theirs.id, ours);
      const images = await assertKeepsConstraints(tx, table, stateSource(table, theirs.id, lca.depth), { ...r, status: 'fast-forward' });
      r.applied = await applyImages(tx, table, images, 'discard');
      await tx.query(sql('pending/discard_own_transaction'), [table.id]);
      if (!(await moveBranch(tx, table.branchId, ours, theirs.id))) {
        throw new ConflictError('E_STALE_PARENT', `branch '${table.head}' moved during the merge`, { hint: 'retry the command' });
      }
      r.status = 'fast-forward';
      r.changes.theirs = r.applied.inserted + r.applied.updated + r.applied.deleted;
      return r;
    }
    r.changes = await buildPlan(tx, table, await prepareBase(tx, table, bases), ours, theirs.id);
    await collectConflicts(tx, opts.strategy ?? null);
    r.conflicts = await readConflicts(tx, 'work', table);
    if (r.conflicts.length > 0 && !opts.strategy) {
      await saveMerge(tx, table, { ours, theirs: theirs.id, theirsRef: opts.ref, bases, message: opts.message, author: opts.author });
      r.status = 'conflict';
      return r;
    }
    r.applied = await applyImages(tx, table, await assertKeepsConstraints(tx, table, RESULT, r));
    r.commit = await commitMerge(tx, table, theirs.id, bases, opts.message ?? (await defaultMessage(tx, opts.ref, table)), opts.author, opts.strategy);
    r.status = 'merged';
    return r;
  });
  if (result.status === 'conflict') throw new MergeConflictError(result);
  await tidyPending(db, changedRows(result.commit));
  return result;
}

/**
 * Finish the merge in progress: apply the merged rows and create the merge
 * commit. Without a table while several are tracked: the one merge in
 * progress, which may be a merge across tables (continueAcross).
 */
export async function continueMerge(db: Db, opts: ContinueOptions): Promise<MergeResult> {
  const targets = await mergingTables(db, opts.table);
  if (targets.length > 1) return continueAcross(db, targets, opts);
  const target = targets[0];
  return db.transaction(async (tx) => {
    allowForgotten(tx, opts.forgotten);
    const table = await lockTable(tx, target);
    const m = await inProgress(tx, table);
    await assertResolved(tx, [table]);
    await assertUnmoved(tx, table, m);
    const bases = m.base.split(' ');
    const changes = await buildPlan(tx, table, await prepareBase(tx, table, bases), m.ours, m.theirs);
    await loadConflicts(tx, table);
    const r: MergeResult = { ...startResult(table, m.ours, m.theirs, m.theirs_ref, bases), status: 'merged', changes, conflicts: await readConflicts(tx, 'work', table) };
    // The resolutions decide the merged rows: check them before anything is written.
    r.applied = await applyImages(tx, table, await assertKeepsConstraints(tx, table, RESULT, r, true));
    await forgetMerge(tx, table);
    r.commit = await commitMerge(tx, table, m.theirs, bases, opts.message ?? m.message ?? (await defaultMessage(tx, m.theirs_ref, table)), opts.author ?? m.author, undefined);
    return r;
  });
}

/** E_MERGE_UNRESOLVED while any conflict of the merge into these tables is open. */
async function assertResolved(tx: Queryable, tables: readonly TrackedTable[]): Promise<void> {
  const open = [];
  for (const table of tables) {
    const mine = await readConflicts(tx, 'open', table);
    open.push(...(tables.length > 1 ? mine.map((c) => ({ table: table.display, ...c })) : mine));
  }
  if (open.length === 0) return;
  const into = tables.length > 1 ? [...new Set(open.map((c) => c.table))].join(', ') : `'${tables[0].display}'`;
  throw new ConflictError('E_MERGE_UNRESOLVED', `${open.length} conflict${open.length === 1 ? '' : 's'} of the merge into ${into} still unresolved`, {
    hint: 'resolve them with resolve() (conflicts() lists them)',
    data: open,
  });
}

/** The table must be where the merge found it, with no change made since: locks its live rows. */
async function assertUnmoved(tx: Queryable, table: LockedTable, m: { branch: string; ours: string }): Promise<void> {
  if (table.head !== m.branch || table.headCommit !== m.ours) {
    throw new VsgError('E_MERGE_STALE', `'${table.display}' moved since the merge started`, { hint: 'abort the merge and merge again' });
  }
  await lockLiveTable(tx, table);
  await assertClean(tx, table, {
    message: (n) => `'${table.display}' has ${n} uncommitted change${n === 1 ? '' : 's'} made during the merge`,
    hint: 'abort the merge, record or discard them, and merge again',
    data: 'none',
  });
}

/**
 * Finish a merge across tables: every table's merged rows (its plan again,
 * with the resolutions) staged, checked together against their constraints,
 * written in foreign-key order, and one MERGE commit across the tables (a
 * table that would have fast-forwarded gets its MERGE part too).
 */
async function continueAcross(db: Db, targets: TrackedTable[], opts: ContinueOptions): Promise<MergeResult> {
  const done = await db.transaction(async (tx) => {
    allowForgotten(tx, opts.forgotten);
    const tables = await lockAll(tx, targets);
    const parts: Part[] = [];
    const saved = new Map<number, Awaited<ReturnType<typeof inProgress>>>();
    for (const table of tables) saved.set(table.id, await inProgress(tx, table));
    await assertResolved(tx, tables);
    for (const table of tables) {
      const m = saved.get(table.id) as Awaited<ReturnType<typeof inProgress>>;
      await assertUnmoved(tx, table, m);
      const bases = m.base.split(' ');
      const changes = await buildPlan(tx, table, await prepareBase(tx, table, bases), m.ours, m.theirs);
      await loadConflicts(tx, table);
      const r: MergeResult = { ...startResult(table, m.ours, m.theirs, m.theirs_ref, bases), status: 'merged', changes, conflicts: await readConflicts(tx, 'work', table) };
      parts.push({ table, r, staged: await stageMerged(tx, table, RESULT) });
      await forgetMerge(tx, table);
    }
    const first = saved.get(tables[0].id) as Awaited<ReturnType<typeof inProgress>>;
    const commit = await writeParts(tx, first.theirs_ref, parts, {
      author: opts.author ?? first.author,
      message: async (table) => opts.message ?? first.message ?? (await defaultMessage(tx, first.theirs_ref, table)),
      inProgress: true,
    });
    return across(first.theirs_ref, parts.map((p) => p.r), 'merged', commit);
  });
  await tidyPending(db, Object.values(done.tables ?? {}).reduce((n, p) => n + changedRows(p.commit), 0));
  return done;
}

/** Forget the merge in progress (one table's, or a merge across tables: all of it); no live table was touched. */
export async function abortMerge(db: Db, opts: { table?: string } = {}): Promise<{ table: string; theirsRef: string; conflicts: number; tables?: string[] }> {
  const targets = await mergingTables(db, opts.table);
  return db.transaction(async (tx) => {
    let conflicts = 0;
    let theirsRef = '';
    const tables = await lockAll(tx, targets);
    for (const table of tables) {
      theirsRef = (await inProgress(tx, table)).theirs_ref;
      const { rows } = await tx.query<{ n: string }>(sql('merge/count_conflicts'), [table.id]);
      conflicts += Number(rows[0].n);
      await forgetMerge(tx, table);
    }
    const names = tables.map((t) => t.display);
    return { table: names.join(', '), theirsRef, conflicts, ...(names.length > 1 ? { tables: names } : {}) };
  });
}

/**
 * Merge `ref` into every table that has it (of `names`, or of every tracked
 * table), in one transaction. Every table's plan, conflicts and merged rows
 * come first, each table's rows staged apart (merge-parts.ts › planPart);
 * conflicts without a strategy then keep the whole merge in progress, with
 * nothing written; else the constraints of all of the tables are checked
 * against the merged rows of all of them, and only then is anything written
 * (merge-parts.ts › writeParts). A broken constraint throws inside the
 * transaction: nothing is written or kept.
 */
async function mergeAcross(db: Db, opts: MergeOptions, names: string[] | null): Promise<MergeResult> {
  if (opts.base !== undefined) {
    throw new VsgError('E_TABLE_REQUIRED', 'a merge base is a commit of one table; name one with the table option', { hint: 'merge that table alone with its base' });
  }
  const done = await db.transaction(async (tx) => {
    allowForgotten(tx, opts.forgotten);
    const parts: Part[] = [];
    for (const table of await lockAll(tx, names)) {
      const theirs = await theirsIn(tx, table, opts.ref, names !== null);
      if (theirs === null) continue;
      await assertWritable(tx, table);
      await lockLiveTable(tx, table);
      await assertClean(tx, table, { message: cannot(`merge into '${table.display}'`), hint: 'commit them first, or discard them (restore)' });
      parts.push(await planPart(tx, table, theirs, opts));
    }
    if (parts.length === 0) {
      throw new VsgError('E_UNKNOWN_REF', `'${opts.ref}' is not a branch, tag or commit of any ${names ? 'table named' : 'tracked table'}`, { hint: 'log() lists commit ids' });
    }
    const rs = parts.map((p) => p.r);
    if (parts.some((p) => p.r.status === 'conflict')) {
      await keepParts(tx, parts, opts);
      return across(opts.ref, rs, 'conflict', null);
    }
    if (parts.every((p) => p.staged === null)) return across(opts.ref, rs, 'up-to-date', null);
    const commit = await writeParts(tx, opts.ref, parts, {
      author: opts.author,
      strategy: opts.strategy,
      message: async (table) => opts.message ?? (await defaultMessage(tx, opts.ref, table)),
      inProgress: false,
    });
    return across(opts.ref, rs, commit ? 'merged' : 'fast-forward', commit);
  });
  if (done.status === 'conflict') throw new MergeConflictError(done);
  await tidyPending(db, Object.values(done.tables ?? {}).reduce((n, p) => n + changedRows(p.commit), 0));
  return done;
}

/**
 * Merge: three-way, by primary key and by column (the algorithm is in
 * src/core/merge-plan.ts). A clean merge writes the merged rows and a MERGE
 * commit in one transaction; a conflicted one is kept (src/core/merge-state.ts)
 * and leaves the live table untouched until `--continue` applies it, or
 * `--abort` forgets it.
 */
import type { Db, Queryable } from '../db/db.js';
import { sql } from '../db/sql.js';
import { ConflictError, VsgError } from '../errors.js';
import { applyImages, stateSource, type ImageSource } from '../core/apply.js';
import type { ApplyResult } from '../core/apply-sql.js';
import { changedRows } from '../core/commits.js';
import { createCommit } from '../core/create-commit.js';
import { assertClean, assertWritable, cannot } from '../core/guards.js';
import { findViolations, type ConstraintViolation } from '../core/merge-constraints.js';
import { commonAncestor } from '../core/mergebase.js';
import { buildPlan, collectConflicts, pickBases, prepareBase } from '../core/merge-plan.js';
import { forgetMerge, inProgress, loadConflicts, readConflicts, saveMerge, type MergeConflict } from '../core/merge-state.js';
import { tidyPending } from '../core/pending.js';
import { moveBranch } from '../core/ref-store.js';
import { resolveRef } from '../core/refs.js';
import { lockLiveTable, lockTable, resolveTable, type TrackedTable } from '../core/tables.js';
import type { CommitInfo } from '../core/types.js';

/** Resolve every conflict one way (`--strategy`): keep ours, or take theirs. */
export type Strategy = 'ours' | 'theirs';

export interface MergeOptions {
  table?: string;
  /** branch, tag or commit to merge into the current branch */
  ref: string;
  message?: string;
  author: string;
  strategy?: Strategy;
  /** use this merge base (e.g. to pick one in a criss-cross history) */
  base?: string;
  /** create a merge commit even when a fast-forward would do */
  noFf?: boolean;
}

export interface MergeResult {
  table: string;
  branch: string;
  /** refused: the merged state would break a constraint (violations); nothing was written */
  status: 'up-to-date' | 'fast-forward' | 'merged' | 'conflict' | 'refused';
  ours: string;
  theirs: string;
  theirsRef: string;
  base: string | null;
  /** every merge base used: two for a criss-cross history (merged into a virtual base) */
  bases: string[];
  /** rows changed on each side since the base */
  changes: { ours: number; theirs: number };
  /** rows written to the live table */
  applied: ApplyResult;
  commit: CommitInfo | null;
  keyColumns: string[];
  conflicts: MergeConflict[];
  /** the constraints the merged state would break (status 'refused') */
  violations: ConstraintViolation[];
}

/** A merge stopped on conflicts; `data` is the list of conflicts, `result` everything else. */
export class MergeConflictError extends ConflictError {
  constructor(readonly result: MergeResult) {
    const n = result.conflicts.length;
    super('E_MERGE_CONFLICT', `merge of '${result.theirsRef}' into '${result.table}' has ${n} conflict${n === 1 ? '' : 's'}`, {
      hint: 'resolve them (conflicts() lists them, resolve() settles them), then mergeContinue(); or mergeAbort()',
      data: result.conflicts,
    });
  }
}

/**
 * The merged state would break constraints: nothing was written. `data` is the
 * list of violations, `result` everything else. Thrown inside the merge's
 * transaction, so that it rolls back (a --continue keeps its merge in progress).
 */
export class MergeConstraintError extends ConflictError {
  constructor(readonly result: MergeResult, inProgress: boolean) {
    const n = result.violations.length;
    super('E_MERGE_CONSTRAINT', `merge of '${result.theirsRef}' into '${result.table}' would break ${n} constraint${n === 1 ? '' : 's'}; nothing was written`, {
      hint: inProgress
        ? 'the merge stays in progress: resolve() the rows involved another way, or mergeAbort(), change them on a branch and merge again'
        : 'change the rows involved on one of the branches (or the other table), then merge again',
      data: result.violations,
    });
  }
}

/** Refuse, writing nothing, when the images of `source` would break a constraint of the table. */
async function assertKeepsConstraints(tx: Queryable, table: TrackedTable, source: ImageSource, r: MergeResult, inProgress = false): Promise<void> {
  const violations = await findViolations(tx, table, source);
  if (violations.length) throw new MergeConstraintError({ ...r, status: 'refused', violations }, inProgress);
}

const RESULT: ImageSource = { text: sql('merge/result'), params: [] };

const NO_CHANGE: ApplyResult = { inserted: 0, updated: 0, deleted: 0 };

/** Merge `ref` into the table's current branch. Throws MergeConflictError when conflicts stop it. */
export async function merge(db: Db, opts: MergeOptions): Promise<MergeResult> {
  const target = await resolveTable(db, opts.table);
  const result = await db.transaction(async (tx) => {
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
    const r: MergeResult = {
      table: table.display,
      branch: table.head,
      status: 'up-to-date',
      ours,
      theirs: theirs.id,
      theirsRef: opts.ref,
      base,
      bases,
      changes: { ours: 0, theirs: 0 },
      applied: NO_CHANGE,
      commit: null,
      keyColumns: table.keyColumns,
      conflicts: [],
      violations: [],
    };
    if (bases.length === 1 && base === theirs.id) return r;
    if (bases.length === 1 && base === ours && !opts.noFf) {
      const lca = await commonAncestor(tx, theirs.id, ours);
      await assertKeepsConstraints(tx, table, stateSource(table, theirs.id, lca.depth), { ...r, status: 'fast-forward' });
      r.applied = await applyImages(tx, table, stateSource(table, theirs.id, lca.depth), 'discard');
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
    await assertKeepsConstraints(tx, table, RESULT, r);
    r.applied = await applyImages(tx, table, RESULT);
    r.commit = await commitMerge(tx, table, theirs.id, bases, opts.message ?? (await defaultMessage(tx, opts.ref, table)), opts.author, opts.strategy);
    r.status = 'merged';
    return r;
  });
  if (result.status === 'conflict') throw new MergeConflictError(result);
  await tidyPending(db, changedRows(result.commit));
  return result;
}

/** git's wording: Merge branch 'x' into main, Merge tag 'v1', Merge commit '3f2a9c1'. */
async function defaultMessage(tx: Queryable, ref: string, table: TrackedTable): Promise<string> {
  const { rows } = await tx.query<{ kind: string }>(sql('refs/kind'), [table.id, ref]);
  const what = rows[0] ? `${rows[0].kind} '${ref}'` : `commit '${ref}'`;
  return `Merge ${what} into ${table.head}`;
}

async function commitMerge(
  tx: Queryable,
  table: TrackedTable,
  theirs: string,
  bases: string[],
  message: string,
  author: string,
  strategy: Strategy | undefined,
): Promise<CommitInfo> {
  return createCommit(tx, table, {
    kind: 'MERGE',
    takeAll: false,
    mergeParent: theirs,
    author,
    message,
    meta: { base: bases.join(' '), ...(strategy ? { strategy } : {}) },
    allowEmpty: true,
  });
}

/** Finish the in-progress merge: apply the merged rows and create the merge commit. */
export async function continueMerge(db: Db, opts: { table?: string; message?: string; author?: string }): Promise<MergeResult> {
  const target = await resolveTable(db, opts.table);
  return db.transaction(async (tx) => {
    const table = await lockTable(tx, target);
    const m = await inProgress(tx, table);
    const open = await readConflicts(tx, 'open', table);
    if (open.length > 0) {
      throw new ConflictError('E_MERGE_UNRESOLVED', `${open.length} conflict${open.length === 1 ? '' : 's'} of the merge into '${table.display}' still unresolved`, {
        hint: 'resolve them with resolve() (conflicts() lists them)',
        data: open,
      });
    }
    if (table.head !== m.branch || table.headCommit !== m.ours) {
      throw new VsgError('E_MERGE_STALE', `'${table.display}' moved since the merge started`, { hint: 'abort the merge and merge again' });
    }
    await lockLiveTable(tx, table);
    await assertClean(tx, table, {
      message: (n) => `'${table.display}' has ${n} uncommitted change${n === 1 ? '' : 's'} made during the merge`,
      hint: 'abort the merge, record or discard them, and merge again',
      data: 'none',
    });
    const bases = m.base.split(' ');
    const changes = await buildPlan(tx, table, await prepareBase(tx, table, bases), m.ours, m.theirs);
    await loadConflicts(tx, table);
    const r: MergeResult = {
      table: table.display,
      branch: table.head,
      status: 'merged',
      ours: m.ours,
      theirs: m.theirs,
      theirsRef: m.theirs_ref,
      base: bases[0],
      bases,
      changes,
      applied: NO_CHANGE,
      commit: null,
      keyColumns: table.keyColumns,
      conflicts: await readConflicts(tx, 'work', table),
      violations: [],
    };
    // The resolutions decide the merged rows: check them before anything is written.
    await assertKeepsConstraints(tx, table, RESULT, r, true);
    r.applied = await applyImages(tx, table, RESULT);
    await forgetMerge(tx, table);
    r.commit = await commitMerge(tx, table, m.theirs, bases, opts.message ?? m.message ?? (await defaultMessage(tx, m.theirs_ref, table)), opts.author ?? m.author, undefined);
    return r;
  });
}

/** Forget the in-progress merge; the live table was never touched. */
export async function abortMerge(db: Db, opts: { table?: string } = {}): Promise<{ table: string; theirsRef: string; conflicts: number }> {
  const target = await resolveTable(db, opts.table);
  return db.transaction(async (tx) => {
    const table = await lockTable(tx, target);
    const m = await inProgress(tx, table);
    const { rows } = await tx.query<{ n: string }>(sql('merge/count_conflicts'), [table.id]);
    await forgetMerge(tx, table);
    return { table: table.display, theirsRef: m.theirs_ref, conflicts: Number(rows[0].n) };
  });
}

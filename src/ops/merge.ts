/**
 * Merge: three-way, by primary key and by column (the algorithm is in
 * src/core/merge-plan.ts). A clean merge writes the merged rows and a MERGE
 * commit in one transaction; a conflicted one is kept (src/core/merge-state.ts)
 * and leaves the live table untouched until `--continue` applies it, or
 * `--abort` forgets it.
 *
 * With no table named while several are tracked (or several named), each
 * table's branch of that name is merged into the table's current branch, all
 * in one transaction (mergeAcross): conflicts and broken constraints of every
 * table are found before anything is written, the merged rows of all of them
 * are checked together against their constraints, and written in the order
 * their foreign keys accept; the MERGE commits of two or more tables are one
 * commit across them. Such a merge is never kept in progress.
 */
import type { Db, Queryable } from '../db/db.js';
import { sql } from '../db/sql.js';
import { ConflictError, isVsgError, VsgError } from '../errors.js';
import { applyImages, stateSource, type ImageSource } from '../core/apply.js';
import type { ApplyResult } from '../core/apply-sql.js';
import { changedRows } from '../core/commits.js';
import { createCommit } from '../core/create-commit.js';
import { assertClean, assertWritable, cannot } from '../core/guards.js';
import { checkMerged, findViolations, stageMerged, type ConstraintViolation, type StagedMerge } from '../core/merge-constraints.js';
import { commonAncestor } from '../core/mergebase.js';
import { buildPlan, collectConflicts, pickBases, prepareBase } from '../core/merge-plan.js';
import { forgetMerge, inProgress, loadConflicts, readConflicts, saveMerge, type MergeConflict } from '../core/merge-state.js';
import { tidyPending } from '../core/pending.js';
import { moveBranch } from '../core/ref-store.js';
import { resolveRef } from '../core/refs.js';
import { recordSpan, spanInfo } from '../core/spans.js';
import { listTables, lockLiveTable, lockTable, resolveTable, type LockedTable, type TrackedTable } from '../core/tables.js';
import { writeBackMany } from '../core/write-back-many.js';
import type { CommitInfo } from '../core/types.js';

/** Resolve every conflict one way (`--strategy`): keep ours, or take theirs. */
export type Strategy = 'ours' | 'theirs';

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
  /**
   * A merge across tables: each table's merge, keyed by table (every table
   * that has the ref). The fields above then sum or list theirs: `ours` and
   * `theirs` the tables' commits space-separated, `conflicts` each naming its
   * table, `commit` the commit across tables (or the one MERGE commit).
   * Stopped by conflicts or constraints, every table's status is the whole's.
   */
  tables?: Record<string, MergeResult>;
}

/** A merge stopped on conflicts; `data` is the list of conflicts, `result` everything else. */
export class MergeConflictError extends ConflictError {
  constructor(readonly result: MergeResult) {
    const n = result.conflicts.length;
    const s = n === 1 ? '' : 's';
    const across = result.tables ? Object.values(result.tables).filter((t) => t.conflicts.length).map((t) => t.table) : null;
    super(
      'E_MERGE_CONFLICT',
      across
        ? `merge of '${result.theirsRef}' has ${n} conflict${s} in ${across.join(', ')}; nothing was written`
        : `merge of '${result.theirsRef}' into '${result.table}' has ${n} conflict${s}`,
      {
        hint: across
          ? `a merge across tables is not kept in progress: merge with strategy 'ours' or 'theirs', or merge ${across.map((t) => `'${t}'`).join(', ')} alone (table option) to resolve its conflicts one by one`
          : 'resolve them (conflicts() lists them, resolve() settles them), then mergeContinue(); or mergeAbort()',
        data: result.conflicts,
      },
    );
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
    const s = n === 1 ? '' : 's';
    const message = result.tables
      ? `merge of '${result.theirsRef}' would break ${n} constraint${s} in ${[...new Set(result.violations.map((v) => v.table))].join(', ')}; nothing was written`
      : `merge of '${result.theirsRef}' into '${result.table}' would break ${n} constraint${s}; nothing was written`;
    super('E_MERGE_CONSTRAINT', message, {
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
  const names = [...new Set(opts.tables ?? [])];
  if (opts.table === undefined && names.length > 1) return mergeAcross(db, opts, names);
  const target = await resolveTable(db, opts.table ?? names[0]).catch((e: unknown) => {
    if (opts.table === undefined && names.length === 0 && isVsgError(e) && e.code === 'E_TABLE_REQUIRED') return null;
    throw e;
  });
  if (!target) return mergeAcross(db, opts, null);
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
    const r = startResult(table, ours, theirs.id, opts.ref, bases);
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

/** A merge's result before anything is known but its sides: up to date, nothing changed. */
function startResult(table: TrackedTable, ours: string, theirs: string, theirsRef: string, bases: string[]): MergeResult {
  return {
    table: table.display,
    branch: table.head,
    status: 'up-to-date',
    ours,
    theirs,
    theirsRef,
    base: bases[0],
    bases,
    changes: { ours: 0, theirs: 0 },
    applied: NO_CHANGE,
    commit: null,
    keyColumns: table.keyColumns,
    conflicts: [],
    violations: [],
  };
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
  const target = await mergingTable(db, opts.table);
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
    const r: MergeResult = { ...startResult(table, m.ours, m.theirs, m.theirs_ref, bases), status: 'merged', changes, conflicts: await readConflicts(tx, 'work', table) };
    // The resolutions decide the merged rows: check them before anything is written.
    await assertKeepsConstraints(tx, table, RESULT, r, true);
    r.applied = await applyImages(tx, table, RESULT);
    await forgetMerge(tx, table);
    r.commit = await commitMerge(tx, table, m.theirs, bases, opts.message ?? m.message ?? (await defaultMessage(tx, m.theirs_ref, table)), opts.author ?? m.author, undefined);
    return r;
  });
}

/** The table whose merge is in progress: a merge across tables never is, so with several tracked one must be named. */
async function mergingTable(db: Queryable, name: string | undefined): Promise<TrackedTable> {
  return resolveTable(db, name).catch((e: unknown) => {
    if (name !== undefined || !isVsgError(e) || e.code !== 'E_TABLE_REQUIRED') throw e;
    throw new VsgError('E_TABLE_REQUIRED', 'several tables are tracked; name one with the table option', {
      hint: `only a merge of one table is kept in progress (a merge across tables never is); ${e.hint ?? ''}`,
    });
  });
}

/** Forget the in-progress merge; the live table was never touched. */
export async function abortMerge(db: Db, opts: { table?: string } = {}): Promise<{ table: string; theirsRef: string; conflicts: number }> {
  const target = await mergingTable(db, opts.table);
  return db.transaction(async (tx) => {
    const table = await lockTable(tx, target);
    const m = await inProgress(tx, table);
    const { rows } = await tx.query<{ n: string }>(sql('merge/count_conflicts'), [table.id]);
    await forgetMerge(tx, table);
    return { table: table.display, theirsRef: m.theirs_ref, conflicts: Number(rows[0].n) };
  });
}

/** One table of a merge across tables: its result so far, and the images its merge writes (none when up to date). */
interface Part {
  table: LockedTable;
  r: MergeResult;
  staged: StagedMerge | null;
}

/**
 * Merge `ref` into every table that has it (of `names`, or of every tracked
 * table), in one transaction. Every table's plan, conflicts and merged rows
 * come first, each table's rows staged apart (merge-constraints.ts ›
 * stageMerged); then the constraints of all of them are checked against the
 * merged rows of all of them; only then is anything written, by
 * writeBackMany in foreign-key order. Conflicts (without a strategy) or a
 * broken constraint throw inside the transaction: nothing is written, and
 * no merge is kept in progress.
 */
async function mergeAcross(db: Db, opts: MergeOptions, names: string[] | null): Promise<MergeResult> {
  if (opts.base !== undefined) {
    throw new VsgError('E_TABLE_REQUIRED', 'a merge base is a commit of one table; name one with the table option', { hint: 'merge that table alone with its base' });
  }
  const done = await db.transaction(async (tx) => {
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
    if (parts.some((p) => p.r.status === 'conflict')) throw new MergeConflictError(across(opts.ref, parts, 'conflict', null));
    const moving = parts.filter((p) => p.staged !== null);
    if (moving.length === 0) return across(opts.ref, parts, 'up-to-date', null);
    const violations = await checkMerged(tx, moving.map((p) => p.staged as StagedMerge));
    if (violations.length) {
      for (const p of parts) p.r.violations = violations.filter((v) => v.table === p.r.table);
      throw new MergeConstraintError(across(opts.ref, parts, 'refused', null), false);
    }
    const written = await writeBackMany(tx, moving.map((p) => ({ table: p.table, target: p.r.theirs, lcaDepth: 0, source: (p.staged as StagedMerge).images })));
    const commits: CommitInfo[] = [];
    for (const { table, r } of moving) {
      r.applied = written.get(table.id)?.applied ?? NO_CHANGE;
      if (r.status === 'fast-forward') {
        await tx.query(sql('pending/discard_own_transaction'), [table.id]);
        if (!(await moveBranch(tx, table.branchId, r.ours, r.theirs))) {
          throw new ConflictError('E_STALE_PARENT', `branch '${table.head}' moved during the merge`, { hint: 'retry the command' });
        }
        r.changes.theirs = r.applied.inserted + r.applied.updated + r.applied.deleted;
        continue;
      }
      r.commit = await commitMerge(tx, table, r.theirs, r.bases, opts.message ?? (await defaultMessage(tx, opts.ref, table)), opts.author, opts.strategy);
      commits.push(r.commit);
    }
    const commit = commits.length > 1 ? spanInfo(await recordSpan(tx, commits), commits) : (commits[0] ?? null);
    return across(opts.ref, parts, commits.length ? 'merged' : 'fast-forward', commit);
  });
  const made = Object.values(done.tables ?? {}).map((p) => p.commit);
  await tidyPending(db, made.reduce((n, c) => n + changedRows(c), 0));
  return done;
}

/** The tables named (each once), or every tracked table still there; locked in id order, as rollback locks them. */
async function lockAll(tx: Queryable, names: string[] | null): Promise<LockedTable[]> {
  const tables = new Map<number, TrackedTable>();
  if (names === null) {
    for (const t of await listTables(tx)) if (!t.gone) tables.set(t.id, t);
  } else {
    for (const name of names) {
      const t = await resolveTable(tx, name);
      tables.set(t.id, t);
    }
  }
  const out: LockedTable[] = [];
  for (const t of [...tables.values()].sort((a, b) => a.id - b.id)) out.push(await lockTable(tx, t));
  return out;
}

/** The commit `ref` names in `table`, or null when the table has no such ref (a table named must have it). */
async function theirsIn(tx: Queryable, table: LockedTable, ref: string, named: boolean): Promise<string | null> {
  const at = await resolveRef(tx, ref, table).catch((e: unknown) => {
    if (!named && isVsgError(e) && e.code === 'E_UNKNOWN_REF') return null;
    throw e;
  });
  if (at === null) return null;
  if (at.tableId !== table.id) {
    if (!named) return null;
    throw new VsgError('E_OTHER_TABLE', `'${ref}' is a commit of another table, not '${table.display}'`, { hint: `see the log of '${table.display}'`, data: { table: table.display } });
  }
  return at.id;
}

/** Plan one table's merge (as merge() does, without writing): its result, and its merged rows staged. */
async function planPart(tx: Queryable, table: LockedTable, theirs: string, opts: MergeOptions): Promise<Part> {
  const ours = table.headCommit as string;
  const bases = await pickBases(tx, table, ours, theirs, opts.ref);
  const base = bases[0];
  const r = startResult(table, ours, theirs, opts.ref, bases);
  if (bases.length === 1 && base === theirs) return { table, r, staged: null };
  if (bases.length === 1 && base === ours && !opts.noFf) {
    const lca = await commonAncestor(tx, theirs, ours);
    r.status = 'fast-forward';
    return { table, r, staged: await stageMerged(tx, table, stateSource(table, theirs, lca.depth)) };
  }
  r.changes = await buildPlan(tx, table, await prepareBase(tx, table, bases), ours, theirs);
  await collectConflicts(tx, opts.strategy ?? null);
  r.conflicts = await readConflicts(tx, 'work', table);
  if (r.conflicts.length > 0 && !opts.strategy) {
    r.status = 'conflict';
    return { table, r, staged: null };
  }
  r.status = 'merged';
  return { table, r, staged: await stageMerged(tx, table, RESULT) };
}

/** The whole of a merge across tables, from its parts (see MergeResult.tables). */
function across(ref: string, parts: Part[], status: MergeResult['status'], commit: CommitInfo | null): MergeResult {
  const rs = parts.map((p) => p.r);
  if (status === 'conflict' || status === 'refused') for (const r of rs) r.status = status;
  const sum = <K extends string>(pick: (r: MergeResult) => Record<K, number>, keys: K[]) =>
    Object.fromEntries(keys.map((k) => [k, rs.reduce((n, r) => n + pick(r)[k], 0)])) as Record<K, number>;
  return {
    table: rs.map((r) => r.table).join(', '),
    branch: [...new Set(rs.map((r) => r.branch))].join(', '),
    status,
    ours: rs.map((r) => r.ours).join(' '),
    theirs: rs.map((r) => r.theirs).join(' '),
    theirsRef: ref,
    base: null,
    bases: [],
    changes: sum((r) => r.changes, ['ours', 'theirs']),
    applied: sum((r) => r.applied, ['inserted', 'updated', 'deleted']),
    commit,
    keyColumns: [],
    conflicts: rs.flatMap((r) => r.conflicts.map((c) => ({ table: r.table, ...c }))),
    violations: rs.flatMap((r) => r.violations),
    tables: Object.fromEntries(rs.map((r) => [r.table, r])),
  };
}

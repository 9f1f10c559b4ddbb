/**
 * A merge across tables, table by table (its parts): which tables have the
 * ref, each table's plan with its merged rows staged apart (so that the next
 * table's plan may reuse the session's work tables), and the write of them
 * all: their merged rows checked together against their constraints, written
 * in foreign-key order, one MERGE commit across the tables.
 */
import type { Queryable } from '../db/db.js';
import { sql } from '../db/sql.js';
import { ConflictError, isVsgError, VsgError } from '../errors.js';
import { stateSource } from './apply.js';
import { checkMerged, stageMerged, type StagedMerge } from './merge-constraints.js';
import { across, commitMerge, MergeConstraintError, NO_CHANGE, RESULT, startResult, type MergeResult, type Strategy } from './merge-result.js';
import { buildPlan, collectConflicts, pickBases, prepareBase } from './merge-plan.js';
import { readConflicts, saveMerge } from './merge-state.js';
import { commonAncestor } from './mergebase.js';
import { moveBranch } from './ref-store.js';
import { resolveRef } from './refs.js';
import { recordSpan, spanInfo } from './spans.js';
import { listTables, lockTable, resolveTable, type LockedTable, type TrackedTable } from './tables.js';
import type { CommitInfo } from './types.js';
import { writeBackMany } from './write-back-many.js';

/** One table of a merge across tables: its result so far, and the images its merge writes (none when up to date or conflicted). */
export interface Part {
  table: LockedTable;
  r: MergeResult;
  staged: StagedMerge | null;
}

/** How the parts are merged, and what a kept merge records. */
export interface PartOptions {
  ref: string;
  strategy?: Strategy;
  noFf?: boolean;
  message?: string;
  author: string;
}

/** The tables named (each once), or every tracked table still there; locked in id order, as rollback locks them. */
export async function lockAll(tx: Queryable, names: readonly (string | TrackedTable)[] | null): Promise<LockedTable[]> {
  const tables = new Map<number, TrackedTable>();
  if (names === null) {
    for (const t of await listTables(tx)) if (!t.gone) tables.set(t.id, t);
  } else {
    for (const name of names) {
      const t = typeof name === 'string' ? await resolveTable(tx, name) : name;
      tables.set(t.id, t);
    }
  }
  const out: LockedTable[] = [];
  for (const t of [...tables.values()].sort((a, b) => a.id - b.id)) out.push(await lockTable(tx, t));
  return out;
}

/** The commit `ref` names in `table`, or null when the table has no such ref (a table named must have it). */
export async function theirsIn(tx: Queryable, table: LockedTable, ref: string, named: boolean): Promise<string | null> {
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

/**
 * Plan one table's merge (as merge() does, without writing): its result, and
 * its merged rows staged. Conflicts without a strategy are saved at once
 * (the next table's plan reuses the work tables), as a merge in progress.
 */
export async function planPart(tx: Queryable, table: LockedTable, theirs: string, opts: PartOptions): Promise<Part> {
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
    await saveMerge(tx, table, keep(r, opts));
    r.status = 'conflict';
    return { table, r, staged: null };
  }
  r.status = 'merged';
  return { table, r, staged: await stageMerged(tx, table, RESULT) };
}

function keep(r: MergeResult, opts: PartOptions) {
  return { ours: r.ours, theirs: r.theirs, theirsRef: opts.ref, bases: r.bases, message: opts.message, author: opts.author };
}

/**
 * Conflicts stopped a merge across tables: keep every table it moves in
 * progress (the conflicted ones are saved already, by planPart), in this
 * transaction, so that they are one merge (merge-state.ts › mergeGroups).
 */
export async function keepParts(tx: Queryable, parts: readonly Part[], opts: PartOptions): Promise<void> {
  for (const p of parts) {
    if (p.r.status === 'merged' || p.r.status === 'fast-forward') await saveMerge(tx, p.table, keep(p.r, opts), false);
  }
}

/** How the parts' MERGE commits are made. */
export interface WriteOptions {
  author: string;
  strategy?: Strategy;
  message: (table: LockedTable) => Promise<string>;
  /** a --continue: a broken constraint keeps the merge in progress */
  inProgress: boolean;
}

/**
 * Check the staged merged rows of the moving parts together against their
 * constraints (MergeConstraintError, nothing written), write them back in
 * foreign-key order, and commit: a fast-forward part moves its branch, the
 * others get a MERGE commit, two or more of them one commit across tables.
 */
export async function writeParts(tx: Queryable, ref: string, parts: readonly Part[], how: WriteOptions): Promise<CommitInfo | null> {
  const moving = parts.filter((p) => p.staged !== null);
  const violations = await checkMerged(tx, moving.map((p) => p.staged as StagedMerge));
  if (violations.length) {
    for (const p of parts) p.r.violations = violations.filter((v) => v.table === p.r.table);
    throw new MergeConstraintError(across(ref, parts.map((p) => p.r), 'refused', null), how.inProgress);
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
    r.commit = await commitMerge(tx, table, r.theirs, r.bases, await how.message(table), how.author, how.strategy);
    commits.push(r.commit);
  }
  return commits.length > 1 ? spanInfo(await recordSpan(tx, commits), commits) : (commits[0] ?? null);
}

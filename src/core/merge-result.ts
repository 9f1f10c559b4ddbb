/**
 * What a merge returns and throws (MergeResult, MergeConflictError,
 * MergeConstraintError), and the pieces every merge path shares: a result
 * before anything is known, the whole of a merge across tables from its
 * parts, the MERGE commit and its default message. src/ops/merge.ts and
 * merge-parts.ts build on them.
 */
import type { Queryable } from '../db/db.js';
import { sql } from '../db/sql.js';
import { ConflictError } from '../errors.js';
import type { ImageSource } from './apply.js';
import type { ApplyResult } from './apply-sql.js';
import { createCommit } from './create-commit.js';
import type { ConstraintViolation } from './merge-constraints.js';
import type { MergeConflict } from './merge-state.js';
import type { TrackedTable } from './tables.js';
import type { CommitInfo } from './types.js';

/** Resolve every conflict one way (`--strategy`): keep ours, or take theirs. */
export type Strategy = 'ours' | 'theirs';

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

/**
 * A merge stopped on conflicts, kept in progress (one table's, or every
 * table's of a merge across tables); `data` is the list of conflicts,
 * `result` everything else.
 */
export class MergeConflictError extends ConflictError {
  constructor(readonly result: MergeResult) {
    const n = result.conflicts.length;
    const s = n === 1 ? '' : 's';
    const across = result.tables ? Object.values(result.tables).filter((t) => t.conflicts.length).map((t) => t.table) : null;
    super(
      'E_MERGE_CONFLICT',
      across
        ? `merge of '${result.theirsRef}' has ${n} conflict${s} in ${across.join(', ')}; nothing was written, the merge is in progress`
        : `merge of '${result.theirsRef}' into '${result.table}' has ${n} conflict${s}`,
      {
        hint: 'resolve them (conflicts() lists them, resolve() settles them), then mergeContinue(); or mergeAbort()',
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
    // A one-table merge refused by rows of another table that reference what it deletes or re-keys.
    const others = result.tables ? [] : [...new Set(result.violations.filter((v) => v.other?.relation === 'references' && v.other.table !== result.table).map((v) => v.other?.table as string))];
    super('E_MERGE_CONSTRAINT', message, {
      hint: inProgress
        ? 'the merge stays in progress: resolve() the rows involved another way, or mergeAbort(), change them on a branch and merge again'
        : others.length
          ? `merge the tables together (tables option: '${result.table}', ${others.map((t) => `'${t}'`).join(', ')}), or change the rows involved on one of the branches`
          : 'change the rows involved on one of the branches (or the other table), then merge again',
      data: result.violations,
    });
  }
}

/** The merged images of the plan in the session's work tables (sql/merge/result.sql). */
export const RESULT: ImageSource = { text: sql('merge/result'), params: [] };

export const NO_CHANGE: ApplyResult = { inserted: 0, updated: 0, deleted: 0 };

/** A merge's result before anything is known but its sides: up to date, nothing changed. */
export function startResult(table: TrackedTable, ours: string, theirs: string, theirsRef: string, bases: string[]): MergeResult {
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

/** The whole of a merge across tables, from its tables' results (see MergeResult.tables). */
export function across(ref: string, rs: MergeResult[], status: MergeResult['status'], commit: CommitInfo | null): MergeResult {
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

/** git's wording: Merge branch 'x' into main, Merge tag 'v1', Merge commit '3f2a9c1'. */
export async function defaultMessage(tx: Queryable, ref: string, table: TrackedTable): Promise<string> {
  const { rows } = await tx.query<{ kind: string }>(sql('refs/kind'), [table.id, ref]);
  const what = rows[0] ? `${rows[0].kind} '${ref}'` : `commit '${ref}'`;
  return `Merge ${what} into ${table.head}`;
}

/** The table's MERGE commit: HEAD and `theirs` as parents, the live table's rows as merged. */
export async function commitMerge(
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

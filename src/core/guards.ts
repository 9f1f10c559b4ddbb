/**
 * The checks a write-back or a commit makes before it starts, in one place so
 * that every operation refuses the same things the same way: a table whose
 * branch is gone or that has a merge in progress (assertWritable), and
 * uncommitted changes that an operation would mix in or overwrite
 * (assertClean), which each operation words for its own verb.
 */
import type { Queryable } from '../db/db.js';
import { sql } from '../db/sql.js';
import { ExitCode, VsgError } from '../errors.js';
import { pendingCounts, uncommitted, type PendingCounts } from './pending.js';
import type { TrackedTable } from './tables.js';

/**
 * Refuse writes that would fork or corrupt history: a table whose branch is
 * gone, or with a merge in progress. A table locked by lockNamed or lockTable
 * already knows the latter; another costs one query.
 */
export async function assertWritable(tx: Queryable, table: TrackedTable & { merging?: boolean }): Promise<void> {
  if (table.branchId === null || table.headCommit === null) {
    throw new VsgError('E_NO_BRANCH', `'${table.display}' follows branch '${table.head}', which does not exist`, {
      hint: 'switch to an existing branch',
    });
  }
  const merging = table.merging ?? (await tx.query(sql('merge/in_progress'), [table.id])).rowCount > 0;
  if (merging) {
    throw new VsgError('E_MERGE_IN_PROGRESS', `a merge into '${table.display}' is in progress`, {
      hint: 'finish it with mergeContinue() or forget it with mergeAbort()',
    });
  }
}

/** How an operation words its refusal to go on over uncommitted changes. */
export interface Refusal {
  /** the message, given how many rows are uncommitted (see `cannot`) */
  message: (n: number) => string;
  /** the way out the user is offered */
  hint: string;
  /** what the error carries as data: { uncommitted: n } (default), the counts, or nothing */
  data?: 'total' | 'counts' | 'none';
  /** the table, carried in the data so that a caller can word its own hint */
  table?: string;
}

/** The usual refusal message: "cannot <doing>: 3 uncommitted changes". */
export function cannot(doing: string): (n: number) => string {
  return (n) => `cannot ${doing}: ${n} uncommitted change${n === 1 ? '' : 's'}`;
}

/** Throw E_UNCOMMITTED (exit 1, "the answer is no") when the counts are not clean. */
export function refuseUncommitted(counts: PendingCounts, refusal: Refusal): void {
  if (counts.clean) return;
  const n = uncommitted(counts);
  const table = refusal.table === undefined ? {} : { table: refusal.table };
  const data = refusal.data === 'counts' ? { ...counts, ...table } : refusal.data === 'none' ? undefined : { uncommitted: n, ...table };
  throw new VsgError('E_UNCOMMITTED', refusal.message(n), {
    exitCode: ExitCode.no,
    hint: refusal.hint,
    ...(data === undefined ? {} : { data }),
  });
}

/**
 * Refuse when the live table has uncommitted changes (netted per key, as
 * status counts them); else return the (clean) counts.
 */
export async function assertClean(tx: Queryable, table: TrackedTable, refusal: Refusal): Promise<PendingCounts> {
  const counts = await pendingCounts(tx, table);
  refuseUncommitted(counts, { table: table.display, ...refusal });
  return counts;
}

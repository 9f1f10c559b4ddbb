/**
 * What checkout and restore need to know before they write a table back to a
 * commit, asked in one statement (sql/timetravel/plan.sql) instead of one
 * each: the uncommitted changes, the reload decision's inputs, the common
 * ancestor's depth, and the expressions that forget no-op changes.
 */
import type { Queryable } from '../db/db.js';
import { sql } from '../db/sql.js';
import type { PendingCounts } from './pending.js';
import { rowExprsOf, type RowExprs } from './sql/timetravel.js';
import type { CheckpointRow, ReloadFacts } from './reload.js';
import type { TrackedTable } from './tables.js';

export interface WritePlan {
  /** the uncommitted changes, netted per key (what status counts); null where not asked (restorePlan) */
  pending: PendingCounts | null;
  /** what reloadState would ask first */
  reload: ReloadFacts;
  /** the depth of the common ancestor of the target and HEAD (null: unrelated) */
  lcaDepth: number | null;
  exprs: RowExprs;
  /** a foreign key of another table references the table */
  referenced: boolean;
}

/** The plan for writing `table` back to commit `target`; `overwrite`: uncommitted changes may be overwritten. */
export async function writePlan(tx: Queryable, table: TrackedTable, target: string, overwrite: boolean): Promise<WritePlan & { pending: PendingCounts }> {
  const plan = await askPlan(tx, table, target, overwrite, true);
  return { ...plan, pending: plan.pending as PendingCounts };
}

/**
 * The plan for restore, which overwrites every uncommitted change: without
 * netting them per key, which for a change to every row of a large table
 * costs more than the reload that discards them.
 */
export function restorePlan(tx: Queryable, table: TrackedTable, target: string): Promise<WritePlan> {
  return askPlan(tx, table, target, true, false);
}

async function askPlan(tx: Queryable, table: TrackedTable, target: string, overwrite: boolean, counts: boolean): Promise<WritePlan> {
  const { rows } = await tx.query<Record<'pending_rows' | 'checkpoints' | 'lca_depth' | 'columns', string> & Record<'inserted' | 'updated' | 'deleted', string | null> & { path_changes: string | null; referenced: boolean | string }>(
    sql('timetravel/plan'),
    [table.id, table.headCommit, target, overwrite, counts],
  );
  const r = rows[0];
  const [inserted, updated, deleted] = [Number(r.inserted), Number(r.updated), Number(r.deleted)];
  return {
    pending: counts ? { inserted, updated, deleted, clean: inserted + updated + deleted === 0 } : null,
    reload: {
      pending: Number(r.pending_rows),
      pathChanges: r.path_changes === null ? null : Number(r.path_changes),
      checkpoints: JSON.parse(r.checkpoints) as CheckpointRow[],
    },
    lcaDepth: r.lca_depth === null ? null : Number(r.lca_depth),
    exprs: rowExprsOf(table.keyColumns, JSON.parse(r.columns) as { name: string; type: string }[], 'n'),
    referenced: r.referenced === true || r.referenced === 't',
  };
}

/**
 * Restore: put the live table to a commit's rows without committing (default
 * HEAD: discard uncommitted changes). Only the rows that differ are written;
 * `vsg status` and `vsg diff` then show the difference against HEAD. Also the
 * helpers checkout and rollback share: resolving a commit of one table,
 * status of the pending rows, and forgetting pending rows that net to nothing.
 */
import type { Db, Queryable } from '../db/db.js';
import { imageExpr, keyMatch } from '../db/images.js';
import { sql } from '../db/sql.js';
import { ExitCode, VsgError } from '../errors.js';
import { applyImages, stateSource, type ApplyResult, type RecordMode } from './apply.js';
import { reloadMode, reloadState, type ReloadMode, type ReloadResult } from './checkpoint.js';
import { assertWritable, tidyPending } from './commit.js';
import { getCommit } from './commits.js';
import { commonAncestor } from './diff.js';
import { resolveRef, shortId } from './refs.js';
import { pendingCounts, type PendingCounts } from './status.js';
import { columns, lockTable, resolveTable, type TrackedTable } from './tables.js';
import type { CommitInfo } from './types.js';

export interface RestoreOptions {
  table?: string;
  /** the commit whose rows to restore (default HEAD) */
  ref?: string;
  /** whether discarding uncommitted changes may reload the table from a checkpoint (default: VSG_CHECKOUT_RELOAD, else 'auto') */
  reload?: ReloadMode;
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
}

/** Restore a table to a commit's rows (default HEAD), leaving the change uncommitted. */
export async function restore(db: Db, opts: RestoreOptions = {}): Promise<RestoreResult> {
  const target = await resolveTable(db, opts.table);
  const done = await db.transaction(async (tx): Promise<RestoreResult> => {
    const table = await lockTable(tx, target);
    await assertWritable(tx, table);
    const head = table.headCommit as string;
    const source = opts.ref === undefined ? head : await commitOfTable(tx, table, opts.ref);
    const base = { table: table.display, branch: table.head, head, source: await getCommit(tx, source) };
    // Back to HEAD, nothing is left uncommitted: uncommitted changes to most
    // rows are discarded by reloading the table (src/engine/checkpoint.ts).
    // Another commit's rows must show as uncommitted changes, row by row.
    if (source === head) {
      const reload = await reloadState(tx, table, head, reloadMode(opts.reload), true);
      // it dropped every uncommitted change of the table
      if (reload) return { ...base, applied: null, reload, status: { inserted: 0, updated: 0, deleted: 0, clean: true } };
    }
    const applied = await applyState(tx, table, source);
    await forgetNoOps(tx, table);
    return { ...base, applied, reload: null, status: await pendingCounts(tx, table) };
  });
  await tidyPending(db, done.reload?.dropped ?? 0);
  return done;
}

/** Make the live table hold exactly commit `id`'s rows, touching only the rows that differ. */
export async function applyState(tx: Queryable, table: TrackedTable, id: string, record: RecordMode = 'pending'): Promise<ApplyResult> {
  const lca = await commonAncestor(tx, id, table.headCommit as string);
  return applyImages(tx, table, stateSource(table, id, lca.depth), record);
}

/** Resolve a reference to a commit of this table (a commit of another table is an error). */
export async function commitOfTable(tx: Queryable, table: TrackedTable, ref: string): Promise<string> {
  const at = await resolveRef(tx, ref, table);
  if (at.tableId !== table.id) {
    throw new VsgError('E_OTHER_TABLE', `'${ref}' (${shortId(at.id)}) is a commit of another table, not '${table.display}'`, {
      hint: `see 'vsg log -t ${table.display}'`,
    });
  }
  return at.id;
}

/** Refuse to overwrite uncommitted changes (unless forced), as git checkout does. */
export async function assertClean(tx: Queryable, table: TrackedTable, verb: string): Promise<PendingCounts> {
  const counts = await pendingCounts(tx, table);
  if (!counts.clean) {
    const n = counts.inserted + counts.updated + counts.deleted;
    throw new VsgError('E_UNCOMMITTED', `cannot ${verb} '${table.display}': ${n} uncommitted change${n === 1 ? '' : 's'}`, {
      exitCode: ExitCode.no,
      hint: `commit them ('vsg commit -t ${table.display}'), discard them ('vsg restore -t ${table.display}'), or use --force`,
      data: counts,
    });
  }
  return counts;
}

/**
 * Forget pending rows of keys whose row is back to its value at HEAD (the
 * first `before`): after a restore they are no change, and status is clean.
 */
export async function forgetNoOps(tx: Queryable, table: TrackedTable): Promise<number> {
  const cols = await columns(tx, table.relid);
  const img = imageExpr(cols.map((c) => c.name), 'r');
  const match = keyMatch(table.keyColumns, cols, 'r', 'n');
  const res = await tx.query(
    `WITH n AS (
       SELECT key, (array_agg(before ORDER BY seq))[1] AS first FROM vsg.pending WHERE table_id = $1 GROUP BY key
     ), gone AS (
       SELECT n.key FROM n WHERE n.first IS NOT DISTINCT FROM (SELECT ${img} FROM ${table.qname} r WHERE ${match})
     )
     DELETE FROM vsg.pending p USING gone WHERE p.table_id = $1 AND p.key = gone.key`,
    [table.id],
  );
  return res.rowCount;
}

/** Whether the pending rows (all of the table's, or this transaction's keys) net to any change. */
export async function hasNetChange(tx: Queryable, table: TrackedTable, all: boolean): Promise<boolean> {
  const { rows } = await tx.query<{ any: string }>(sql('timetravel/net_change'), [table.id, all]);
  return rows[0].any === 't' || rows[0].any === 'true';
}

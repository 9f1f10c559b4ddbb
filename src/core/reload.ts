/**
 * Checkpoints and reloads: checking out a state that differs from the live
 * table in most of its rows, for about what reloading the table once costs
 * (docs/storage.md, version 11, has the design).
 *
 * Written row by row, every differing row costs a jsonb image before and
 * after, a cast back from its text form and one vsg.changes row: 20-40 times
 * what copying it costs. So checkout weighs that against a reload: empty the
 * table and insert the target rows from a checkpoint (a native copy of the
 * rows as of some commit), corrected by the difference from that commit to
 * the target, which history gives at the cost of that difference. The commit
 * is then a state commit: it records that its rows are the source's instead
 * of one change row per differing row.
 *
 * A reload is only taken where it is the same as writing the differing rows
 * (sql/checkpoint/eligible.sql): no trigger, rule or policy of the user's
 * watches the table, no foreign key references it but from itself or from a
 * table reloaded with it (write-back-many.ts empties those together, in one
 * TRUNCATE: PostgreSQL refuses to empty a referenced table alone), and no
 * schema change lies between the checkpoint, HEAD and the target.
 */
import type { Queryable } from '../db/db.js';
import { qualified } from '../db/quote.js';
import { sql } from '../db/sql.js';
import { raiseSequences, refused } from './apply.js';
import { isDistributed } from './citus.js';
import { commonAncestor } from './mergebase.js';
import { assertSchemaRecorded, schemaBetween } from './schema.js';
import { countRows, dropTrigger, lockTable, truncateTables } from './sql/ddl.js';
import { reloadInsert } from './sql/write-back.js';
import { sameSignature, signature, type Signature } from './signature.js';
import { columns, type TrackedTable } from './tables.js';

/**
 * The cost model, in units of copying one row in a reload. Writing one
 * differing row back costs 20-40 (README › Performance); WRITE is lower, to
 * favour the path whose cost follows the change. Reading one change row on a
 * history path (vsg.state_diff, which corrects the checkpoint) costs about READ.
 */
const WRITE = 8;
const READ = 2;

/**
 * When checkout reloads: 'auto' when the reload costs less than writing the
 * differing rows, 'always' whenever it may, 'never'. The default comes from
 * VSG_CHECKOUT_RELOAD.
 */
export type ReloadMode = 'auto' | 'always' | 'never';

export interface ReloadResult {
  /** rows the table holds now, all written */
  rows: number;
  /** the commit whose checkpoint the rows came from */
  checkpoint: string;
  /** rows of the checkpoint corrected from history (changed between its commit and the target) */
  corrected: number;
  /** uncommitted changes dropped (rows of vsg.pending) */
  dropped: number;
}

/** Corrections up to this many keys are filtered through a hashed NOT IN, more through an anti-join. */
const HASHED_KEYS = 100_000;

/** The capture triggers a reload's TRUNCATE and INSERT would fire (vsg.capture_triggers puts them back). */
const DROPPED_TRIGGERS = ['vsg_capture_truncate', 'vsg_capture_insert'];

/** The reload mode asked for, else VSG_CHECKOUT_RELOAD, else 'auto'. */
export function reloadMode(given?: ReloadMode): ReloadMode {
  const env = process.env.VSG_CHECKOUT_RELOAD;
  return given ?? (env === 'always' || env === 'never' ? env : 'auto');
}

/**
 * Make the live table hold commit `target`'s rows by reloading it from a
 * checkpoint, when `mode` says so and the table allows it; else null, and
 * nothing was done. Uncommitted changes are dropped, so there must be none
 * unless `overwrite` (checkout --force, restore). The caller records the
 * state commit, if any.
 */
export async function reloadState(
  tx: Queryable,
  table: TrackedTable & { now?: Signature },
  target: string,
  mode: ReloadMode,
  overwrite: boolean,
  known?: ReloadFacts,
): Promise<ReloadResult | null> {
  const plan = await planReload(tx, table, target, mode, overwrite, known);
  if (!plan) return null;
  await emptyTables(tx, [table]);
  return reloadFrom(tx, table, target, plan);
}

/** The checkpoint a reload starts from (planReload), with the table locked. */
export interface ReloadPlan {
  checkpoint: string;
  relname: string;
}

/**
 * Whether reloadState would reload, and from which checkpoint; when it
 * would, the table is locked (ACCESS EXCLUSIVE) and nothing is written yet,
 * so that a write-back across tables can decide before it writes any
 * (write-back-many.ts), empty the tables it reloads together (emptyTables)
 * and reload each in its turn (reloadFrom). `together`: the tables (oids)
 * emptied with this one, whose foreign keys may reference it.
 */
export async function planReload(
  tx: Queryable,
  table: TrackedTable & { now?: Signature },
  target: string,
  mode: ReloadMode,
  overwrite: boolean,
  known?: ReloadFacts,
  together: readonly string[] = [],
): Promise<ReloadPlan | null> {
  if (mode === 'never') return null;
  const head = table.headCommit as string;
  // Cheap questions first: how far apart the states are, from the commits'
  // counts and the uncommitted rows (counted, not netted: an upper bound).
  // A caller that asked them already (sql/timetravel/plan.sql) passes the answers.
  const pending = known?.pending ?? (await pendingRows(tx, table));
  if (pending > 0 && !overwrite) return null;
  const differ = (known?.pathChanges ?? (await pathChanges(tx, head, target))) + pending;
  if (differ === 0) return null;
  const now = table.now ?? (await signature(tx, table.relid));
  const listed = known?.checkpoints ?? (await tx.query<CheckpointRow>(sql('checkpoint/list'), [table.id])).rows;
  // The rows that differ are at most the table's: the paths' counts may name a row many times.
  const worth = (rows: number, delta: number) => mode === 'always' || rows + READ * delta < WRITE * Math.min(differ, rows);
  // A small difference never pays for a reload: say so before walking any
  // checkpoint's history (the root's may lie far back).
  const sig = (c: CheckpointRow) => (typeof c.signature === 'string' ? (JSON.parse(c.signature) as Signature) : c.signature);
  const cps = listed.filter((c) => sameSignature(sig(c), now) && worth(Number(c.rows), 0));
  // Those worth reloading from, the nearest to the target first (of two as near, the newer).
  const near: { commit_id: string; relname: string; delta: number; rows: number }[] = [];
  for (const c of cps) {
    const delta = await pathChanges(tx, c.commit_id, target);
    if (worth(Number(c.rows), delta)) near.push({ commit_id: c.commit_id, relname: c.relname, delta, rows: Number(c.rows) });
  }
  near.sort((a, b) => a.delta - b.delta);
  if (!near.length) return null;
  // a Citus distributed table: its TRUNCATE is captured on the coordinator, its INSERT on the shards
  if (await isDistributed(tx, table)) return null;
  if ((await eligibility(tx, table, together)) !== null) return null;
  await assertSchemaRecorded(tx, table);
  // A checkpoint after a commit is a cache that nothing hashes: one that no
  // longer holds as many rows as it was taken with (rows deleted or added
  // behind vsg's back) is passed over for the next, which history corrects
  // as far. (It reads the copy once more: 45-65 ms at 1M rows, beside a reload's 1.2-1.7 s.)
  let cp: (typeof near)[number] | null = null;
  for (const c of near) {
    if (await holdsItsRows(tx, c.relname, c.rows)) {
      cp = c;
      break;
    }
  }
  if (!cp) return null;
  for (const [a, b] of [
    [head, target],
    [cp.commit_id, target],
  ]) {
    if ((await schemaBetween(tx, a, b, (await commonAncestor(tx, a, b)).depth)).length) return null;
  }
  // From here no other writer runs until this command commits. One that
  // committed since the uncommitted changes were counted has left rows a
  // reload would drop unseen: leave them to the row-by-row path.
  await tx.query(lockTable(table.qname, 'ACCESS EXCLUSIVE'));
  if ((await pendingRows(tx, table)) !== pending) return null;
  return { checkpoint: cp.commit_id, relname: cp.relname };
}

/**
 * Empty tables that planReload planned to reload, in one TRUNCATE (a table
 * that another references may only be emptied with it), with the capture
 * triggers it and the reload's INSERT would fire dropped first; reloadFrom
 * puts them back. Other writers wait on TRUNCATE's lock until the command
 * commits, and see the triggers back.
 */
export async function emptyTables(tx: Queryable, tables: readonly TrackedTable[]): Promise<void> {
  if (!tables.length) return;
  try {
    // (Disabled, the INSERT trigger would still have every row copied into its transition table.)
    for (const table of tables) for (const t of DROPPED_TRIGGERS) await tx.query(dropTrigger(t, table.qname));
    await tx.query(truncateTables(tables.map((t) => t.qname)));
  } catch (e) {
    throw refused(tables[0], e);
  }
}

/** Reload the table, emptied by emptyTables, as planReload planned it. */
export function reloadFrom(tx: Queryable, table: TrackedTable, target: string, plan: ReloadPlan): Promise<ReloadResult> {
  return reload(tx, table, target, plan.checkpoint, plan.relname);
}

/** A checkpoint as sql/checkpoint/list.sql gives it (the signature as JSON text, or parsed). */
export interface CheckpointRow {
  commit_id: string;
  relname: string;
  rows: string;
  signature: string | Signature;
}

/** What reloadState asks first, when the caller already knows it. */
export interface ReloadFacts {
  /** rows of vsg.pending for the table, not netted */
  pending: number;
  /** rows changed on the state paths from HEAD to the target (vsg.path_changes); null: not asked (uncommitted changes and no overwrite) */
  pathChanges: number | null;
  checkpoints: CheckpointRow[];
}

/** Rows changed on the state paths between two commits (vsg.path_changes): costs the paths' length. */
async function pathChanges(tx: Queryable, a: string, b: string): Promise<number> {
  const { rows } = await tx.query<{ n: string }>(sql('reload/path_changes'), [a, b]);
  return Number(rows[0].n);
}

/** Whether checkpoint vsg.`relname` holds the `rows` rows it was taken with. */
async function holdsItsRows(tx: Queryable, relname: string, rows: number): Promise<boolean> {
  const { rows: n } = await tx.query<{ n: string }>(countRows(qualified('vsg', relname)));
  return Number(n[0].n) === rows;
}

/** Rows of vsg.pending for the table, not netted per key. */
async function pendingRows(tx: Queryable, table: TrackedTable): Promise<number> {
  const { rows } = await tx.query<{ n: string }>(sql('pending/count_table'), [table.id]);
  return Number(rows[0].n);
}

/** Why the table may not be reloaded (sql/apply/bulk_eligible.sql, sql/checkpoint/eligible.sql), or null. */
async function eligibility(tx: Queryable, table: TrackedTable, together: readonly string[]): Promise<string | null> {
  for (const [q, params] of [
    ['apply/bulk_eligible', [table.relid]],
    ['checkpoint/eligible', [table.relid, together]],
  ] as const) {
    const { rows } = await tx.query<{ reason: string | null }>(sql(q), [...params]);
    if (rows[0]?.reason !== null) return rows[0]?.reason ?? 'the table is gone';
  }
  return null;
}

async function reload(tx: Queryable, table: TrackedTable, target: string, cpCommit: string, relname: string): Promise<ReloadResult> {
  const cols = await columns(tx, table.relid);
  // The checkpoint's rows that history changed between its commit and the target, with their images there.
  const lca = await commonAncestor(tx, cpCommit, target);
  await tx.query(sql('apply/temp'));
  const corrected = await tx.query(sql('reload/load_target'), [
    table.id,
    cpCommit,
    target,
    lca.depth,
  ]);
  await tx.query(sql('apply/analyze_temp'));
  let rows: number;
  try {
    // The capture triggers that would fire are gone (emptyTables) for the
    // TRUNCATE and this INSERT, and put back before the transaction ends: the
    // commit records the new state by reference instead.
    rows = (await tx.query(reloadInsert(table, cols, relname, corrected.rowCount, HASHED_KEYS))).rowCount;
    await tx.query(sql('reload/capture_triggers'), [table.id]);
  } catch (e) {
    throw refused(table, e);
  }
  await raiseSequences(tx, table, 'table');
  // Uncommitted changes (checkout --force, restore) are overwritten: the table holds the target's rows exactly.
  const dropped = (await tx.query(sql('pending/discard_table'), [table.id])).rowCount;
  return { rows, checkpoint: cpCommit, corrected: corrected.rowCount, dropped };
}

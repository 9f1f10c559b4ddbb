/**
 * Writing several tables back in one transaction, in an order their foreign
 * keys accept (design.md › Write-back in foreign-key order; the order comes
 * from fk-graph.ts). Each table's images are staged first, every check is
 * made, and only then is anything written:
 *
 * 1. rows lost, children first, except rows that a row of another of the
 *    tables still references (a child that will point elsewhere once written);
 * 2. rows gained or changed, parents first; a table may be reloaded from a
 *    checkpoint here instead (reload.ts) when every table whose keys
 *    reference it is reloaded too: the tables reloaded are emptied together,
 *    in one TRUNCATE, before step 1, and each is refilled in its turn;
 * 3. the rows lost that step 1 kept, children first.
 *
 * A table that references itself writes its rows in, then changes, then
 * deletes (steps 2 and 3), as apply.ts does for one table.
 *
 * A cascade or SET NULL that a delete sets off in another of the tables only
 * reaches rows that differ from that table's target (the target states are
 * consistent), so step 2 writes them to their target too: every table ends
 * exactly at its target. A key from a table left alone to one written back
 * whose referenced row would go (or change) is refused before any write; a
 * key from a written table to one left alone is checked by PostgreSQL as the
 * rows are written, and its refusal reported the same way (E_FK_VIOLATION).
 * The changed rows stay uncommitted (vsg.pending), as restore leaves them.
 */
import type { Queryable } from '../db/db.js';
import { deletePlaced, KeyedWrites, raiseSequences, refused, stageImages, stateSource, updatePlaced, type ImageSource, type StagedImages } from './apply.js';
import { bulkPhase, lockForBulk } from './apply-bulk.js';
import type { ApplyResult } from './apply-sql.js';
import { fkViolation, foreignKeys, writeOrder, type ForeignKey } from './fk-graph.js';
import { emptyTables, planReload, reloadFrom, type ReloadFacts, type ReloadMode, type ReloadPlan, type ReloadResult } from './reload.js';
import { keepStaged } from './sql/ddl.js';
import { orphanedBy, setConstraints, unreferencedBy } from './sql/fk.js';
import { citusInsert, keyedDelete, keyedInsert, keyedUpdate, STAGED } from './sql/write-back.js';
import type { TrackedTable } from './tables.js';
import type { Signature } from './signature.js';

/** One table to write back, and the commit whose rows it must hold. */
export interface TableTarget {
  table: TrackedTable & { now?: Signature };
  target: string;
  /** the depth of the common ancestor of the target and the table's HEAD */
  lcaDepth: number;
  /** when the target is HEAD: whether the table may be reloaded from a checkpoint, and what reloadState would ask first */
  reload?: { mode: ReloadMode; facts?: ReloadFacts };
  /** the images to write, when they are not the target's state (a rollback's: HEAD with a commit undone) */
  source?: ImageSource;
}

/** What was written to one table: rows (or null when it was reloaded), and the reload. */
export interface TableWritten {
  applied: ApplyResult | null;
  reload: ReloadResult | null;
}

interface Staged extends StagedImages {
  t: TableTarget;
  /** keys of other written tables that reference this one, not deferred: its rows they still reference go last */
  referencedBy: ForeignKey[];
  result: ApplyResult;
}

/**
 * Make every table hold its target's rows, all in the caller's transaction.
 * Throws E_FK_CYCLE or E_FK_VIOLATION before writing anything when the keys
 * do not allow it; a refusal by the server while writing (E_FK_VIOLATION,
 * E_APPLY_REFUSED) leaves the caller to roll back. Results by table id.
 */
export async function writeBackMany(tx: Queryable, targets: readonly TableTarget[]): Promise<Map<number, TableWritten>> {
  const byRelid = new Map(targets.map((t) => [t.table.relid, t]));
  const relids = targets.map((t) => t.table.relid);
  const fks = await foreignKeys(tx, relids);
  const order = writeOrder(relids, fks, (r) => byRelid.get(r)?.table.display ?? r);
  const deferred = new Set(order.deferred);
  if (order.deferred.length) await tx.query(setConstraints(order.deferred, 'DEFERRED'));

  // A table may be reloaded when every table whose keys reference it is
  // reloaded too (TRUNCATE empties a referenced table only with them), in its
  // turn among the parents-first writes (nothing another table does reaches
  // it: the tables that could are emptied with it). Decided now, before any
  // write, children first, so that a table's referencing tables are decided before it.
  const reloads = new Map<string, ReloadPlan>();
  for (const relid of [...order.parentsFirst].reverse()) {
    const t = byRelid.get(relid)!;
    if (!t.reload || fks.some((f) => f.parent === relid && f.child !== relid && !reloads.has(f.child))) continue;
    const plan = await planReload(tx, t.table, t.target, t.reload.mode, true, t.reload.facts, [...reloads.keys()]);
    if (plan) reloads.set(relid, plan);
  }
  const staged = new Map<string, Staged>();
  let n = 0;
  for (const relid of order.parentsFirst) {
    if (reloads.has(relid)) continue;
    const t = byRelid.get(relid)!;
    const st = await stageImages(tx, t.table, t.source ?? stateSource(t.table, t.target, t.lcaDepth));
    // One table (a restore of a table others reference) keeps its images where they are.
    const name = targets.length === 1 ? STAGED : `pg_temp.vsg_apply_${++n}`;
    if (targets.length > 1) await tx.query(keepStaged(name.slice('pg_temp.'.length)));
    if (st.bulk) await lockForBulk(tx, t.table);
    // (a reloaded table is empty from the start, and refilled after its parents)
    const referencedBy = fks.filter((f) => f.parent === relid && f.child !== relid && byRelid.has(f.child) && !reloads.has(f.child) && !deferred.has(f));
    staged.set(relid, { ...st, w: { ...st.w, staged: name }, t, referencedBy, result: { inserted: 0, updated: 0, deleted: 0 } });
  }
  await refuseOrphans(tx, fks, staged, byRelid);
  await emptyTables(tx, order.parentsFirst.filter((r) => reloads.has(r)).map((r) => byRelid.get(r)!.table));

  const childrenFirst = [...order.parentsFirst].reverse();
  // (the keyed statements of a table go out together, up to the next step that is not one)
  const writes = new KeyedWrites(tx);
  // 1. rows lost, children first, but not those another written table still
  // references, nor any of a table that references itself (apply.ts › applyKeyed says why)
  for (const relid of childrenFirst) {
    const s = staged.get(relid);
    if (s && !s.selfRef) await guarded(s.t.table, () => deletes(tx, writes, s, unreferencedBy(s.referencedBy)));
  }
  // 2. rows gained or changed, parents first
  const written = new Map<number, TableWritten>();
  for (const relid of order.parentsFirst) {
    const t = byRelid.get(relid)!;
    const s = staged.get(relid);
    if (s) await guarded(t.table, () => upserts(tx, writes, s));
    else {
      await writes.send();
      written.set(t.table.id, { applied: null, reload: await reloadFrom(tx, t.table, t.target, reloads.get(relid)!) });
    }
  }
  // 3. the rows lost that step 1 kept
  for (const relid of childrenFirst) {
    const s = staged.get(relid);
    if (s && (s.referencedBy.length || s.selfRef)) await guarded(s.t.table, () => deletes(tx, writes, s, ''));
  }
  await writes.send();
  // Deferred keys are checked now, while a refusal can still say which (at COMMIT it could not).
  const later = fks.filter((f) => deferred.has(f) || (f.deferred && (byRelid.has(f.child) || byRelid.has(f.parent))));
  if (later.length) await guarded(byRelid.get(later[0].child)?.table ?? byRelid.get(later[0].parent)!.table, async () => void (await tx.query(setConstraints(later, 'IMMEDIATE'))));
  for (const s of staged.values()) {
    await raiseSequences(tx, s.t.table, 'images', s.sequences, s.w.staged);
    written.set(s.t.table.id, { applied: s.result, reload: null });
  }
  return written;
}

async function guarded(table: TrackedTable, write: () => Promise<void>): Promise<void> {
  try {
    await write();
  } catch (e) {
    throw refused(table, e);
  }
}

/** Step 1 or 3 for one table: a keyed delete held in `writes`; a bulk or a Citus one sent after those held. */
async function deletes(tx: Queryable, writes: KeyedWrites, s: Staged, only: string): Promise<void> {
  const { table } = s.t;
  if (s.bulk) {
    await writes.send();
    s.result.deleted += (await bulkPhase(tx, table, s.w, 'delete', only)).deleted;
  } else if (s.placed) {
    await writes.send();
    s.result.deleted += await deletePlaced(tx, table, s.w, only);
  } else writes.add(table, keyedDelete(table, s.w, only), (n) => (s.result.deleted += n));
}

/** Step 2 for one table, as deletes. */
async function upserts(tx: Queryable, writes: KeyedWrites, s: Staged): Promise<void> {
  const { table } = s.t;
  const inserted = (n: number) => (s.result.inserted += n);
  if (s.bulk) {
    await writes.send();
    const r = await bulkPhase(tx, table, s.w, 'upsert', '', s.selfRef);
    s.result.updated += r.updated;
    inserted(r.inserted);
    return;
  }
  // in a table that references itself, inserts first: an updated row may point at an inserted one
  if (s.placed) {
    await writes.send();
    if (s.selfRef) inserted((await tx.query(citusInsert(table, s.w))).rowCount);
    s.result.updated += await updatePlaced(tx, table, s.w, s.placed);
    if (!s.selfRef) inserted((await tx.query(citusInsert(table, s.w))).rowCount);
    return;
  }
  if (s.selfRef) writes.add(table, keyedInsert(table, s.w), inserted);
  if (s.w.set) writes.add(table, keyedUpdate(table, s.w), (n) => (s.result.updated += n));
  if (!s.selfRef) writes.add(table, keyedInsert(table, s.w), inserted);
}

/**
 * Refuse, before any write, a row of a table left alone whose referenced row
 * in a written table would be deleted or changed (with a cascade, the
 * write-back would change a table it was not asked to; without one, the
 * server would refuse it half-way).
 */
async function refuseOrphans(tx: Queryable, fks: readonly ForeignKey[], staged: Map<string, Staged>, written: Map<string, TableTarget>): Promise<void> {
  for (const f of fks) {
    const s = staged.get(f.parent);
    if (!s || written.has(f.child)) continue;
    const { rows } = await tx.query<{ ref: string }>(orphanedBy(f, s.t.table.qname, s.w.staged, s.w.join));
    if (!rows.length) continue;
    const ref = JSON.parse(rows[0].ref) as Record<string, string>;
    const key = `Key (${Object.keys(ref).join(', ')})=(${Object.values(ref).join(', ')}) is still referenced from table ${f.childTable.display}, which is not written back`;
    throw fkViolation(s.t.table.display, f.name, f.childTable.display, key);
  }
}

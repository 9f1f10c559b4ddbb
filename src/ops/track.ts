/** Start and stop versioning a table. */
import type { Db, Queryable } from '../db/db.js';
import { qualified } from '../db/quote.js';
import { sql } from '../db/sql.js';
import { ConflictError, VsgError } from '../errors.js';
import { dropCheckpoints } from '../core/checkpoint.js';
import { recordShape } from '../core/dropped.js';
import { changedRows } from '../core/commits.js';
import { createCommit } from '../core/create-commit.js';
import { tidyPending } from '../core/pending.js';
import { columns, displayName, resolveRelation, resolveTable, tableById, type TrackedTable } from '../core/tables.js';
import { dropCaptureFunction, dropCaptureTriggers, lockTable } from '../core/sql/ddl.js';
import { snapshotIntoPending as snapshotSql } from '../core/sql/rows.js';
import type { CommitInfo } from '../core/types.js';

export interface TrackResult {
  table: TrackedTable;
  root: CommitInfo;
}

/**
 * Track a table: capture triggers, a root commit holding its current rows,
 * and branch 'main'. The table is locked against writers meanwhile, so the
 * root and the triggers see the same state.
 */
export async function track(db: Db, name: string, opts: { author: string; message?: string }): Promise<TrackResult> {
  const result = await db.transaction(async (tx) => {
    const oid = await resolveRelation(tx, name);
    if (oid === null) throw new VsgError('E_NO_TABLE', `table '${name}' does not exist`, { hint: 'create it first' });
    const { rows } = await tx.query<{ nspname: string; relname: string; relkind: string }>(sql('track/relation'), [oid]);
    const rel = rows[0];
    if (rel.relkind !== 'r' && rel.relkind !== 'p') {
      throw new VsgError('E_NOT_A_TABLE', `'${name}' is not a table`, { hint: 'only ordinary and partitioned tables can be tracked' });
    }
    if (rel.nspname === 'vsg') throw new VsgError('E_NOT_A_TABLE', `'${name}' belongs to vsg itself`);
    const display = displayName(rel.nspname, rel.relname);
    const pk = await tx.query<{ name: string }>(sql('tables/primary_key'), [oid]);
    if (pk.rows.length === 0) {
      throw new VsgError('E_NO_PRIMARY_KEY', `table '${display}' has no primary key`, {
        hint: `add one (ALTER TABLE ${display} ADD PRIMARY KEY (...)); vsg identifies rows by it`,
      });
    }
    const qname = qualified(rel.nspname, rel.relname);
    await tx.query(lockTable(qname, 'SHARE ROW EXCLUSIVE'));
    const inserted = await tx.query<{ id: string }>(sql('track/insert_tracked'), [oid, rel.nspname, rel.relname, pk.rows.map((r) => r.name)]);
    if (!inserted.rows[0]) throw new ConflictError('E_ALREADY_TRACKED', `table '${display}' is already tracked`, { hint: 'tables() lists tracked tables' });
    const id = Number(inserted.rows[0].id);
    await recordShape(tx, id);
    await tx.query(sql('track/install_capture'), [id]);
    await snapshotIntoPending(tx, id, oid, qname, pk.rows.map((r) => r.name));
    const table = await tableById(tx, id);
    const root = await createCommit(tx, table, {
      kind: 'ROOT',
      takeAll: true,
      author: opts.author,
      message: opts.message ?? `track ${display}`,
      allowEmpty: true,
    });
    await tx.query(sql('track/create_main'), [id, root.id]);
    // (its one commit so far: the root)
    return { table: { ...(await tableById(tx, id)), commits: 1 }, root };
  });
  // The root passed through vsg.pending: one dead tuple per row. The embedded
  // database has no autovacuum, and until a vacuum every status scans them.
  await tidyPending(db, changedRows(result.root));
  return result;
}

/** Every current row as an insert, ready for the root commit to take. */
async function snapshotIntoPending(tx: Queryable, id: number, relid: string, qname: string, keyColumns: string[]): Promise<void> {
  const names = (await columns(tx, relid)).map((c) => c.name);
  await tx.query(snapshotSql({ qname, keyColumns }, names), [id]);
}

export interface UntrackResult {
  table: string;
  commits: number;
}

/** Stop versioning a table: drop its triggers and delete its history. */
export async function untrack(db: Db, name: string, opts: { force?: boolean }): Promise<UntrackResult> {
  const target = await resolveTable(db, name);
  return db.transaction(async (tx) => {
    const table = await tableById(tx, target.id);
    const { rows: counted } = await tx.query<{ n: string }>(sql('track/count_commits'), [table.id]);
    const commits = Number(counted[0].n);
    if (commits > 1 && !opts.force) {
      throw new VsgError('E_HAS_HISTORY', `'${table.display}' has ${commits} commits; untracking deletes them`, {
        hint: 'untrack with force to delete its history', data: { table: name },
      });
    }
    if (!table.gone) await tx.query(dropCaptureTriggers(table.qname));
    // (the name vsg.capture_function gives it)
    await tx.query(dropCaptureFunction(table.id));
    await tx.query(sql('pending/discard_table'), [table.id]);
    await tx.query(sql('track/delete_refs'), [table.id]);
    await tx.query(sql('track/delete_changes'), [table.id]);
    await dropCheckpoints(tx, table.id);
    await tx.query(sql('track/unlink_commits'), [table.id]);
    await tx.query(sql('track/delete_commits'), [table.id]);
    await tx.query(sql('track/delete_tracked'), [table.id]);
    return { table: table.display, commits };
  });
}

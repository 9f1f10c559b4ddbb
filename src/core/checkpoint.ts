/**
 * Checkpoints: a native copy of a table's rows as of a commit, which a
 * checkout of a distant state reloads from (reload.ts; the design is in
 * docs/storage.md, version 11). Taken after a commit that changed at
 * least half of the table, and dropped with the table's history.
 */
import type { Queryable } from '../db/db.js';
import { isDistributed, readName } from './citus.js';
import { signature } from './signature.js';
import { createCheckpoint, dropCheckpoint } from './sql/ddl.js';
import type { TrackedTable } from './tables.js';
import type { CommitInfo } from './types.js';
import { sql } from '../db/sql.js';

/** A commit that changes at least this many rows, and at least half of the table's, takes a checkpoint ... */
const CHECKPOINT_MIN_ROWS = 1_000;
/** ... and each table keeps its newest few. */
const CHECKPOINTS_KEPT = 3;

/**
 * After a commit that changed at least half of the table (and the root
 * commit, which holds all of it), copy the table as a checkpoint of that
 * commit, unless other uncommitted changes make the live rows differ from it.
 * The newest CHECKPOINTS_KEPT per table are kept.
 */
export async function maybeCheckpoint(tx: Queryable, table: TrackedTable, commit: CommitInfo): Promise<void> {
  const changed = (commit.inserted ?? 0) + (commit.updated ?? 0) + (commit.deleted ?? 0);
  if (changed < CHECKPOINT_MIN_ROWS) return;
  // (a Citus distributed table is never reloaded: write-back-many.ts, reload.ts)
  if (await isDistributed(tx, table)) return;
  const { rows } = await tx.query<{ may: boolean | string; size: string }>(sql('checkpoint/eligibility'), [table.relid, table.id]);
  if (!(rows[0].may === true || rows[0].may === 't') || changed * 2 < Number(rows[0].size)) return;
  const relname = `checkpoint_${commit.id.slice(0, 20)}`;
  // One statement, one snapshot: a writer's rows and its pending rows show together or not at all.
  const made = await tx.query(createCheckpoint(relname, await readName(tx, table)), [table.id]);
  if (made.rowCount === 0) {
    await tx.query(dropCheckpoint(relname, false));
    return;
  }
  await tx.query(sql('checkpoint/record'), [
    commit.id,
    table.id,
    relname,
    made.rowCount,
    JSON.stringify(await signature(tx, table.relid)),
  ]);
  const { rows: old } = await tx.query<{ relname: string }>(sql('checkpoint/prune'), [table.id, CHECKPOINTS_KEPT]);
  for (const r of old) await tx.query(dropCheckpoint(r.relname));
}

/** Drop every checkpoint of a table (untrack). */
export async function dropCheckpoints(tx: Queryable, tableId: number): Promise<void> {
  const { rows } = await tx.query<{ relname: string }>(sql('checkpoint/forget_table'), [tableId]);
  for (const r of rows) await tx.query(dropCheckpoint(r.relname));
}

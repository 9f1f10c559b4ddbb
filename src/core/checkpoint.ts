/**
 * Checkpoints: a native copy of a table's rows as of a commit, which a
 * checkout of a distant state reloads from (reload.ts; the design is in
 * docs/storage.md, version 11). Taken after a commit that changed at
 * least half of the table, and dropped with the table's history.
 */
import { randomBytes } from 'node:crypto';
import { sqlTrue as yes, type Queryable } from '../db/db.js';
import { isDistributed, readName } from './citus.js';
import { toCommitInfo, type CommitRow } from './commits.js';
import { signature } from './signature.js';
import { copyTable, countUpTo, createCheckpoint, dropCheckpoint } from './sql/ddl.js';
import type { TrackedTable } from './tables.js';
import type { CommitInfo } from './types.js';
import { sql } from '../db/sql.js';

/** A commit that changes at least this many rows, and at least half of the table's, takes a checkpoint ... */
export const CHECKPOINT_MIN_ROWS = 1_000;
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

/**
 * Drop the checkpoints of a table (untrack, forget): the caches; with `root`,
 * the root's too, which is history (untrack --force, deleting the history).
 * Answers how many were dropped.
 */
export async function dropCheckpoints(tx: Queryable, tableId: number, root = false): Promise<number> {
  const { rows } = await tx.query<{ relname: string }>(sql('checkpoint/forget_table'), [tableId, root]);
  for (const r of rows) await tx.query(dropCheckpoint(r.relname));
  return rows.length;
}

/** A chunk as sql/track/root_hashes.sql reads it. */
interface ChunkRow {
  ord: string;
  chunk: string;
  rows: string;
  salt: string;
  hash: string;
  /** the key image of the chunk's first row, as JSON text */
  first_key: string;
  /** and of its last row */
  last_key: string;
}

/** A table of at least this many rows is tracked with a root that is a checkpoint ... */
const PACKED_ROOT_MIN_ROWS = 1_000;

/**
 * The ROOT commit of a table being tracked, its rows kept as a checkpoint
 * hashed by chunks (hash scheme 3, sql/commit/root_packed.sql), or null where
 * its rows stay change rows (scheme 2): fewer than PACKED_ROOT_MIN_ROWS rows,
 * a column of a type of the user's, or no right to create tables in schema
 * vsg (sql/track/root_eligible.sql). The copy is the root's checkpoint: a
 * checkout reloads from it as from any, and it is never dropped as a cache.
 */
export async function packedRoot(tx: Queryable, table: TrackedTable, c: { author: string; message: string }): Promise<CommitInfo | null> {
  const { rows: may } = await tx.query<{ may: boolean | string; aside: boolean | string }>(sql('track/root_eligible'), [table.relid]);
  if (!yes(may[0].may)) return null;
  // (reads at most that many rows: the table is locked against writers, so the copy holds as many)
  const { rows: some } = await tx.query<{ n: string }>(countUpTo(table.qname, PACKED_ROOT_MIN_ROWS));
  if (Number(some[0].n) < PACKED_ROOT_MIN_ROWS) return null;
  const relname = `root_${table.id}`;
  // The chunk salts' seed: drawn here, never stored (as vsg.statement_seed's).
  const seed = randomBytes(32);
  // On a server, the chunks are hashed from the table on a second connection
  // while this one copies it: the table is locked against writers since before
  // either began, so both read the same rows, and the copy is what verify
  // recomputes them from. Where none can be opened, or it fails, they are
  // hashed from the copy.
  const other = tx.aside && yes(may[0].aside) ? await tx.aside().catch(() => null) : null;
  const hashing = other?.query<ChunkRow>(sql('track/root_hashes'), [table.relid, table.keyColumns, seed]).then(
    (r) => JSON.stringify(r.rows),
    () => null,
  );
  let copied: Awaited<ReturnType<Queryable['query']>>;
  let chunks: string | null = null;
  try {
    copied = await tx.query(copyTable(relname, table.qname));
    await tx.query(sql('track/root_index'), [relname, table.keyColumns]);
    chunks = (await hashing) ?? null;
  } finally {
    await other?.close();
  }
  const { rows } = await tx.query<CommitRow>(sql('commit/root_packed'), [table.id, c.author, c.message, relname, chunks, seed]);
  const root = toCommitInfo(rows[0], table.display);
  await tx.query(sql('checkpoint/record_root'), [root.id, table.id, relname, copied.rowCount, JSON.stringify(await signature(tx, table.relid))]);
  return root;
}

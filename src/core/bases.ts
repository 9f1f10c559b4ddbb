/**
 * Bases: the state of one table at one commit, kept row by row (vsg.bases,
 * vsg.base_rows; docs/prune.md). Each row keeps its own salt (vsg.row_salt) and its
 * row hash, computed as an insert of that row would be (vsg.row_hash, hash
 * scheme 2), and the base's hash covers the row hashes in key order, never
 * the values: so a value in a base can be forgotten as a change row's is
 * (salt dropped, row hash kept) and the base still verifies. `vsg prune`
 * keeps one per table at its boundary; a table's root state is the same
 * shape, so this lives in the core, not in prune.
 */
import type { Queryable } from '../db/db.js';
import { sql } from '../db/sql.js';
import { withRowsAt } from './sql/dropped.js';
import type { TrackedTable } from './tables.js';

export interface Base {
  id: number;
  table: string;
  /** the commit whose state it holds */
  commit: string;
  rows: number;
  /** SHA-256 over its rows' hashes (vsg.base_hash) */
  hash: string;
}

/**
 * Keep the state of `table` at `commit` as a base, in the caller's
 * transaction. Reads that state as vsg.as_of does (the live table and the
 * changes between HEAD and the commit): the commit's history must still be
 * there, and the table must have no uncommitted changes. An untracked
 * history's state is read from its history alone (its base, if pruned
 * before, and the changes since).
 */
export async function makeBase(tx: Queryable, table: TrackedTable, commit: string): Promise<Base> {
  // an untracked history has no live table: its state comes from its history alone
  const { rows: made } = table.untrackedAt !== null
    ? await tx.query<{ id: string }>(withRowsAt('base/make_history'), [table.id, commit])
    : await tx.query<{ id: string }>(sql('base/make'), [table.id, table.qname, commit, table.keyColumns]);
  const id = Number(made[0].id);
  const { rows } = await tx.query<{ rows: string; hash: string }>(sql('base/seal'), [id]);
  return { id, table: table.display, commit, rows: Number(rows[0].rows), hash: rows[0].hash };
}

/** The bases of these tables, oldest first. */
export async function listBases(db: Queryable, tableIds: number[], names: (id: number) => string): Promise<Base[]> {
  const { rows } = await db.query<Record<'id' | 'table_id' | 'commit_id' | 'rows' | 'hash', string>>(sql('base/list'), [tableIds]);
  return rows.map((r) => ({ id: Number(r.id), table: names(Number(r.table_id)), commit: r.commit_id, rows: Number(r.rows), hash: r.hash }));
}

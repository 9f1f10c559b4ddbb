/** PRUNE entries (vsg prune, docs/prune.md) as log and the library read them. */
import type { Queryable } from '../db/db.js';
import { sql } from '../db/sql.js';
import { toForgetEntry, type ForgetEntry, type ForgetRow } from './forgets.js';
import { listTables } from './tables.js';

/** The PRUNE entry, as recorded. */
export interface PruneEntry {
  seq: number;
  id: string;
  author: string;
  message: string;
  /** ISO 8601, UTC */
  at: string;
  /** the point, resolved: a commit id, or "time <ISO 8601>" */
  point: string;
  /** commits pruned */
  commits: number;
  /** the bases kept, one per table pruned: the state at its boundary (the oldest commit kept) */
  bases: { table: string; commit: string; rows: number; hash: string }[];
}

/** A row of sql/prune/list.sql (or of sql/history/entries.sql's prunes). */
export type PruneRow = Record<'seq' | 'id' | 'author' | 'message' | 'at' | 'point' | 'commits' | 'bases', string>;

/** The PRUNE entries, oldest first, each base named by its table. */
export async function pruneEntries(db: Queryable): Promise<PruneEntry[]> {
  const { rows } = await db.query<PruneRow>(sql('prune/list'));
  return toPruneEntries(db, rows);
}

/** PRUNE entries from their rows; `names` names the tables known already (the others cost one statement, when there are any). */
export async function toPruneEntries(db: Queryable, rows: PruneRow[], names: Map<number, string> = new Map()): Promise<PruneEntry[]> {
  if (rows.length === 0) return [];
  const parsed = rows.map((r) => ({ r, bases: JSON.parse(r.bases) as { table_id: number; commit: string; rows: number; hash: string }[] }));
  if (parsed.some((p) => p.bases.some((b) => !names.has(b.table_id)))) {
    names = new Map([...names, ...(await listTables(db, false, true)).map((t): [number, string] => [t.id, t.display])]);
  }
  return parsed.map(({ r, bases }) => ({
    seq: Number(r.seq), id: r.id, author: r.author, message: r.message, at: r.at, point: r.point, commits: Number(r.commits),
    bases: bases.map((b) => ({ table: names.get(b.table_id) ?? `#${b.table_id}`, commit: b.commit, rows: b.rows, hash: b.hash })),
  }));
}

/** What log shows beside its commits, read in one statement: the FORGET entries of the tables in `scope` (id → name) and every PRUNE entry. */
export async function logEntries(db: Queryable, scope: Map<number, string>): Promise<{ forgets: ForgetEntry[]; prunes: PruneEntry[] }> {
  const { rows } = await db.query<{ forgets: string | null; prunes: string | null }>(sql('history/entries'), [[...scope.keys()]]);
  const forgets = rows[0].forgets === null ? [] : (JSON.parse(rows[0].forgets) as ForgetRow[]).map((r) => toForgetEntry(r, (id) => scope.get(id) ?? `#${id}`));
  const prunes = rows[0].prunes === null ? [] : await toPruneEntries(db, JSON.parse(rows[0].prunes) as PruneRow[], scope);
  return { forgets, prunes };
}

/** PRUNE entries (vsg prune, docs/prune.md) as log and the library read them. */
import type { Queryable } from '../db/db.js';
import { sql } from '../db/sql.js';
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

type PruneRow = Record<'seq' | 'id' | 'author' | 'message' | 'at' | 'point' | 'commits' | 'bases', string>;

/** The PRUNE entries, oldest first, each base named by its table. */
export async function pruneEntries(db: Queryable): Promise<PruneEntry[]> {
  const { rows } = await db.query<PruneRow>(sql('prune/list'));
  if (rows.length === 0) return [];
  const names = new Map((await listTables(db, false, true)).map((t) => [t.id, t.display]));
  return rows.map((r) => ({
    seq: Number(r.seq), id: r.id, author: r.author, message: r.message, at: r.at, point: r.point, commits: Number(r.commits),
    bases: (JSON.parse(r.bases) as { table_id: number; commit: string; rows: number; hash: string }[]).map((b) => ({
      table: names.get(b.table_id) ?? `#${b.table_id}`, commit: b.commit, rows: b.rows, hash: b.hash,
    })),
  }));
}

/**
 * Merge bases over the whole commit graph (first and merge parents),
 * ancestry questions (is one commit reachable from others), and the common
 * ancestor on the first-parent chains.
 */
import type { Queryable } from '../db/db.js';
import { sql } from '../db/sql.js';
import { VsgError } from '../errors.js';

/**
 * The best common ancestors of two commits: common ancestors that are not
 * ancestors of another common ancestor. One for an ordinary history, several
 * after criss-cross merges, none for unrelated commits. Newest first.
 */
export async function mergeBases(db: Queryable, a: string, b: string): Promise<string[]> {
  if (a === b) return [a];
  const { rows } = await db.query<{ id: string }>(sql('merge/bases'), [a, b]);
  return rows.map((r) => r.id);
}

/** Whether `commit` is one of `from` or an ancestor of one of them. */
export async function isReachable(db: Queryable, commit: string, from: string[]): Promise<boolean> {
  if (from.includes(commit)) return true;
  if (from.length === 0) return false;
  const { rows } = await db.query<{ reachable: string }>(sql('merge/reachable'), [commit, from]);
  return rows[0]?.reachable === 't' || rows[0]?.reachable === 'true';
}

/** Whether `a` is an ancestor of (or equal to) `b`. */
export function isAncestor(db: Queryable, a: string, b: string): Promise<boolean> {
  return isReachable(db, a, [b]);
}

/**
 * The nearest commit on both first-parent chains, and its depth: where the
 * state paths between two commits meet (diff, write-back and export walk
 * the change sets from each side down to it).
 */
export async function commonAncestor(db: Queryable, a: string, b: string): Promise<{ id: string; depth: number }> {
  const { rows } = await db.query<{ id: string; depth: string }>(sql('history/lca'), [a, b]);
  if (!rows[0]) throw new VsgError('E_UNRELATED', 'the two commits share no history');
  return { id: rows[0].id, depth: Number(rows[0].depth) };
}

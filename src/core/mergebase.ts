/**
 * Merge bases over the whole commit graph (first and merge parents), and
 * ancestry questions: is one commit reachable from others.
 */
import type { Queryable } from '../db/db.js';
import { sql } from '../db/sql.js';

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

/** Reading commits by id, shared by every operation that returns commits; and what a commit changed. */
import type { Queryable } from '../db/db.js';
import { sql } from '../db/sql.js';
import { VsgError } from '../errors.js';
import { shortId } from './refs.js';
import { displayName } from './tables.js';
import type { CommitInfo } from './types.js';

/** Commits by id, newest first, with their table's display name and refs: one statement. */
export async function getCommits(db: Queryable, ids: string[]): Promise<CommitInfo[]> {
  if (ids.length === 0) return [];
  const { rows } = await db.query<CommitRow & { span: string | null; pruned: boolean | string }>(sql('history/commits'), [ids]);
  return rows.map((r) => {
    const c: CommitInfo = toCommitInfo(r, r.schema_name === null || r.table_name === null ? `#${r.table_id}` : displayName(r.schema_name, r.table_name));
    if (r.span) c.span = r.span;
    if (r.pruned === true || r.pruned === 't') c.pruned = true;
    return c;
  });
}

/** A commit as sql/history/commits.sql (or a statement that made one) returns it. */
export type CommitRow = Record<
  | 'id' | 'table_id' | 'parent' | 'merge_parent' | 'kind' | 'operation' | 'author' | 'message' | 'committed_at' | 'statement' | 'meta'
  | 'inserted' | 'updated' | 'deleted' | 'source' | 'change_hash' | 'refs' | 'schema_name' | 'table_name',
  string | null
>;

/** A commit's row as CommitInfo, its table named `table`. */
export function toCommitInfo(r: Omit<CommitRow, 'schema_name' | 'table_name'>, table: string): CommitInfo {
  return {
    id: String(r.id),
    shortId: shortId(String(r.id)),
    table,
    tableId: Number(r.table_id),
    parents: [r.parent, r.merge_parent].filter((p): p is string => p !== null),
    kind: String(r.kind),
    operation: String(r.operation),
    author: String(r.author),
    message: String(r.message),
    committedAt: String(r.committed_at),
    statement: r.statement,
    meta: r.meta === null ? null : (JSON.parse(r.meta) as Record<string, unknown>),
    inserted: count(r.inserted),
    updated: count(r.updated),
    deleted: count(r.deleted),
    source: r.source,
    changeHash: String(r.change_hash),
    refs: JSON.parse(String(r.refs)) as CommitInfo['refs'],
  };
}

const count = (v: string | null): number | null => (v === null ? null : Number(v));

/** One commit by full id. */
export async function getCommit(db: Queryable, id: string): Promise<CommitInfo> {
  const [c] = await getCommits(db, [id]);
  if (!c) throw new VsgError('E_UNKNOWN_REF', `commit '${id}' does not exist`);
  return c;
}

/** The rows a commit changed (0 for a state commit, which wrote no change rows). */
export const changedRows = (c: CommitInfo | null | undefined): number => (c ? (c.inserted ?? 0) + (c.updated ?? 0) + (c.deleted ?? 0) : 0);

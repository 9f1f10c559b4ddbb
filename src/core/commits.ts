/** Reading commits by id, shared by every operation that returns commits; and what a commit changed. */
import type { Queryable } from '../db/db.js';
import { sql } from '../db/sql.js';
import { VsgError } from '../errors.js';
import { shortId } from './refs.js';
import { displayName } from './tables.js';
import type { CommitInfo } from './types.js';

/** Commits by id, newest first, with their table's display name and refs. */
export async function getCommits(db: Queryable, ids: string[]): Promise<CommitInfo[]> {
  if (ids.length === 0) return [];
  const { rows } = await db.query<Record<string, string | null>>(sql('history/commits'), [ids]);
  const names = await tableNames(db);
  return rows.map((r) => ({
    id: String(r.id),
    shortId: shortId(String(r.id)),
    table: names.get(Number(r.table_id)) ?? `#${r.table_id}`,
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
  }));
}

const count = (v: string | null): number | null => (v === null ? null : Number(v));

/** One commit by full id. */
export async function getCommit(db: Queryable, id: string): Promise<CommitInfo> {
  const [c] = await getCommits(db, [id]);
  if (!c) throw new VsgError('E_UNKNOWN_REF', `commit '${id}' does not exist`);
  return c;
}

async function tableNames(db: Queryable): Promise<Map<number, string>> {
  const { rows } = await db.query<{ id: string; schema_name: string | null; table_name: string | null; s: string; t: string }>(
    `SELECT t.id::text, n.nspname AS schema_name, c.relname AS table_name, t.schema_name AS s, t.table_name AS t
     FROM vsg.tracked t LEFT JOIN pg_catalog.pg_class c ON c.oid = t.relid
     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace`,
  );
  return new Map(rows.map((r) => [Number(r.id), displayName(r.schema_name ?? r.s, r.table_name ?? r.t)]));
}

/** The rows a commit changed (0 for a state commit, which wrote no change rows). */
export const changedRows = (c: CommitInfo | null | undefined): number => (c ? (c.inserted ?? 0) + (c.updated ?? 0) + (c.deleted ?? 0) : 0);

/** Log and show: reading the commit graph. */
import type { Queryable } from '../db/db.js';
import { sql } from '../db/sql.js';
import { VsgError } from '../errors.js';
import { getCommit, getCommits } from './commits.js';
import { compareKeys, parseChanges } from './rows.js';
import { isHeadRef, resolveRef } from './refs.js';
import { schemaChangeOf } from './schema.js';
import { columns, listTables, resolveTable, tableById } from './tables.js';
import type { CommitInfo, RowChange } from './types.js';

export interface LogOptions {
  table?: string;
  /** start from this commit instead of HEAD */
  from?: string;
  limit?: number;
  author?: string;
  since?: string;
  until?: string;
}

export interface LogResult {
  commits: CommitInfo[];
  /** per table, the branch its live table follows and that branch's commit */
  heads: { table: string; branch: string; commit: string | null }[];
}

/** Commits reachable from HEAD (of one table or every tracked table), newest first. */
export async function log(db: Queryable, opts: LogOptions = {}): Promise<LogResult> {
  const tables = opts.table !== undefined ? [await resolveTable(db, opts.table)] : await listTables(db);
  const starts: string[] = [];
  if (opts.from !== undefined) {
    const at = await resolveRef(db, opts.from, tables.length === 1 ? tables[0] : undefined);
    starts.push(at.id);
  } else {
    for (const t of tables) if (t.headCommit) starts.push(t.headCommit);
  }
  const limit = opts.limit ?? 1_000_000_000;
  const params = [starts, limit, opts.author ?? null, checkDate(opts.since, '--since'), checkDate(opts.until, '--until')];
  let ids: string[] = [];
  if (starts.length) {
    const merges = await db.query('SELECT 1 FROM vsg.commits WHERE table_id = ANY($1::int[]) AND merge_parent IS NOT NULL LIMIT 1', [
      tables.map((t) => t.id),
    ]);
    const linear = starts.length === 1 && merges.rowCount === 0;
    const { rows } = await db.query<{ id: string }>(sql(linear ? 'history/log_linear' : 'history/log'), linear ? [starts[0], ...params.slice(1)] : params);
    ids = rows.map((r) => r.id);
  }
  return {
    commits: await getCommits(db, ids),
    heads: tables.map((t) => ({ table: t.display, branch: t.head, commit: t.headCommit })),
  };
}

function checkDate(value: string | undefined, flag: string): string | null {
  if (value === undefined) return null;
  const rel = /^(\d+)\s*(minute|hour|day|week|month|year)s?(\s+ago)?$/i.exec(value.trim());
  if (rel) return new Date(Date.now() - Number(rel[1]) * unitMs(rel[2].toLowerCase())).toISOString();
  if (Number.isNaN(Date.parse(value))) {
    throw new VsgError('E_BAD_DATE', `${flag} '${value}' is not a date`, { exitCode: 2, hint: "use a date like 2026-01-31 or '2 days ago'" });
  }
  return value;
}

function unitMs(unit: string): number {
  const day = 86_400_000;
  return ({ minute: 60_000, hour: 3_600_000, day, week: 7 * day, month: 30 * day, year: 365 * day } as Record<string, number>)[unit];
}

export interface ShowResult {
  commit: CommitInfo;
  keyColumns: string[];
  /** the table's columns now, in order (images of old commits may differ) */
  columns: string[];
  /** for a SCHEMA commit, what it changed in the table's columns */
  schema: string[] | null;
  changes: RowChange[];
}

/** One commit with its row changes. */
export async function show(db: Queryable, ref: string, opts: { table?: string } = {}): Promise<ShowResult> {
  const table = opts.table !== undefined || isHeadRef(ref) ? await resolveTable(db, opts.table) : undefined;
  const at = await resolveRef(db, ref, table);
  const commit = await getCommit(db, at.id);
  const t = table ?? (await tableById(db, at.tableId));
  const { rows } = await db.query<{ key: string; old: string | null; new: string | null }>(
    'SELECT key::text, before::text AS old, after::text AS new FROM vsg.changes WHERE commit_id = $1',
    [at.id],
  );
  const cols = (await columns(db, t.relid)).map((c) => c.name);
  const schema = await schemaChangeOf(db, at.id);
  return { commit, keyColumns: t.keyColumns, columns: cols, schema, changes: parseChanges(rows).sort((a, b) => compareKeys(a.key, b.key, t.keyColumns)) };
}

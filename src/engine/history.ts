/** Log and show: reading the commit graph. */
import type { Queryable } from '../db/db.js';
import { sql } from '../db/sql.js';
import { VsgError } from '../errors.js';
import { getCommit, getCommits } from './commits.js';
import { statOf } from './diff.js';
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
  const filters = [opts.author ?? null, checkDate(opts.since, '--since'), checkDate(opts.until, '--until')];
  return {
    commits: await getCommits(db, starts.length ? await logIds(db, starts, limit, filters) : []),
    heads: tables.map((t) => ({ table: t.display, branch: t.head, commit: t.headCommit })),
  };
}

/**
 * The ids of log: with one head and no merge behind it, follow first parents
 * and stop at `limit` (log_linear). Otherwise walk every parent, but only down
 * to the seq of the table's k-th newest commit below the head (log_bounds):
 * every reachable commit above that bound is found, so when `limit` of them
 * pass the filters they are the newest; else lower the bound and walk again.
 * The cost follows `limit` (and the commits of other branches interleaved
 * with it), not the depth of history.
 */
async function logIds(db: Queryable, starts: string[], limit: number, filters: (string | null)[]): Promise<string[]> {
  // k: how many of the table's newest commits the walk may visit; null: all.
  let k: number | null = limit <= 1_000_000 ? 4 * limit + 64 : null;
  for (let round = 0; ; round++) {
    const { rows: b } = await db.query<{ id: string; merges: boolean | string; lo: string | null }>(sql('history/log_bounds'), [starts, k]);
    if (round === 0 && starts.length === 1 && !b.some((r) => r.merges === true || r.merges === 't')) {
      const { rows } = await db.query<{ id: string }>(sql('history/log_linear'), [starts[0], limit, ...filters]);
      return rows.map((r) => r.id);
    }
    const lo = starts.map((id) => b.find((r) => r.id === id)?.lo ?? null);
    const { rows } = await db.query<{ id: string }>(sql('history/log'), [starts, limit, ...filters, lo]);
    if (rows.length >= limit || lo.every((x) => x === null)) return rows.map((r) => r.id);
    k = (k as number) < 100_000_000 ? (k as number) * 8 : null;
  }
}

function checkDate(value: string | undefined, flag: string): string | null {
  if (value === undefined) return null;
  const rel = /^(\d+)\s*(minute|hour|day|week|month|year)s?(\s+ago)?$/i.exec(value.trim());
  if (rel) return new Date(Date.now() - Number(rel[1]) * unitMs(rel[2].toLowerCase())).toISOString();
  if (Number.isNaN(Date.parse(value))) {
    throw new VsgError('E_BAD_DATE', `${flag} '${value}' is not a date`, { hint: "use a date like 2026-01-31 or '2 days ago'" });
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
    // A state commit's change set is computed: its parent against its source.
    'SELECT key::text, before::text AS old, after::text AS new FROM vsg.commit_changes($1)',
    [at.id],
  );
  const cols = (await columns(db, t.relid)).map((c) => c.name);
  const schema = await schemaChangeOf(db, at.id);
  const changes = parseChanges(rows).sort((a, b) => compareKeys(a.key, b.key, t.keyColumns));
  // A state commit stores no counts; its change, just computed, gives them.
  const stat = statOf(changes);
  const counted = commit.source === null ? commit : { ...commit, inserted: stat.inserted, updated: stat.updated, deleted: stat.deleted };
  return { commit: counted, keyColumns: t.keyColumns, columns: cols, schema, changes };
}


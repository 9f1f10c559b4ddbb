/** Log: the commits reachable from HEAD (or a given commit), newest first, filtered by author and date. */
import type { Queryable } from '../db/db.js';
import { sql } from '../db/sql.js';
import { getCommits } from '../core/commits.js';
import { parseDate } from '../core/dates.js';
import { isHeadRef, resolveRef } from '../core/refs.js';
import { hasAncestry, isNameOfSeveral, repoCommit } from '../core/repo-refs.js';
import { completeSpans, foldSpans, parentsAsEntries, repoPositions } from '../core/spans.js';
import { listTables, resolveHistory, type TrackedTable } from '../core/tables.js';
import type { CommitInfo } from '../core/types.js';
import { isVsgError, VsgError } from '../errors.js';
import { forgetEntries, type ForgetEntry } from '../core/forgets.js';
import { logEntries, pruneEntries, type PruneEntry } from '../core/prunes.js';

export interface LogOptions {
  table?: string;
  /** start from this commit instead of HEAD */
  from?: string;
  limit?: number;
  author?: string;
  since?: string;
  until?: string;
  /** only commits whose message contains this (case-insensitive), like git log --grep */
  grep?: string;
  /**
   * Paging: the id of the last entry of the page before (a commit, or a
   * commit across tables); only the entries after it are read, the next
   * `limit` of the same log. On a history without merges the next page
   * starts at that commit's parent, so a page costs `limit`, however deep.
   */
  before?: string;
  /** the commits of every branch (of the tables in scope), not only HEAD's, like git log --all */
  all?: boolean;
}

export interface LogResult {
  commits: CommitInfo[];
  /** per table, the branch its live table follows and that branch's commit */
  heads: { table: string; branch: string; commit: string | null }[];
  /**
   * With several tables: the repository's HEAD commit and where each branch
   * and tag stands (`kind:name` → commit: the entry holding the newest commit
   * any table's ref of that name points at), which may not be listed: each
   * decorates that entry alone.
   */
  at?: { head: string; refs: Record<string, string> };
  /**
   * The FORGET entries (vsg forget) of the tables in scope made since the
   * oldest commit listed (all of them when the list reaches the root), oldest first.
   */
  forgets?: ForgetEntry[];
  /**
   * The PRUNE entries (vsg prune), oldest first: the log ends at each table's
   * boundary (its oldest commit kept), and these say what went before it.
   */
  prunes?: PruneEntry[];
}

/**
 * Commits reachable from HEAD (of one table or every tracked table), newest
 * first. The repository's log keeps the past of untracked tables: the
 * histories untracked on a branch the tracked tables follow (on any, when no
 * table is tracked) end in their UNTRACK commits, which it starts from too.
 */
export async function log(db: Queryable, opts: LogOptions = {}): Promise<LogResult> {
  const scope = new Map<number, string>();
  const { entries: any, ...r } = await logCommits(db, opts, scope);
  const entries = any === false ? { forgets: [], prunes: [] } : await logEntries(db, scope);
  let forgets = entries.forgets;
  // entries older than the oldest commit listed belong to a longer log (a limit, --since), unless the list reaches the root
  const last = r.commits[r.commits.length - 1];
  if (last && last.parents.length > 0) forgets = forgets.filter((f) => f.at >= last.committedAt);
  if (opts.author !== undefined) forgets = forgets.filter((f) => f.author === opts.author);
  return { ...r, forgets, prunes: entries.prunes };
}


/**
 * Where the log of several tables starts for a named commit: HEAD, and a
 * branch or tag that the tables hold at different commits, each table's own
 * (as the log without one starts at each table's HEAD); `~N` and `^` every
 * table as it stood at that commit of the repository (counted back across
 * tables); a commit id that commit (a commit across tables: every part).
 */
async function startsAcross(db: Queryable, from: string): Promise<string[]> {
  if (!hasAncestry(from) && !isHeadRef(from)) {
    const at = await resolveRef(db, from).catch((e: unknown) => {
      if (isNameOfSeveral(e)) return null;
      throw e;
    });
    if (at) return at.span?.parts ?? [at.id];
  }
  return [...new Set((await repoCommit(db, from)).states.values())];
}

/**
 * Where the log starts for a named commit when one table is tracked and none
 * was named: a reference of that table, else one of another history (a
 * commit of an untracked table, by id), read as with several tables.
 */
async function startsOfOne(db: Queryable, from: string, table: TrackedTable): Promise<string[]> {
  const own = await resolveRef(db, from, table).catch((e: unknown) => {
    if (isVsgError(e) && e.code === 'E_UNKNOWN_REF') return null;
    throw e;
  });
  return own ? [own.id] : startsAcross(db, from);
}

/** The commits of log; `entries` false when the walk found there are no FORGET or PRUNE entries to read (undefined: not known). */
async function logCommits(db: Queryable, opts: LogOptions, scope: Map<number, string>): Promise<Omit<LogResult, 'forgets' | 'prunes'> & { entries?: boolean }> {
  const all = opts.table !== undefined ? [await resolveHistory(db, opts.table)] : await listTables(db, false, true);
  for (const t of all) scope.set(t.id, t.display);
  const tables = all.filter((t) => opts.table !== undefined || t.untrackedAt === null);
  const starts: string[] = [];
  if (opts.from !== undefined) {
    if (tables.length > 1) starts.push(...(await startsAcross(db, opts.from)));
    else if (tables.length === 1 && opts.table === undefined && !isHeadRef(opts.from)) starts.push(...(await startsOfOne(db, opts.from, tables[0])));
    else starts.push((await resolveRef(db, opts.from, tables.length === 1 ? tables[0] : undefined)).id);
  } else {
    const branches = new Set(tables.map((t) => t.head));
    for (const t of all) if (t.headCommit && (t.untrackedAt === null || opts.table !== undefined || !tables.length || branches.has(t.head))) starts.push(t.headCommit);
  }
  if (opts.all && tables.length) {
    const { rows: tips } = await db.query<{ commit_id: string }>(sql('history/branch_tips'), [tables.map((t) => t.id)]);
    for (const r of tips) if (!starts.includes(r.commit_id)) starts.push(r.commit_id);
  }
  const limit = opts.limit ?? 1_000_000_000;
  const filters = [opts.author ?? null, parseDate(opts.since, '--since'), parseDate(opts.until, '--until')];
  const grep = opts.grep || null;
  const heads = tables.map((t) => ({ table: t.display, branch: t.head, commit: t.headCommit }));
  // Several tables: where HEAD and each ref stand (one statement). The log may not list
  // that entry (a filter, another start, or a ref whose newest part is on a branch the
  // log does not walk), and an older part of the same ref, listed, would take its label.
  const head = tables.length > 1 ? { at: await repoPositions(db) } : {};
  let bound: string | null = null;
  if (opts.before !== undefined) {
    const { rows: c } = await db.query<{ seq: string; parent: string | null }>(sql('history/log_cursor'), [opts.before, tables.length === 1 ? tables[0].id : null]);
    if (!c.length) throw new VsgError('E_UNKNOWN_REF', `no commit '${opts.before}' to read the log after`, { hint: 'before takes the id of a commit the log listed' });
    bound = c[0].seq;
    if (tables.length === 1 && starts.length === 1) {
      const { rows: b } = await db.query<{ merges: boolean }>(sql('history/log_bounds'), [starts, null]);
      // no merge behind HEAD: the rest of the log is the cursor's first-parent line
      if (!b[0]?.merges) {
        starts.splice(0, 1, ...(c[0].parent === null ? [] : [c[0].parent]));
        bound = null;
      }
    }
  }
  const inScope = [...scope.keys()];
  if (tables.length === 1 && starts.length <= 1) {
    const found = starts.length ? await logIds(db, starts, limit, filters, bound, grep, inScope) : { ids: [] };
    const commits = await getCommits(db, found.ids);
    // The log of the repository lists a commit across tables by its own id, though one of its
    // tables is left (the others untracked with their history deleted: untrack --force).
    if (opts.table === undefined && commits.some((c) => c.span)) return { commits: await parentsAsEntries(db, await completeSpans(db, foldSpans(commits))), heads, entries: found.entries };
    return { commits, heads, entries: found.entries };
  }
  // Several tables: a commit across tables is one entry, however many parts
  // it has; read more parts until `limit` entries are found or history ends.
  for (let want = limit; ; want = Math.min(want * 2, 1_000_000_000)) {
    const { ids, entries } = starts.length ? await logIds(db, starts, want, filters, bound, grep, inScope) : { ids: [], entries: undefined };
    const commits = foldSpans(await getCommits(db, ids));
    if (commits.length >= limit || ids.length < want || want >= 1_000_000_000) return { commits: await parentsAsEntries(db, await completeSpans(db, commits.slice(0, limit))), heads, ...head, entries };
  }
}

/**
 * The ids of log (and whether there are FORGET or PRUNE entries to read, from
 * its first statement): with one head and no merge behind it, follow first parents
 * and stop at `limit` (log_start, which answers that case in its one statement). Otherwise walk every parent, but only down
 * to the seq of the table's k-th newest commit below the head (log_bounds):
 * every reachable commit above that bound is found, so when `limit` of them
 * pass the filters they are the newest; else lower the bound and walk again.
 * The cost follows `limit` (and the commits of other branches interleaved
 * with it), not the depth of history.
 */
async function logIds(
  db: Queryable, starts: string[], limit: number, filters: (string | null)[], bound: string | null, grep: string | null, scope: number[],
): Promise<{ ids: string[]; entries?: boolean }> {
  // k: how many of the table's newest commits the walk may visit; null: all.
  let k: number | null = limit <= 1_000_000 ? 4 * limit + 64 : null;
  let entries: boolean | undefined;
  type Step = { id: string; lo: string | null; linear: string | null; entries?: boolean | string };
  for (let round = 0; ; round++) {
    const { rows: b } =
      round === 0
        ? await db.query<Step>(sql('history/log_start'), [starts, k, limit, ...filters, grep, scope])
        : await db.query<Step>(sql('history/log_bounds'), [starts, k]);
    if (round === 0 && b.length) entries = b[0].entries === true || b[0].entries === 't';
    if (b.length === 1 && b[0].linear !== null && bound === null) return { ids: JSON.parse(b[0].linear) as string[], entries };
    const lo = starts.map((id) => b.find((r) => r.id === id)?.lo ?? null);
    const { rows } = await db.query<{ id: string }>(sql('history/log'), [starts, limit, ...filters, lo, bound, grep]);
    if (rows.length >= limit || lo.every((x) => x === null)) return { ids: rows.map((r) => r.id), entries };
    k = (k as number) < 100_000_000 ? (k as number) * 8 : null;
  }
}


/** The FORGET entries of one table (or every table), oldest first. */
export async function forgetLog(db: Queryable, opts: { table?: string } = {}): Promise<ForgetEntry[]> {
  const all = opts.table !== undefined ? [await resolveHistory(db, opts.table)] : await listTables(db, false, true);
  return forgetEntries(db, all.map((t) => t.id), (id) => all.find((t) => t.id === id)?.display ?? `#${id}`);
}

/** The PRUNE entries (vsg prune, docs/prune.md), oldest first. */
export function pruneLog(db: Queryable): Promise<PruneEntry[]> {
  return pruneEntries(db);
}

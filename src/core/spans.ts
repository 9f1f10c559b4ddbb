/**
 * Commits across tables: one transaction that changed several tracked tables
 * is one commit, stored as a part per table (a commit of that table, on its
 * branch, as before: every per-table algorithm walks the parts) and named by
 * an id over its parts' ids (sql/functions/span_id.sql, vsg.commit_parts).
 */
import type { Queryable } from '../db/db.js';
import { sql } from '../db/sql.js';
import { getCommits } from './commits.js';
import { VsgError } from '../errors.js';
import { resolveRef, shortId } from './refs.js';
import { hasAncestry, isNameOfSeveral, repoCommit } from './repo-refs.js';
import { listTables } from './tables.js';
import type { CommitInfo } from './types.js';

/** Name `parts` (two or more commits of one table each) as one commit across tables; its id. */
export async function recordSpan(tx: Queryable, parts: readonly CommitInfo[]): Promise<string> {
  const { rows } = await tx.query<{ id: string }>(sql('span/record'), [parts.map((p) => p.id)]);
  return rows[0].id;
}

/** The commit across tables made of `parts` (table order), as CommitInfo. */
export function spanInfo(id: string, parts: readonly CommitInfo[]): CommitInfo {
  const sorted = [...parts].sort((a, b) => a.tableId - b.tableId);
  // a prune's point may cut through the commit: its pruned parts' author and
  // message are blanked, so the header comes from a part that kept them
  const { span: _part, pruned: _gone, ...first } = sorted.find((p) => !p.pruned) ?? sorted[0];
  const sum = (k: 'inserted' | 'updated' | 'deleted') => sorted.reduce<number | null>((n, p) => (p[k] === null ? n : (n ?? 0) + (p[k] as number)), null);
  const ops = new Set(sorted.map((p) => p.operation));
  const refs = new Map(sorted.flatMap((p) => p.refs).map((r) => [`${r.kind}:${r.name}`, r]));
  return {
    ...first,
    id,
    shortId: shortId(id),
    table: sorted.map((p) => p.table).join(', '),
    parents: [...new Set(sorted.flatMap((p) => p.parents))],
    operation: ops.size === 1 ? first.operation : 'MIXED',
    inserted: sum('inserted'),
    updated: sum('updated'),
    deleted: sum('deleted'),
    source: null,
    changeHash: id,
    refs: [...refs.values()],
    parts: sorted,
  };
}

/** For each of `ids` that is a part of a commit across tables: that commit's id and its parts' ids. */
export async function spansOf(db: Queryable, ids: readonly string[]): Promise<Map<string, { span: string; parts: string[] }>> {
  const out = new Map<string, { span: string; parts: string[] }>();
  if (ids.length === 0) return out;
  const { rows } = await db.query<{ asked: string; span: string; part: string }>(sql('span/parts'), [ids]);
  for (const r of rows) {
    const hit = out.get(r.asked) ?? { span: r.span, parts: [] };
    hit.parts.push(r.part);
    out.set(r.asked, hit);
  }
  return out;
}

/** What idsInLog answers: `of`, each commit's id in log; `newest`, that of the newest commit asked; `newestOf`, that of the newest of some of them. */
export interface IdsInLog {
  of: Map<string, string>;
  newest: string | null;
  newestOf(ids: readonly (string | null)[]): string | null;
}

/**
 * For each of `ids` (commits of one table each): the id `vsg log` lists it
 * by, the commit across tables it is a part of or itself; `newest`, that of
 * the newest of them (where tables standing at `ids` stand in the
 * repository, as refs/repo_positions decorates). One statement.
 */
export async function idsInLog(db: Queryable, ids: readonly (string | null)[]): Promise<IdsInLog> {
  const of = new Map<string, string>();
  const seq = new Map<string, bigint>();
  const given = [...new Set(ids.filter((i): i is string => i !== null))];
  if (given.length) {
    const { rows } = await db.query<{ id: string; entry: string; seq: string }>(sql('span/entries'), [given]);
    for (const r of rows) {
      of.set(r.id, r.entry);
      seq.set(r.id, BigInt(r.seq));
    }
  }
  const newestOf = (some: readonly (string | null)[]) => {
    let best: string | null = null;
    for (const id of some) if (id !== null && seq.has(id) && (best === null || seq.get(id)! > seq.get(best)!)) best = id;
    return best === null ? null : of.get(best)!;
  };
  return { of, newest: newestOf(given), newestOf };
}

/** The id log lists for where several tables stand (`repoCommit`, `repoShortId`), added to each table's entry of `out`. */
export async function markRepoCommit<T extends { commit: string }>(db: Queryable, out: Record<string, T>): Promise<Record<string, T & { repoCommit?: string; repoShortId?: string }>> {
  const at = (await idsInLog(db, Object.values(out).map((r) => r.commit))).newest;
  if (at !== null) for (const r of Object.values(out)) Object.assign(r, { repoCommit: at, repoShortId: shortId(at) });
  return out;
}

/** The same for the commits several tables were put to (`repoSource`, `repoSourceShortId`): checkout and restore. */
export async function markRepoSource<T extends { source: { id: string } }>(db: Queryable, out: Record<string, T>): Promise<void> {
  const at = (await idsInLog(db, Object.values(out).map((r) => r.source.id))).newest;
  if (at !== null) for (const r of Object.values(out)) Object.assign(r, { repoSource: at, repoSourceShortId: shortId(at) });
}

/**
 * What a reference names when no table is given: a commit across tables (its
 * id, or one of its parts' ids: a part stands for the whole commit) or a
 * commit of one table. HEAD is the newest of the tables' HEADs.
 */
export async function resolveAcross(db: Queryable, ref: string): Promise<{ span: string | null; parts: string[] }> {
  let id: string;
  if (hasAncestry(ref)) {
    // counted back across tables: the repository's commit
    const at = await repoCommit(db, ref);
    return { span: at.span, parts: at.parts };
  }
  if (ref === 'HEAD' || ref === '@') {
    const heads = (await listTables(db)).map((t) => t.headCommit).filter((h): h is string => h !== null);
    const [newest] = await getCommits(db, heads);
    if (!newest) throw new VsgError('E_UNKNOWN_REF', `'${ref}' has no commit`, { hint: 'track a table first' });
    id = newest.id;
  } else {
    const at = await resolveRef(db, ref).catch(async (e: unknown) => {
      // a branch or tag of several tables: the repository's commit it names (the newest of theirs)
      if (!isNameOfSeveral(e)) throw e;
      const r = await repoCommit(db, ref);
      return { id: r.id, tableId: 0, span: r.span ? { id: r.span, parts: r.parts } : undefined };
    });
    if (at.span) return { span: at.span.id, parts: at.span.parts };
    id = at.id;
  }
  const hit = (await spansOf(db, [id])).get(id);
  return hit ? { span: hit.span, parts: hit.parts } : { span: null, parts: [id] };
}

/**
 * A list of commits (newest first) with the parts of each commit across
 * tables folded into one entry, where its first part was: what log shows when
 * it covers several tables. Parents are read as entries of the list: a
 * part's parent is the commit across tables it belongs to, and an entry that
 * no part of merges has one parent, the entry after it (the commits between
 * it and its tables' previous ones are other tables' commits of the same
 * history, not a branch joined).
 */
export function foldSpans(commits: readonly CommitInfo[]): CommitInfo[] {
  const parts = new Map<string, CommitInfo[]>();
  for (const c of commits) if (c.span) parts.set(c.span, [...(parts.get(c.span) ?? []), c]);
  const out: CommitInfo[] = [];
  for (const c of commits) {
    if (!c.span) out.push(c);
    else if (parts.get(c.span)![0] === c) out.push(spanInfo(c.span, parts.get(c.span)!));
  }
  const entryOf = new Map(commits.map((c) => [c.id, c.span ?? c.id]));
  const at = new Map(out.map((e, i) => [e.id, i]));
  return out.map((e, i) => {
    const merge = (e.parts ?? [e]).some((p) => p.parents.length > 1);
    const parents = [...new Set(e.parents.map((p) => entryOf.get(p) ?? p))].filter((p) => p !== e.id);
    if (merge || parents.length === 0) return { ...e, parents };
    // The commits between an entry and its tables' previous commits are other
    // tables' commits of the same history: the entry follows the next one,
    // unless that one changed a table of the entry too (then it is on another
    // branch: the entry's own part of that table follows another commit).
    const nearest = Math.min(...parents.map((p) => at.get(p) ?? Infinity));
    const mine = new Set((e.parts ?? [e]).map((p) => p.tableId));
    for (let j = i + 1; j < out.length && j <= nearest; j++) {
      if (j === nearest || !(out[j].parts ?? [out[j]]).some((p) => mine.has(p.tableId))) return { ...e, parents: [out[j].id] };
    }
    return { ...e, parents: [parents[0]] };
  });
}

/**
 * Entries of foldSpans whose commits across tables lack parts (cut off by a
 * limit, or on a branch the log did not walk) with every part read: one
 * statement, and one more when parts are missing.
 */
export async function completeSpans(db: Queryable, entries: CommitInfo[]): Promise<CommitInfo[]> {
  const spans = entries.filter((e) => e.parts).map((e) => e.id);
  if (spans.length === 0) return entries;
  const { rows } = await db.query<{ span: string; part: string }>(sql('span/members'), [spans]);
  const have = new Set(entries.flatMap((e) => (e.parts ?? []).map((p) => p.id)));
  const missing = rows.filter((r) => !have.has(r.part)).map((r) => r.part);
  if (missing.length === 0) return entries;
  const extra = await getCommits(db, missing);
  // parents stay as foldSpans read them (entries of the log, not the parts' own parents);
  // a part whose table's history was deleted (untrack --force) is not read
  return entries.map((e) => {
    const more = extra.filter((c) => c.span === e.id);
    return e.parts && more.length ? { ...spanInfo(e.id, [...e.parts, ...more]), parents: e.parents } : e;
  });
}

/**
 * Parents of entries (of a log over several tables, or a commit across tables
 * shown) by the ids log lists: a part's parent that is a part of a commit
 * across tables is named by that commit (a limit cut it off the list, or
 * show reads one commit). One statement, none when every parent is an entry or
 * no entry has parts.
 */
export async function parentsAsEntries(db: Queryable, entries: CommitInfo[]): Promise<CommitInfo[]> {
  const listed = new Set(entries.map((e) => e.id));
  const asked = entries.flatMap((e) => e.parents).filter((p) => !listed.has(p));
  if (asked.length === 0 || !entries.some((e) => e.parts)) return entries;
  const { of } = await idsInLog(db, asked);
  return entries.map((e) => {
    const parents = [...new Set(e.parents.map((p) => of.get(p) ?? p))].filter((p) => p !== e.id);
    return parents.length === e.parents.length && parents.every((p, i) => p === e.parents[i]) ? e : { ...e, parents };
  });
}

/**
 * Where HEAD and each branch and tag stand in the repository: the entry (a
 * commit across tables, or a commit of one table) that a log over several
 * tables decorates with each, though an older commit is shown.
 */
export async function repoPositions(db: Queryable): Promise<{ head: string; refs: Record<string, string> }> {
  const { rows } = await db.query<{ kind: string; name: string; entry: string }>(sql('refs/repo_positions'));
  const refs = rows.filter((r) => r.kind !== 'HEAD');
  return { head: rows.find((r) => r.kind === 'HEAD')?.entry ?? '', refs: Object.fromEntries(refs.map((r) => [`${r.kind}:${r.name}`, r.entry])) };
}

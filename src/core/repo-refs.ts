/**
 * Ancestry across tables: `HEAD~N`, `main~3`, `v1^`, `<merge>^2` named with
 * several tables read together count back the repository's history, one
 * chain of commits across tables (a commit across tables is one step), not
 * each table's own. The answer is that commit and every table's commit at
 * that point (sql/history/walk_back.sql: one statement per step kind).
 */
import type { Queryable } from '../db/db.js';
import { sql } from '../db/sql.js';
import { isVsgError, VsgError } from '../errors.js';
import { hasDate, isHeadRef, refOfEach, resolveRef, stateAt, SUFFIX } from './refs.js';
import { listTables, type TrackedTable } from './tables.js';

/** A commit of the repository and the state of its tables there. */
export interface RepoCommit {
  /** the commit's id: a commit across tables, or a commit of one table */
  id: string;
  /** the commit across tables, or null for a commit of one table */
  span: string | null;
  /** its parts (a commit of one table: itself) */
  parts: string[];
  /** table id → that table's commit at this point (absent: not tracked yet) */
  states: Map<number, string>;
}

/** Whether a reference counts back (`~N`, `^`, `^2`, `@{<date>}`) from its base. */
export function hasAncestry(ref: string): boolean {
  return SUFFIX.test(ref) || hasDate(ref);
}

/** Whether `e` is refs.ts's answer to a branch or tag name that several tables have at different commits. */
export function isNameOfSeveral(e: unknown): boolean {
  if (!(isVsgError(e) && e.code === 'E_AMBIGUOUS_REF')) return false;
  const c = (e.data as { candidates?: { name: string | null }[] } | undefined)?.candidates ?? [];
  return c.length > 0 && c.every((x) => x.name !== null);
}

interface WalkRow {
  entry: string;
  seq: string;
  parts: string;
  merges: string;
  states: string;
}

async function walk(db: Queryable, tips: string[], n: number, bound: string | null): Promise<WalkRow | undefined> {
  const { rows } = await db.query<WalkRow>(sql('history/walk_back'), [tips, n, bound]);
  return rows[0];
}

const bad = (ref: string, why: string) => new VsgError('E_UNKNOWN_REF', `'${ref}' ${why}`, { hint: 'log() lists commit ids' });

/**
 * The repository commit `ref` names: its base (HEAD: every table's HEAD; a
 * name: each table's ref of that name; a commit id: every table as it stood
 * then; with @{<date>}, each of those as it stood at that time) followed by
 * `~N` / `^` (first parents across tables) and `^2` (the merged branch's
 * commit of a merge across tables).
 */
export async function repoCommit(db: Queryable, ref: string): Promise<RepoCommit> {
  const m = SUFFIX.exec(ref);
  const base = m ? ref.slice(0, m.index) : ref;
  const steps = m ? [...m[0].matchAll(/~(\d*)|\^(\d?)/g)] : [];
  const tables = await listTables(db);
  let tips = await baseTips(db, tables, base);
  let n = 0;
  let bound: string | null = null;
  for (const s of steps) {
    if (s[0].startsWith('~')) {
      n += s[1] === '' ? 1 : Number(s[1]);
      continue;
    }
    const which = s[2] === '' ? 1 : Number(s[2]);
    if (which === 0) continue;
    if (which === 1) {
      n += 1;
      continue;
    }
    if (which !== 2) throw bad(ref, 'has no such parent');
    const at = await walk(db, tips, n, bound);
    if (!at) throw bad(ref, 'goes back past the first commit');
    const merges = JSON.parse(at.merges) as { table: number; id: string; seq: string }[];
    if (merges.length === 0) throw bad(ref, 'has no such parent');
    // the merged side: its tables at their merge parents, the others as they stood when the newest of those was made
    const states = new Map(Object.entries(JSON.parse(at.states) as Record<string, string>).map(([k, v]) => [Number(k), v]));
    for (const x of merges) states.set(Number(x.table), x.id);
    tips = [...states.values()];
    bound = merges.reduce((hi, x) => (BigInt(x.seq) > BigInt(hi) ? x.seq : hi), merges[0].seq);
    n = 0;
  }
  const at = await walk(db, tips, n, bound);
  if (!at) throw bad(ref, 'goes back past the first commit');
  const states = new Map(Object.entries(JSON.parse(at.states) as Record<string, string>).map(([k, v]) => [Number(k), v]));
  const parts = JSON.parse(at.parts) as string[];
  const span = parts.length === 1 && parts[0] === at.entry ? null : at.entry;
  return { id: at.entry, span, parts, states };
}

/** Each table's commit that `base` (no suffix) stands for; a table without one is left out. */
async function baseTips(db: Queryable, tables: TrackedTable[], base: string): Promise<string[]> {
  if (base === 'HEAD' || base === '@') {
    const heads = tables.map((t) => t.headCommit).filter((h): h is string => h !== null);
    if (heads.length === 0) throw bad(base, 'has no commit');
    return heads;
  }
  const tips = new Set<string>();
  for (const t of tables) {
    if (t.headCommit === null) continue;
    try {
      tips.add(await stateAt(db, t, base));
    } catch (e) {
      if (!(isVsgError(e) && (e.code === 'E_UNKNOWN_REF' || e.code === 'E_OTHER_TABLE' || e.code === 'E_AMBIGUOUS_REF'))) throw e;
    }
  }
  // The commit the base names itself (every part of it), whatever its tables: a commit of an
  // untracked history has no tracked table to stand for it, and without it the count started
  // from the tracked tables as they stood then, below the commit named.
  if (!isHeadRef(base)) {
    const own = await resolveRef(db, base).catch((e: unknown) => {
      if (isVsgError(e) && (e.code === 'E_UNKNOWN_REF' || e.code === 'E_AMBIGUOUS_REF')) return null;
      throw e;
    });
    for (const id of own ? (own.span?.parts ?? [own.id]) : []) tips.add(id);
  }
  // no table has it: the error a reference to nothing gets (HEAD@{<date>}: every table's history begins later)
  if (tips.size === 0 && isHeadRef(base)) throw bad(base, 'goes back past the first commit');
  if (tips.size === 0) await resolveRef(db, base);
  if (tips.size === 0) throw bad(base, 'is not a commit, branch or tag');
  return [...tips];
}

/**
 * Each of `tables`' commit at the repository commit `ref` names (counting
 * back across tables); for a reference without `~N`/`^`, what `each` gives
 * (refs.ts › refOfEach or stateAt). A table not tracked yet then: null.
 */
export async function statesOf(
  db: Queryable,
  tables: readonly TrackedTable[],
  ref: string,
  each: (t: TrackedTable) => Promise<string | null>,
): Promise<Map<number, string | null>> {
  const out = new Map<number, string | null>();
  if (!hasAncestry(ref)) {
    for (const t of tables) out.set(t.id, await each(t));
    return out;
  }
  const at = await repoCommit(db, ref);
  for (const t of tables) out.set(t.id, at.states.get(t.id) ?? null);
  return out;
}

/** A table with no commit at `ref` (tracked later): the refusal of a command that writes or names it. */
export function notTrackedThen(table: TrackedTable, ref: string): VsgError {
  return new VsgError('E_OTHER_TABLE', `'${table.display}' was not tracked yet at ${ref}`, {
    hint: 'name the tables that were; nothing was changed', data: { table: table.display, ref },
  });
}

/**
 * The commit of each of `tables` that `ref` names for a command writing or
 * naming them together (refs.ts › refOfEach; with `~N`/`^`, counted back
 * across tables). Refused whole when a table has none; `doing` says what.
 */
export async function refsOfEach(tx: Queryable, tables: readonly TrackedTable[], ref: string, doing: string): Promise<Map<number, string>> {
  const out = await statesOf(tx, tables, ref, (t) => refOfEach(tx, t, ref, doing));
  for (const t of tables) if (!out.get(t.id)) throw notTrackedThen(t, ref);
  return out as Map<number, string>;
}

/**
 * Commit references: a full id, a unique prefix of 4+ hex characters, HEAD,
 * a branch or tag name, each optionally followed by @{<date>} (the newest
 * commit of its first-parent chain made by then; `@{<date>}` alone is
 * HEAD's), then by ~N, ^ or ^2.
 */
import { sqlTrue as truthy, type Queryable } from '../db/db.js';
import { sql } from '../db/sql.js';
import { isVsgError, prunedError, VsgError } from '../errors.js';
import { refDate } from './dates.js';
import { isNameOf, resolveTable, type TrackedTable } from './tables.js';

export interface ResolvedRef {
  id: string;
  tableId: number;
  /**
   * Named without a table, a commit across tables: its id and every part's
   * (`id` is then its first part). Within a table it resolves to that
   * table's part alone.
   */
  span?: { id: string; parts: string[] };
}

/** A reference's ancestry suffix: ~N, ^, ^2 (repo-refs.ts reads it too). */
export const SUFFIX = /(~\d*|\^\d?)+$/;
const AT_DATE = /@\{([^{}]*)\}$/;

/** Whether a reference names a commit by date (`<name>@{<date>}`, then any ~N / ^). */
export function hasDate(ref: string): boolean {
  return AT_DATE.test(ref.replace(SUFFIX, ''));
}

/** A reference's base (no ~N, ^) as its name and the date of `name@{date}` (null: none); `@{date}` alone is HEAD's. */
export function splitDate(base: string, ref: string): { name: string; date: string | null } {
  const m = AT_DATE.exec(base);
  if (!m) return { name: base, date: null };
  return { name: base.slice(0, m.index) || 'HEAD', date: refDate(m[1], ref) };
}

/** Short form of a commit id, as log and commit print it. */
export function shortId(id: string): string {
  return id.slice(0, 7);
}

/** Whether a reference starts from HEAD (and so needs a table). */
export function isHeadRef(ref: string): boolean {
  return /^(HEAD|@)([~^{]|@\{|$)/.test(ref);
}

/** Resolve `ref` to one commit; within `table` when given, else across every tracked table. */
export async function resolveRef(db: Queryable, ref: string, table?: TrackedTable): Promise<ResolvedRef> {
  const m = SUFFIX.exec(ref);
  const base = m ? ref.slice(0, m.index) : ref;
  const steps = m ? [...m[0].matchAll(/~(\d*)|\^(\d?)/g)] : [];
  const { name, date } = splitDate(base, ref);
  let { pruned, ...at } = await resolveBase(db, name, ref, table);
  if (date !== null) ({ pruned, ...at } = await madeBy(db, at, date, ref, table));
  for (const s of steps) {
    if (s[0].startsWith('~')) {
      const n = s[1] === '' ? 1 : Number(s[1]);
      const p = await firstParent(db, at.id, n, ref);
      at = { id: p.id, tableId: at.tableId };
      pruned = p.pruned;
    } else {
      const which = s[2] === '' ? 1 : Number(s[2]);
      if (which === 0) continue;
      const { rows } = await db.query<Record<'parent' | 'merge_parent', string | null> & Record<'parent_pruned' | 'merge_pruned', boolean | string | null>>(
        sql('history/parents'),
        [at.id],
      );
      const next = which === 1 ? rows[0]?.parent : which === 2 ? rows[0]?.merge_parent : null;
      if (!next) throw unknown(ref, 'has no such parent');
      at = { id: next, tableId: at.tableId };
      pruned = truthy(which === 1 ? rows[0].parent_pruned : rows[0].merge_pruned);
    }
  }
  // A pruned commit (docs/prune.md) still resolves, so that the answer is "pruned", not "unknown".
  if (pruned) throw prunedError(at.span?.id ?? at.id);
  return at;
}

/**
 * `<name>@{<date>}`: the newest commit made at or before `date` on the
 * first-parent chain of what the name resolved to. Across tables, that
 * commit as resolveBase gives it (with the commit across tables it is a part of).
 */
async function madeBy(db: Queryable, at: ResolvedRef, date: string, ref: string, table?: TrackedTable): Promise<ResolvedRef & { pruned: boolean }> {
  const { rows } = await db.query<{ id: string; pruned: boolean | string }>(sql('history/made_by'), [at.id, date]);
  if (!rows[0]) throw unknown(ref, 'goes back past the first commit');
  if (table) return { id: rows[0].id, tableId: at.tableId, pruned: truthy(rows[0].pruned) };
  return resolveBase(db, rows[0].id, ref);
}

async function firstParent(db: Queryable, id: string, n: number, ref: string): Promise<{ id: string; pruned: boolean }> {
  const { rows } = await db.query<{ id: string; pruned: boolean | string }>(sql('history/first_parent'), [id, n]);
  if (!rows[0]) throw unknown(ref, `goes back past the first commit`);
  return { id: rows[0].id, pruned: truthy(rows[0].pruned) };
}

/**
 * The error for a reference that names a tracked table instead (`vsg log
 * clients`, as `git log <path>` reads): that table, and how to name it. Asked
 * only once the reference names nothing, so a branch or tag of that name wins.
 */
async function tableNamed(db: Queryable, ref: string): Promise<VsgError | null> {
  let table: TrackedTable;
  try {
    table = await resolveTable(db, ref);
  } catch (e) {
    if (isVsgError(e)) return null;
    throw e;
  }
  return namesTable(ref, table.display);
}

function namesTable(ref: string, display: string): VsgError {
  return new VsgError('E_UNKNOWN_REF', `'${ref}' is not a commit, branch or tag, but a tracked table`, {
    hint: 'name a table with the table option',
    data: { ref, table: display },
  });
}

function unknown(ref: string, why = 'is not a commit, branch or tag'): VsgError {
  return new VsgError('E_UNKNOWN_REF', `'${ref}' ${why}`, { hint: 'log() lists commit ids' });
}

async function resolveBase(db: Queryable, base: string, ref: string, table?: TrackedTable): Promise<ResolvedRef & { pruned: boolean }> {
  if (base === 'HEAD' || base === '@') {
    if (!table) throw new VsgError('E_TABLE_REQUIRED', `'${ref}' needs a table; name one with the table option`);
    if (!table.headCommit) throw unknown(ref, `has no commit: branch '${table.head}' does not exist`);
    // a branch never points at a pruned commit (prune refuses to leave one there)
    return { id: table.headCommit, tableId: table.id, pruned: false };
  }
  const hex = /^[0-9a-f]{4,64}$/.test(base);
  const { rows } = await db.query<{ via: string; kind: string | null; name: string | null; id: string; table_id: string; message: string; span: string | null; pruned: boolean | string }>(
    sql('history/find_ref'),
    [base, table?.id ?? null, hex],
  );
  // A branch or tag name wins over an id prefix that happens to look like it, as in git.
  const named = rows.filter((r) => r.via === 'ref');
  const hits = named.length ? named : rows;
  const distinct = new Map(hits.map((r) => [r.span ?? `${r.table_id}:${r.id}`, r]));
  if (distinct.size === 1) {
    const r = [...distinct.values()][0];
    if (r.span === null || table) return { id: r.id, tableId: Number(r.table_id), pruned: truthy(r.pruned) };
    const parts = hits.filter((h) => h.span === r.span);
    return { id: r.id, tableId: Number(r.table_id), span: { id: r.span, parts: parts.map((p) => p.id) }, pruned: parts.some((p) => truthy(p.pruned)) };
  }
  if (distinct.size === 0) {
    // (within a table, its own name only: a miss there is often asked again across tables, which asks the rest)
    const named = table ? (isNameOf(table, ref) ? namesTable(ref, table.display) : null) : await tableNamed(db, ref);
    if (named) throw named;
    if (!hex && /^[0-9a-fA-F]{1,3}$/.test(base)) throw unknown(ref, 'is too short: give at least 4 characters of a commit id');
    throw unknown(ref);
  }
  const candidates = [...distinct.values()].map((r) => ({ id: r.span ?? r.id, message: r.message, name: r.name }));
  throw new VsgError('E_AMBIGUOUS_REF', `'${ref}' is ambiguous: ${candidates.length} candidates`, {
    hint: candidates.map((c) => `${shortId(c.id)}${c.name ? ` (${c.name})` : ''} ${c.message.split('\n')[0]}`).join('; '),
    data: { candidates },
  });
}

/*
 * A reference that must name a commit of one table. The two differ only in
 * how they word the refusal: a start point for a new ref (branch, tag,
 * switch -c), or the commit a write-back goes to (checkout, restore, rollback).
 */

/** Resolve a start point within a table, refusing a commit of another table. */
export async function resolveIn(db: Queryable, table: TrackedTable, ref: string): Promise<string> {
  const at = await resolveRef(db, ref, table);
  if (at.tableId !== table.id) {
    throw new VsgError('E_OTHER_TABLE', `'${ref}' is a commit of another table`, { hint: 'refs point at commits of their own table' });
  }
  return at.id;
}

/** Resolve a reference to a commit of this table (a commit of another table is an error). */
export async function commitOfTable(tx: Queryable, table: TrackedTable, ref: string): Promise<string> {
  const at = await resolveRef(tx, ref, table);
  if (at.tableId !== table.id) {
    throw new VsgError('E_OTHER_TABLE', `'${ref}' (${shortId(at.id)}) is a commit of another table, not '${table.display}'`, {
      hint: `see the log of '${table.display}'`, data: { table: table.display },
    });
  }
  return at.id;
}

/**
 * The commit `ref` names in one of several tables that a command takes
 * together: HEAD (~N, ^), the table's own branch or tag of that name, or
 * the table's state at a commit (stateAt). A
 * table without it refuses the whole command, naming the table; `doing` says
 * what (e.g. 'restoring').
 */
export async function refOfEach(tx: Queryable, table: TrackedTable, ref: string, doing: string): Promise<string> {
  try {
    return await stateAt(tx, table, ref);
  } catch (e) {
    // a table tracked after the commit named: stateAt's refusal says so
    if (!(isVsgError(e) && (e.code === 'E_UNKNOWN_REF' || e.code === 'E_AMBIGUOUS_REF'))) throw e;
    throw new VsgError('E_UNKNOWN_REF', `'${ref}' names no commit of '${table.display}': ${doing} several tables takes HEAD or a branch or tag name that each of them has`, {
      hint: `name a branch or tag of every table, or give the tables one at a time; nothing was changed`,
      data: { table: table.display, ref },
      cause: e,
    });
  }
}

/**
 * The commit of `table` that `ref` stands for when several tables are read
 * together: HEAD (~N, ^) and names as in the table; a commit of the table,
 * or a commit across tables with a part in it, that commit or part; a commit
 * of other tables only, the table's state when it was made (the newest
 * commit of the table's chain that is not newer). E_OTHER_TABLE when the
 * table was not tracked yet then.
 */
export async function stateAt(tx: Queryable, table: TrackedTable, ref: string): Promise<string> {
  try {
    return await commitOfTable(tx, table, ref);
  } catch (e) {
    if (!(isVsgError(e) && (e.code === 'E_UNKNOWN_REF' || e.code === 'E_OTHER_TABLE')) || isHeadRef(ref) || table.headCommit === null) throw e;
    const at = await resolveRef(tx, ref).catch((x: unknown) => {
      if (isVsgError(x) && x.code === 'E_PRUNED') throw x;
      return null;
    });
    if (!at) throw e;
    // the newest of its parts (or of the commit it is a part of) sets the point in time
    const { rows: s } = await tx.query<{ seq: string }>(sql('span/point'), [at.span?.parts ?? [at.id]]);
    const { rows } = await tx.query<{ id: string; pruned: boolean | string }>(sql('span/table_at'), [table.id, table.headCommit, s[0].seq]);
    if (!rows[0]) {
      throw new VsgError('E_OTHER_TABLE', `'${table.display}' was not tracked yet at ${shortId(at.span?.id ?? at.id)}`, {
        hint: 'name the tables that were', data: { table: table.display, ref },
      });
    }
    if (truthy(rows[0].pruned)) throw prunedError(rows[0].id);
    return rows[0].id;
  }
}

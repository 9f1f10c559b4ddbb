/**
 * Branches and tags as stored in vsg.refs: listing them, checking a new
 * name, creating one, and moving a branch by compare-and-swap (the one
 * place a branch pointer moves, so that a writer that lost a race finds out).
 */
import type { Queryable } from '../db/db.js';
import { sql } from '../db/sql.js';
import { ExitCode, VsgError } from '../errors.js';
import { shortId } from './refs.js';
import { idsInLog } from './spans.js';
import { listTables, resolveTable, tableById, type TrackedTable } from './tables.js';

/** A branch or tag and the commit it names. */
export interface RefInfo {
  name: string;
  kind: 'branch' | 'tag';
  table: string;
  commit: string;
  shortId: string;
  message: string;
  committedAt: string;
}

/** Refs of one kind, of one table or every table. */
export async function listRefs(db: Queryable, kind: 'branch' | 'tag', table: TrackedTable | null): Promise<RefInfo[]> {
  const { rows } = await db.query<Record<string, string>>(sql('branch/list'), [table?.id ?? null, kind]);
  const names = new Map<number, string>();
  const nameOf = async (id: number) => {
    if (!names.has(id)) names.set(id, (await tableById(db, id)).display);
    return names.get(id) as string;
  };
  const out: RefInfo[] = [];
  for (const r of rows) {
    out.push({
      name: r.name,
      kind,
      table: await nameOf(Number(r.table_id)),
      commit: r.commit,
      shortId: shortId(r.commit),
      message: r.message,
      committedAt: r.committed_at,
    });
  }
  return out;
}

/** A branch or tag name of the repository: each table's ref of that name. */
export interface NamedRef {
  name: string;
  kind: 'branch' | 'tag';
  /** the tables that have it, in the order of RefsByName.tables */
  tables: string[];
  refs: RefInfo[];
  /**
   * Of several tables: where the name stands in the repository, by the id
   * `vsg log` lists (the commit across tables the newest of its refs' commits
   * is a part of, or that commit), and that commit's message. `refs` keep
   * each table's own commit.
   */
  repoCommit?: string;
  repoShortId?: string;
  message?: string;
}

/** Refs of several tables grouped by name, and the tables looked at (with the branch each follows). */
export interface RefsByName {
  tables: string[];
  /** per table, the branch its live table follows */
  heads: Record<string, string>;
  names: NamedRef[];
}

/** Refs of one kind of the tables named (default: every tracked table not dropped), one entry per name, by name. */
export async function refsByName(db: Queryable, kind: 'branch' | 'tag', names?: readonly string[]): Promise<RefsByName> {
  const tables = names && names.length ? await Promise.all([...new Set(names)].map((n) => resolveTable(db, n))) : (await listTables(db)).filter((t) => !t.gone);
  const byId = new Map(tables.map((t) => [t.id, t]));
  const { rows } = await db.query<Record<string, string>>(sql('branch/list'), [null, kind]);
  const grouped = new Map<string, RefInfo[]>();
  for (const r of rows) {
    const table = byId.get(Number(r.table_id));
    if (!table) continue;
    const ref: RefInfo = { name: r.name, kind, table: table.display, commit: r.commit, shortId: shortId(r.commit), message: r.message, committedAt: r.committed_at };
    grouped.set(r.name, [...(grouped.get(r.name) ?? []), ref]);
  }
  const order = new Map(tables.map((t, i) => [t.display, i]));
  // one table: in the order the server sorts names (as listRefs gives them)
  const keys = tables.length > 1 ? [...grouped.keys()].sort() : [...grouped.keys()];
  const ids = tables.length > 1 ? await idsInLog(db, [...grouped.values()].flat().map((r) => r.commit)) : null;
  const out: NamedRef[] = keys.map((name) => {
    const refs = grouped.get(name)!.sort((a, b) => order.get(a.table)! - order.get(b.table)!);
    const at = ids?.newestOf(refs.map((r) => r.commit)) ?? null;
    if (at === null) return { name, kind, tables: refs.map((r) => r.table), refs };
    const message = refs.find((r) => ids!.of.get(r.commit) === at)?.message ?? '';
    return { name, kind, tables: refs.map((r) => r.table), refs, repoCommit: at, repoShortId: shortId(at), message };
  });
  return { tables: tables.map((t) => t.display), heads: Object.fromEntries(tables.map((t) => [t.display, t.head])), names: out };
}

/** Fail unless `name` can name a branch or tag (the schema checks it too). */
export function checkRefName(name: string, what: 'branch' | 'tag'): void {
  if (name === '' || /[\s~^:\\]/.test(name) || name === 'HEAD' || name === '@' || name.startsWith('-') || name.includes('..') || name.includes('@{')) {
    throw new VsgError('E_BAD_REF_NAME', `'${name}' is not a valid ${what} name`, {
      exitCode: ExitCode.usage,
      hint: 'use letters, digits and - _ . /; no spaces, ~ ^ :, .. or @{',
    });
  }
}

/** Insert a ref, failing clearly if the name is taken (branches and tags share one namespace). */
export async function insertRef(tx: Queryable, table: TrackedTable, kind: 'branch' | 'tag', name: string, commit: string): Promise<number> {
  const taken = await tx.query<{ kind: string }>(sql('refs/kind'), [table.id, name]);
  if (taken.rows[0]) {
    throw new VsgError('E_REF_EXISTS', `a ${taken.rows[0].kind} named '${name}' already exists for '${table.display}'`, {
      hint: taken.rows[0].kind === kind ? `delete the ${kind} first` : 'branches and tags share one namespace; pick another name', data: { kind: taken.rows[0].kind, name },
    });
  }
  const { rows } = await tx.query<{ id: string }>(sql('refs/create'), [table.id, kind, name, commit]);
  return Number(rows[0].id);
}

/**
 * Move branch `branchId` from commit `from` to commit `to`, compare-and-swap:
 * false when the branch no longer points at `from` (another writer moved it
 * meanwhile); the caller says what that means for its command.
 */
export async function moveBranch(tx: Queryable, branchId: number | null, from: string | null, to: string): Promise<boolean> {
  const moved = await tx.query(sql('refs/move'), [to, branchId, from]);
  return moved.rowCount === 1;
}

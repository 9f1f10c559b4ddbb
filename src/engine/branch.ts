/**
 * Branches: named, movable refs per table. The live table follows one of them
 * (vsg.tracked.head); commits made on a branch carry its id, which keeps each
 * branch linear (unique (branch_id, parent)).
 */
import type { Db, Queryable } from '../db/db.js';
import { sql } from '../db/sql.js';
import { ExitCode, VsgError } from '../errors.js';
import { isReachable } from './mergebase.js';
import { resolveRef, shortId } from './refs.js';
import { lockTable, resolveTable, tableById, type TrackedTable } from './tables.js';

export interface RefInfo {
  name: string;
  kind: 'branch' | 'tag';
  table: string;
  commit: string;
  shortId: string;
  message: string;
  committedAt: string;
}

export interface BranchInfo extends RefInfo {
  /** the branch the live table follows */
  current: boolean;
}

export interface BranchList {
  table: string;
  current: string;
  branches: BranchInfo[];
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

/** The branches of a table, the current one marked. */
export async function listBranches(db: Queryable, opts: { table?: string } = {}): Promise<BranchList> {
  const table = await resolveTable(db, opts.table);
  const refs = await listRefs(db, 'branch', table);
  return { table: table.display, current: table.head, branches: refs.map((r) => ({ ...r, current: r.name === table.head })) };
}

/** Fail unless `name` can name a branch or tag (the schema checks it too). */
export function checkRefName(name: string, what: 'branch' | 'tag'): void {
  if (name === '' || /[\s~^:\\]/.test(name) || name === 'HEAD' || name === '@' || name.startsWith('-') || name.includes('..')) {
    throw new VsgError('E_BAD_REF_NAME', `'${name}' is not a valid ${what} name`, {
      exitCode: ExitCode.usage,
      hint: 'use letters, digits and - _ . /; no spaces, ~ ^ : or ..',
    });
  }
}

/** Insert a ref, failing clearly if the name is taken (branches and tags share one namespace). */
export async function insertRef(tx: Queryable, table: TrackedTable, kind: 'branch' | 'tag', name: string, commit: string): Promise<number> {
  const taken = await tx.query<{ kind: string }>('SELECT kind FROM vsg.refs WHERE table_id = $1 AND name = $2', [table.id, name]);
  if (taken.rows[0]) {
    throw new VsgError('E_REF_EXISTS', `a ${taken.rows[0].kind} named '${name}' already exists for '${table.display}'`, {
      hint: taken.rows[0].kind === kind ? `delete the ${kind} first` : 'branches and tags share one namespace; pick another name', data: { kind: taken.rows[0].kind, name },
    });
  }
  const { rows } = await tx.query<{ id: string }>(
    'INSERT INTO vsg.refs (table_id, kind, name, commit_id) VALUES ($1, $2, $3, $4) RETURNING id::text',
    [table.id, kind, name, commit],
  );
  return Number(rows[0].id);
}

/** Resolve a start point within a table, refusing a commit of another table. */
export async function resolveIn(db: Queryable, table: TrackedTable, ref: string): Promise<string> {
  const at = await resolveRef(db, ref, table);
  if (at.tableId !== table.id) {
    throw new VsgError('E_OTHER_TABLE', `'${ref}' is a commit of another table`, { hint: 'refs point at commits of their own table' });
  }
  return at.id;
}

export interface CreatedBranch {
  table: string;
  name: string;
  commit: string;
  shortId: string;
}

/** Create a branch at `start` (default HEAD). */
export async function createBranch(db: Db, opts: { table?: string; name: string; start?: string }): Promise<CreatedBranch> {
  checkRefName(opts.name, 'branch');
  const target = await resolveTable(db, opts.table);
  return db.transaction(async (tx) => {
    const table = await lockTable(tx, target);
    const commit = await resolveIn(tx, table, opts.start ?? 'HEAD');
    await insertRef(tx, table, 'branch', opts.name, commit);
    return { table: table.display, name: opts.name, commit, shortId: shortId(commit) };
  });
}

export interface DeletedBranch {
  table: string;
  name: string;
  commit: string;
  shortId: string;
  /** deleted although no other branch reaches its tip (-D) */
  forced: boolean;
}

/** Delete a branch; refuses the current one, and an unmerged one unless forced. */
export async function deleteBranch(db: Db, opts: { table?: string; name: string; force?: boolean }): Promise<DeletedBranch> {
  const target = await resolveTable(db, opts.table);
  return db.transaction(async (tx) => {
    const table = await lockTable(tx, target);
    const { rows } = await tx.query<{ id: string; commit_id: string; kind: string }>(
      'SELECT id::text, commit_id, kind FROM vsg.refs WHERE table_id = $1 AND name = $2',
      [table.id, opts.name],
    );
    const ref = rows[0];
    if (!ref || ref.kind !== 'branch') {
      throw new VsgError('E_NO_SUCH_BRANCH', `branch '${opts.name}' not found in '${table.display}'`, {
        hint: ref ? `'${opts.name}' is a tag: deleteTag deletes it` : 'branches() lists branches', data: { name: opts.name, tag: Boolean(ref) },
      });
    }
    if (opts.name === table.head) {
      throw new VsgError('E_CURRENT_BRANCH', `cannot delete branch '${opts.name}': '${table.display}' follows it`, {
        hint: 'switch to another branch first',
      });
    }
    const others = await tx.query<{ commit_id: string }>(
      `SELECT commit_id FROM vsg.refs WHERE table_id = $1 AND kind = 'branch' AND name <> $2`,
      [table.id, opts.name],
    );
    const merged = await isReachable(tx, ref.commit_id, others.rows.map((r) => r.commit_id));
    if (!merged && !opts.force) {
      throw new VsgError('E_UNMERGED', `branch '${opts.name}' is not merged into any other branch`, {
        exitCode: ExitCode.no,
        hint: 'merge it first, or delete it anyway with force (its commits stay reachable by id)', data: { name: opts.name },
      });
    }
    await tx.query('DELETE FROM vsg.refs WHERE id = $1', [Number(ref.id)]);
    return { table: table.display, name: opts.name, commit: ref.commit_id, shortId: shortId(ref.commit_id), forced: !merged };
  });
}

/** Whether `name` is a branch of the table (for `vsg checkout <branch>`). */
export async function isBranch(db: Queryable, name: string, opts: { table?: string } = {}): Promise<boolean> {
  const table = await resolveTable(db, opts.table);
  const { rowCount } = await db.query(`SELECT 1 FROM vsg.refs WHERE table_id = $1 AND name = $2 AND kind = 'branch'`, [table.id, name]);
  return rowCount > 0;
}

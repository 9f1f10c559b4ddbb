/**
 * Branches: named, movable refs per table. The live table follows one of them
 * (vsg.tracked.head); commits made on a branch carry its id, which keeps each
 * branch linear (unique (branch_id, parent)).
 */
import type { Db, Queryable } from '../db/db.js';
import { ExitCode, VsgError } from '../errors.js';
import { isReachable } from '../core/mergebase.js';
import { checkRefName, insertRef, listRefs, refsByName, type NamedRef, type RefInfo, type RefsByName } from '../core/ref-store.js';
import { resolveIn, shortId } from '../core/refs.js';
import { refsOfEach } from '../core/repo-refs.js';
import { markRepoCommit } from '../core/spans.js';
import { lockEach, lockTable, resolveTable } from '../core/tables.js';
import { sql } from '../db/sql.js';

export interface BranchInfo extends RefInfo {
  /** the branch the live table follows */
  current: boolean;
}

export interface BranchList {
  table: string;
  current: string;
  branches: BranchInfo[];
}

/** The branches of a table, the current one marked. */
export async function listBranches(db: Queryable, opts: { table?: string } = {}): Promise<BranchList> {
  const table = await resolveTable(db, opts.table);
  const refs = await listRefs(db, 'branch', table);
  return { table: table.display, current: table.head, branches: refs.map((r) => ({ ...r, current: r.name === table.head })) };
}

export interface CreatedBranch {
  table: string;
  name: string;
  commit: string;
  shortId: string;
  /**
   * Of several tables: the commit of the repository they stand at together,
   * by the id `vsg log` lists (the commit across tables the newest of their
   * commits is a part of, or that commit); the same in every table's entry.
   * `commit` and `shortId` stay this table's own commit.
   */
  repoCommit?: string;
  repoShortId?: string;
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
  /**
   * Of several tables: the commit of the repository they stand at together,
   * by the id `vsg log` lists (the commit across tables the newest of their
   * commits is a part of, or that commit); the same in every table's entry.
   * `commit` and `shortId` stay this table's own commit.
   */
  repoCommit?: string;
  repoShortId?: string;
}

/** Delete a branch; refuses the current one, and an unmerged one unless forced. */
export async function deleteBranch(db: Db, opts: { table?: string; name: string; force?: boolean }): Promise<DeletedBranch> {
  const target = await resolveTable(db, opts.table);
  return db.transaction(async (tx) => {
    const table = await lockTable(tx, target);
    const { rows } = await tx.query<{ id: string; commit_id: string; kind: string }>(sql('refs/find_by_name'), [table.id, opts.name]);
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
    const others = await tx.query<{ commit_id: string }>(sql('refs/other_branch_tips'), [table.id, opts.name]);
    const merged = await isReachable(tx, ref.commit_id, others.rows.map((r) => r.commit_id));
    if (!merged && !opts.force) {
      throw new VsgError('E_UNMERGED', `branch '${opts.name}' is not merged into any other branch`, {
        exitCode: ExitCode.no,
        hint: 'merge it first, or delete it anyway with force (its commits stay reachable by id)', data: { name: opts.name },
      });
    }
    await tx.query(sql('refs/delete_by_id'), [Number(ref.id)]);
    return { table: table.display, name: opts.name, commit: ref.commit_id, shortId: shortId(ref.commit_id), forced: !merged };
  });
}

/** Whether `name` is a branch of the table (for `vsg checkout <branch>`). */
export async function isBranch(db: Queryable, name: string, opts: { table?: string } = {}): Promise<boolean> {
  const table = await resolveTable(db, opts.table);
  const { rowCount } = await db.query(sql('refs/is_branch'), [table.id, name]);
  return rowCount > 0;
}

/*
 * Repository-wide branches: a branch NAME of several tables is the set of
 * their branches named NAME, created and deleted together in one transaction.
 */

/** Branches of several tables by name; `current` lists the tables whose live table follows it. */
export interface BranchesByName extends RefsByName {
  names: (NamedRef & { current: string[] })[];
}

/** The branches of several tables (default: every tracked table), one entry per name. */
export async function branchesByName(db: Queryable, opts: { tables?: string[] } = {}): Promise<BranchesByName> {
  const r = await refsByName(db, 'branch', opts.tables);
  return { ...r, names: r.names.map((n) => ({ ...n, current: n.tables.filter((t) => r.heads[t] === n.name) })) };
}

/** Whether every table named (default: every tracked table) has a branch `name` (for `vsg checkout <branch>`). */
export async function isBranchOfEach(db: Queryable, name: string, opts: { tables?: string[] } = {}): Promise<boolean> {
  const r = await refsByName(db, 'branch', opts.tables);
  return r.names.some((n) => n.name === name && n.tables.length === r.tables.length);
}

/**
 * Create branch `name` in several tables (default: every tracked table), each
 * at its own `start`: HEAD (default, or HEAD~N), or a branch or tag name each
 * has. All or none: refused whole when a table already has the name.
 */
export async function createBranches(db: Db, opts: { tables?: string[]; name: string; start?: string }): Promise<Record<string, CreatedBranch>> {
  checkRefName(opts.name, 'branch');
  return db.transaction(async (tx) => {
    const out: Record<string, CreatedBranch> = {};
    const tables = await lockEach(tx, opts.tables);
    const at = await refsOfEach(tx, tables, opts.start ?? 'HEAD', 'branching');
    for (const table of tables) {
      const commit = at.get(table.id) as string;
      await insertRef(tx, table, 'branch', opts.name, commit);
      out[table.display] = { table: table.display, name: opts.name, commit, shortId: shortId(commit) };
    }
    return markRepoCommit(tx, out);
  });
}

/**
 * Delete branch `name` from every table having it (of those named, default
 * every tracked table), in one transaction; refused whole when a table
 * follows it, or when it is unmerged in a table and not `force`.
 */
export async function deleteBranches(db: Db, opts: { tables?: string[]; name: string; force?: boolean }): Promise<Record<string, DeletedBranch>> {
  return db.transaction(async (tx) => {
    const out: Record<string, DeletedBranch> = {};
    for (const table of await lockEach(tx, opts.tables)) {
      const { rows } = await tx.query<{ id: string; commit_id: string; kind: string }>(sql('refs/find_by_name'), [table.id, opts.name]);
      const ref = rows[0];
      if (!ref || ref.kind !== 'branch') continue;
      if (opts.name === table.head) {
        throw new VsgError('E_CURRENT_BRANCH', `cannot delete branch '${opts.name}': '${table.display}' follows it`, { hint: 'switch to another branch first' });
      }
      const others = await tx.query<{ commit_id: string }>(sql('refs/other_branch_tips'), [table.id, opts.name]);
      const merged = await isReachable(tx, ref.commit_id, others.rows.map((r) => r.commit_id));
      if (!merged && !opts.force) {
        throw new VsgError('E_UNMERGED', `branch '${opts.name}' of '${table.display}' is not merged into any other branch`, {
          exitCode: ExitCode.no,
          hint: 'merge it first, or delete it anyway with force (its commits stay reachable by id)', data: { name: opts.name, table: table.display },
        });
      }
      await tx.query(sql('refs/delete_by_id'), [Number(ref.id)]);
      out[table.display] = { table: table.display, name: opts.name, commit: ref.commit_id, shortId: shortId(ref.commit_id), forced: !merged };
    }
    if (Object.keys(out).length === 0) {
      throw new VsgError('E_NO_SUCH_BRANCH', `branch '${opts.name}' not found`, { hint: 'branches() lists branches', data: { name: opts.name } });
    }
    return markRepoCommit(tx, out);
  });
}

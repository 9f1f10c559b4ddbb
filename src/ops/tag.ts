/** Tags: fixed names for commits, usable wherever a commit is. */
import type { Db } from '../db/db.js';
import { VsgError } from '../errors.js';
import { checkRefName, insertRef, listRefs, refsByName, type RefInfo, type RefsByName } from '../core/ref-store.js';
import { resolveIn, shortId } from '../core/refs.js';
import { refsOfEach } from '../core/repo-refs.js';
import { markRepoCommit } from '../core/spans.js';
import { lockEach, lockTable, resolveTable, tableById } from '../core/tables.js';
import { sql } from '../db/sql.js';

export interface TagResult {
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

/** Tags of one table (or every table when none is named and several are tracked). */
export async function listTags(db: Db, opts: { table?: string } = {}): Promise<RefInfo[]> {
  const table = opts.table !== undefined ? await resolveTable(db, opts.table) : null;
  return listRefs(db, 'tag', table);
}

/** Tag `commit` (default HEAD). */
export async function createTag(db: Db, opts: { table?: string; name: string; commit?: string }): Promise<TagResult> {
  checkRefName(opts.name, 'tag');
  // with several tables tracked and none named: E_TABLE_REQUIRED (createTags tags each as it stood at the commit)
  const target = await resolveTable(db, opts.table);
  return db.transaction(async (tx) => {
    const table = await lockTable(tx, target);
    const commit = await resolveIn(tx, table, opts.commit ?? 'HEAD');
    await insertRef(tx, table, 'tag', opts.name, commit);
    return { table: table.display, name: opts.name, commit, shortId: shortId(commit) };
  });
}

/** Delete a tag. */
export async function deleteTag(db: Db, opts: { table?: string; name: string }): Promise<TagResult> {
  return db.transaction(async (tx) => {
    const tables = opts.table !== undefined ? [await resolveTable(tx, opts.table)] : null;
    const { rows } = await tx.query<{ id: string; table_id: string; commit_id: string }>(sql('refs/find_tag'), [opts.name, tables ? tables[0].id : null]);
    if (rows.length === 0) throw new VsgError('E_NO_SUCH_TAG', `tag '${opts.name}' not found`, { hint: 'tags() lists tags' });
    if (rows.length > 1) {
      throw new VsgError('E_TABLE_REQUIRED', `several tables have a tag '${opts.name}'; name one with the table option`);
    }
    const table = await lockTable(tx, await tableById(tx, Number(rows[0].table_id)));
    await tx.query(sql('refs/delete_by_id'), [Number(rows[0].id)]);
    return { table: table.display, name: opts.name, commit: rows[0].commit_id, shortId: shortId(rows[0].commit_id) };
  });
}

/*
 * Repository-wide tags: a tag NAME of several tables is the set of their
 * tags named NAME, created and deleted together in one transaction.
 */

/** A tag of several tables at once: each table's TagResult, keyed by table. */
export type TagsResult = Record<string, TagResult>;

/**
 * Tag several tables (default: every tracked table) `name`, each at its own
 * `commit`: HEAD (default, or HEAD~N), or a branch or tag name each has. All
 * or none: refused whole when a table already has the name or lacks the commit.
 */
export async function createTags(db: Db, opts: { tables?: string[]; name: string; commit?: string }): Promise<TagsResult> {
  checkRefName(opts.name, 'tag');
  return db.transaction(async (tx) => {
    const out: TagsResult = {};
    const tables = await lockEach(tx, opts.tables);
    const at = await refsOfEach(tx, tables, opts.commit ?? 'HEAD', 'tagging');
    for (const table of tables) {
      const commit = at.get(table.id) as string;
      await insertRef(tx, table, 'tag', opts.name, commit);
      out[table.display] = { table: table.display, name: opts.name, commit, shortId: shortId(commit) };
    }
    return markRepoCommit(tx, out);
  });
}

/** Delete tag `name` from every table having it (of those named, default every tracked table), in one transaction. */
export async function deleteTags(db: Db, opts: { tables?: string[]; name: string }): Promise<TagsResult> {
  return db.transaction(async (tx) => {
    const tables = await lockEach(tx, opts.tables);
    const { rows } = await tx.query<{ id: string; table_id: string; commit_id: string }>(sql('refs/find_tag'), [opts.name, null]);
    const out: TagsResult = {};
    for (const table of tables) {
      const ref = rows.find((r) => Number(r.table_id) === table.id);
      if (!ref) continue;
      await tx.query(sql('refs/delete_by_id'), [Number(ref.id)]);
      out[table.display] = { table: table.display, name: opts.name, commit: ref.commit_id, shortId: shortId(ref.commit_id) };
    }
    if (Object.keys(out).length === 0) throw new VsgError('E_NO_SUCH_TAG', `tag '${opts.name}' not found`, { hint: 'tags() lists tags' });
    return markRepoCommit(tx, out);
  });
}

/** Tags of several tables (default every tracked table), one entry per name. */
export function tagsByName(db: Db, opts: { tables?: string[] } = {}): Promise<RefsByName> {
  return refsByName(db, 'tag', opts.tables);
}

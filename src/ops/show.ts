/** Show: one commit with its row changes, and what a SCHEMA commit changed. */
import type { Queryable } from '../db/db.js';
import { getCommit } from '../core/commits.js';
import { tableColumns } from '../core/dropped.js';
import { isHeadRef, resolveRef } from '../core/refs.js';
import { compareKeys, parseChanges, statOf } from '../core/rows.js';
import { schemaChangeOf } from '../core/schema.js';
import { resolveTable, tableById } from '../core/tables.js';
import type { CommitInfo, RowChange } from '../core/types.js';
import { sql } from '../db/sql.js';

export interface ShowResult {
  commit: CommitInfo;
  keyColumns: string[];
  /** the table's columns now, in order (images of old commits may differ) */
  columns: string[];
  /** for a SCHEMA commit, what it changed in the table's columns */
  schema: string[] | null;
  changes: RowChange[];
  /** the branch HEAD follows in the commit's table, for decorating it as log does */
  heads: { table: string; branch: string; commit: string | null }[];
}

/** One commit with its row changes. */
export async function show(db: Queryable, ref: string, opts: { table?: string } = {}): Promise<ShowResult> {
  const table = opts.table !== undefined || isHeadRef(ref) ? await resolveTable(db, opts.table) : undefined;
  const at = await resolveRef(db, ref, table);
  const commit = await getCommit(db, at.id);
  const t = table ?? (await tableById(db, at.tableId));
  const { rows } = await db.query<{ key: string; old: string | null; new: string | null }>(
    // A state commit's change set is computed: its parent against its source.
    sql('commit/changes'),
    [at.id],
  );
  const cols = (await tableColumns(db, t)).map((c) => c.name);
  const schema = await schemaChangeOf(db, at.id);
  const changes = parseChanges(rows).sort((a, b) => compareKeys(a.key, b.key, t.keyColumns));
  // A state commit stores no counts; its change, just computed, gives them.
  const stat = statOf(changes);
  const counted = commit.source === null ? commit : { ...commit, inserted: stat.inserted, updated: stat.updated, deleted: stat.deleted };
  return { commit: counted, keyColumns: t.keyColumns, columns: cols, schema, changes, heads: [{ table: t.display, branch: t.head, commit: t.headCommit }] };
}

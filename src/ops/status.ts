/** Status: per tracked table, the branch, HEAD, and uncommitted changes. */
import type { Queryable } from '../db/db.js';
import { sql } from '../db/sql.js';
import { gather } from '../core/gather.js';
import { mayTidy, pendingCounts, tidyPending } from '../core/pending.js';
import { unrecordedSchemaChange } from '../core/schema.js';
import { idsInLog } from '../core/spans.js';
import { listTables, resolveTable } from '../core/tables.js';

export interface TableStatus {
  table: string;
  branch: string;
  head: string | null;
  inserted: number;
  updated: number;
  deleted: number;
  clean: boolean;
  /** a merge into this table waiting for --continue or --abort */
  merging: { theirs: string; unresolved: number } | null;
  /** column changes made outside vsg that the next commit will record */
  schema: string[];
  /** the table was dropped: its history is kept, restore recreates it */
  dropped: boolean;
  /**
   * Status of several tables: `head` by the id `vsg log` lists (the commit
   * across tables it is a part of, or itself); `head` stays the table's own.
   */
  repoHead?: string | null;
}

export interface StatusOptions {
  table?: string;
  /** called before the VACUUM of vsg.pending, when status is about to tidy it (it may take a while) */
  onTidy?: () => void;
}

/**
 * Status of one table or of every tracked table. Costs the uncommitted rows,
 * not the table; and, when the statistics read with them say dead rows
 * dominate vsg.pending, one VACUUM of it afterwards (src/core/pending.ts).
 */
export async function status(db: Queryable, opts: StatusOptions = {}): Promise<TableStatus[]> {
  const tables = opts.table !== undefined ? [await resolveTable(db, opts.table)] : await listTables(db);
  // what was captured on Citus shards (src/core/citus.ts)
  await gather(db, tables.map((t) => t.id));
  const out: TableStatus[] = [];
  let tidy = false;
  for (const t of tables) {
    const counts = await pendingCounts(db, t);
    const { inserted, updated, deleted } = counts;
    tidy ||= counts.tidy;
    const m = await db.query<{ theirs_ref: string; unresolved: string }>(sql('status/merge'), [t.id]);
    const merging = m.rows[0] ? { theirs: m.rows[0].theirs_ref, unresolved: Number(m.rows[0].unresolved) } : null;
    const schema = await unrecordedSchemaChange(db, t);
    out.push({
      table: t.display,
      branch: t.head,
      head: t.headCommit,
      inserted,
      updated,
      deleted,
      clean: inserted + updated + deleted === 0 && schema.length === 0 && !t.gone,
      merging,
      schema,
      dropped: t.gone,
    });
  }
  if (out.length > 1) {
    const { of } = await idsInLog(db, out.map((t) => t.head));
    for (const t of out) t.repoHead = t.head === null ? null : of.get(t.head) ?? t.head;
  }
  // only on a connection of vsg's own (a transaction handed in, an application's
  // connection or a standby never vacuums), and onTidy only when it will
  if (tidy && mayTidy(db)) {
    opts.onTidy?.();
    await tidyPending(db, 0, true);
  }
  return out;
}

/**
 * The rows the capture triggers on a Citus distributed table's shards wrote
 * beside them, brought into vsg.pending (src/core/citus.ts says how such a
 * table is versioned). Its own module: every write's lock (tables.ts) and
 * every commit call it, and it needs nothing of theirs.
 */
import type { Queryable } from '../db/db.js';
import { sql } from '../db/sql.js';

/**
 * Bring the rows captured on the shards of distributed tables into
 * vsg.pending, inside this transaction (sql/functions/gather_pending.sql):
 * before anything reads vsg.pending, and after a statement of vsg's own that
 * wrote such a table. No query where vsg knows Citus is absent (on an
 * application's own connection it does not know: one query, which does nothing there).
 * `tables`: the tracked tables concerned (ids), each a statement on every one
 * of its shards; every table's without.
 */
export async function gather(tx: Queryable, tables?: readonly number[]): Promise<void> {
  if (tx.citus === false) return;
  await tx.query(sql('citus/gather'), [tables ? [...tables] : null]);
}

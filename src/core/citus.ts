/**
 * Citus reference tables, captured on their placement on this node
 * (sql/functions/capture_relation.sql). Citus plans any statement that names
 * the table itself, and refuses most that also write or join vsg's own
 * tables ("relation … is not distributed", "parameterized queries for SQL
 * functions referencing distributed tables"); the placement is a plain table
 * of this node holding every row, which such statements read instead. Writes
 * still go to the table, for Citus to reach every placement.
 */
import type { Queryable } from '../db/db.js';
import { sql } from '../db/sql.js';
import type { TrackedTable } from './tables.js';

/** Per transaction (its Queryable), each table's placement once asked. */
const known = new WeakMap<Queryable, Map<number, string | null>>();

/**
 * The quoted name of the table's placement on this node if it is a Citus
 * reference table, else null: no query where Citus is known to be absent, else
 * one a transaction.
 */
export async function placementOf(tx: Queryable, table: Pick<TrackedTable, 'id' | 'relid'>): Promise<string | null> {
  if (tx.citus === false) return null;
  let seen = known.get(tx);
  if (!seen) known.set(tx, (seen = new Map()));
  const hit = seen.get(table.id);
  if (hit !== undefined) return hit;
  const { rows } = await tx.query<{ placement: string | null }>(sql('apply/citus_placed'), [table.id, table.relid]);
  seen.set(table.id, rows[0].placement);
  return rows[0].placement;
}

/** The name to read the table's rows by in a statement that also reads or writes vsg's tables: its placement on Citus, else itself. */
export async function readName(tx: Queryable, table: Pick<TrackedTable, 'id' | 'relid' | 'qname'>): Promise<string> {
  return (await placementOf(tx, table)) ?? table.qname;
}

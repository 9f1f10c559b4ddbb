/**
 * Citus tables vsg versions: reference tables, captured on their placement on
 * this node (sql/functions/capture_relation.sql), and hash-distributed tables,
 * captured on their shards into a co-located pending table whose rows
 * vsg.gather_pending brings into vsg.pending (sql/functions/write_dist_capture.sql,
 * src/core/gather.ts). Citus plans any statement that names
 * the table itself, and refuses most that also write or join vsg's own
 * tables ("relation … is not distributed", "parameterized queries for SQL
 * functions referencing distributed tables"); the placement is a plain table
 * of this node holding every row, which such statements read instead. Writes
 * still go to the table, for Citus to reach every placement.
 */
import { sqlTrue as yes, type Queryable } from '../db/db.js';
import { qualified } from '../db/quote.js';
import { sql } from '../db/sql.js';
import { gather } from './gather.js';
import { dropTemp, liveCopy } from './sql/ddl.js';
import { columns, type TrackedTable } from './tables.js';

/**
 * Whether vsg captures a Citus table of this kind on its shards (sql/track/citus_table.sql's
 * kind and method; sql/functions/dist_prepare.sql): a table distributed by hash ('h'), or
 * a single-shard distributed table ('n': no distribution column).
 */
export function onShards(c: { kind: string; method: string }): boolean {
  return c.kind === 'distributed' && (c.method === 'h' || c.method === 'n');
}

/** Per transaction (its Queryable), each table's placement once asked, and whether it is a distributed table. */
const known = new WeakMap<Queryable, Map<number, { placement: string | null; distributed: boolean }>>();

async function citusOf(tx: Queryable, table: Pick<TrackedTable, 'id' | 'relid'>): Promise<{ placement: string | null; distributed: boolean }> {
  if (tx.citus === false) return { placement: null, distributed: false };
  let seen = known.get(tx);
  if (!seen) known.set(tx, (seen = new Map()));
  const hit = seen.get(table.id);
  if (hit !== undefined) return hit;
  const { rows } = await tx.query<{ placement: string | null; distributed: boolean | string }>(sql('apply/citus_placed'), [table.id, table.relid]);
  const got = { placement: rows[0].placement, distributed: yes(rows[0].distributed) };
  seen.set(table.id, got);
  return got;
}

/**
 * The quoted name of the table's placement on this node if it is a Citus
 * reference table, the table's own if it is a distributed table captured on
 * its shards (written as Citus allows, like a reference table), else null:
 * no query where Citus is known to be absent, else one a transaction.
 */
export async function placementOf(tx: Queryable, table: Pick<TrackedTable, 'id' | 'relid'>): Promise<string | null> {
  return (await citusOf(tx, table)).placement;
}

/** Whether the table is a Citus distributed table, captured on its shards (no query where Citus is known to be absent). */
export async function isDistributed(tx: Queryable, table: Pick<TrackedTable, 'id' | 'relid'>): Promise<boolean> {
  return (await citusOf(tx, table)).distributed;
}

/**
 * The name to read the table's rows by in a statement that also reads or
 * writes vsg's tables: its placement on Citus, else itself. A distributed
 * table's rows are read from a copy of those whose keys `keys` yields (a
 * query of column `key` over vsg's tables, no parameters; or 'every row'), made now
 * (ddl.ts › liveCopy): Citus refuses such statements on the table itself.
 */
export async function readName(tx: Queryable, table: Pick<TrackedTable, 'id' | 'relid' | 'qname' | 'keyColumns'>, keys?: string | 'every row'): Promise<string> {
  const c = await citusOf(tx, table);
  if (!c.distributed || keys === undefined) return c.placement ?? table.qname;
  // (the keys may be those of rows still on the shards)
  await gather(tx, [table.id]);
  const cols = await columns(tx, table.relid);
  const keyCols = table.keyColumns.map((k) => ({ name: k, type: cols.find((col) => col.name === k)?.type ?? 'text' }));
  const name = `vsg_live_${table.id}`;
  await tx.query(dropTemp(name));
  await tx.query(liveCopy(name, table.qname, keyCols, keys === 'every row' ? null : keys));
  return qualified('pg_temp', name);
}

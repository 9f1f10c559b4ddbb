/**
 * A tracked table dropped behind vsg's back. Its history stays readable from
 * history alone: its columns as last recorded (vsg.tracked.signature, with the
 * NOT NULL and defaults of its 'shape' where recorded), its rows as of any
 * commit rebuilt from the change sets (sql/dropped/rows_at.sql). Restore
 * recreates it from them and follows it again under the same history.
 */
import type { Queryable } from '../db/db.js';
import { ident, qualified } from '../db/quote.js';
import { sql } from '../db/sql.js';
import { VsgError } from '../errors.js';
import { createSchema, createSequence, createTable, historyRows, insertHistoryRows, sequenceOwnedBy, sequencePastMax, withRowsAt } from './sql/dropped.js';
import { forgottenPolicy, forgottenRefusal } from './forgets.js';
import type { Image } from './types.js';
import { columns, resolveRelation, tableById, type Column, type TrackedTable } from './tables.js';

interface ShapeColumn {
  num: number;
  name: string;
  type: string;
  notnull: boolean;
  default: string | null;
}

/** Record the table's NOT NULL and defaults beside its signature (sql/dropped/record_shape.sql). */
export async function recordShape(tx: Queryable, tableId: number): Promise<void> {
  await tx.query(sql('dropped/record_shape'), [tableId]);
}

/** The columns as last recorded in history, in order (what a dropped table had). */
export function recordedColumns(table: TrackedTable): Column[] {
  const sig = table.signature;
  if (sig === null) return [];
  const shape = new Map(((sig as { shape?: ShapeColumn[] }).shape ?? []).map((s) => [s.num, s]));
  return sig.columns.map((c) => {
    const s = shape.get(c.num);
    // the shape is only trusted for the column it was recorded with
    const same = s !== undefined && s.name === c.name && s.type === c.type;
    return { name: c.name, type: c.type, generated: false, identity: '', notNull: same && s.notnull, defaultExpr: same ? s.default : null };
  });
}

/** The table's columns: the live ones, or for a dropped table the recorded ones. */
export async function tableColumns(db: Queryable, table: TrackedTable): Promise<Column[]> {
  // (an untracked history, like a dropped table, is read from history alone)
  return table.gone || table.untrackedAt !== null ? recordedColumns(table) : columns(db, table.relid);
}

/**
 * For a dropped table, the query yielding its rows as of commit `id` from
 * history alone, each recorded column as text aliased c0..cN, in key order
 * (the shape export's rowsAtQuery yields for a live table).
 */
export function historyRowsQuery(table: TrackedTable, id: string): { text: string; params: unknown[] } {
  return { text: historyRows(table.keyColumns, recordedColumns(table)), params: [table.id, id] };
}

/** A column default that draws from a sequence: the sequence's name as the server wrote it. */
function sequenceOf(defaultExpr: string | null): string | null {
  const m = /^nextval\('((?:[^']|'')+)'::regclass\)$/.exec(defaultExpr ?? '');
  return m ? m[1].replace(/''/g, "'") : null;
}

/**
 * Recreate a dropped tracked table from its history, inside the caller's
 * transaction: its recorded columns with their types (and NOT NULL and
 * defaults where recorded), its primary key, and its rows as of HEAD; then
 * follow the new relation under the same history, with capture installed.
 * A sequence a default drew from (serial) is recreated too, past the highest
 * value. Returns whether it recreated it (false: it exists already).
 */
export async function recreateTable(tx: Queryable, table: TrackedTable): Promise<boolean> {
  await tx.query(sql('dropped/lock'), [table.id]);
  const t = await tableById(tx, table.id);
  if (!t.gone) return false;
  if (t.headCommit === null) {
    throw new VsgError('E_NO_BRANCH', `'${t.display}' follows branch '${t.head}', which does not exist`, { hint: 'switch to an existing branch' });
  }
  const cols = recordedColumns(t);
  if ((await resolveRelation(tx, t.qname)) !== null) {
    throw new VsgError('E_NAME_TAKEN', `cannot recreate '${t.display}': another relation of that name exists`, {
      hint: 'rename or drop it first',
      data: { table: t.display },
    });
  }
  // Rows holding forgotten values (vsg forget) come back only as the caller said: refused by default,
  // with NULL in their place ('null'), or left out ('live': there is no live row).
  const { rows: marked } = await tx.query<{ key: string; n: string }>(withRowsAt('dropped/forgotten_at'), [t.id, t.headCommit]);
  if (marked.length && forgottenPolicy(tx) === 'refuse') {
    throw forgottenRefusal(t, marked.map((r) => JSON.parse(r.key) as Image), Number(marked[0].n));
  }
  try {
    await tx.query(createSchema(t.schema));
    const sequences: { column: string; name: string }[] = [];
    for (const c of cols) {
      const seq = sequenceOf(c.defaultExpr);
      if (seq === null) continue;
      const { rows } = await tx.query<{ schema: string | null; name: string; present: string | null }>(
        sql('dropped/sequence'),
        [seq],
      );
      const name = rows[0].schema === null ? ident(rows[0].name) : qualified(rows[0].schema, rows[0].name);
      if (rows[0].present === null) {
        await tx.query(createSequence(name));
        sequences.push({ column: c.name, name });
      }
    }
    await tx.query(createTable(t.qname, cols, t.keyColumns));
    await tx.query(insertHistoryRows(t.qname), [t.id, t.headCommit, forgottenPolicy(tx)]);
    for (const s of sequences) {
      await tx.query(sequenceOwnedBy(s.name, t.qname, s.column));
      await tx.query(sequencePastMax(t.qname, s.column), [s.name]);
    }
  } catch (e) {
    const err = e as { code?: string; message?: string };
    if (err.code === undefined || e instanceof VsgError) throw e;
    throw new VsgError('E_RECREATE', `cannot recreate '${t.display}': ${String(err.message)}`, { data: { table: t.display }, cause: e });
  }
  const oid = await resolveRelation(tx, t.qname);
  await tx.query(sql('dropped/relink'), [t.id, oid]);
  await recordShape(tx, t.id);
  await tx.query(sql('track/install_capture'), [t.id]);
  return true;
}

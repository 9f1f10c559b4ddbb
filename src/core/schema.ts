/**
 * Schema changes of tracked tables: detecting them around a commit's SQL,
 * recording them, and describing them (added, dropped, renamed, retyped).
 */
import type { Queryable } from '../db/db.js';
import { sql } from '../db/sql.js';
import { VsgError } from '../errors.js';
import { sameSignature, signature, type ColumnSig, type Signature } from './signature.js';
import { isDistributed } from './citus.js';
import { recordShape } from './dropped.js';
import type { TrackedTable } from './tables.js';

/** One schema change between two versions of a table. */
export interface SchemaChange {
  /** the SCHEMA commit, or null for a change made to the live table outside vsg and not recorded yet */
  commit: string | null;
  /** 'to': made going from the old side to the new; 'from': undone (the old side has it, the new does not) */
  side: 'from' | 'to';
  changes: string[];
  /** in a diff of several tables: `commit` by the id `vsg log` lists (the commit across tables it is a part of, or itself) */
  repoCommit?: string | null;
}

/**
 * Refuse what vsg cannot follow: a changed primary key (rows are identified
 * by it, and history's keys would no longer match) or a dropped table.
 */
export function assertKeyKept(table: TrackedTable, before: Signature, after: Signature, outside = false): void {
  const names = (s: Signature) => (s.key ?? []).map((n) => s.columns.find((c) => c.num === n)?.name);
  if (after.columns.length === 0 || JSON.stringify(names(before)) !== JSON.stringify(names(after))) {
    const what = outside ? `the primary key of '${table.display}' was changed outside vsg` : `the statement changes the primary key of '${table.display}'`;
    throw new VsgError('E_KEY_CHANGED', `${what}, which vsg cannot follow`, {
      hint: "keep the key's columns and names; to re-key a table, untrack it, change it, and track it again",
    });
  }
}

/**
 * What changed in the table's columns outside vsg since they were last
 * recorded (empty: nothing). A table locked for a write knows its shape now.
 */
export async function unrecordedSchemaChange(db: Queryable, table: TrackedTable & { now?: Signature }): Promise<string[]> {
  if (table.gone || table.signature === null) return [];
  const now = table.now ?? (await signature(db, table.relid));
  if (sameSignature(table.signature, now)) return [];
  const changes = describe(table.signature.columns, now.columns);
  return changes.length ? changes : ['primary key changed'];
}

/**
 * Write-back puts rows of recorded versions into the table: refuse while its
 * columns differ from the last recorded ones, which history cannot map.
 */
export async function assertSchemaRecorded(tx: Queryable, table: TrackedTable & { now?: Signature }): Promise<void> {
  const changes = await unrecordedSchemaChange(tx, table);
  if (changes.length === 0) return;
  throw new VsgError('E_SCHEMA_UNRECORDED', `the columns of '${table.display}' were changed outside vsg: ${changes.join('; ')}`, {
    hint: 'record the change first with a commit',
    data: { changes, table: table.display },
  });
}

/** Human descriptions of what changed from one signature to the next. */
export function describe(before: ColumnSig[], after: ColumnSig[]): string[] {
  const out: string[] = [];
  const old = new Map(before.map((c) => [c.num, c]));
  const now = new Map(after.map((c) => [c.num, c]));
  for (const c of after) {
    const o = old.get(c.num);
    if (!o) out.push(`column '${c.name}' added (${c.type})`);
    else {
      if (o.name !== c.name) out.push(`column '${o.name}' renamed to '${c.name}'`);
      if (o.type !== c.type) out.push(`column '${c.name}' changed type from ${o.type} to ${c.type}`);
    }
  }
  for (const c of before) if (!now.has(c.num)) out.push(`column '${c.name}' dropped`);
  return out;
}

/**
 * Record a SCHEMA commit's before and after, keep the new columns as the
 * last recorded ones, and rewrite the table's capture function for them.
 */
export async function recordSchemaChange(tx: Queryable, table: TrackedTable, commit: string, before: Signature, after: Signature): Promise<string[]> {
  await tx.query(sql('schema/record_change'), [
    commit,
    table.id,
    JSON.stringify(before.columns),
    JSON.stringify(after.columns),
  ]);
  await tx.query(sql('schema/set_signature'), [table.id, JSON.stringify(after)]);
  // NOT NULL and defaults, to recreate the table should it be dropped
  await recordShape(tx, table.id);
  // A Citus distributed table's capture keeps its slow path, which reads the columns
  // from the catalog (sql/functions/write_dist_capture.sql): Citus refuses to create
  // a function on the workers after this transaction's parallel reads of the shards.
  if (!(await isDistributed(tx, table))) await tx.query(sql('schema/write_capture'), [table.id]);
  return describe(before.columns, after.columns);
}

/** The schema change a commit made, if it is a SCHEMA commit. */
export async function schemaChangeOf(db: Queryable, commit: string): Promise<string[] | null> {
  const { rows } = await db.query<{ before: string; after: string }>(sql('schema/changes_of_commit'), [commit]);
  return rows[0] ? describe(JSON.parse(rows[0].before) as ColumnSig[], JSON.parse(rows[0].after) as ColumnSig[]) : null;
}

/** Schema changes between two commits (same paths as the row diff). */
export async function schemaBetween(db: Queryable, a: string, b: string, lcaDepth: number): Promise<SchemaChange[]> {
  const { rows } = await db.query<{ side: 'from' | 'to'; commit_id: string; before: string; after: string }>(sql('diff/schema_between'), [a, b, lcaDepth]);
  return rows.map((r) => ({
    commit: r.commit_id,
    side: r.side,
    changes: describe(JSON.parse(r.before) as ColumnSig[], JSON.parse(r.after) as ColumnSig[]),
  }));
}

/**
 * A table's shape as vsg records it: its columns (attnum, name, type) and the
 * attnums of its primary key. Tracked tables keep the last recorded one
 * (tables.ts), schema history compares them (schema.ts), checkpoints are only
 * valid for the shape they were taken in (checkpoint.ts records it, reload.ts
 * checks it).
 */
import type { Queryable } from '../db/db.js';
import { sql } from '../db/sql.js';

export interface ColumnSig {
  num: number;
  name: string;
  type: string;
}

export interface Signature {
  columns: ColumnSig[];
  /** attnums of the primary key, or null without one */
  key: number[] | null;
}

/** The table's columns and key as they are now. */
export async function signature(db: Queryable, relid: string): Promise<Signature> {
  const { rows } = await db.query<{ columns: string; key: string }>(sql('tables/signature'), [relid]);
  return { columns: JSON.parse(rows[0].columns) as ColumnSig[], key: JSON.parse(rows[0].key) as number[] | null };
}

/** Whether two shapes are the same: columns (attnum, name, type) and key. */
export function sameSignature(a: Signature, b: Signature): boolean {
  const column = (c: ColumnSig) => [c.num, c.name, c.type];
  return JSON.stringify([a.columns.map(column), a.key]) === JSON.stringify([b.columns.map(column), b.key]);
}

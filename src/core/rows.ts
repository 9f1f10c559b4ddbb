/** Row images and row changes as every operation passes them around: parsing, ordering, counting. */
import type { Image, RowChange } from './types.js';

/** Parse change rows whose key/old/new arrive as jsonb text. */
export function parseChanges(rows: { key: string; old: string | null; new: string | null }[]): RowChange[] {
  return rows.map((r) => ({
    key: JSON.parse(r.key) as Image,
    old: r.old === null ? null : (JSON.parse(r.old) as Image),
    new: r.new === null ? null : (JSON.parse(r.new) as Image),
  }));
}

const NUMERIC = /^-?\d+(\.\d+)?$/;

/** Order keys as people expect: numbers numerically, text by code point. */
export function compareKeys(a: Image, b: Image, keyColumns: string[]): number {
  for (const c of keyColumns) {
    const x = a[c];
    const y = b[c];
    if (x === y) continue;
    if (x === null || x === undefined) return -1;
    if (y === null || y === undefined) return 1;
    if (NUMERIC.test(x) && NUMERIC.test(y)) {
      const d = Number(x) - Number(y);
      if (d !== 0) return d;
      if (x.length !== y.length) return x.length - y.length;
    }
    return x < y ? -1 : 1;
  }
  return 0;
}

/** Columns whose value differs between two images of one row. */
export function changedColumns(change: RowChange): string[] {
  if (!change.old || !change.new) return Object.keys(change.new ?? change.old ?? {});
  const cols = new Set([...Object.keys(change.old), ...Object.keys(change.new)]);
  return [...cols].filter((c) => change.old?.[c] !== change.new?.[c]);
}

/** How many rows a change inserted, updated and deleted. */
export interface DiffStat {
  inserted: number;
  updated: number;
  deleted: number;
  /** per column, how many updated rows changed it */
  columns: Record<string, number>;
}

/** Counts of a list of row changes, and per column how many updates changed it. */
export function statOf(changes: RowChange[]): DiffStat {
  const stat: DiffStat = { inserted: 0, updated: 0, deleted: 0, columns: {} };
  for (const c of changes) {
    if (!c.old) stat.inserted++;
    else if (!c.new) stat.deleted++;
    else {
      stat.updated++;
      for (const col of changedColumns(c)) stat.columns[col] = (stat.columns[col] ?? 0) + 1;
    }
  }
  return stat;
}

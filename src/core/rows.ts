/** Row images and row changes as every operation passes them around: parsing, ordering, counting. */
import type { Image, RowChange } from './types.js';

/** Parse change rows whose key/old/new arrive as jsonb text (forgotten cells: null, flagged, see flagForgotten). */
export function parseChanges(rows: { key: string; old: string | null; new: string | null }[]): RowChange[] {
  return rows.map((r) => {
    const change = {
      key: JSON.parse(r.key) as Image,
      old: r.old === null ? null : (JSON.parse(r.old) as Image),
      new: r.new === null ? null : (JSON.parse(r.new) as Image),
    };
    return mayHoldObject(r.old) || mayHoldObject(r.new) ? flagForgotten(change, { old: 'image', new: 'image' }) : change;
  });
}

/**
 * Whether an image's JSON text may hold a forgotten cell: only an object
 * inside the image can be one, and without a second `{` there is none. The
 * cheap test that spares most rows of a large diff the walk over their cells.
 */
function mayHoldObject(text: string | null): boolean {
  return text !== null && text.indexOf('{', 1) !== -1;
}

/**
 * Forgotten cells (vsg forget), as every result shows them: the value null,
 * and beside the values a flag, `forgotten`, with a field for each field that
 * held a forgotten value: for a row image, its forgotten columns, each with
 * its marker; for a single value, its marker. (Markers are equal where equal
 * values were forgotten together: they tell whether two forgotten cells
 * differ, never what they held.) Absent when nothing was forgotten.
 */
export type Forgotten<F extends string = string> = Partial<Record<F, Record<string, string> | string>>;

/** A forgotten cell as history holds it: {"forgotten": "<hex>"}, an object where a value is always a string or null. */
function markerOf(v: unknown): string | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as { forgotten?: unknown }).forgotten === 'string'
    ? (v as { forgotten: string }).forgotten
    : undefined;
}

/**
 * Replace the forgotten cells of `obj`'s fields (each an image, or a single
 * value) by null and record their markers in `obj.forgotten`. Mutates and
 * returns `obj`.
 */
export function flagForgotten<T extends object>(obj: T, fields: Partial<Record<keyof T & string, 'image' | 'value'>>): T & { forgotten?: Forgotten } {
  const o = obj as Record<string, unknown> & { forgotten?: Forgotten };
  const flag: Forgotten = {};
  for (const [field, kind] of Object.entries(fields)) {
    const v = o[field];
    if (kind === 'value') {
      const m = markerOf(v);
      if (m === undefined) continue;
      o[field] = null;
      flag[field] = m;
    } else if (typeof v === 'object' && v !== null) {
      const img = v as Record<string, unknown>;
      const cols: Record<string, string> = {};
      for (const [c, x] of Object.entries(img)) {
        const m = markerOf(x);
        if (m === undefined) continue;
        img[c] = null;
        cols[c] = m;
      }
      if (Object.keys(cols).length) flag[field] = cols;
    }
  }
  if (Object.keys(flag).length) o.forgotten = flag;
  return o as T & { forgotten?: Forgotten };
}

/** The marker of a forgotten cell: of `column` in the image at `field`, or of the value at `field`. */
export function forgottenMarker(flag: Forgotten | undefined, field: string, column?: string): string | undefined {
  const f = flag?.[field];
  return typeof f === 'string' ? f : column !== undefined ? f?.[column] : undefined;
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

/** Columns whose value differs between two images of one row (forgotten cells: by their markers). */
export function changedColumns(change: RowChange): string[] {
  if (!change.old || !change.new) return Object.keys(change.new ?? change.old ?? {});
  const cols = new Set([...Object.keys(change.old), ...Object.keys(change.new)]);
  const f = change.forgotten;
  return [...cols].filter((c) => change.old?.[c] !== change.new?.[c] || forgottenMarker(f, 'old', c) !== forgottenMarker(f, 'new', c));
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

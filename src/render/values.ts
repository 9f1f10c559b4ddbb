/** How single values, keys and dates print. */
import { createRequire } from 'node:module';
import type * as Diff from 'diff';
import type { Image } from '../index.js';
import type { Style } from './style.js';

// The word diff is loaded on first use, synchronously (the package has a CommonJS
// build): most commands never print a long changed value, and start-up is most
// of a short command.
const load = createRequire(import.meta.url);
let words: typeof Diff.diffWordsWithSpace | undefined;
const diffWordsWithSpace = (a: string, b: string): Diff.ChangeObject<string>[] =>
  (words ??= (load('diff') as typeof Diff).diffWordsWithSpace)(a, b);

/** Values longer than this print clipped to a window of CLIP_WINDOW characters; --json has them whole. */
export const CLIP_AT = 2000;
export const CLIP_WINDOW = 80;

/** How a forgotten cell prints (vsg forget): never a value. */
export const FORGOTTEN = '«forgotten»';

/**
 * A result's `forgotten` flag (src/core/rows.ts › Forgotten): per field, an
 * image's forgotten columns with their markers, or a single value's marker.
 */
export type ForgottenFlag = Partial<Record<string, Record<string, string> | string>> | undefined;

/** The marker of a forgotten cell: of `column` in the image at `field`, or of the value at `field` (undefined: not forgotten). */
export function markerAt(flag: ForgottenFlag, field: string, column?: string): string | undefined {
  const f = flag?.[field];
  return typeof f === 'string' ? f : column !== undefined ? f?.[column] : undefined;
}

/** Two cells hold the same value: equal text and neither forgotten, or both forgotten with the same marker (equal values forgotten together). */
export function sameCell(a: unknown, b: unknown, ma?: string, mb?: string): boolean {
  if (ma !== undefined || mb !== undefined) return ma === mb;
  return a === b;
}

/** A cell value: «forgotten» for a forgotten one, NULL for SQL NULL, otherwise its PostgreSQL text form (clipped when long). */
export function cell(v: string | null | undefined, s: Style, forgotten = false): string {
  if (forgotten) return s.dim(FORGOTTEN);
  if (v === null || v === undefined) return s.dim('NULL');
  if (v.length > CLIP_AT) return clipped(v, 0, s);
  // Quote what would otherwise be mistaken: empty, padded, multi-line, or the text NULL.
  if (v === '' || v === 'NULL' || /^\s|\s$|[\n\t]/.test(v)) return JSON.stringify(v);
  return v;
}

/** A window of a long value from `from`, with … where it is cut and the full length: "…abc… [5242880 characters]". */
export function clipped(v: string, from: number, s: Style): string {
  const low = (i: number) => i > 0 && i < v.length && (v.charCodeAt(i) & 0xfc00) === 0xdc00; // never split a surrogate pair
  let a = Math.max(0, Math.min(from, v.length - CLIP_WINDOW));
  if (low(a)) a--;
  let b = Math.min(v.length, a + CLIP_WINDOW);
  if (low(b)) b++;
  const part = v.slice(a, b);
  const shown = /[\n\t]/.test(part) ? JSON.stringify(part) : part;
  return `${a > 0 ? '…' : ''}${shown}${b < v.length ? '…' : ''}${s.dim(` [${v.length} characters]`)}`;
}

/** A key: id=7, or (a=1, b=x) for a composite key. */
export function keyText(key: Image, keyColumns: string[]): string {
  const cols = keyColumns.length ? keyColumns : Object.keys(key);
  return cols.map((c) => `${c}=${key[c] ?? 'NULL'}`).join(', ');
}

/** old → new for one cell (either forgotten: say so); long or multi-line text is word-diffed, very long text clipped around its first difference. */
export function cellChange(oldV: string | null | undefined, newV: string | null | undefined, s: Style, forgotten: [boolean, boolean] = [false, false]): string {
  if (forgotten[0] || forgotten[1]) return `${s.red(cell(oldV, s, forgotten[0]))} → ${s.green(cell(newV, s, forgotten[1]))}`;
  if (typeof oldV === 'string' && typeof newV === 'string' && (oldV.length > CLIP_AT || newV.length > CLIP_AT)) {
    // Word-diffing megabytes would take minutes and print them: show both sides around the first difference.
    const n = Math.min(oldV.length, newV.length);
    let p = 0;
    while (p < n && oldV.charCodeAt(p) === newV.charCodeAt(p)) p++;
    const from = Math.max(0, p - 20);
    return `${s.red(clipped(oldV, from, s))} → ${s.green(clipped(newV, from, s))}`;
  }
  const long = (v: string | null | undefined) => typeof v === 'string' && (v.length > 40 || v.includes('\n'));
  if (typeof oldV === 'string' && typeof newV === 'string' && (long(oldV) || long(newV))) {
    return diffWordsWithSpace(oldV, newV)
      .map((p) => {
        if (p.added) return s.level ? s.green.bold(p.value) : `{+${p.value}+}`;
        if (p.removed) return s.level ? s.red.strikethrough(p.value) : `[-${p.value}-]`;
        return p.value;
      })
      .join('');
  }
  return `${s.red(cell(oldV, s))} → ${s.green(cell(newV, s))}`;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** git's default date: Tue Nov 24 00:03:47 2026 +0000, in local time. */
export function gitDate(iso: string): string {
  const d = new Date(iso);
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  const hh = String(Math.floor(Math.abs(off) / 60)).padStart(2, '0');
  const mm = String(Math.abs(off) % 60).padStart(2, '0');
  const t = [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
  return `${WEEKDAYS[d.getDay()]} ${MONTHS[d.getMonth()]} ${d.getDate()} ${t} ${d.getFullYear()} ${sign}${hh}${mm}`;
}

/** "5 minutes ago", as git --date=relative. */
export function relativeDate(iso: string, now = Date.now()): string {
  const secs = Math.round((now - Date.parse(iso)) / 1000);
  if (secs < 0) return 'in the future';
  const units: [number, string][] = [
    [365 * 86400, 'year'],
    [30 * 86400, 'month'],
    [7 * 86400, 'week'],
    [86400, 'day'],
    [3600, 'hour'],
    [60, 'minute'],
    [1, 'second'],
  ];
  for (const [size, name] of units) {
    if (secs >= size) {
      const n = Math.floor(secs / size);
      return `${n} ${name}${n === 1 ? '' : 's'} ago`;
    }
  }
  return 'just now';
}

/** `n` and the noun in its number: "1 change row", "2 change rows", counted(3, 'history', 'histories'). */
export function counted(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`;
}

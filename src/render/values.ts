/** How single values, keys and dates print. */
import { diffWordsWithSpace } from 'diff';
import type { Image } from '../engine/types.js';
import type { Style } from './style.js';

/** A cell value: NULL for SQL NULL, otherwise its PostgreSQL text form. */
export function cell(v: string | null | undefined, s: Style): string {
  if (v === null || v === undefined) return s.dim('NULL');
  // Quote what would otherwise be mistaken: empty, padded, multi-line, or the text NULL.
  if (v === '' || v === 'NULL' || /^\s|\s$|[\n\t]/.test(v)) return JSON.stringify(v);
  return v;
}

/** A key: id=7, or (a=1, b=x) for a composite key. */
export function keyText(key: Image, keyColumns: string[]): string {
  const cols = keyColumns.length ? keyColumns : Object.keys(key);
  return cols.map((c) => `${c}=${key[c] ?? 'NULL'}`).join(', ');
}

/** old → new for one cell; long or multi-line text is word-diffed. */
export function cellChange(oldV: string | null | undefined, newV: string | null | undefined, s: Style): string {
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

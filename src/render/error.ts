/** Errors: one line, lowercase, the subject quoted; then a hint; SQL with a caret. */
import { SqlError, type SqlErrorData, type VsgError } from '../errors.js';
import type { Style } from './style.js';

/** Point at the PostgreSQL error position in the statement, as psql does. */
export function caret(data: SqlErrorData): string[] {
  if (!data.position) return [];
  const text = data.statement;
  const pos = Math.min(data.position - 1, text.length);
  const start = text.lastIndexOf('\n', pos - 1) + 1;
  const endNl = text.indexOf('\n', pos);
  const line = text.slice(start, endNl === -1 ? undefined : endNl);
  const lineNo = text.slice(0, start).split('\n').length;
  const prefix = `LINE ${lineNo}: `;
  return [`${prefix}${line}`, `${' '.repeat(prefix.length + (pos - start))}^`];
}

export function renderError(e: VsgError, s: Style, verbose = false): string {
  const lines = [`${s.red.bold('error:')} ${e.message}`];
  if (e instanceof SqlError) {
    const d = e.data as SqlErrorData;
    lines.push(...caret(d));
    if (d.detail) lines.push(`DETAIL: ${d.detail}`);
  }
  if (e.hint) lines.push(`${s.yellow('hint:')} ${e.hint}`);
  if (verbose) lines.push(s.dim(`code: ${e.code}`));
  return lines.join('\n');
}

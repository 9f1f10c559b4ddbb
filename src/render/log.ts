/** Log and the commit header shared with show. */
import type { CommitInfo, LogResult } from '../index.js';
import type { Style } from './style.js';
import { gitDate, relativeDate } from './values.js';

/** The refs of a commit, as git log prints them: (HEAD -> main, tag: v1, feature). */
export function decorations(c: CommitInfo, heads: LogResult['heads'], s: Style): string {
  const parts: string[] = [];
  // A commit across tables is HEAD where any of its parts is.
  const each = c.parts ?? [c];
  const isHead = (h: LogResult['heads'][number]) => each.some((p) => h.commit === p.id && p.table === h.table);
  for (const h of heads) {
    const d = s.cyan.bold(`HEAD -> ${s.green.bold(h.branch)}`);
    if (isHead(h) && !parts.includes(d)) parts.push(d);
  }
  for (const r of c.refs) {
    if (r.kind === 'tag') parts.push(s.yellow.bold(`tag: ${r.name}`));
    else if (!heads.some((h) => isHead(h) && h.branch === r.name)) parts.push(s.green.bold(r.name));
  }
  return parts.length ? ` ${s.yellow('(')}${parts.join(s.yellow(', '))}${s.yellow(')')}` : '';
}

/** The summary of a commit's change: "2 updated, 1 inserted"; a state commit's: "the rows of 3f2a9c1". */
export function countsText(c: { inserted: number | null; updated: number | null; deleted: number | null; source?: string | null }): string {
  if (c.inserted === null && c.source) return `the rows of ${c.source.slice(0, 7)}`;
  const parts: string[] = [];
  if (c.inserted) parts.push(`${c.inserted} inserted`);
  if (c.updated) parts.push(`${c.updated} updated`);
  if (c.deleted) parts.push(`${c.deleted} deleted`);
  return parts.length ? parts.join(', ') : 'no change';
}

/** Full header of one commit, as git log prints it. */
export function commitHeader(c: CommitInfo, heads: LogResult['heads'], s: Style, now?: number): string {
  const lines = [s.yellow(`commit ${c.id}`) + decorations(c, heads, s)];
  // A commit across tables has its parts' parents: a merge only where a part is one.
  if (c.parents.length > 1 && (c.parts ?? [c]).some((p) => p.parents.length > 1)) lines.push(`Merge:  ${c.parents.map((p) => p.slice(0, 7)).join(' ')}`);
  lines.push(`Author: ${c.author}`);
  lines.push(`Date:   ${gitDate(c.committedAt)} (${relativeDate(c.committedAt, now)})`);
  if (c.parts) lines.push(`Tables: ${c.parts.map((p) => `${p.table} ${s.dim(`(${countsText(p)})`)}`).join(', ')}  ${s.dim(`${c.kind} ${c.operation}`)}`);
  else lines.push(`Table:  ${c.table}  ${s.dim(`${c.kind} ${c.operation}: ${countsText(c)}`)}`);
  if (c.span) lines.push(`Part of: ${c.span.slice(0, 7)} ${s.dim('(a commit across tables)')}`);
  // vsg.schema is shown as the schema change itself (show, diff), not as metadata.
  if (c.meta) for (const [k, v] of Object.entries(c.meta)) if (k !== 'vsg.schema') lines.push(`Meta:   ${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  lines.push('');
  for (const l of c.message.split('\n')) lines.push(`    ${l}`);
  if (c.statement && c.statement.trim() !== c.message.trim()) {
    lines.push('');
    for (const l of c.statement.trim().split('\n')) lines.push(s.dim(`    > ${l}`));
  }
  return lines.join('\n');
}

/** git log, full or --oneline. */
export function renderLog(r: LogResult, s: Style, opts: { oneline?: boolean; now?: number } = {}): string {
  if (opts.oneline) {
    return r.commits
      .map((c) => `${s.yellow(c.shortId)}${decorations(c, r.heads, s)} ${c.message.split('\n')[0]}`)
      .join('\n');
  }
  return r.commits.map((c) => commitHeader(c, r.heads, s, opts.now)).join('\n\n');
}

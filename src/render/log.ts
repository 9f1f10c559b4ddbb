/** Log and the commit header shared with show. */
import type { CommitInfo, LogResult } from '../index.js';
import type { Style } from './style.js';
import { gitDate, relativeDate } from './values.js';

/** The refs of a commit, as git log prints them: (HEAD -> main, tag: v1, feature). */
export function decorations(c: CommitInfo, heads: LogResult['heads'], s: Style): string {
  const parts: string[] = [];
  for (const h of heads) {
    if (h.commit === c.id && c.table === h.table) parts.push(s.cyan.bold(`HEAD -> ${s.green.bold(h.branch)}`));
  }
  for (const r of c.refs) {
    if (r.kind === 'tag') parts.push(s.yellow.bold(`tag: ${r.name}`));
    else if (!heads.some((h) => h.commit === c.id && h.branch === r.name && h.table === c.table)) parts.push(s.green.bold(r.name));
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
  if (c.parents.length > 1) lines.push(`Merge:  ${c.parents.map((p) => p.slice(0, 7)).join(' ')}`);
  lines.push(`Author: ${c.author}`);
  lines.push(`Date:   ${gitDate(c.committedAt)} (${relativeDate(c.committedAt, now)})`);
  lines.push(`Table:  ${c.table}  ${s.dim(`${c.kind} ${c.operation}: ${countsText(c)}`)}`);
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

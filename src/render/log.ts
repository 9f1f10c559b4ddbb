/** Log and the commit header shared with show. */
import type { CommitInfo, ForgetEntry, ForgetResult, LogResult } from '../index.js';
import type { Style } from './style.js';
import { pruneEntry } from './prune.js';
import { gitDate, relativeDate } from './values.js';

/**
 * Where a log over several tables decorates HEAD and each branch or tag: the
 * newest entry holding a table's HEAD, or a table's ref of that name (the
 * other tables' are older commits of the same history). Null for one table.
 */
export interface RepositoryView {
  head: string | null;
  refAt: Map<string, string>;
}

export function repositoryView(commits: readonly CommitInfo[], heads: LogResult['heads'], at?: LogResult['at']): RepositoryView | null {
  if (heads.length < 2) return null;
  // a log from an older commit: where HEAD and the refs stand, known to the log (maybe not listed)
  if (at) return { head: at.head, refAt: new Map(Object.entries(at.refs)) };
  const head = commits.find((c) => (c.parts ?? [c]).some((p) => heads.some((h) => h.commit === p.id && h.table === p.table)))?.id ?? null;
  const refAt = new Map<string, string>();
  for (const c of commits) for (const r of c.refs) if (!refAt.has(`${r.kind}:${r.name}`)) refAt.set(`${r.kind}:${r.name}`, c.id);
  return { head, refAt };
}

/**
 * The refs of a commit, as git log prints them: (HEAD -> main, tag: v1, feature).
 * With a view (a log over several tables), each decorates its newest entry alone.
 */
export function decorations(c: CommitInfo, allHeads: LogResult['heads'], s: Style, view: RepositoryView | null = null): string {
  const parts: string[] = [];
  const heads = view && c.id !== view.head ? [] : allHeads;
  const shown = (r: { kind: string; name: string }) => !view || view.refAt.get(`${r.kind}:${r.name}`) === c.id;
  // A commit across tables is HEAD where any of its parts is.
  const each = c.parts ?? [c];
  const isHead = (h: LogResult['heads'][number]) => each.some((p) => h.commit === p.id && p.table === h.table);
  for (const h of heads) {
    const d = s.cyan.bold(`HEAD -> ${s.green.bold(h.branch)}`);
    if (isHead(h) && !parts.includes(d)) parts.push(d);
  }
  for (const r of c.refs) {
    if (!shown(r)) continue;
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
export function commitHeader(c: CommitInfo, heads: LogResult['heads'], s: Style, now?: number, view: RepositoryView | null = null): string {
  const lines = [s.yellow(`commit ${c.id}`) + decorations(c, heads, s, view)];
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
  const view = repositoryView(r.commits, r.heads, r.at);
  const one = (c: CommitInfo) => (opts.oneline ? `${s.yellow(c.shortId)}${decorations(c, r.heads, s, view)} ${c.message.split('\n')[0]}` : commitHeader(c, r.heads, s, opts.now, view));
  const entries: string[] = [];
  // FORGET and PRUNE entries (vsg forget, vsg prune) among the commits, by time, newest first
  const marks = [
    ...(r.forgets ?? []).map((e) => ({ at: e.at, text: () => forgetEntry(e, s, opts) })),
    ...(r.prunes ?? []).map((e) => ({ at: e.at, text: () => pruneEntry(e, s, opts) })),
  ].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  let f = 0;
  for (const c of r.commits) {
    for (; f < marks.length && marks[f].at >= c.committedAt; f++) entries.push(marks[f].text());
    entries.push(one(c));
  }
  for (; f < marks.length; f++) entries.push(marks[f].text());
  return entries.join(opts.oneline ? '\n' : '\n\n');
}

/** What a FORGET entry blanked: "2 rows (email, phone): 51 change rows, 102 cells". */
export function forgetCounts(e: ForgetEntry): string {
  const what = `${e.keys} row${e.keys === 1 ? '' : 's'}${e.columns ? ` (${e.columns.join(', ')})` : ''}`;
  return `${what}: ${e.rows} change row${e.rows === 1 ? '' : 's'}, ${e.cells} cell${e.cells === 1 ? '' : 's'}`;
}

/** A FORGET entry in the log: not a commit (commit ids never change), so marked apart. */
export function forgetEntry(e: ForgetEntry, s: Style, opts: { oneline?: boolean; now?: number } = {}): string {
  if (opts.oneline) return `${s.magenta(`forget ${e.id.slice(0, 7)}`)} ${e.table}: ${forgetCounts(e)} ${e.message.split('\n')[0]}`;
  const lines = [s.magenta(`forget ${e.id}`)];
  lines.push(`Author: ${e.author}`);
  lines.push(`Date:   ${gitDate(e.at)} (${relativeDate(e.at, opts.now)})`);
  lines.push(`Table:  ${e.table}  ${s.dim(`FORGET ${forgetCounts(e)}${e.live ? `, live rows by ${e.live.slice(0, 7)}` : ''}`)}`);
  lines.push('');
  for (const l of e.message.split('\n')) lines.push(`    ${l}`);
  return lines.join('\n');
}

/** The line `vsg forget` prints: the entry, the --live commit, and whether the rewritten rows were vacuumed. */
export function renderForget(r: ForgetResult, s: Style): string {
  const lines = [`${s.magenta(`forget ${r.entry.id.slice(0, 7)}`)} ${r.entry.table}: ${forgetCounts(r.entry)}`];
  if (r.commit) lines.push(`live rows: [${s.yellow(r.commit.shortId)}] ${countsText(r.commit)}`);
  if (r.checkpoints) lines.push(`dropped ${r.checkpoints} checkpoint${r.checkpoints === 1 ? '' : 's'}`);
  lines.push(r.vacuum.done ? `vacuumed what it rewrote${r.vacuum.full ? ' (full: files rewritten)' : ''}${r.vacuum.kept ? `; but ${r.vacuum.reason}` : ''}` : `not vacuumed: ${r.vacuum.reason ?? 'unknown'}; run VACUUM vsg.changes, vsg.pending${r.commit ? ` and the table` : ''}`);
  return lines.join('\n');
}

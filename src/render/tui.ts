/**
 * The text of `vsg tui`'s panes (src/tui draws them): pure functions of the
 * library's results, coloured with the CLI's style, so the log, a commit and
 * a diff look there as `vsg log`, `vsg show` and `vsg diff` print them.
 */
import type { CommitInfo, LogResult, NamedRef, TableStatus } from '../index.js';
import { decorations, type RepositoryView } from './log.js';
import type { Style } from './style.js';
import { relativeDate } from './values.js';

/** A commit's change in a few characters per table: `clients +1 ~2 -1`; a state commit's `clients =3f2a9c1`. */
export function touchedText(c: CommitInfo, s: Style): string {
  return (c.parts ?? [c])
    .map((p) => {
      if (p.inserted === null && p.source) return `${p.table} ${s.dim(`=${p.source.slice(0, 7)}`)}`;
      const n = [p.inserted ? s.green(`+${p.inserted}`) : '', p.updated ? s.yellow(`~${p.updated}`) : '', p.deleted ? s.red(`-${p.deleted}`) : ''].filter(Boolean);
      return n.length ? `${p.table} ${n.join(' ')}` : p.table;
    })
    .join(', ');
}

/**
 * One line of the log pane: short id, refs, relative date, author, the tables
 * touched with counts, the message's first line.
 */
export function logLine(c: CommitInfo, heads: LogResult['heads'], s: Style, view: RepositoryView | null = null, now?: number): string {
  const when = relativeDate(c.committedAt, now);
  return `${s.yellow(c.shortId)}${decorations(c, heads, s, view)} ${s.dim(when)} ${s.blue(c.author)} ${touchedText(c, s)}  ${c.message.split('\n')[0]}`;
}

/** The status pseudo-entry at the top of the log: the uncommitted changes of every table that has some; null when all are clean. */
export function statusLine(list: readonly TableStatus[], s: Style): string | null {
  const dirty = list.filter((t) => !t.clean);
  if (!dirty.length) return null;
  const each = dirty.map((t) => {
    const n = [t.inserted ? s.green(`+${t.inserted}`) : '', t.updated ? s.yellow(`~${t.updated}`) : '', t.deleted ? s.red(`-${t.deleted}`) : ''].filter(Boolean);
    const more = [...(t.schema.length ? ['schema'] : []), ...(t.dropped ? ['dropped'] : []), ...(t.merging ? ['merging'] : [])];
    return `${t.table} ${[...n, ...more].join(' ')}`.trimEnd();
  });
  return `${s.red.bold('uncommitted changes')} ${each.join(', ')}`;
}

/** One line of the branches and tags pane. */
export function refLine(kind: 'branch' | 'tag', r: NamedRef, heads: Record<string, string>, s: Style): string {
  const current = kind === 'branch' && r.tables.some((t) => heads[t] === r.name);
  const name = kind === 'branch' ? s.green(r.name) : s.yellow(`tag: ${r.name}`);
  const at = [...new Set(r.refs.map((x) => x.shortId))].map((id) => s.yellow(id)).join(' ');
  const msg = r.refs[0]?.message.split('\n')[0] ?? '';
  return `${current ? s.cyan.bold('* ') : '  '}${name} ${at} ${s.dim(r.tables.join(', '))}  ${msg}`;
}

/**
 * The text of `vsg tui`'s panes (src/tui draws them): pure functions of the
 * library's results, coloured with the CLI's style, so the log, a commit and
 * a diff look there as `vsg log`, `vsg show` and `vsg diff` print them.
 */
import type { BlameResult, CommitInfo, LogResult, MergeConflict, NamedRef, RowLogResult, TableStatus } from '../index.js';
import { decorations, type RepositoryView } from './log.js';
import type { Style } from './style.js';
import { cell, keyText, relativeDate, sameCell } from './values.js';

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

/** A line of a list pane; `commit` is what enter opens, `full` what e expands. */
export interface ListItem {
  line: string;
  commit?: string;
  full?: string;
}

/**
 * The row view: the row's history (as `vsg log --row --oneline`, newest
 * first) and, per column, the commit that set its value now (`vsg blame KEY`).
 */
export function rowViewItems(log: RowLogResult, blame: BlameResult | null, s: Style): ListItem[] {
  const key = keyText(log.key, log.keyColumns);
  const items: ListItem[] = [{ line: s.bold(`history of ${key} in ${log.table}`) }];
  if (!log.entries.length) items.push({ line: `  no commit reachable from HEAD changed ${key}` });
  for (const e of log.entries) {
    const after = e.after
      ? Object.entries(e.after)
          .filter(([c, v]) => !log.keyColumns.includes(c) && (!e.before || !sameCell(e.before[c], v)))
          .map(([c, v]) => `${c}=${cell(v, s)}`)
          .join(', ')
      : s.red('deleted');
    const full = e.after ? JSON.stringify(e.after, null, 1) : undefined;
    items.push({ line: `  ${s.yellow(e.commit.shortId)} ${s.dim(e.commit.author)} ${e.commit.message.split('\n')[0]}  ${e.before ? '' : s.green('(inserted) ')}${after}`, commit: e.commit.id, full });
  }
  items.push({ line: '' }, { line: s.bold(`blame: the commit that set each value`) });
  const row = blame?.rows[0];
  if (!blame || !row) items.push({ line: '  the row is not in the live table' });
  else {
    const width = Math.max(...row.cells.map((c) => c.column.length));
    for (const c of row.cells) {
      const info = c.commit ? blame.commits[c.commit] : undefined;
      const who = c.uncommitted ? `${'0000000'} ${s.dim('not committed yet')}` : info ? `${s.yellow(info.shortId)} ${s.dim(info.author)}` : '? (no commit)';
      items.push({ line: `  ${c.column.padEnd(width)}  ${who}  ${cell(c.value, s)}`, commit: info?.id, full: c.value ?? 'NULL' });
    }
  }
  return items;
}

/** One conflict of the merge in progress (of `table` unless it names its own): table, key, column, base, ours, theirs, and its resolution once resolved. */
export function conflictLine(c: MergeConflict, keyColumns: string[], s: Style, table?: string): string {
  const side = (v: MergeConflict['base']): string => {
    if (v === null) return c.column === null ? s.dim('(deleted)') : cell(null, s);
    if (typeof v === 'string') return cell(v, s);
    return Object.entries(v)
      .filter(([k]) => !keyColumns.includes(k))
      .map(([k, x]) => `${k}=${cell(x as string | null, s)}`)
      .join(', ');
  };
  const where = `${(c.table ?? table) ? `${c.table ?? table} ` : ''}${keyText(c.key, keyColumns)} ${c.column ?? s.dim('(row)')}`;
  const state = c.resolved ? s.cyan(`resolved: ${side(c.value)}`) : s.yellow('unresolved');
  const base = c.kind === 'insert/insert' ? s.dim('(none)') : side(c.base);
  return `${state}  ${s.bold(where)}  base ${base}  ours ${s.green(side(c.ours))}  theirs ${s.red(side(c.theirs))}`;
}

/** Row diffs: + inserted, - deleted, ~ updated with only the changed cells. */
import type { DiffManyResult, DiffResult, DiffStat, RowChange } from '../index.js';
import type { Style } from './style.js';
import { cell, cellChange, keyText, markerAt, sameCell } from './values.js';

/**
 * Columns whose value differs between two images of one row. (The core has
 * the same rule for its counts; a renderer imports no code of the core, so
 * that printing never loads what talks to the database.)
 */
function changedColumns(change: RowChange): string[] {
  if (!change.old || !change.new) return Object.keys(change.new ?? change.old ?? {});
  const cols = new Set([...Object.keys(change.old), ...Object.keys(change.new)]);
  const f = change.forgotten;
  return [...cols].filter((c) => !sameCell(change.old?.[c], change.new?.[c], markerAt(f, 'old', c), markerAt(f, 'new', c)));
}

/**
 * `    column: value`; the continuation lines of a multi-line value (a word
 * diff of text) start under its first, so that its own indentation reads as it is.
 */
function field(column: string, value: string): string {
  const head = `    ${column}: `;
  return head + value.split('\n').join(`\n${' '.repeat(head.length)}`);
}

/** The lines for a list of row changes. */
export function renderChanges(changes: RowChange[], keyColumns: string[], columns: string[], s: Style): string {
  const lines: string[] = [];
  const rank = new Map(columns.map((c, i) => [c, i]));
  const ordered = (cols: string[]) => [...cols].sort((a, b) => (rank.get(a) ?? 1e9) - (rank.get(b) ?? 1e9) || (a < b ? -1 : 1));
  for (const ch of changes) {
    const key = keyText(ch.key, keyColumns);
    if (!ch.old && ch.new) {
      const img = ch.new;
      lines.push(s.green(`+ ${key}`));
      for (const c of ordered(Object.keys(img))) if (!keyColumns.includes(c)) lines.push(s.green(`    ${c}: ${cell(img[c], s, markerAt(ch.forgotten, 'new', c) !== undefined)}`));
    } else if (ch.old && !ch.new) {
      const img = ch.old;
      lines.push(s.red(`- ${key}`));
      for (const c of ordered(Object.keys(img))) if (!keyColumns.includes(c)) lines.push(s.red(`    ${c}: ${cell(img[c], s, markerAt(ch.forgotten, 'old', c) !== undefined)}`));
    } else {
      lines.push(s.cyan(`~ ${key}`));
      const forgotten = (c: string): [boolean, boolean] => [markerAt(ch.forgotten, 'old', c) !== undefined, markerAt(ch.forgotten, 'new', c) !== undefined];
      for (const c of ordered(changedColumns(ch))) lines.push(field(c, cellChange(ch.old?.[c], ch.new?.[c], s, forgotten(c))));
    }
  }
  return lines.join('\n');
}

export function statText(stat: DiffStat): string {
  const n = stat.inserted + stat.updated + stat.deleted;
  return `${n} row${n === 1 ? '' : 's'} changed: ${stat.inserted} inserted, ${stat.updated} updated, ${stat.deleted} deleted`;
}

/** `main (3f2a9c1)`; in a diff of several tables the repository's commit (repoCommit), as log lists it. */
function sideText(side: DiffResult['from']): string {
  if (side.id === null) return 'WORKING';
  if (side.repoCommit) return /^[0-9a-f]{4,64}$/i.test(side.ref) && side.repoCommit.startsWith(side.ref.toLowerCase()) ? side.repoCommit.slice(0, 7) : `${side.ref} (${side.repoCommit.slice(0, 7)})`;
  return side.ref === side.id ? side.id.slice(0, 7) : `${side.ref} (${side.id.slice(0, 7)})`;
}

/** vsg diff, full or --stat. */
export function renderDiff(d: DiffResult, s: Style, opts: { stat?: boolean } = {}): string {
  const head = s.bold(`diff ${d.table} ${sideText(d.from)}..${sideText(d.to)}`);
  const schema = d.schema.flatMap((x) =>
    x.changes.map((c) => s.magenta(`${x.side === 'from' ? 'undone' : 'schema'} ${x.commit === null ? '(outside vsg, not recorded)' : (x.repoCommit ?? x.commit).slice(0, 7)}: ${c}`)),
  );
  if (d.dropped) schema.push(`${s.red(`${d.table}: dropped`)} ${s.dim(`(its history is kept; 'vsg restore -t ${d.table}' recreates it)`)}`);
  if (opts.stat) {
    const cols = Object.entries(d.stat.columns).map(([c, n]) => `    ${c}: ${n} updated`);
    return [head, ...schema, ` ${d.table} | ${statText(d.stat)}`, ...cols].join('\n');
  }
  if (d.changes.length === 0 && schema.length === 0) return '';
  return [head, ...schema, renderChanges(d.changes, d.keyColumns, d.columns, s), s.dim(statText(d.stat))].filter(Boolean).join('\n');
}

/** A diff of several tables: a section per table that differs; --stat, a line per table. */
export function renderDiffMany(r: DiffManyResult, s: Style, opts: { stat?: boolean } = {}): string {
  const all = Object.values(r);
  if (opts.stat) {
    const width = Math.max(0, ...all.map((d) => d.table.length));
    return all.map((d) => ` ${d.table.padEnd(width)} | ${statText(d.stat)}${d.schema.length ? s.magenta(' (columns changed)') : ''}${d.dropped ? s.red(' (dropped)') : ''}`).join('\n');
  }
  return all.map((d) => renderDiff(d, s)).filter(Boolean).join('\n\n');
}

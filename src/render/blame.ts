/**
 * Time-travel renderers: blame, a row's history (log --row), and the
 * summaries checkout, restore and rollback print.
 */
import type { ApplyResult, BlameResult, CheckoutManyResult, CheckoutResult, ReloadResult, RestoreManyResult, RestoreResult, RollbackResult, RowLogResult } from '../index.js';
import { shellQuote } from '../db/quote.js';
import { commitHeader } from './log.js';
import type { Style } from './style.js';
import { cell, counted, keyText, markerAt, sameCell } from './values.js';

/** "2 updated, 1 inserted" for rows written back. */
export function appliedText(a: ApplyResult): string {
  const parts: string[] = [];
  if (a.inserted) parts.push(`${a.inserted} inserted`);
  if (a.updated) parts.push(`${a.updated} updated`);
  if (a.deleted) parts.push(`${a.deleted} deleted`);
  return parts.length ? parts.join(', ') : 'no row changed';
}

/** What a checkout or restore wrote: the rows that differed, or a reload from a checkpoint. */
function writtenText(r: { applied: ApplyResult | null; reload: ReloadResult | null }, s: Style): string {
  if (!r.reload) return appliedText(r.applied ?? { inserted: 0, updated: 0, deleted: 0 });
  const corrected = r.reload.corrected ? ` (${r.reload.corrected} corrected from history)` : '';
  return `reloaded ${counted(r.reload.rows, 'row')} from the checkpoint at ${s.yellow(r.reload.checkpoint.slice(0, 7))}${corrected}`;
}

/** git blame, one block per row: column, commit, author, date, value. */
export function renderBlame(r: BlameResult, s: Style): string {
  if (r.rows.length === 0) return `${r.table}: no rows`;
  const width = Math.max(...r.columns.map((c) => c.length));
  const authors = Math.max(17, ...Object.values(r.commits).map((c) => c.author.length));
  const blocks = r.rows.map((row) => {
    const lines = [s.bold(keyText(row.key, r.keyColumns))];
    for (const c of row.cells) {
      const info = c.commit ? r.commits[c.commit] : undefined;
      const who = c.uncommitted
        ? `0000000 ${'Not Committed Yet'.padEnd(authors)} ${' '.repeat(19)}`
        : info
          ? `${s.yellow(info.shortId)} ${info.author.padEnd(authors)} ${info.committedAt.slice(0, 19).replace('T', ' ')}`
          : c.pruned && r.prunedBefore
            ? // as git blame marks a shallow clone's boundary: set before it, by a pruned commit
              `${s.dim(`^${r.prunedBefore.slice(0, 6)}`)} ${'(pruned before)'.padEnd(authors)} ${' '.repeat(19)}`
            : `${'?'.padEnd(7)} ${'(no commit)'.padEnd(authors)} ${' '.repeat(19)}`;
      lines.push(`  ${c.column.padEnd(width)}  ${who}  ${cell(c.value, s, c.forgotten !== undefined)}`);
    }
    return lines.join('\n');
  });
  return blocks.join('\n\n');
}

/** log --row: each commit that changed the row, and the row after it. */
export function renderRowLog(r: RowLogResult, s: Style, opts: { oneline?: boolean; now?: number } = {}): string {
  const key = keyText(r.key, r.keyColumns);
  const cut = r.prunedBefore ? `\n${s.dim(`(history before ${r.prunedBefore.slice(0, 7)} was pruned)`)}` : '';
  if (r.entries.length === 0) return `no commit reachable from HEAD changed ${key} of ${r.table}${r.prunedBefore ? ` since ${r.prunedBefore.slice(0, 7)} (history before it was pruned)` : ''}`;
  const rowText = (e: RowLogResult['entries'][number]): string => {
    if (!e.after) return s.red('deleted');
    return Object.entries(e.after)
      .filter(([c]) => !r.keyColumns.includes(c))
      .map(([c, v]) => {
        const was = markerAt(e.forgotten, 'before', c);
        const now = markerAt(e.forgotten, 'after', c);
        const changed = !e.before || !sameCell(e.before[c], v, was, now);
        const text = `${c}=${cell(v, s, now !== undefined)}`;
        return changed ? s.green(text) : text;
      })
      .join(', ');
  };
  if (opts.oneline) {
    return r.entries.map((e) => `${s.yellow(e.commit.shortId)} ${e.commit.message.split('\n')[0]}  ${s.dim(key)} ${rowText(e)}`).join('\n') + cut;
  }
  return r.entries
    .map((e) => `${commitHeader(e.commit, r.heads, s, opts.now)}\n\n    ${s.bold(key)}${e.before ? '' : s.green(' (inserted)')}: ${rowText(e)}`)
    .join('\n\n') + cut;
}

export function renderCheckout(r: CheckoutResult, s: Style): string {
  const src = s.yellow(r.source.shortId);
  const discarded = r.discarded ? `\n${s.dim(`(overwrote ${r.discarded} uncommitted change${r.discarded === 1 ? '' : 's'})`)}` : '';
  if (r.alreadyAt || !r.commit) return `${r.table} is already at the state of ${src}; nothing to commit${discarded}`;
  return `[${r.branch} ${s.yellow(r.commit.shortId)}] checked out ${src} into ${r.table}: ${writtenText(r, s)}${discarded}`;
}

/**
 * A checkout of several tables: one line, as a commit's, naming the new
 * commit and the commit checked out by the ids log lists, with each table's rows.
 */
export function renderCheckoutMany(r: CheckoutManyResult, s: Style): string {
  const all = Object.values(r);
  if (all.length === 0) return '';
  // one table (the TUI's filter): as a checkout of that table
  if (all.length === 1) return renderCheckout(all[0], s);
  const src = s.yellow(all[0].repoSourceShortId ?? all[0].source.shortId);
  const n = all.reduce((k, t) => k + t.discarded, 0);
  const discarded = n ? `\n${s.dim(`(overwrote ${n} uncommitted change${n === 1 ? '' : 's'})`)}` : '';
  const made = all.filter((t) => t.commit);
  if (made.length === 0) return `already at the state of ${src}; nothing to commit${discarded}`;
  const c = made[0].commit!;
  const branch = [...new Set(made.map((t) => t.branch))].join(', ');
  return `[${branch} ${s.yellow((c.span ?? c.id).slice(0, 7))}] checked out ${src}: ${made.map((t) => `${t.table}: ${writtenText(t, s)}`).join(' · ')}${discarded}`;
}

export function renderRestore(r: RestoreResult, s: Style): string {
  const src = r.source.id === r.head ? `HEAD (${s.yellow(r.source.shortId)})` : s.yellow(r.source.shortId);
  const head = r.recreated
    ? `recreated ${r.table} (dropped) from HEAD (${s.yellow(r.head.slice(0, 7))})${r.source.id === r.head ? '' : `, restored to ${src}: ${writtenText(r, s)}`}`
    : `restored ${r.table} to ${src}: ${writtenText(r, s)}`;
  if (r.status.clean) return `${head}\nnothing to commit, working table clean`;
  const n = r.status.inserted + r.status.updated + r.status.deleted;
  return `${head}\n${n} uncommitted change${n === 1 ? '' : 's'} against HEAD ${s.dim(`('vsg diff -t ${shellQuote(r.table)}' shows them, 'vsg commit -t ${shellQuote(r.table)}' records them)`)}`;
}

/**
 * A restore of several tables: one line naming the commit restored by the id
 * log lists, with each table's rows, then what is left uncommitted.
 */
export function renderRestoreMany(r: RestoreManyResult, s: Style): string {
  const all = Object.values(r);
  if (all.length === 0) return '';
  if (all.length === 1) {
    // one table (the TUI's filter): that table's own commit, one line
    const t = all[0];
    const src = t.source.id === t.head ? `HEAD (${s.yellow(t.source.shortId)})` : s.yellow(t.source.shortId);
    const n = t.status.inserted + t.status.updated + t.status.deleted;
    const left = t.status.clean ? 'clean' : `${n} uncommitted change${n === 1 ? '' : 's'} against HEAD`;
    return `${t.recreated ? `recreated ${t.table} (dropped), ` : ''}restored ${t.table} to ${src}: ${writtenText(t, s)}; ${left}`;
  }
  const id = s.yellow(all[0].repoSourceShortId ?? all[0].source.shortId);
  const src = all.every((t) => t.source.id === t.head) ? `HEAD (${id})` : id;
  const recreated = all.filter((t) => t.recreated).map((t) => `recreated ${t.table} (dropped)`);
  const rows = all.map((t) => `${t.table}: ${writtenText(t, s)}`).join(' · ');
  const left = all.filter((t) => !t.status.clean).map((t) => {
    const n = t.status.inserted + t.status.updated + t.status.deleted;
    return `${t.table}: ${n} uncommitted change${n === 1 ? '' : 's'} against HEAD`;
  });
  return [...recreated, `restored ${src}: ${rows}`, left.length ? left.join(' · ') : 'nothing to commit, every table clean'].join('\n');
}

export function renderRollback(r: RollbackResult, s: Style): string {
  const n = r.overridden.length;
  const forced = n ? `\n${s.dim(`(overwrote ${n} conflicting change${n === 1 ? '' : 's'})`)}` : '';
  const what = r.parts ? r.parts.map((p) => `${p.table}: ${appliedText(p.applied)}`).join(' · ') : `${r.table}: ${appliedText(r.applied)}`;
  return `[${r.branch} ${s.yellow(r.commit.shortId)}] rolled back ${s.yellow(r.reverted.shortId)} in ${what}${forced}`;
}

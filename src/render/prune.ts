/** What `vsg prune` prints, and a PRUNE entry in the log. */
import type { PruneEntry, PruneResult } from '../index.js';
import type { Style } from './style.js';
import { counted, gitDate, relativeDate } from './values.js';

function bytes(n: number): string {
  return n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MB` : `${Math.round(n / 1024)} kB`;
}

/** "90 commits pruned; bases: orders (1000 rows at 1a2b3c4)". */
export function pruneCounts(e: PruneEntry): string {
  const bases = e.bases.map((b) => `${b.table} (${counted(b.rows, 'row')} at ${b.commit.slice(0, 7)})`).join(', ');
  return `${counted(e.commits, 'commit')} pruned${bases ? `; bases: ${bases}` : ''}`;
}

/** A PRUNE entry in the log: not a commit, so marked apart, as a FORGET entry is. */
export function pruneEntry(e: PruneEntry, s: Style, opts: { oneline?: boolean; now?: number } = {}): string {
  if (opts.oneline) return `${s.magenta(`prune ${e.id.slice(0, 7)}`)} before ${pointText(e.point)}: ${pruneCounts(e)} ${e.message.split('\n')[0]}`;
  const lines = [s.magenta(`prune ${e.id}`)];
  lines.push(`Author: ${e.author}`);
  lines.push(`Date:   ${gitDate(e.at)} (${relativeDate(e.at, opts.now)})`);
  lines.push(`Before: ${pointText(e.point)}  ${s.dim(`PRUNE ${pruneCounts(e)}`)}`);
  lines.push('');
  for (const l of e.message.split('\n')) lines.push(`    ${l}`);
  return lines.join('\n');
}

function pointText(point: string): string {
  return /^[0-9a-f]{64}$/.test(point) ? point.slice(0, 7) : point;
}

/** The lines `vsg prune` prints: the entry, per table what went, tags deleted, vacuum and space. */
export function renderPrune(r: PruneResult, s: Style): string {
  if (r.entry === null) {
    const held = [
      ...r.heldBack.map((h) => `; ${h.table} held back by tag '${h.tag}' (--keep-tags)`),
      ...r.historiesLeft.map((h) => `; ${h.table} (untracked history) left whole for its branch '${h.branch}'`),
    ].join('');
    return `nothing older than the point: nothing pruned${held}`;
  }
  const lines = [`${s.magenta(`prune ${r.entry.id.slice(0, 7)}`)} before ${pointText(r.entry.point)}: ${pruneCounts(r.entry)}`];
  for (const t of r.tables) {
    lines.push(`${t.table}: ${counted(t.commits, 'commit')}, ${counted(t.changes, 'change row')} dropped; history starts at ${s.yellow(t.boundary.slice(0, 7))}`);
    // a branch with a boundary of its own (forked before the point, or behind it)
    for (const b of t.boundaries ?? []) if (b.commit !== t.boundary) lines.push(`${t.table}: branch '${b.branch}' starts at ${s.yellow(b.commit.slice(0, 7))}`);
  }
  for (const h of r.heldBack) {
    lines.push(`${h.table}: held back to ${s.yellow(h.commit.slice(0, 7))} by tag '${h.tag}' (--keep-tags): ${counted(h.spared, 'commit')} fewer pruned`);
  }
  for (const h of r.historiesLeft) {
    lines.push(`${h.table} (untracked history): left whole: its branch '${h.branch}' (${h.commit.slice(0, 7)}) is older than the point or forked before it`);
  }
  for (const t of r.tagsDeleted) lines.push(`deleted tag '${t.name}' of ${t.table} (was ${t.commit.slice(0, 7)})`);
  if (r.checkpoints) lines.push(`dropped ${counted(r.checkpoints, 'checkpoint')}`);
  lines.push(r.vacuum.done ? `vacuumed vsg.changes, vsg.commits, vsg.base_rows${r.vacuum.full ? ' (full: files rewritten)' : ''}${r.vacuum.kept ? `; but ${r.vacuum.reason}` : ''}` : `not vacuumed: ${r.vacuum.reason ?? 'unknown'}`);
  lines.push(`vsg.changes + vsg.commits: ${bytes(r.space.before)} → ${bytes(r.space.after)}${r.vacuum.done && !r.vacuum.full ? ' (a plain VACUUM keeps the freed space for new commits; VACUUM FULL, the default, gives it back)' : ''}`);
  return lines.join('\n');
}

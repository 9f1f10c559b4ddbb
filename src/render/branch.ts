/** Branch and tag lists, and what switch did. */
import type { BranchList, RefInfo, SwitchResult } from '../index.js';
import type { Style } from './style.js';

/** `vsg branch`: the current branch starred, as git branch -v. */
export function renderBranches(r: BranchList, s: Style): string {
  const width = Math.max(0, ...r.branches.map((b) => b.name.length));
  return r.branches
    .map((b) => {
      const name = b.name.padEnd(width);
      const first = b.message.split('\n')[0];
      return b.current ? `* ${s.green(name)} ${s.yellow(b.shortId)} ${first}` : `  ${name} ${s.yellow(b.shortId)} ${first}`;
    })
    .join('\n');
}

/** `vsg tag`: one tag per line, with its commit and the table when several appear. */
export function renderTags(tags: RefInfo[], s: Style): string {
  const many = new Set(tags.map((t) => t.table)).size > 1;
  const width = Math.max(0, ...tags.map((t) => t.name.length));
  return tags.map((t) => `${t.name.padEnd(width)} ${s.yellow(t.shortId)}${many ? ` ${s.dim(t.table)}` : ''} ${t.message.split('\n')[0]}`).join('\n');
}

export function renderSwitch(r: SwitchResult, s: Style): string {
  if (r.already && !r.created) {
    const n = r.applied.inserted + r.applied.updated + r.applied.deleted;
    return n ? `${r.table}: discarded changes, on branch '${r.branch}'` : `${r.table}: already on '${r.branch}'`;
  }
  const verb = r.created ? 'switched to a new branch' : 'switched to branch';
  const rows = r.applied.inserted + r.applied.updated + r.applied.deleted;
  const what = rows
    ? s.dim(` (${r.applied.inserted} inserted, ${r.applied.updated} updated, ${r.applied.deleted} deleted)`)
    : '';
  const discarded = r.discarded ? `\n${s.yellow(`discarded ${r.discarded} uncommitted change${r.discarded === 1 ? '' : 's'}`)}` : '';
  return `${r.table}: ${verb} '${s.green(r.branch)}' at ${s.yellow(r.shortId)}${what}${discarded}`;
}

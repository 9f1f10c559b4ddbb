/** Branch and tag lists, and what switch did. */
import type { BranchesByName, BranchList, RefInfo, RefsByName, SwitchManyResult, SwitchResult } from '../index.js';
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

/** A name's refs: the table and commit of each, as `clients 3f2a9c1 · orders 1b2c3d4`. */
function covered(refs: RefInfo[], s: Style): string {
  return refs.map((r) => `${r.table} ${s.yellow(r.shortId)}`).join(s.dim(' · '));
}

/** `vsg tag` over several tables: one line per name, with the tables it covers and each one's commit. */
export function renderTagsByName(r: RefsByName, s: Style): string {
  const width = Math.max(0, ...r.names.map((n) => n.name.length));
  return r.names.map((n) => `${n.name.padEnd(width)} ${covered(n.refs, s)}`).join('\n');
}

/**
 * `vsg branch` over several tables: one line per name with the tables it
 * covers; `*` marks the branch every table follows (or, when they follow
 * different ones, each branch some table follows, those tables named).
 */
export function renderBranchesByName(r: BranchesByName, s: Style): string {
  const width = Math.max(0, ...r.names.map((n) => n.name.length));
  return r.names
    .map((n) => {
      const all = n.current.length === r.tables.length;
      const mark = n.current.length ? '* ' : '  ';
      const name = n.current.length ? s.green(n.name.padEnd(width)) : n.name.padEnd(width);
      const some = n.current.length && !all ? s.dim(` (followed by ${n.current.join(', ')})`) : '';
      return `${mark}${name} ${covered(n.refs, s)}${some}`;
    })
    .join('\n');
}

/** A switch of several tables: one line per table. */
export function renderSwitchMany(r: SwitchManyResult, s: Style): string {
  return Object.values(r).map((t) => renderSwitch(t, s)).join('\n');
}

/** Branches or tags created or deleted in several tables: one line per table, as the one-table form. */
export function renderRefsMany<T>(r: Record<string, T>, line: (t: T) => string): string {
  return Object.values(r).map(line).join('\n');
}

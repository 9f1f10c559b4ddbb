/** Branch and tag lists, and what switch did. */
import type { BranchesByName, BranchList, NamedRef, RefInfo, RefsByName, SwitchManyResult, SwitchResult } from '../index.js';
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

/**
 * Where a name of several tables stands: the repository's commit as log lists
 * it and its message (git branch -v), the tables it covers when not all;
 * without that commit (an older library's answer), each table's own.
 */
function standing(n: NamedRef, all: string[], s: Style): string {
  if (!n.repoShortId) return covered(n.refs, s);
  const some = n.tables.length < all.length ? s.dim(` (${n.tables.join(', ')} only)`) : '';
  return `${s.yellow(n.repoShortId)} ${(n.message ?? '').split('\n')[0]}${some}`;
}

/** `vsg tag` over several tables: one line per name, with the commit it names as log lists it. */
export function renderTagsByName(r: RefsByName, s: Style): string {
  const width = Math.max(0, ...r.names.map((n) => n.name.length));
  return r.names.map((n) => `${n.name.padEnd(width)} ${standing(n, r.tables, s)}`).join('\n');
}

/**
 * `vsg branch` over several tables: one line per name with the commit it
 * stands at as log lists it; `*` marks the branch every table follows (or,
 * when they follow different ones, each branch some table follows, those
 * tables named).
 */
export function renderBranchesByName(r: BranchesByName, s: Style): string {
  const width = Math.max(0, ...r.names.map((n) => n.name.length));
  return r.names
    .map((n) => {
      const all = n.current.length === r.tables.length;
      const mark = n.current.length ? '* ' : '  ';
      const name = n.current.length ? s.green(n.name.padEnd(width)) : n.name.padEnd(width);
      const some = n.current.length && !all ? s.dim(` (followed by ${n.current.join(', ')})`) : '';
      return `${mark}${name} ${standing(n, r.tables, s)}${some}`;
    })
    .join('\n');
}

/** Rows written per table, as `a: 1 updated · b: 2 inserted` (tables with none left out). */
function rowsPerTable(all: SwitchResult[]): string {
  const text = (t: SwitchResult) => [['inserted', t.applied.inserted], ['updated', t.applied.updated], ['deleted', t.applied.deleted]].filter(([, n]) => n).map(([k, n]) => `${n} ${k}`).join(', ');
  return all.filter((t) => text(t)).map((t) => `${t.table}: ${text(t)}`).join(' · ');
}

/**
 * A switch of several tables: one line, as git's, naming the repository's
 * commit by the id log lists (repoShortId), with the rows written per table.
 */
export function renderSwitchMany(r: SwitchManyResult, s: Style): string {
  const all = Object.values(r);
  if (all.length === 0) return '';
  // one table (the TUI's filter): as a switch of that table
  if (all.length === 1) return renderSwitch(all[0], s);
  const { branch, created } = all[0];
  const rows = rowsPerTable(all);
  const discarded = all.reduce((n, t) => n + t.discarded, 0);
  const thrown = discarded ? `\n${s.yellow(`discarded ${discarded} uncommitted change${discarded === 1 ? '' : 's'}`)}` : '';
  if (!created && all.every((t) => t.already)) return rows ? `discarded changes, on branch '${branch}'${s.dim(` (${rows})`)}` : `already on '${branch}'`;
  const at = created || !all[0].repoShortId ? '' : ` at ${s.yellow(all[0].repoShortId)}`;
  return `${created ? 'switched to a new branch' : 'switched to branch'} '${s.green(branch)}'${at}${rows ? s.dim(` (${rows})`) : ''}${thrown}`;
}

/** Branches or tags created or deleted in several tables: one line, the first table's entry naming the repository's commit (repoShortId). */
export function renderRefsMany<T>(r: Record<string, T>, line: (t: T) => string): string {
  const [first] = Object.values(r);
  return first === undefined ? '' : line(first);
}

/** Merge outcomes and conflict tables (key, column, base, ours, theirs). */
import Table from 'cli-table3';
import type { ConflictList, ConstraintViolation, Image, MergeConflict, MergeResult } from '../index.js';
import type { Style } from './style.js';
import { cell, FORGOTTEN, keyText, markerAt, type ForgottenFlag } from './values.js';

/** A cell the two merge bases of a criss-cross disagree on (marked in the virtual base). */
function marked(v: unknown): boolean {
  return typeof v === 'object' && v !== null && (v as Record<string, unknown>)['vsg:conflict'] === true;
}

/** One side of a conflict (`field` of it: base, ours, theirs, value), a cell or a row; forgotten values say so. */
function side(v: MergeConflict['base'], column: string | null, s: Style, keyColumns: string[], flag?: ForgottenFlag, field = ''): string {
  if (marked(v) || (v !== null && typeof v === 'object' && Object.values(v).some(marked))) return s.dim('(bases differ)');
  if (column !== null) return cell(v as string | null, s, markerAt(flag, field) !== undefined);
  if (v === null) return s.dim('(deleted)');
  if (v === undefined) return '';
  return Object.entries(v as Image)
    .filter(([k]) => !keyColumns.includes(k))
    .map(([k, x]) => `${k}=${cell(x, s, markerAt(flag, field, k) !== undefined)}`)
    .join(', ');
}

/** The conflicts as a table; resolved ones show their resolution. */
export function renderConflictTable(conflicts: MergeConflict[], keyColumns: string[], s: Style): string {
  const withRes = conflicts.some((c) => c.resolved);
  const head = ['key', 'column', 'kind', 'base', 'ours', 'theirs', ...(withRes ? ['resolved'] : [])];
  const t = new Table({ head, style: { head: s.level ? ['bold'] : [], border: [] }, wordWrap: true });
  for (const c of conflicts) {
    const f = c.forgotten;
    const base = c.kind === 'insert/insert' ? s.dim('(none)') : side(c.base, c.column, s, keyColumns, f, 'base');
    const row = [keyText(c.key, keyColumns), c.column ?? s.dim('(row)'), c.kind, base, s.green(side(c.ours, c.column, s, keyColumns, f, 'ours')), s.red(side(c.theirs, c.column, s, keyColumns, f, 'theirs'))];
    if (withRes) row.push(c.resolved ? side(c.value, c.column, s, keyColumns, f, 'value') : s.yellow('unresolved'));
    t.push(row);
  }
  return t.toString();
}

function valuesText(v: Image, flag?: ForgottenFlag): string {
  return Object.entries(v)
    .map(([k, x]) => `${k}=${markerAt(flag, 'values', k) !== undefined ? FORGOTTEN : (x ?? 'NULL')}`)
    .join(', ');
}

/** What breaks the constraint, in words: the missing key, the row still referencing, the row with the same values. */
function otherText(v: ConstraintViolation): string {
  const o = v.other;
  if (o === null) return v.kind === 'not null' ? `${v.columns.join(', ')} is NULL` : 'the check fails';
  const row = `${o.table}${o.key ? ` (${keyText(o.key, [])})` : ''}`;
  if (o.relation === 'missing') return `no ${o.table} row with ${valuesText(o.values, o.forgotten)}`;
  if (o.relation === 'references') return `still referenced by ${row}: ${valuesText(o.values, o.forgotten)}`;
  return `${valuesText(o.values, o.forgotten)} also in ${row}`;
}

/** The constraints a merge would break, as a table: the row, the constraint, what breaks it. */
export function renderViolationTable(violations: ConstraintViolation[], keyColumns: string[], s: Style): string {
  const t = new Table({ head: ['key', 'constraint', 'kind', 'merged row', 'why'], style: { head: s.level ? ['bold'] : [], border: [] }, wordWrap: true });
  for (const v of violations) {
    const row = v.row === null ? s.dim('(deleted)') : side(v.row, null, s, keyColumns, v.forgotten, 'row');
    t.push([keyText(v.key, keyColumns), v.constraint, v.kind, row, s.red(otherText(v))]);
  }
  return t.toString();
}

function rowsText(a: MergeResult['applied']): string {
  const parts: string[] = [];
  if (a.inserted) parts.push(`${a.inserted} inserted`);
  if (a.updated) parts.push(`${a.updated} updated`);
  if (a.deleted) parts.push(`${a.deleted} deleted`);
  return parts.length ? parts.join(', ') : 'no row changed';
}

/** What `vsg merge` (or --continue) did. */
export function renderMerge(r: MergeResult, s: Style): string {
  if (r.tables) return renderMergeAcross(r, r.tables, s);
  const short = (id: string | null) => (id ? s.yellow(id.slice(0, 7)) : '');
  switch (r.status) {
    case 'up-to-date':
      return `${r.table}: already up to date with '${r.theirsRef}'`;
    case 'fast-forward':
      return `${r.table}: updating ${short(r.ours)}..${short(r.theirs)}\nfast-forward: '${r.branch}' now at ${short(r.theirs)} (${rowsText(r.applied)})`;
    case 'conflict':
      return [
        s.red(`${r.table}: automatic merge of '${r.theirsRef}' failed: ${r.conflicts.length} conflict${r.conflicts.length === 1 ? '' : 's'}`),
        renderConflictTable(r.conflicts, r.keyColumns, s),
        s.dim("the live table is unchanged; resolve with 'vsg resolve <key> [<column>] --ours|--theirs|--value <text>', then 'vsg merge --continue' (or 'vsg merge --abort')"),
      ].join('\n');
    case 'refused': {
      const n = r.violations.length;
      return [
        s.red(`${r.table}: merge of '${r.theirsRef}' refused: the merged rows would break ${n} constraint${n === 1 ? '' : 's'}`),
        renderViolationTable(r.violations, r.keyColumns, s),
        s.dim(`nothing was written: the table, '${r.branch}' and its history are as they were`),
      ].join('\n');
    }
    default: {
      const c = r.commit;
      const lines = [`${r.table}: merge base ${r.bases.map((b) => short(b)).join(' + ')}; ${r.changes.ours} row${r.changes.ours === 1 ? '' : 's'} changed on '${r.branch}', ${r.changes.theirs} on '${r.theirsRef}'`];
      const resolved = r.conflicts.length;
      if (resolved) lines.push(`${resolved} conflict${resolved === 1 ? '' : 's'} resolved`);
      if (c) lines.push(`[${r.branch} ${s.yellow(c.shortId)}] ${c.message.split('\n')[0]}: ${rowsText(r.applied)}`);
      return lines.join('\n');
    }
  }
}

/**
 * A merge across tables: one line when it merged (`[main 3f2a9c1] merged
 * feature: clients: 1 inserted · orders: 2 inserted`), else each table that
 * stopped it with its conflicts or broken constraints.
 */
function renderMergeAcross(r: MergeResult, tables: Record<string, MergeResult>, s: Style): string {
  const parts = Object.values(tables);
  const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  switch (r.status) {
    case 'up-to-date':
      return `${r.table}: already up to date with '${r.theirsRef}'`;
    case 'conflict':
      return [
        ...parts.filter((p) => p.conflicts.length).flatMap((p) => [
          s.red(`${p.table}: automatic merge of '${r.theirsRef}' failed: ${plural(p.conflicts.length, 'conflict')}`),
          renderConflictTable(p.conflicts, p.keyColumns, s),
        ]),
        s.dim(
          `nothing was written; the merge of every table is kept in progress: resolve with 'vsg resolve <key> [<column>] --ours|--theirs|--value <text>', then 'vsg merge --continue' (or 'vsg merge --abort')`,
        ),
      ].join('\n');
    case 'refused':
      return [
        ...parts.filter((p) => p.violations.length).flatMap((p) => [
          s.red(`${p.table}: merge of '${r.theirsRef}' refused: the merged rows would break ${plural(p.violations.length, 'constraint')}`),
          renderViolationTable(p.violations, p.keyColumns, s),
        ]),
        s.dim(`nothing was written: the tables, their branches and history are as they were`),
      ].join('\n');
    default: {
      const moved = parts.filter((p) => p.status !== 'up-to-date');
      const each = moved.map((p) => `${p.table}: ${rowsText(p.applied)}${p.status === 'fast-forward' && r.commit ? ' (fast-forward)' : ''}`).join(' · ');
      const head = r.commit ? `[${r.branch} ${s.yellow(r.commit.shortId)}] merged ${r.theirsRef}` : `fast-forward '${r.branch}' to '${r.theirsRef}'`;
      const resolved = r.conflicts.length;
      return `${head}: ${each}${resolved ? `\n${plural(resolved, 'conflict')} resolved` : ''}`;
    }
  }
}

/** `vsg conflicts`: one table's merge, or a section per table (ConflictList.tables). */
export function renderConflictList(r: ConflictList, s: Style): string {
  if (r.tables) {
    const sections = Object.values(r.tables).map((t) => (t.conflicts.length ? renderConflictList(t, s) : `${conflictHead(t, s)}\n${s.dim('no conflicts')}`));
    const n = r.conflicts.length;
    const tail = r.unresolved > 0 ? s.yellow(`${r.unresolved} of ${n} unresolved in all`) : s.green(`all ${n} resolved; run 'vsg merge --continue'`);
    return [...sections, tail].join('\n\n');
  }
  const head = conflictHead(r, s);
  const tail =
    r.unresolved > 0
      ? s.yellow(`${r.unresolved} of ${r.conflicts.length} unresolved`)
      : s.green(`all ${r.conflicts.length} resolved; run 'vsg merge --continue'`);
  return [head, renderConflictTable(r.conflicts, r.keyColumns, s), tail].join('\n');
}

function conflictHead(r: ConflictList, s: Style): string {
  // of several tables: the commits by the ids log lists
  const [theirs, ours, bases] = [r.repoTheirs ?? r.theirs, r.repoOurs ?? r.ours, r.repoBases ?? r.bases];
  return `${s.bold(r.table)}: merging '${r.theirsRef}' (${theirs.slice(0, 7)}) into '${r.branch}' (${ours.slice(0, 7)}), base ${bases.map((b) => b.slice(0, 7)).join(' + ')}`;
}

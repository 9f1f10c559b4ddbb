/** Small renderers: status, tables, show, sql results, init, commit summary. */
import Table from 'cli-table3';
import type { CommitResult, ShowResult, SqlResult, StatementResult, TableStatus, TrackedTable } from '../index.js';
import { renderChanges } from './diff.js';
import { commitHeader, countsText } from './log.js';
import { shellQuote } from '../db/quote.js';
import { cell } from './values.js';
import type { Style } from './style.js';

/**
 * `[main 3f2a9c1] UPDATE clients: 2 updated`, as git commit prints; preceded
 * by the commit that recorded other writers' earlier uncommitted changes to
 * the same rows first, when there is one.
 */
export function renderCommitSummary(r: CommitResult, s: Style): string {
  const line = (c: CommitResult['commit'], schema: string[] | undefined, table = r.table) => {
    if (schema) {
      const rows = (c.inserted ?? 0) + (c.updated ?? 0) + (c.deleted ?? 0) ? `; ${countsText(c)}` : '';
      return `[${r.branch} ${s.yellow(c.shortId)}] SCHEMA ${table}: ${schema.join('; ')}${rows}`;
    }
    return `[${r.branch} ${s.yellow(c.shortId)}] ${c.operation} ${table}: ${countsText(c)}`;
  };
  // each table's earlier changes are a commit of that table
  const earlier = (p: CommitResult) =>
    p.recorded ? [`${line(p.recorded, p.recordedSchema, p.table)} ${s.dim(`(earlier uncommitted changes by ${p.recorded.author}, recorded first)`)}`] : [];
  if (r.parts) {
    // A commit across tables: `[main 3f2a9c1] DELETE clients: 1 deleted · orders: 2 deleted`.
    const each = r.parts.map((p) => (p.schema ? `${p.table}: ${p.schema.join('; ')}` : `${p.table}: ${countsText(p.commit)}`));
    const kind = r.parts.some((p) => p.schema) ? 'SCHEMA' : r.commit.operation;
    return [...r.parts.flatMap(earlier), `[${r.branch} ${s.yellow(r.commit.shortId)}] ${kind} ${each.join(' · ')}`].join('\n');
  }
  return [...earlier(r), line(r.commit, r.schema)].join('\n');
}

export function renderShow(r: ShowResult, s: Style, now?: number): string {
  // several tables tracked: HEAD and each ref decorate the commit only where the repository's stand
  const view = r.at ? { head: r.at.head, refAt: new Map(Object.entries(r.at.refs)) } : null;
  if (r.tables) {
    // A commit across tables: its header, then a section per table.
    const sections = Object.values(r.tables).map((p) => {
      const schema = (p.schema ?? []).map((line) => s.magenta(`schema: ${line}`)).join('\n');
      const body = [schema, renderChanges(p.changes, p.keyColumns, p.columns, s)].filter(Boolean).join('\n');
      return `${s.bold(`${p.commit.table}`)} ${s.dim(`${p.commit.shortId} ${countsText(p.commit)}`)}${body ? `\n${body}` : ''}`;
    });
    return [commitHeader(r.commit, r.heads, s, now, view), ...sections].join('\n\n');
  }
  const schema = (r.schema ?? []).map((line) => s.magenta(`schema: ${line}`)).join('\n');
  const body = [schema, renderChanges(r.changes, r.keyColumns, r.columns, s)].filter(Boolean).join('\n');
  const header = commitHeader(r.commit, r.heads ?? [], s, now, view);
  return body ? `${header}\n\n${body}` : header;
}

/**
 * Status of one table; of several, `On branch main, HEAD 3f2a9c1` (HEAD: the
 * newest commit, `head`) then each table with something to say, and the
 * clean ones on one line.
 */
export function renderStatus(list: TableStatus[], s: Style, head?: string | null): string {
  if (list.length === 0) return "no table is tracked yet (use 'vsg track <table>')";
  if (list.length === 1 || head === undefined) return statusBlocks(list, s);
  const branches = [...new Set(list.map((t) => t.branch))];
  const on = branches.length === 1 ? `On branch ${s.green(branches[0])}` : `On branches ${list.map((t) => `${t.table} ${s.green(t.branch)}`).join(', ')}`;
  const top = `${on}, HEAD ${s.yellow(head ? head.slice(0, 7) : '(none)')}`;
  const clean = list.filter((t) => t.clean && !t.merging);
  const rest = list.filter((t) => !clean.includes(t));
  if (rest.length === 0) return `${top}\nnothing to commit, every table clean (${clean.map((t) => t.table).join(', ')})`;
  // several tables with uncommitted changes: one commit records them all (a commit across tables)
  const dirty = rest.filter((t) => !t.clean && !t.merging && !t.dropped);
  const all = dirty.length > 1 ? [s.dim(`(use 'vsg commit' to record the changes of ${dirty.map((t) => t.table).join(', ')} as one commit)`)] : [];
  return [top, statusBlocks(rest, s), ...all, ...(clean.length ? [`nothing to commit in ${clean.map((t) => t.table).join(', ')}`] : [])].join('\n\n');
}

function statusBlocks(list: TableStatus[], s: Style): string {
  return list
    .map((t) => {
      // of several tables: the table's HEAD by the id log lists (repoHead)
      const at = t.repoHead ?? t.head;
      const head0 = `${s.bold(t.table)} on branch ${s.green(t.branch)}, HEAD ${s.yellow(at ? at.slice(0, 7) : '(none)')}`;
      const head = t.merging
        ? `${head0}\n  ${s.red(`merging '${t.merging.theirs}': ${t.merging.unresolved} unresolved conflict${t.merging.unresolved === 1 ? '' : 's'}`)}\n  ${s.dim("(use 'vsg conflicts' and 'vsg resolve', then 'vsg merge --continue'; or 'vsg merge --abort')")}`
        : head0;
      if (t.clean) return `${head}\n  nothing to commit, working table clean`;
      if (t.dropped) return `${head}\n  ${s.red(`${t.table}: dropped`)} ${s.dim(`(its history is kept; 'vsg restore -t ${t.table}' recreates it)`)}`;
      return [
        head,
        t.schema.length ? '  columns changed outside vsg:' : '',
        ...t.schema.map((c) => s.yellow(`    ${c}`)),
        t.inserted + t.updated + t.deleted ? '  uncommitted changes:' : '',
        t.inserted ? s.green(`    inserted: ${t.inserted}`) : '',
        t.updated ? s.yellow(`    updated:  ${t.updated}`) : '',
        t.deleted ? s.red(`    deleted:  ${t.deleted}`) : '',
        s.dim(`  (use 'vsg commit -t ${shellQuote(t.table)}' to record ${t.schema.length ? 'it all' : 'them'}, 'vsg diff -t ${shellQuote(t.table)}' to see ${t.schema.length ? 'the rows' : 'them'})`),
      ]
        .filter(Boolean)
        .join('\n');
    })
    .join('\n\n');
}

export function renderTables(list: TrackedTable[], s: Style): string {
  if (list.length === 0) return "no table is tracked yet (use 'vsg track <table>')";
  const t = new Table({ head: ['table', 'branch', 'HEAD', 'commits', 'key'], style: { head: s.level ? ['bold'] : [], border: [] } });
  // an untracked history (tables --all) ends at its UNTRACK commit
  for (const x of list) t.push([x.untrackedAt === null ? x.display : `${x.display} (untracked ${x.untrackedAt.slice(0, 10)})`, x.head, x.headCommit ? s.yellow(x.headCommit.slice(0, 7)) : '', String(x.commits), x.keyColumns.join(', ')]);
  return t.toString();
}

const COUNTED = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE', 'SELECT', 'COPY', 'MOVE', 'FETCH']);

/** Every statement's result as psql would show it, in order, with NULL spelt out. */
export function renderSqlResult(r: SqlResult, s: Style): string {
  return r.statements.map((st) => renderStatement(st, s)).join('\n');
}

/**
 * As psql: a command's tag ('INSERT 0 2', 'CREATE TABLE'); rows as a table and
 * their count, followed by the tag for INSERT/UPDATE/DELETE/MERGE … RETURNING.
 */
function renderStatement(r: StatementResult, s: Style): string {
  const tag = r.tag ?? (COUNTED.has(r.command) ? `${r.command}${r.command === 'INSERT' ? ' 0' : ''} ${r.rowCount}` : r.command || 'OK');
  if (r.columns.length === 0) return tag;
  const t = new Table({ head: r.columns, style: { head: s.level ? ['bold'] : [], border: [] } });
  for (const row of r.rows) t.push(row.map((v) => cell(v, s)));
  const rows = `${t.toString()}\n(${r.rows.length} row${r.rows.length === 1 ? '' : 's'})`;
  return /^(INSERT|UPDATE|DELETE|MERGE)\b/.test(tag) ? `${rows}\n\n${tag}` : rows;
}

/**
 * Blame and row history. Blame: for each row (or one), per column, the commit
 * that last set the value it holds now, among the change sets on HEAD's
 * first-parent chain (a merged change is blamed on the merge commit, whose
 * delta carries it; a checkout recorded as a state commit, on that commit,
 * whose changes are computed: its parent against its source). Row history:
 * the commits that changed one row, through the (table_id, key, seq) index,
 * kept when reachable from HEAD (checked on vsg.commit_graph, sql/migrations/007),
 * so both cost that row's history.
 */
import type { Queryable } from '../db/db.js';
import { VsgError } from '../errors.js';
import { getCommits } from '../core/commits.js';
import { tableColumns } from '../core/dropped.js';
import { canonicalKey } from '../core/keys.js';
import { compareKeys, flagForgotten } from '../core/rows.js';
import { blame as blameSql } from '../core/sql/rows.js';
import { stateAt } from '../core/refs.js';
import { resolveHistory } from '../core/tables.js';
import type { CommitInfo, Image } from '../core/types.js';
import { sql } from '../db/sql.js';

export interface BlameCell {
  column: string;
  value: string | null;
  /** the commit that set this value; null when it is an uncommitted change or no commit recorded it */
  commit: string | null;
  uncommitted: boolean;
  /** set before the table's prune boundary (vsg prune): the commit that set it was pruned */
  pruned?: boolean;
  /** the value was forgotten (vsg forget; value null): its marker. Only a dropped table or an untracked history, read from history, can hold one */
  forgotten?: { value: string };
}

export interface BlameRow {
  key: Image;
  cells: BlameCell[];
}

export interface BlameCommit {
  id: string;
  shortId: string;
  author: string;
  committedAt: string;
  kind: string;
  message: string;
}

export interface BlameResult {
  table: string;
  head: string;
  keyColumns: string[];
  columns: string[];
  rows: BlameRow[];
  /** the commits the cells name, by id */
  commits: Record<string, BlameCommit>;
  /** the table's prune boundary (its oldest commit kept), when its history was pruned: cells set before it are `pruned` */
  prunedBefore?: string;
}

export interface RowLogEntry {
  commit: CommitInfo;
  before: Image | null;
  after: Image | null;
  /** cells forgotten (vsg forget), null in the images: per image, column → marker; absent when none */
  forgotten?: { before?: Record<string, string>; after?: Record<string, string> };
}

export interface RowLogResult {
  table: string;
  keyColumns: string[];
  key: Image;
  /** newest first */
  entries: RowLogEntry[];
  heads: { table: string; branch: string; commit: string | null }[];
  /** the table's prune boundary, when its history was pruned: what the row was before it is not listed (vsg prune) */
  prunedBefore?: string;
}

/** Per row and column, the commit that last set the current value. */
export async function blame(db: Queryable, opts: { table?: string; key?: string } = {}): Promise<BlameResult> {
  const table = await resolveHistory(db, opts.table);
  if (table.headCommit === null) throw new VsgError('E_NO_BRANCH', `'${table.display}' has no HEAD commit`);
  const key = opts.key === undefined ? null : await canonicalKey(db, table, opts.key);
  const live = await tableColumns(db, table);
  const { rows } = await db.query<{ key: string; img: string; last: string | null; pend: string | null }>(
    blameSql(table, live, key !== null, table.gone || table.untrackedAt !== null),
    [table.id, table.headCommit, key === null ? null : JSON.stringify(key)],
  );
  const cols = live.map((c) => c.name);
  const out: BlameRow[] = rows.map((r) => {
    const image = JSON.parse(r.img) as Image;
    const last = r.last === null ? {} : (JSON.parse(r.last) as Record<string, string>);
    const pend = new Set(r.pend === null ? [] : (JSON.parse(r.pend) as string[]));
    return {
      key: JSON.parse(r.key) as Image,
      cells: cols.map((c) =>
        flagForgotten({
          column: c,
          value: image[c] ?? null,
          commit: pend.has(c) ? null : (last[c] ?? null),
          uncommitted: pend.has(c),
          ...(table.prunedBefore && !pend.has(c) && last[c] === undefined ? { pruned: true } : {}),
        } as BlameCell, { value: 'value' }),
      ),
    };
  });
  out.sort((a, b) => compareKeys(a.key, b.key, table.keyColumns));
  const ids = [...new Set(out.flatMap((r) => r.cells.map((c) => c.commit)).filter((x): x is string => x !== null))];
  const commits: Record<string, BlameCommit> = {};
  for (const c of await getCommits(db, ids)) {
    commits[c.id] = { id: c.id, shortId: c.shortId, author: c.author, committedAt: c.committedAt, kind: c.kind, message: c.message };
  }
  if (key !== null && out.length === 0) {
    throw new VsgError('E_NO_ROW', `no row ${keyLabel(key, table.keyColumns)} in '${table.display}'`, {
      hint: 'rowLog() shows its history', data: { table: table.display, key: opts.key },
    });
  }
  return {
    table: table.display, head: table.headCommit, keyColumns: table.keyColumns, columns: cols, rows: out, commits,
    ...(table.prunedBefore ? { prunedBefore: table.prunedBefore } : {}),
  };
}

/**
 * Commits reachable from HEAD (or from `from`: the row's history as seen from
 * that commit) that changed one row, newest first, with the row before and
 * after each. `from` names a commit of the table, or the table as it stood at
 * a commit of others (HEAD~N counts the table's own commits).
 */
export async function rowLog(db: Queryable, opts: { table?: string; key: string; from?: string }): Promise<RowLogResult> {
  const table = await resolveHistory(db, opts.table);
  const key = await canonicalKey(db, table, opts.key);
  const from = opts.from === undefined ? null : await stateAt(db, table, opts.from);
  const { rows } = await db.query<{ commit_id: string; before: string | null; after: string | null }>(
    sql('history/row_log'),
    [table.id, JSON.stringify(key), from],
  );
  const commits = new Map((await getCommits(db, rows.map((r) => r.commit_id))).map((c) => [c.id, c]));
  return {
    table: table.display,
    keyColumns: table.keyColumns,
    key,
    entries: rows.map((r) =>
      flagForgotten({
        commit: commits.get(r.commit_id) as CommitInfo,
        before: r.before === null ? null : (JSON.parse(r.before) as Image),
        after: r.after === null ? null : (JSON.parse(r.after) as Image),
      } as RowLogEntry, { before: 'image', after: 'image' }),
    ),
    heads: [{ table: table.display, branch: table.head, commit: table.headCommit }],
    ...(table.prunedBefore ? { prunedBefore: table.prunedBefore } : {}),
  };
}

function keyLabel(key: Image, keyColumns: string[]): string {
  return keyColumns.map((k) => `${k}=${key[k]}`).join(', ');
}
